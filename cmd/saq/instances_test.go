package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/loadgen"
	"github.com/regionerna/saq/internal/testsuite"
)

// instances starts n services on one database, each with its own
// connection and HTTP listener on loopback, as n processes behind a load
// balancer: on the server serverUnderTest gives, or on the first one's
// embedded server.
func instances(t testing.TB, n int) ([]*service, []string) {
	t.Helper()
	return instancesOn(t, n, config{DataDir: t.TempDir(), DBName: fmt.Sprintf("inst_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)})
}

// instancesOn is instances with the data directory and database name of cfg.
func instancesOn(t testing.TB, n int, cfg config) ([]*service, []string) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	cfg.MongoURI = serverUnderTest(t)
	var svcs []*service
	var bases []string
	for i := range n {
		svc, err := build(context.Background(), cfg, log)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		t.Cleanup(func() { closeStore(svc.store, log) })
		if cfg.MongoURI == "" {
			cfg.MongoURI = svc.store.URI() // the others connect to the first one's server
		}
		svcs, bases = append(svcs, svc), append(bases, listenLoopback(t, svc))
	}
	return svcs, bases
}

// listenLoopback serves svc on a free loopback port until the test ends,
// and returns its base URL.
func listenLoopback(t testing.TB, svc *service) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go svc.web.App().Listener(ln)
	t.Cleanup(func() { _ = svc.web.App().Shutdown() })
	return "http://" + ln.Addr().String()
}

// TestSavesAcrossInstances: 50 suppliers' people save at once through three
// instances, several on each question. Each version is acknowledged once;
// a save refused with 409 changed an answer someone else had changed since
// it was read; and every answer stands as its last acknowledged save left it.
func TestSavesAcrossInstances(t *testing.T) {
	testsuite.RequireFull(t, "the instances suite")
	svcs, bases := instances(t, 3)
	ctx := context.Background()
	coord := &account.Principal{Email: "k@skane.se", Role: account.Coordinator, Region: "skane"}
	a, token, err := svcs[0].assessments.Issue(ctx, coord, "127.0.0.1", followup.IssueInput{
		Supplier:    assessment.Supplier{Name: "Flera AB", OrgNumber: "556000-0043", Country: "SE", ContactName: "F", ContactEmail: "f@flera.se"},
		ContractRef: "MULTI", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: time.Now().AddDate(0, 1, 0).Format("2006-01-02"),
	})
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"Q1.7", "Q1.2", "Q2.1", "Q2.5", "Q5.1"} // ten writers on each
	const writers, rounds = 50, 3
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: writers}}

	type ack struct {
		question, comment string
		version           int64
	}
	var mu sync.Mutex
	var acks []ack
	conflicts := 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := bases[w%len(bases)]
			q := questions[w%len(questions)]
			for r := range rounds {
				// Read the follow-up as the page would, then save one comment on it.
				var view struct {
					Version int64
					Answers map[string]struct{ Rev int64 }
				}
				if err := getJSON(client, base+"/api/v1/s/"+token, &view); err != nil {
					t.Errorf("writer %d read: %v", w, err)
					return
				}
				comment := fmt.Sprintf("writer %d round %d", w, r)
				body := fmt.Sprintf(`{"version": %d, "answers": {%q: {"comment": %q, "base": %d}}}`, view.Version, q, comment, view.Answers[q].Rev)
				req, _ := http.NewRequest("PUT", base+"/api/v1/s/"+token+"/answers", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("writer %d save: %v", w, err)
					return
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					var saved struct{ Version int64 }
					json.Unmarshal(data, &saved)
					mu.Lock()
					acks = append(acks, ack{q, comment, saved.Version})
					mu.Unlock()
				case 409:
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					t.Errorf("writer %d: %d %s", w, resp.StatusCode, data)
				}
			}
		}()
	}
	wg.Wait()

	got, err := svcs[1].store.Assessments().Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	versions := map[int64]bool{}
	last := map[string]ack{}
	for _, k := range acks {
		if versions[k.version] {
			t.Errorf("version %d acknowledged twice", k.version)
		}
		versions[k.version] = true
		if k.version > last[k.question].version {
			last[k.question] = k
		}
	}
	for q, k := range last {
		if got.Answers[q].Comment != k.comment {
			t.Errorf("%s holds %q, but the last acknowledged save (version %d) was %q", q, got.Answers[q].Comment, k.version, k.comment)
		}
	}
	if got.Version != int64(len(acks))+1 {
		t.Errorf("version %d after %d acknowledged saves, want %d", got.Version, len(acks), len(acks)+1)
	}
	t.Logf("%d saves over 3 instances: %d acknowledged, %d refused as conflicts, 0 lost", writers*rounds, len(acks), conflicts)
	if len(acks)+conflicts != writers*rounds {
		t.Errorf("%d acknowledged and %d conflicts of %d saves", len(acks), conflicts, writers*rounds)
	}
}

