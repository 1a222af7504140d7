package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/scoring"
)

// BenchmarkLists: the list (first page, filtered, searched, last page), the
// dashboard and supplier saves over SAQ_BENCH_ASSESSMENTS assessments
// (10 000 unless set), through HTTP on loopback with 8 clients at once (50
// suppliers for saves). The reads go to an instance started after the data
// was written, which also gives its start-up time and the memory its
// summary index takes.
//
//	SAQ_BENCH_ASSESSMENTS=100000 go test ./cmd/saq -run '^$' -bench Lists -benchtime 400x -timeout 2h
//
// With SAQ_BENCH_DATA set to a directory, the data is kept there (and, on a
// server, in the database "bench") for the next run, which fills only when
// the data is not there.
func BenchmarkLists(b *testing.B) {
	const suppliers = 50
	clients := 8 // readers at once; SAQ_BENCH_CLIENTS sets another number
	if v, err := strconv.Atoi(os.Getenv("SAQ_BENCH_CLIENTS")); err == nil && v > 0 {
		clients = v
	}
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SAQ_BENCH_ASSESSMENTS")); err == nil && v > 0 {
		n = v
	}
	cfg := config{DataDir: b.TempDir(), DBName: fmt.Sprintf("bench_%d", os.Getpid())}
	if dir := os.Getenv("SAQ_BENCH_DATA"); dir != "" {
		cfg = config{DataDir: dir, DBName: "bench"}
	}
	svcs, _ := instancesOn(b, 1, cfg)
	start := time.Now()
	filled := fillAssessments(b, svcs[0], n)
	b.Logf("filled %d assessments in %v", filled, time.Since(start).Round(time.Second))
	token := adminToken(b, svcs[0])
	issue := issuer(b, svcs[0])

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	t0 := time.Now()
	// On a server, another instance answers, as a region adds one behind
	// its load balancer; the embedded engine has one process, which does.
	svc, base := svcs[0], ""
	if svc.store.Embedded() {
		base = listenLoopback(b, svc)
	} else {
		svc, base = another(b, svcs[0])
	}
	b.Logf("start-up of an instance over %d assessments: %v", n, time.Since(t0).Round(time.Millisecond))
	get := authGet(base, token, clients)
	t0 = time.Now()
	if err := get("/api/v1/assessments?perPage=1"); err != nil {
		b.Fatal(err)
	}
	b.Logf("first list, loading %d summaries into the index: %v; heap %+.1f MB (%.0f bytes a summary)", n,
		time.Since(t0).Round(time.Millisecond), float64(heap()-before)/1e6, float64(heap()-before)/float64(n))
	_ = svc
	// Fill the connection pools as a running instance has them: on
	// FerretDB with PostgreSQL a new connection costs a PostgreSQL one.
	var warm sync.WaitGroup
	for range clients {
		warm.Go(func() { _ = get("/api/v1/assessments?perPage=1") })
	}
	warm.Wait()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: suppliers * 2}}
	// A page deep in the list, as its links read it: after a row near the
	// end (the next cursor of the reversed order's first 51 rows).
	req, _ := http.NewRequest("GET", base+"/api/v1/assessments?region=all&sort=issued&perPage=51", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	body, err := send200(client, req)
	var tail struct{ Next string }
	if err != nil || json.Unmarshal(body, &tail) != nil || tail.Next == "" {
		b.Fatalf("the end of the list: %v %.200s", err, body)
	}
	// The dashboard's first sum over the whole database, which later
	// requests are answered from while it is younger than 30 s.
	t0 = time.Now()
	if err := get("/api/v1/dashboard?region=all"); err != nil {
		b.Fatal(err)
	}
	b.Logf("first dashboard over %d assessments: %v", n, time.Since(t0).Round(time.Millisecond))
	for _, c := range []struct{ name, path string }{
		{"list-first-page", "/api/v1/assessments?region=all"},
		{"list-own-region", "/api/v1/assessments?region=skane"},
		{"list-filtered-search", "/api/v1/assessments?region=all&status=submitted&scoreBand=low&q=leverant%C3%B6r%2042&sort=-score"},
		{"list-searched", "/api/v1/assessments?region=all&q=4217"},
		{"list-last-page", fmt.Sprintf("/api/v1/assessments?region=all&perPage=50&page=%d&after=%s", (n+49)/50, tail.Next)},
		{"dashboard", "/api/v1/dashboard?region=all"},
	} {
		b.Run(c.name, func(b *testing.B) {
			runLoad(b, clients, func(int, *int64, int) error { return get(c.path) }, map[string]float64{})
		})
	}
	b.Run("supplier-save", func(b *testing.B) {
		tokens := make([]string, suppliers)
		for i := range tokens {
			_, tokens[i] = issue()
		}
		runLoad(b, suppliers, supplierSave(client, base, tokens), map[string]float64{})
	})
}

