package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
)

// BenchmarkSupplierSaves: 50 suppliers save answers at once against one
// server on loopback (HTTP, JSON, validation, version check, durable write),
// and, on the same database in the same run, the raw driver doing the
// equivalent read and replace of an assessment document by _id.
//
//	go test ./cmd/saq -run '^$' -bench SupplierSaves -benchtime 2000x
func BenchmarkSupplierSaves(b *testing.B) {
	const suppliers = 50
	ctx := context.Background()
	svc, base, issue, client := savesOn(b, "load", suppliers)

	results := map[string]float64{}
	b.Run("service", func(b *testing.B) {
		tokens := make([]string, suppliers)
		for i := range tokens {
			_, tokens[i] = issue()
		}
		runLoad(b, suppliers, supplierSave(client, base, tokens), results)
	})
	b.Run("raw-driver", func(b *testing.B) {
		ids := make([]string, suppliers)
		for i := range ids {
			ids[i], _ = issue()
		}
		coll := svc.store.Database().Collection("assessments")
		runLoad(b, suppliers, func(w int, version *int64, n int) error {
			var doc bson.M
			if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: ids[w]}}).Decode(&doc); err != nil {
				return err
			}
			doc["answers"] = bson.A{
				bson.M{"q": "Q1.7", "text": fmt.Sprintf("Sverige %d", n)}, bson.M{"q": "Q1.3", "number": float64(n)},
				bson.M{"q": "Q1.5", "choices": bson.A{"agency"}}, bson.M{"q": "Q2.1", "choice": "yes"},
				bson.M{"q": "Q2.5", "choice": "no", "comment": fmt.Sprintf("Sparad %d", n)},
			}
			doc["version"] = *version + 1
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: ids[w]}}, doc); err != nil {
				return err
			}
			*version++
			return nil
		}, results)
	})
	if results["service"] > 0 && results["raw-driver"] > 0 {
		b.Logf("throughput service/raw = %.2f (service %.0f saves/s, raw driver %.0f updates/s)",
			results["service"]/results["raw-driver"], results["service"], results["raw-driver"])
		b.Logf("CPU a save, this process (service, embedded database, client): service %.2f ms, raw %.2f ms, ratio %.2f",
			results["service:cpu"], results["raw-driver:cpu"], results["service:cpu"]/results["raw-driver:cpu"])
		if os.Getenv("SAQ_TEST_MONGODB_URI") != "" { // else other servers on the machine are all it counts
			b.Logf("CPU a save, database server (PostgreSQL, FerretDB): service %.2f ms, raw %.2f ms, ratio %.2f",
				results["service:db-cpu"], results["raw-driver:db-cpu"], results["service:db-cpu"]/results["raw-driver:db-cpu"])
		}
	}
}

// BenchmarkSupplierSavesOpenLoop: 50 suppliers save at a steady 50 saves a
// second between them (open loop: each save starts on its schedule whether
// or not the one before has answered, as people do), through HTTP, against
// the raw driver reading and replacing the same documents on the same
// schedule. Latency counts from the scheduled start, so a stall shows in
// every save it delays. -benchtime 1000x is 20 seconds each.
func BenchmarkSupplierSavesOpenLoop(b *testing.B) {
	const suppliers, perSecond = 50, 50
	ctx := context.Background()
	svc, base, issue, client := savesOn(b, "open", suppliers)
	coll := svc.store.Database().Collection("assessments")
	b.Run("service", func(b *testing.B) {
		tokens := make([]string, suppliers)
		for i := range tokens {
			_, tokens[i] = issue()
		}
		openLoop(b, suppliers, perSecond, supplierSave(client, base, tokens))
	})
	b.Run("raw-driver", func(b *testing.B) {
		ids := make([]string, suppliers)
		for i := range ids {
			ids[i], _ = issue()
		}
		openLoop(b, suppliers, perSecond, func(w int, version *int64, n int) error {
			var doc bson.M
			if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: ids[w]}}).Decode(&doc); err != nil {
				return err
			}
			doc["answers"] = bson.A{bson.M{"q": "Q1.7", "text": fmt.Sprintf("Sverige %d", n)}}
			doc["version"] = *version + 1
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: ids[w]}}, doc); err != nil {
				return err
			}
			*version++
			return nil
		})
	})
}

