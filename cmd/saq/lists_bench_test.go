package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/scoring"
)

// BenchmarkLists: the list, a filtered search, the last page and the
// dashboard over 10 000 assessments in the embedded database, 8 clients at
// once through HTTP on loopback with an API token.
//
//	go test ./cmd/saq -run '^$' -bench Lists -benchtime 400x
func BenchmarkLists(b *testing.B) {
	const n, clients = 10000, 8
	svc, base := serveLoopback(b, "lists")
	start := time.Now()
	fillAssessments(b, svc, n)
	b.Logf("filled %d assessments in %v", n, time.Since(start).Round(time.Second))
	token := adminToken(b, svc)
	get := authGet(base, token, clients)
	t0 := time.Now()
	if err := get("/api/v1/assessments?perPage=1"); err != nil {
		b.Fatal(err)
	}
	// The first read loads the summaries into memory, once per process.
	b.Logf("first list, loading %d summaries into memory: %v", n, time.Since(t0).Round(time.Millisecond))

	for _, c := range []struct{ name, path string }{
		{"list-own-region", "/api/v1/assessments?region=skane"},
		{"list-filtered-search", "/api/v1/assessments?region=all&status=submitted&scoreBand=low&q=leverant%C3%B6r%2042&sort=-score"},
		{"list-last-page", "/api/v1/assessments?region=all&perPage=50&page=200"},
		{"dashboard", "/api/v1/dashboard?region=all"},
	} {
		b.Run(c.name, func(b *testing.B) {
			runLoad(b, clients, func(int, *int64, int) error { return get(c.path) }, map[string]float64{})
		})
	}
}

// fillAssessments inserts n assessments across regions, risk areas and
// statuses, the submitted ones scored and with deviations.
func fillAssessments(b *testing.B, svc *service, n int) {
	repo := svc.store.Assessments()
	regions, areas := []string{"skane", "halland", "vgr", "stockholm"}, []string{"gloves", "food", "textiles", "ict"}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				st := assessment.Statuses[i%len(assessment.Statuses)]
				issued := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
				a := &assessment.Assessment{
					ID: fmt.Sprintf("bench%05d", i), Version: 1, Region: regions[i%4], RiskArea: areas[i%4/2*2%4],
					Supplier:    assessment.Supplier{Name: fmt.Sprintf("Leverantör %d AB", i), OrgNumber: fmt.Sprintf("556%06d", i), Country: "SE"},
					ContractRef: fmt.Sprintf("AVT-%d", i), QuestionnaireID: "code-of-conduct", QuestionnaireVersion: 1, Level: "basic", Language: "sv",
					DueDate: issued.AddDate(0, 3, 0).Format(time.DateOnly), Status: st, TokenHash: fmt.Sprintf("benchhash%05d", i),
					IssuedAt: issued, Answers: assessment.Answers{"Q1.1": {Text: "Sverige"}},
				}
				if st != assessment.Issued && st != assessment.InProgress && st != assessment.Expired {
					total, la := float64(i%101), float64(i%89)
					a.SubmittedAt = issued.AddDate(0, 1, 0)
					a.Score = &scoring.Result{Total: &total, Areas: map[string]*float64{"labour-rights": &la, "environment": &total}}
					a.Deviations = []assessment.Deviation{{ID: "d1", Requirement: "LR-WAGES", Area: "labour-rights", Severity: "major", Source: assessment.FromSAQ, Status: assessment.DevConfirmed,
						Action: &assessment.Action{DueDate: "2026-06-30", PlannedAt: a.SubmittedAt}}}
				}
				if err := repo.Insert(context.Background(), a); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

// authGet returns a GET of a path under base with an API token, for up to
// clients at once, that fails on any status but 200.
func authGet(base, token string, clients int) func(path string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	return func(path string) error {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: %d %.200s", path, resp.StatusCode, data)
		}
		return nil
	}
}

// adminToken makes an admin account and returns an API token of it.
func adminToken(b *testing.B, svc *service) string {
	const email = "bench@saq.se"
	by := account.Actor{Name: "bench"}
	if _, err := svc.accounts.CreateUser(context.Background(), by, account.NewUser{
		Email: email, Name: "Bench", Role: account.Admin, Region: "national", Password: "korrekt häst batteri häfta",
	}); err != nil {
		b.Fatal(err)
	}
	plain, _, err := svc.accounts.CreateToken(context.Background(), by, email)
	if err != nil {
		b.Fatal(err)
	}
	return plain
}