// another starts one more instance of the service on svc's database, as a
// region adds one behind its load balancer, and returns it with its address.
func another(b *testing.B, svc *service) (*service, string) {
	log := slog.New(slog.DiscardHandler)
	other, err := build(context.Background(), config{MongoURI: svc.store.URI(), DBName: svc.store.Database().Name(), DataDir: b.TempDir()}, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { closeStore(other.store, log) })
	return other, listenLoopback(b, other)
}

// fillAssessments seeds n assessments across regions, risk areas and
// statuses, the submitted ones scored and with deviations, unless the last
// of them is already there (kept from an earlier run), and returns how many
// it inserted.
func fillAssessments(b *testing.B, svc *service, n int) int {
	repo := svc.store.Assessments()
	regions, areas := []string{"skane", "halland", "vgr", "stockholm"}, []string{"gloves", "food", "textiles", "ict"}
	if _, err := repo.Get(context.Background(), fmt.Sprintf("bench%05d", n-1)); err == nil {
		return 0
	}
	all := make([]*assessment.Assessment, n)
	for i := range all {
		st := assessment.Statuses[i%len(assessment.Statuses)]
		issued := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		a := &assessment.Assessment{
			ID: fmt.Sprintf("bench%05d", i), Version: 1, Region: regions[i%4], RiskArea: areas[i%4/2*2%4],
			Supplier:    assessment.Supplier{Name: fmt.Sprintf("Leverantör %d AB", i), OrgNumber: fmt.Sprintf("556%06d", i), Country: "SE"},
			ContractRef: fmt.Sprintf("AVT-%d", i), QuestionnaireID: "code-of-conduct", QuestionnaireVersion: 1, Level: "basic", Language: "sv",
			DueDate: issued.AddDate(0, 3, 0).Format(time.DateOnly), Status: st, TokenHash: fmt.Sprintf("benchhash%05d", i),
			IssuedAt: issued, Answers: assessment.Answers{"Q1.7": {Text: "Sverige"}},
		}
		if st != assessment.Issued && st != assessment.InProgress && st != assessment.Expired {
			total, la := float64(i%101), float64(i%89)
			a.SubmittedAt = issued.AddDate(0, 1, 0)
			a.Score = &scoring.Result{Total: &total, Areas: map[string]*float64{"labour-rights": &la, "environment": &total}}
			a.Deviations = []assessment.Deviation{{ID: "d1", Requirement: "LR-WAGES", Area: "labour-rights", Severity: "major", Source: assessment.FromSAQ, Status: assessment.DevConfirmed,
				Action: &assessment.Action{DueDate: "2026-06-30", PlannedAt: a.SubmittedAt}}}
		}
		all[i] = a
	}
	if err := repo.Seed(context.Background(), all); err != nil {
		b.Fatal(err)
	}
	return n
}

// authGet returns a GET of a path under base with an API token, for up to
// clients at once, that fails on any status but 200.
func authGet(base, token string, clients int) func(path string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	return func(path string) error {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		_, err := send200(client, req)
		return err
	}
}

// adminToken makes an admin account and returns an API token of it.
func adminToken(b *testing.B, svc *service) string {
	email := fmt.Sprintf("bench%d@saq.se", time.Now().UnixNano()) // new on every run over kept data
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