// openLoop starts b.N operations at perSecond, spread over workers in turn
// (worker w's saves run one after another, as one supplier's would), and
// reports latency from each operation's scheduled start.
func openLoop(b *testing.B, workers, perSecond int, op func(w int, version *int64, n int) error) {
	interval := time.Second / time.Duration(perSecond)
	queues := make([]chan time.Time, workers)
	lat := make([][]time.Duration, workers)
	var failed atomic.Value
	var wg sync.WaitGroup
	for w := range workers {
		queues[w] = make(chan time.Time, b.N/workers+2)
		wg.Go(func() {
			version := int64(1)
			n := 0
			for due := range queues[w] {
				n++
				if err := op(w, &version, n); err != nil {
					failed.Store(err)
				}
				lat[w] = append(lat[w], time.Since(due))
			}
		})
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		queues[i%workers] <- due
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	b.StopTimer()
	pct, n := latencies(b, &failed, lat)
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "ops/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}

// latencies fails the benchmark with the first error its workers stored,
// else returns the percentiles (in ms) of their latencies and how many.
func latencies(b *testing.B, failed *atomic.Value, lat [][]time.Duration) (pct func(float64) float64, n int) {
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }, len(all)
}

// savesOn serves the service on loopback with 500 follow-ups in the
// background, so the collection is not trivially small, and returns it,
// its address, a way to issue more and a client for that many suppliers.
func savesOn(b *testing.B, name string, suppliers int) (*service, string, func() (string, string), *http.Client) {
	svc, base := serveLoopback(b, name)
	issue := issuer(b, svc)
	for range 500 {
		issue()
	}
	return svc, base, issue, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: suppliers * 2}}
}

// issuer returns a function that issues a follow-up to a supplier as a
// coordinator would, returning its id and link token.
func issuer(b *testing.B, svc *service) func() (string, string) {
	coord := &account.Principal{Email: "load@skane.se", Role: account.Coordinator, Region: "skane"}
	return func() (string, string) {
		a, token, err := svc.assessments.Issue(context.Background(), coord, "127.0.0.1", followup.IssueInput{
			Supplier:    assessment.Supplier{Name: "Last AB", OrgNumber: "556036-0793", Country: "SE", ContactName: "L", ContactEmail: "l@last.se"},
			ContractRef: "LOAD", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: time.Now().AddDate(0, 1, 0).Format("2006-01-02"),
			ForceNew: true,
		})
		if err != nil {
			b.Fatal(err)
		}
		return a.ID, token
	}
}

// supplierSave is runLoad's operation for a supplier's save through the
// API: worker w saves on link tokens[w] at the version it last got back.
func supplierSave(client *http.Client, base string, tokens []string) func(w int, version *int64, n int) error {
	return func(w int, version *int64, n int) error {
		body := fmt.Sprintf(`{"version": %d, "answers": {"Q1.7": "Sverige %d", "Q1.3": %d, "Q2.1": "yes", "Q2.5": {"value": "no", "comment": "Sparad %d"}, "Q1.5": ["agency"]}}`, *version, n, n, n)
		req, _ := http.NewRequest("PUT", base+"/api/v1/s/"+tokens[w]+"/answers", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		data, err := send200(client, req)
		if err != nil {
			return err
		}
		var out struct{ Version int64 }
		if err := json.Unmarshal(data, &out); err != nil {
			return err
		}
		*version = out.Version
		return nil
	}
}

// send200 sends req and returns the body of a 200 answer, or an error
// naming any other status.
func send200(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s %s: status %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, data)
	}
	return data, nil
}

// serveLoopback starts the whole service on a fresh data dir, listening on
// 127.0.0.1, and stops it when the benchmark ends. It returns the base URL.
func serveLoopback(b *testing.B, _ string) (*service, string) {
	svcs, bases := instances(b, 1)
	return svcs[0], bases[0]
}

// runLoad spreads b.N operations over workers, each on its own document in
// order, and reports throughput and latency percentiles.
func runLoad(b *testing.B, workers int, op func(w int, version *int64, n int) error, results map[string]float64) {
	var next atomic.Int64
	lat := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	cpu0, db0 := cpuTimes()
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			version := int64(1)
			for {
				n := int(next.Add(1))
				if n > b.N {
					return
				}
				t0 := time.Now()
				if err := op(w, &version, n); err != nil {
					failed.Store(err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, db1 := cpuTimes()
	b.StopTimer()
	pct, n := latencies(b, &failed, lat)
	perSec := float64(n) / elapsed.Seconds()
	b.ReportMetric(perSec, "ops/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	name := b.Name()[strings.LastIndex(b.Name(), "/")+1:]
	results[name] = perSec
	results[name+":cpu"] = float64((cpu1 - cpu0).Microseconds()) / 1000 / float64(n)
	b.ReportMetric(results[name+":cpu"], "cpu-ms/op")
	if db1 > db0 {
		results[name+":db-cpu"] = float64((db1 - db0).Microseconds()) / 1000 / float64(n)
		b.ReportMetric(results[name+":db-cpu"], "db-cpu-ms/op")
	}
}

// cpuTimes are the CPU time this process has used (the service, its
// embedded database and the benchmark's client) and that of the database
// server's processes on this machine (PostgreSQL and FerretDB; 0 when
// there are none).
func cpuTimes() (self, db time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid … utime stime: fields 14 and 15, counted
		// after the command's closing parenthesis.
		open, closing := strings.IndexByte(string(stat), '('), strings.LastIndexByte(string(stat), ')')
		if open < 0 || closing < open {
			continue
		}
		comm := string(stat[open+1 : closing])
		if comm != "postgres" && comm != "ferretdb" {
			continue
		}
		f := strings.Fields(string(stat[closing+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		db += time.Duration(ut+st) * (time.Second / 100) // clock ticks of 1/100 s on Linux
	}
	return self, db
}
