package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/questionnaires"
)

func noEnv(string) string { return "" }

// stdinText is what runCmd gives the command on standard input.
var stdinText string

func runCmd(t *testing.T, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, getenv, strings.NewReader(stdinText), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestQuestionnairesList(t *testing.T) {
	code, out, errOut := runCmd(t, noEnv, "questionnaires", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []listed
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got) != 4 {
		t.Fatalf("%d questionnaires, want 4", len(got))
	}
	q := got[3]
	if q.ID != "code-of-conduct" || got[0].Version != 1 || q.Version != 4 || q.Questions < 45 || q.Requirements < 25 ||
		len(q.Areas) != 5 || strings.Join(q.Languages, ",") != "sv,en" || q.Title["sv"] == "" || q.Title["en"] == "" {
		t.Errorf("listed %+v", q)
	}
}

func TestQuestionnairesCheck(t *testing.T) {
	dir := t.TempDir()
	shipped, _ := questionnaires.Files.ReadFile("code-of-conduct.v1.yaml")
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, shipped, 0o600)
	os.WriteFile(bad, bytes.Replace(shipped, []byte("requirements: [LR-HOURS]"), []byte("requirements: [LR-HOURZ]"), 1), 0o600)
	badCat := filepath.Join(t.TempDir(), "requirements.yaml")
	cat, _ := questionnaires.Files.ReadFile("requirements.yaml")
	os.WriteFile(badCat, bytes.Replace(cat, []byte("severity: minor"), []byte("severity: low"), 1), 0o600)

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		noStdout bool
	}{
		{"all shipped", []string{}, 0, "ok  code-of-conduct.v1.yaml: code-of-conduct version 1, 69 questions", "", false},
		{"good file", []string{good}, 0, "ok  " + good, "", false},
		{"bad file", []string{good, bad}, 1, "ok  " + good, bad + `: question Q5.10: unknown requirement "LR-HOURZ"`, false},
		{"bad catalogue", []string{badCat, good}, 1, "", `severity "low" must be critical, major or minor`, true},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, 1, "", "nope.yaml", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, noEnv, append([]string{"questionnaires", "check"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) || (tt.noStdout && out != "") {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d, stdout with %q, stderr with %q", code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCmd(t, noEnv, "frobnicate"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Errorf("exit %d, %s", code, errOut)
	}
}

// TestServe starts the real service on an empty data directory, checks it
// answers, that a second one on the same directory fails at once, and that
// it stops cleanly when told to.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	cfg := config{Addr: "127.0.0.1:0", DataDir: dir, DBName: "saq", LogLevel: "warn"}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, log, ready) }()

	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve ended before it was ready: %v", err)
	}
	if !strings.Contains(logs.String(), "no admin account yet") || !strings.Contains(logs.String(), "saq user add --email") {
		t.Errorf("first start does not say how to create an admin:\n%s", logs.String())
	}
	// Ready once the summary index is loaded, as a load balancer would wait.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz = %d for 20 s", resp.StatusCode)
		}
	}
	for _, path := range []string{"/healthz", "/"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
	if err := healthcheckCommand(context.Background(), func(k string) string { return map[string]string{"SAQ_ADDR": addr}[k] }); err != nil {
		t.Errorf("healthcheck: %v", err)
	}

	second := cfg
	second.Addr = "127.0.0.1:0"
	if err := serve(context.Background(), second, log, nil); !errors.Is(err, store.ErrDataDirLocked) {
		t.Errorf("second serve on the same data dir = %v, want ErrDataDirLocked", err)
	}

	// While it runs, accounts can be listed (reading through its database)
	// but not changed.
	env := func(k string) string { return map[string]string{"SAQ_DATA_DIR": dir}[k] }
	var out, errOut bytes.Buffer
	if err := accountCommand(ctx, "user", []string{"list"}, env, strings.NewReader(""), &out, &errOut); err != nil || !strings.Contains(out.String(), "EMAIL") {
		t.Errorf("user list while running: %v\n%s%s", err, out.String(), errOut.String())
	}
	err := accountCommand(ctx, "user", []string{"add", "--email", "a@b.se", "--name", "A", "--role", "admin", "--region", "national", "--password-stdin"},
		env, strings.NewReader("a long passphrase of yours\n"), &out, &errOut)
	if !errors.Is(err, store.ErrDataDirLocked) {
		t.Errorf("user add while running = %v, want ErrDataDirLocked", err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve did not stop")
	}
	if err := healthcheckCommand(context.Background(), func(k string) string { return map[string]string{"SAQ_ADDR": addr}[k] }); err == nil {
		t.Error("healthcheck passed after shutdown")
	}
}

// A published version never changes: a file edited without a new version
// number stops the service at start, with a message saying what to do.
func TestPublishedVersionIsImmutable(t *testing.T) {
	qdir := t.TempDir()
	for _, name := range []string{"requirements.yaml", "code-of-conduct.v1.yaml", "organisation.yaml", "countries.yaml", "country-names.yaml"} {
		data, _ := questionnaires.Files.ReadFile(name)
		os.WriteFile(filepath.Join(qdir, name), data, 0o600)
	}
	cfg := config{DataDir: t.TempDir(), DBName: "saq", QuestionnairesDir: qdir}
	ctx := context.Background()
	publishOnce := func() error {
		set, err := cfg.loadQuestionnaires()
		if err != nil {
			return err
		}
		st, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, DBName: cfg.DBName, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		defer st.Close(ctx)
		return publish(ctx, st, set)
	}
	if err := publishOnce(); err != nil {
		t.Fatalf("first start: %v", err)
	}
	if err := publishOnce(); err != nil {
		t.Fatalf("restart with the same files: %v", err)
	}

	file := filepath.Join(qdir, "code-of-conduct.v1.yaml")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(data, []byte("{id: \"yes\", points: 4}"), []byte("{id: \"yes\", points: 5}"), 1), 0o600)
	err := publishOnce()
	if !errors.Is(err, questionnaire.ErrVersionChanged) || !strings.Contains(err.Error(), "new version") {
		t.Fatalf("start with a changed version = %v, want ErrVersionChanged", err)
	}

	// Bumping the version is the way forward; both versions are then served.
	data, _ = os.ReadFile(file)
	os.WriteFile(filepath.Join(qdir, "code-of-conduct.v2.yaml"), bytes.Replace(data, []byte("version: 1"), []byte("version: 2"), 1), 0o600)
	os.WriteFile(file, mustRead(t, "code-of-conduct.v1.yaml"), 0o600)
	if err := publishOnce(); err != nil {
		t.Fatalf("start with version 2 added: %v", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	data, err := questionnaires.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAccountCommands(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string { return map[string]string{"SAQ_DATA_DIR": dir}[k] }
	steps := []struct {
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"korrekt häst batteri\n", []string{"user", "add", "--email", "Eva@Region.se", "--name", "Eva Ek", "--role", "admin", "--region", "national", "--password-stdin"}, 0, "created eva@region.se (admin, national)", ""},
		{"", []string{"user", "add", "--email", "x@region.se", "--name", "X", "--role", "admin", "--region", "national"}, 1, "", "--password-stdin"},
		{"short\n", []string{"user", "add", "--email", "x@region.se", "--name", "X", "--role", "boss", "--region", "mars", "--password-stdin"}, 1, "", "role: Choose a role"},
		{"korrekt häst batteri\n", []string{"user", "add", "--email", "eva@region.se", "--name", "Eva", "--role", "auditor", "--region", "skane", "--password-stdin"}, 1, "", "already exists"},
		{"            \n", []string{"user", "add", "--email", "ulf@region.se", "--name", "Ulf", "--role", "auditor", "--region", "skane", "--password-stdin"}, 1, "", "at least 12 characters"},
		{"weakweakweak\n", []string{"user", "add", "--email", "ulf@region.se", "--name", "Ulf", "--role", "auditor", "--region", "skane", "--password-stdin"}, 1, "", "easy to guess: it repeats"},
		{"", []string{"token", "create", "--email", "eva@region.se"}, 0, "\nsaq_", ""},
		{"", []string{"user", "list"}, 0, "eva@region.se  Eva Ek  admin  national  active  saq_", ""},
		{"", []string{"user", "disable", "--email", "eva@region.se"}, 0, "disabled eva@region.se", ""},
		{"", []string{"user", "list"}, 0, "disabled", ""},
		{"", []string{"token", "create", "--email", "nobody@region.se"}, 1, "", "no account"},
	}
	for _, st := range steps {
		stdinText = st.stdin
		code, out, errOut := runCmd(t, env, st.args...)
		if code != st.code || !strings.Contains(out, st.stdout) || !strings.Contains(errOut, st.stderr) {
			t.Errorf("saq %s: exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout with %q, stderr with %q",
				strings.Join(st.args, " "), code, out, errOut, st.code, st.stdout, st.stderr)
		}
	}
	stdinText = ""

	// The token is the last line alone, and revoking it by value works.
	_, out, _ := runCmd(t, env, "token", "create", "--email", "eva@region.se")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	tok := lines[len(lines)-1]
	if !strings.HasPrefix(tok, "saq_") || strings.Contains(tok, " ") {
		t.Fatalf("last line %q is not a token", tok)
	}
	if code, _, errOut := runCmd(t, env, "token", "revoke", "--email", "eva@region.se", "--token", tok); code != 0 {
		t.Errorf("revoke: %s", errOut)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines counts the lines written: the acknowledged saves, for the load's Acks.
func (b *syncBuffer) lines() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Count(b.buf.Bytes(), []byte{'\n'})
}

// waitLines waits until n lines are written, or a minute has passed: the
// load's progress, not a time, says when a fault comes.
func (b *syncBuffer) waitLines(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); b.lines() < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Logf("only %d of %d saves acknowledged after a minute; going on", b.lines(), n)
			return
		}
	}
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
