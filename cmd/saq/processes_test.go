package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/embedded"
	"github.com/regionerna/saq/internal/testsuite"
)

// TestServeProcesses runs three `saq serve` processes on one database, as a
// region runs them behind a load balancer, on SAQ_TEST_MONGODB_URI (or one
// process on the embedded engine, which one process owns). An account and
// a token are made with the saq commands, saq-load's mix of saves, lists
// and reports runs across them, every acknowledged save is found
// afterwards, each process serves its metrics to the configured address,
// and each stops on SIGTERM within its grace period.
func TestServeProcesses(t *testing.T) {
	testsuite.RequireFull(t, "the process suite")
	if testing.Short() {
		t.Skip("builds and starts the service three times")
	}
	bin := saqBinary(t)
	uri := serverUnderTest(t)
	embedded := uri == ""
	db := fmt.Sprintf("proc_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)

	n := 3
	if embedded {
		n = 1
	}
	var procs []*process
	for i := range n {
		p := startProcess(t, bin, map[string]string{"MONGODB_URI": uri, "SAQ_DB_NAME": db,
			"SAQ_DATA_DIR": t.TempDir(), "SAQ_METRICS_FROM": "127.0.0.1/32"})
		procs = append(procs, p)
		if i == 0 {
			uri = p.databaseURI(t) // the commands and the check use its embedded server
		}
	}
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": uri, "SAQ_DB_NAME": db})

	var bases []string
	for _, p := range procs {
		bases = append(bases, p.base)
	}
	st, err := store.Open(context.Background(), store.Options{URI: uri, DBName: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	loadAndCheck(t, bases, token, st.Assessments())

	// The dashboard's trend has today's counts from the start, whatever
	// hour the process started in (the job runs at start; it may still be
	// running, so ask again a while).
	trend := ""
	for range 60 {
		req, _ := http.NewRequest("GET", bases[0]+"/api/v1/dashboard?region=skane", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if trend = string(body); strings.Contains(trend, `"trend":[{"day":`) {
				break
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(trend, `"trend":[{"day":`) {
		t.Errorf("no day in the dashboard's trend after start: %.300s", trend)
	}

	// Each process counts its own requests and database commands, and every
	// follow-up the load issued, by status.
	for _, p := range procs {
		resp, err := http.Get(p.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{
			`saq_http_requests_total{method="PUT",route="/api/v1/s/:token/answers",status="200"}`,
			`saq_db_operation_duration_seconds_count{command="insert",outcome="ok"}`,
			`saq_db_operation_duration_seconds_count{command="find",outcome="ok"}`,
			`saq_assessments{status="in_progress"} 12`,
		} {
			if resp.StatusCode != 200 || !strings.Contains(string(text), want) {
				var counted []string
				for _, l := range strings.Split(string(text), "\n") {
					if strings.HasPrefix(l, "saq_http_requests_total") || strings.HasPrefix(l, "saq_assessments") {
						counted = append(counted, l)
					}
				}
				t.Errorf("%s/metrics: %d, lacks %s; it has:\n%s", p.base, resp.StatusCode, want, strings.Join(counted, "\n"))
			}
		}
	}

	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].terminate(t)
	}
}

// serverUnderTest is the MongoDB URI the service instances of a test
// share: SAQ_TEST_MONGODB_URI, or "" for the embedded engine.
func serverUnderTest(t testing.TB) string {
	t.Helper()
	return os.Getenv("SAQ_TEST_MONGODB_URI")
}

// embeddedOnly skips a test of the embedded engine's data directory when
// the tests run on a server, or in -short mode.
func embeddedOnly(t *testing.T, what string) {
	t.Helper()
	if testing.Short() || os.Getenv("SAQ_TEST_MONGODB_URI") != "" {
		t.Skip(what + ": the embedded engine only, and not in -short mode")
	}
}

// coordinatorToken makes a coordinator in Skåne with `saq user add` and
// returns an API token of theirs from `saq token create`, as an operator
// would; env gives the database.
func coordinatorToken(t *testing.T, bin string, env map[string]string) string {
	t.Helper()
	runCommand(t, bin, env, "korrekt häst batteri häfta\n", "user", "add", "--email", "last@skane.se", "--name", "Last",
		"--role", "coordinator", "--region", "skane", "--password-stdin")
	out := runCommand(t, bin, env, "", "token", "create", "--email", "last@skane.se")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// saqBinary builds the service into a temporary directory.
func saqBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "saq")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is one `saq serve` started by a test.
type process struct {
	cmd  *exec.Cmd
	env  map[string]string
	base string
	out  *syncBuffer
	done chan struct{}
	err  error // how it exited, once done is closed
}

// startProcess starts `saq serve` on env's SAQ_ADDR, or a free loopback
// port, with env added to this process's environment, and returns once /readyz answers 200. It is
// killed when the test ends if it still runs.
func startProcess(t *testing.T, bin string, env map[string]string) *process {
	t.Helper()
	addr := env["SAQ_ADDR"] // kept when a test starts the service again
	if addr == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = ln.Addr().String()
		ln.Close()
	}
	env["SAQ_ADDR"], env["SAQ_LOG_LEVEL"] = addr, "warn"
	p := &process{cmd: exec.Command(bin, "serve"), env: env, base: "http://" + addr, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = environ(env)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("saq serve on %s said:\n%s", addr, p.out.String())
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("saq serve exited before it was ready (%v):\n%s", p.err, p.out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("saq serve on %s not ready after 2 minutes:\n%s", addr, p.out.String())
		}
	}
}

// databaseURI is the MongoDB URI the process uses: its MONGODB_URI, or
// that of the embedded server it runs.
func (p *process) databaseURI(t *testing.T) string {
	t.Helper()
	if uri := p.env["MONGODB_URI"]; uri != "" {
		return uri
	}
	uri, err := embedded.RunningURI(p.env["SAQ_DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	return uri
}

// terminate sends SIGTERM and expects a clean exit within the grace period
// and a few seconds to close the database.
func (p *process) terminate(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("saq serve on %s exited with %v after SIGTERM:\n%s", p.base, p.err, p.out.String())
		}
	case <-time.After(shutdownGrace + 10*time.Second):
		t.Errorf("saq serve on %s still runs %v after SIGTERM", p.base, shutdownGrace+10*time.Second)
	}
}

// runCommand runs a saq command with env added, stdin as its input, and
// returns what it printed; a failure ends the test.
func runCommand(t *testing.T, bin string, env map[string]string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdin = environ(env), strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("saq %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// environ is this process's environment without the service's own
// settings, plus env's non-empty ones.
func environ(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SAQ_") && !strings.HasPrefix(kv, "MONGODB_URI=") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}
