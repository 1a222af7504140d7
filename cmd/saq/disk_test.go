package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/testsuite"
)

// TestDiskTrouble runs the service on a data directory in a small file
// system mounted for the test (tmpfs; it needs root, as CI has). When the
// file system fills, a save is refused with 503 and a message saying so,
// /readyz answers 503 and /healthz 200; once there is room again, saves go
// through and the database passes SQLite's check. On a read-only file
// system the service refuses to start, saying why.
func TestDiskTrouble(t *testing.T) {
	testsuite.RequireFull(t, "the disk suite")
	embeddedOnly(t, "the data directory filling up")
	if os.Geteuid() != 0 {
		t.Skip("mounts a small file system: needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small file system here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	bin := saqBinary(t)
	env := map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "data"), "SAQ_DB_NAME": "saq"}
	p := startProcess(t, bin, env)
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": p.databaseURI(t), "SAQ_DB_NAME": "saq"})
	link := issueLink(t, p.base, token)
	save := func(comment string) (int, string) {
		var v struct{ Version int64 }
		if err := getJSON(http.DefaultClient, p.base+"/api/v1/s/"+link, &v); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf(`{"version": %d, "answers": {"Q1.7": {"value": "Sverige", "comment": %q}}}`, v.Version, comment)
		req, _ := http.NewRequest("PUT", p.base+"/api/v1/s/"+link+"/answers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", "en")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	status := func(path string) int {
		resp, err := http.Get(p.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code, body := save("före"); code != 200 {
		t.Fatalf("save with room: %d %s", code, body)
	}

	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	if got := status("/readyz"); got != 503 {
		t.Errorf("/readyz with the disk full: %d, want 503", got)
	}
	if got := status("/healthz"); got != 200 {
		t.Errorf("/healthz with the disk full: %d, want 200", got)
	}
	full := 0
	for i := range 20 { // SQLite may still have room in pages it holds; it runs out
		code, body := save(fmt.Sprintf("fullt %d", i))
		if code == 200 {
			continue
		}
		if code != 503 || !strings.Contains(body, "storage is full or read-only") {
			t.Fatalf("save with the disk full: %d %s", code, body)
		}
		full++
		t.Logf("with the disk full, save %d was refused: %d %.160s", i+1, code, body)
		break
	}
	if full == 0 {
		t.Error("20 saves went through on a full disk")
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); status("/readyz") != 200; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("/readyz not 200 after room was made")
		}
	}
	if code, body := save("efter"); code != 200 {
		t.Fatalf("save once there is room again: %d %s", code, body)
	}
	var view struct {
		Answers map[string]struct{ Comment string }
	}
	if err := getJSON(http.DefaultClient, p.base+"/api/v1/s/"+link, &view); err != nil || view.Answers["Q1.7"].Comment != "efter" {
		t.Errorf("after the disk was full: %+v, %v", view.Answers["Q1.7"], err)
	}
	// The database is sound: saq backup checks the copy it makes.
	runCommand(t, bin, env, "", "backup", "--out", filepath.Join(t.TempDir(), "after-full.sqlite"))
	p.terminate(t)

	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	defer exec.Command("mount", "-o", "remount,rw", dir).Run()
	cmd := exec.Command(bin, "serve")
	cmd.Env = environ(map[string]string{"SAQ_DATA_DIR": env["SAQ_DATA_DIR"], "SAQ_ADDR": "127.0.0.1:0"})
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || !strings.Contains(out.String(), "read-only file system") {
			t.Errorf("start on a read-only data directory: %v, %q; want a failure saying read-only file system", err, out.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Errorf("the service started on a read-only data directory: %s", out.String())
	}
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
