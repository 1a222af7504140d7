// Package loadgen drives the service over HTTP as its users do at once:
// suppliers saving answers, coordinators paging lists, auditors downloading
// reports; and reports throughput and latency per kind of request. It talks
// only to loopback addresses, and stops after a number of requests or a
// time, whichever comes first. It knows nothing of the service's insides.
package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/regionerna/saq/internal/orgnr"
)

// Config says what load to make.
type Config struct {
	Targets   []string      // base URLs of the instances, used in turn; loopback only
	Token     string        // a coordinator's API token: issues the follow-ups, reads lists and reports
	Suppliers int           // follow-ups issued, each saved to by its own worker
	Requests  int           // stop after this many requests in all
	Duration  time.Duration // or after this long
	Mix       Mix           // how often each kind of request is made
	// Acks, when set, gets one line per acknowledged save: the follow-up,
	// the version the service acknowledged and the comment saved, so a
	// checker can find every acknowledged write afterwards.
	Acks io.Writer
}

// Mix weighs the kinds of request.
type Mix struct{ Save, List, Report int }

// Kinds of request.
const (
	Save   = "save"
	List   = "list"
	Report = "report"
)

// Stats is what one kind of request did.
type Stats struct {
	Kind      string
	OK        int
	Conflicts int // 409: refused as someone else's change, as designed
	Errors    int
	PerSecond float64
	P50, P99  time.Duration
}

// Result is the load's outcome, per kind.
type Result struct {
	Elapsed time.Duration
	Kinds   []Stats
}

// CheckLoopback refuses any target that is not on this machine.
func CheckLoopback(targets []string) error {
	if len(targets) == 0 {
		return errors.New("no target given")
	}
	for _, t := range targets {
		u, err := url.Parse(t)
		if err != nil || u.Host == "" {
			return fmt.Errorf("target %q is not a URL", t)
		}
		host := u.Hostname()
		if host == "localhost" {
			continue
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("target %s is not a loopback address: the load generator talks only to this machine", t)
		}
	}
	return nil
}

// Run issues the follow-ups, then makes the load until either bound is
// reached, and returns what each kind of request did.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := CheckLoopback(cfg.Targets); err != nil {
		return Result{}, err
	}
	if cfg.Suppliers < 1 || cfg.Requests < 1 || cfg.Duration <= 0 {
		return Result{}, errors.New("suppliers, requests and duration must be positive")
	}
	total := cfg.Mix.Save + cfg.Mix.List + cfg.Mix.Report
	if cfg.Mix.Save < 0 || cfg.Mix.List < 0 || cfg.Mix.Report < 0 || total == 0 {
		return Result{}, errors.New("the mix needs a positive weight")
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	c := &client{http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Suppliers}}, token: cfg.Token}

	links := make([]followUp, cfg.Suppliers)
	for i := range links {
		f, err := c.issue(ctx, cfg.Targets[i%len(cfg.Targets)], i)
		if err != nil {
			return Result{}, fmt.Errorf("issue follow-up %d: %w", i, err)
		}
		links[i] = f
	}

	var acks *syncWriter
	if cfg.Acks != nil {
		acks = &syncWriter{w: bufio.NewWriter(cfg.Acks)}
		defer acks.flush()
	}
	rec := newRecorder()
	var left atomic.Int64
	left.Store(int64(cfg.Requests))
	start := time.Now()
	var wg sync.WaitGroup
	for w := range cfg.Suppliers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := &links[w]
			rnd := rand.New(rand.NewPCG(uint64(w), 42))
			for n := 0; ctx.Err() == nil && left.Add(-1) >= 0; n++ {
				base := cfg.Targets[(w+n)%len(cfg.Targets)]
				kind, began := pick(rnd, cfg.Mix), time.Now()
				var status int
				var err error
				switch kind {
				case Save:
					status, err = c.save(ctx, base, f, fmt.Sprintf("load %d/%d", w, n), acks)
				case List:
					status, err = c.get(ctx, fmt.Sprintf("%s/api/v1/assessments?region=all&page=%d", base, 1+rnd.IntN(5)))
				case Report:
					status, err = c.get(ctx, base+"/api/v1/assessments/"+f.id+"/report.pdf")
				}
				if ctx.Err() != nil {
					return // the time is up: this request does not count
				}
				rec.add(kind, status, err, time.Since(began))
				if err != nil || status >= 500 { // the instance is down or restarting: wait as a browser's user would
					select {
					case <-ctx.Done():
					case <-time.After(100 * time.Millisecond):
					}
				}
			}
		}()
	}
	wg.Wait()
	return rec.result(time.Since(start)), nil
}

// pick chooses a kind of request by its weight.
func pick(rnd *rand.Rand, m Mix) string {
	n := rnd.IntN(m.Save + m.List + m.Report)
	switch {
	case n < m.Save:
		return Save
	case n < m.Save+m.List:
		return List
	}
	return Report
}

// followUp is one issued follow-up and what its supplier last saved.
type followUp struct {
	id, token string
	version   int64
}