func getJSON(client *http.Client, url string, v any) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// TestLoadAcrossInstances runs the load generator (cmd/saq-load) against
// three instances, bounded in requests and time, and then finds every save
// it was acknowledged: each follow-up holds the comment of its highest
// acknowledged version, and the revision of every acknowledged version
// exists.
func TestLoadAcrossInstances(t *testing.T) {
	testsuite.RequireFull(t, "the instances suite")
	svcs, bases := instances(t, 3)
	ctx := context.Background()
	if _, err := svcs[0].accounts.CreateUser(ctx, account.Actor{Name: "test"}, account.NewUser{
		Email: "last@skane.se", Name: "Last", Role: account.Coordinator, Region: "skane", Password: "korrekt häst batteri häfta",
	}); err != nil {
		t.Fatal(err)
	}
	token, _, err := svcs[0].accounts.CreateToken(ctx, account.Actor{Name: "test"}, "last@skane.se")
	if err != nil {
		t.Fatal(err)
	}
	loadAndCheck(t, bases, token, svcs[2].store.Assessments())
}

// loadAndCheck runs saq-load's mix of saves, lists and reports across
// bases, bounded at 240 requests from 12 suppliers, expects no errors, and
// finds every acknowledged save in repo.
func loadAndCheck(t *testing.T, bases []string, token string, repo interface {
	Get(context.Context, string) (*assessment.Assessment, error)
}) {
	t.Helper()
	var acks bytes.Buffer
	res, err := loadgen.Run(context.Background(), loadgen.Config{Targets: bases, Token: token, Suppliers: 12, Requests: 240, Duration: 90 * time.Second,
		Mix: loadgen.Mix{Save: 70, List: 20, Report: 10}, Acks: &acks})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d instances:\n%s", len(bases), resultTable(res))
	for _, k := range res.Kinds {
		if k.Errors > 0 || k.OK == 0 {
			t.Errorf("%s: %d ok, %d errors", k.Kind, k.OK, k.Errors)
		}
	}
	checkAcks(t, acks.String(), repo)
}

// checkAcks finds in repo the last acknowledged save of each follow-up in
// acks, saq-load's log of them ("id version comment" a line).
func checkAcks(t *testing.T, acks string, repo interface {
	Get(context.Context, string) (*assessment.Assessment, error)
}) {
	t.Helper()
	last := map[string]struct {
		version int64
		comment string
	}{}
	lines := strings.Split(strings.TrimSpace(acks), "\n")
	for _, l := range lines {
		parts := strings.SplitN(l, " ", 3)
		v, _ := strconv.ParseInt(parts[1], 10, 64)
		if v > last[parts[0]].version {
			last[parts[0]] = struct {
				version int64
				comment string
			}{v, parts[2]}
		}
	}
	for id, k := range last {
		a, err := repo.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Answers["Q1.7"].Comment != k.comment || a.Version != k.version {
			t.Errorf("%s: version %d with %q, but the last acknowledged save was version %d with %q", id, a.Version, a.Answers["Q1.7"].Comment, k.version, k.comment)
		}
	}
	t.Logf("%d acknowledged saves on %d follow-ups, all found", len(lines), len(last))
}

// resultTable is saq-load's table of a result.
func resultTable(res loadgen.Result) string {
	var out bytes.Buffer
	res.Print(&out)
	return out.String()
}
