package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/loadgen"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/testsuite"
)

// TestBackupUnderLoad: `saq backup` copies the embedded database while 20
// suppliers save through the running service; `saq restore` puts the copy
// into a new data directory, the service starts on it, and every save
// acknowledged before the backup began is there.
func TestBackupUnderLoad(t *testing.T) {
	testsuite.RequireFull(t, "backups under load")
	embeddedOnly(t, "backs up the embedded database, under load")
	bin := saqBinary(t)
	db := "saq"
	env := map[string]string{"SAQ_DB_NAME": db, "SAQ_DATA_DIR": t.TempDir()}
	p := startProcess(t, bin, env)
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": p.databaseURI(t), "SAQ_DB_NAME": db})

	acks := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		_, err := loadgen.Run(context.Background(), loadgen.Config{Targets: []string{p.base}, Token: token, Suppliers: 20,
			Requests: 1 << 30, Duration: 12 * time.Second, Mix: loadgen.Mix{Save: 90, Report: 10}, Acks: acks})
		done <- err
	}()
	acks.waitLines(t, 300)  // the load is well under way
	before := acks.String() // acknowledged before the backup begins
	file := filepath.Join(t.TempDir(), "saq-backup.sqlite")
	t.Log(strings.TrimSpace(runCommand(t, bin, env, "", "backup", "--out", file)))
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	restored := map[string]string{"SAQ_DB_NAME": db, "SAQ_DATA_DIR": t.TempDir()}
	t.Log(strings.TrimSpace(runCommand(t, bin, restored, "", "restore", file)))
	q := startProcess(t, bin, restored)
	st, err := store.Open(context.Background(), store.Options{URI: q.databaseURI(t), DBName: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	n, lost := lostAcks(t, st, before)
	t.Logf("%d saves acknowledged before the backup began, %d lost in the restored copy", n, len(lost))
	for _, l := range lost {
		t.Error(l)
	}
	if n == 0 {
		t.Error("no save was acknowledged before the backup")
	}
	q.terminate(t)
	p.terminate(t)
}

// TestBackupCommands: what backup and restore refuse, and say why.
func TestBackupCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the service")
	}
	bin := saqBinary(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.sqlite")
	if err := os.WriteFile(garbage, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "full")}
	p := startProcess(t, bin, full)
	p.terminate(t)
	backup := filepath.Join(dir, "b.sqlite")
	runCommand(t, bin, full, "", "backup", "--out", backup)

	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "none")}, []string{"backup", "--out", filepath.Join(dir, "x")}, `no database "saq"`},
		{full, []string{"backup", "--out", backup}, "already exists"},
		{full, []string{"backup"}, "usage: saq backup --out FILE"},
		{full, []string{"restore", backup}, "already holds a database"},
		{map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "new")}, []string{"restore", garbage}, "not a sound SQLite database"},
		{map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "new")}, []string{"restore", filepath.Join(dir, "missing")}, "no such file"},
		{map[string]string{"SAQ_DATA_DIR": filepath.Join(dir, "new")}, []string{"restore"}, "usage: saq restore FILE"},
		{map[string]string{"MONGODB_URI": "mongodb://127.0.0.1:1/"}, []string{"backup", "--out", filepath.Join(dir, "y")}, "mongodump"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = environ(c.env)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("saq %s: %v, %q; want a failure saying %q", strings.Join(c.args, " "), err, out, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new", "sqlite", "saq.sqlite")); err == nil {
		t.Error("a refused restore left a database behind")
	}
}