type client struct {
	http  *http.Client
	token string
}

func (c *client) do(ctx context.Context, method, url, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" && !strings.Contains(url, "/api/v1/s/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func (c *client) get(ctx context.Context, url string) (int, error) {
	status, _, err := c.do(ctx, "GET", url, "")
	return status, err
}

// issue makes a follow-up through the API and keeps its link's token.
func (c *client) issue(ctx context.Context, base string, i int) (followUp, error) {
	body := fmt.Sprintf(`{"supplier": {"name": "Last %d AB", "orgNumber": %q, "country": "SE", "contactName": "Last", "contactEmail": "last%d@example.se"},
		"contractRef": "LOAD-%d", "riskArea": "gloves", "questionnaire": "code-of-conduct", "language": "sv", "forceNew": true,
		"dueDate": %q}`, i, orgnr.Swedish(i), i, i, time.Now().AddDate(0, 2, 0).Format(time.DateOnly))
	status, data, err := c.do(ctx, "POST", base+"/api/v1/assessments", body)
	if err != nil {
		return followUp{}, err
	}
	if status != http.StatusCreated {
		return followUp{}, fmt.Errorf("%d %s", status, data)
	}
	var a struct {
		ID, Link string
		Version  int64
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return followUp{}, err
	}
	token := a.Link[strings.LastIndex(a.Link, "/")+1:]
	return followUp{id: a.ID, token: token, version: a.Version}, nil
}

// save writes a comment on the follow-up as its supplier, based on the
// version it last saw; a 409 reads the version again for the next save.
func (c *client) save(ctx context.Context, base string, f *followUp, comment string, acks *syncWriter) (int, error) {
	body := fmt.Sprintf(`{"version": %d, "answers": {"Q1.7": {"value": %q, "comment": %q}}}`, f.version, comment, comment)
	status, data, err := c.do(ctx, "PUT", base+"/api/v1/s/"+f.token+"/answers", body)
	if err != nil {
		return status, err
	}
	var v struct{ Version int64 }
	switch status {
	case http.StatusOK:
		if err := json.Unmarshal(data, &v); err != nil {
			return status, err
		}
		f.version = v.Version
		acks.line(fmt.Sprintf("%s %d %s\n", f.id, v.Version, comment))
	case http.StatusConflict:
		if _, data, err := c.do(ctx, "GET", base+"/api/v1/s/"+f.token, ""); err == nil && json.Unmarshal(data, &v) == nil {
			f.version = v.Version
		}
	}
	return status, nil
}

// recorder keeps every request's outcome and latency, per kind.
type recorder struct {
	mu    sync.Mutex
	kinds map[string]*samples
}

type samples struct {
	ok, conflicts, errors int
	lat                   []time.Duration
}

func newRecorder() *recorder { return &recorder{kinds: map[string]*samples{}} }

func (r *recorder) add(kind string, status int, err error, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.kinds[kind]
	if s == nil {
		s = &samples{}
		r.kinds[kind] = s
	}
	switch {
	case err == nil && status < 300:
		s.ok++
		s.lat = append(s.lat, d)
	case err == nil && status == http.StatusConflict:
		s.conflicts++
		s.lat = append(s.lat, d)
	default:
		s.errors++
	}
}

func (r *recorder) result(elapsed time.Duration) Result {
	res := Result{Elapsed: elapsed}
	for _, kind := range []string{Save, List, Report} {
		s := r.kinds[kind]
		if s == nil {
			continue
		}
		slices.Sort(s.lat)
		st := Stats{Kind: kind, OK: s.ok, Conflicts: s.conflicts, Errors: s.errors, PerSecond: float64(s.ok) / elapsed.Seconds()}
		if n := len(s.lat); n > 0 {
			st.P50, st.P99 = s.lat[n/2], s.lat[min(n-1, n*99/100)]
		}
		res.Kinds = append(res.Kinds, st)
	}
	return res
}

// Print writes the result as a table.
func (r Result) Print(w io.Writer) {
	fmt.Fprintf(w, "%-8s %8s %9s %7s %10s %9s %9s\n", "kind", "ok", "conflicts", "errors", "per second", "p50", "p99")
	for _, k := range r.Kinds {
		fmt.Fprintf(w, "%-8s %8d %9d %7d %10.1f %9s %9s\n", k.Kind, k.OK, k.Conflicts, k.Errors, k.PerSecond, k.P50.Round(time.Millisecond/10), k.P99.Round(time.Millisecond/10))
	}
	fmt.Fprintf(w, "in %s\n", r.Elapsed.Round(time.Millisecond))
}

// syncWriter writes whole lines from many workers.
type syncWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (s *syncWriter) line(l string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.w.WriteString(l)
	s.w.Flush() // a line written is a save acknowledged, even if the load is stopped hard
	s.mu.Unlock()
}

func (s *syncWriter) flush() {
	s.mu.Lock()
	s.w.Flush()
	s.mu.Unlock()
}
