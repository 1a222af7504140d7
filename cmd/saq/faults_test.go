package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/loadgen"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/testsuite"
)

// TestFaultsOnDocumentDB: 40 suppliers save through three `saq serve`
// processes on FerretDB 2 with DocumentDB, a cluster of the test's own,
// while faults are injected in turn: an instance killed with SIGKILL and
// started again, FerretDB killed with SIGKILL and started again, and
// PostgreSQL restarted at once (immediate mode: what a crash leaves). Then
// no acknowledged save is lost and every list row equals its document.
//
// It needs the scripts that build and start that server
// (SAQ_TEST_DOCUMENTDB names their folder, shared/documentdb); CI sets it.
func TestFaultsOnDocumentDB(t *testing.T) {
	testsuite.RequireFull(t, "the fault suite")
	scripts := os.Getenv("SAQ_TEST_DOCUMENTDB")
	if scripts == "" || testing.Short() {
		t.Skip("SAQ_TEST_DOCUMENTDB names the FerretDB 2 + DocumentDB scripts; not in -short mode")
	}
	c := startCluster(t, scripts)
	bin := saqBinary(t)
	db := fmt.Sprintf("faults_%d", os.Getpid())
	var procs []*process
	for range 3 {
		procs = append(procs, startProcess(t, bin, map[string]string{"MONGODB_URI": c.uri, "SAQ_DB_NAME": db, "SAQ_DATA_DIR": t.TempDir()}))
	}
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": c.uri, "SAQ_DB_NAME": db})
	var bases []string
	for _, p := range procs {
		bases = append(bases, p.base)
	}

	acks, wait := startLoad(t, loadgen.Config{Targets: bases, Token: token, Suppliers: 40,
		Requests: 1 << 30, Duration: 45 * time.Second, Mix: loadgen.Mix{Save: 80, List: 15, Report: 5}})
	faults := []struct {
		name   string
		inject func()
	}{
		{"SIGKILL of an instance", func() {
			p := procs[1]
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-p.done
			procs[1] = startProcess(t, bin, p.env) // on the same address
		}},
		{"SIGKILL of FerretDB", c.killFerretDB},
		{"immediate restart of PostgreSQL", c.restartPostgres},
	}
	for _, f := range faults {
		acks.waitLines(t, acks.lines()+100) // saves under way before each fault
		t.Logf("%s after %d acknowledged saves", f.name, acks.lines())
		f.inject()
	}
	res := wait()
	t.Logf("saq-load with %d faults:\n%s", len(faults), resultTable(res))

	st, err := store.Open(context.Background(), store.Options{URI: c.uri, DBName: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	n, lost := lostAcks(t, st, acks.String())
	t.Logf("%d acknowledged saves, %d faults, %d lost", n, len(faults), len(lost))
	for _, l := range lost {
		t.Error(l)
	}
	if n == 0 {
		t.Error("no save was acknowledged")
	}
	listsMatchDocuments(t, st)
}

// cluster is a FerretDB 2 + DocumentDB server of one test's own.
type cluster struct {
	t        *testing.T
	dir, uri string
}

// startCluster starts a cluster with the scripts' start.sh on free
// loopback ports, stopped with stop.sh when the test ends.
func startCluster(t *testing.T, scripts string) *cluster {
	t.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("saq-faults-%d", os.Getpid()))
	ports := freePorts(t, 2)
	out, err := exec.Command("bash", filepath.Join(scripts, "start.sh"), dir, strconv.Itoa(ports[0]), strconv.Itoa(ports[1])).CombinedOutput()
	t.Cleanup(func() { _ = exec.Command("bash", filepath.Join(scripts, "stop.sh"), dir).Run() })
	if err != nil {
		t.Fatalf("start.sh: %v\n%s", err, out)
	}
	fields := strings.Fields(string(out))
	if len(fields) < 1 || !strings.HasPrefix(fields[0], "mongodb://") {
		t.Fatalf("start.sh said %q", out)
	}
	return &cluster{t: t, dir: dir, uri: fields[0]}
}

// freePorts are n loopback ports free now.
func freePorts(t *testing.T, n int) []int {
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// killFerretDB kills FerretDB with SIGKILL and starts it again with the
// same command line, recording its new pid for stop.sh.
func (c *cluster) killFerretDB() {
	t := c.t
	pidFile := filepath.Join(c.dir, "ferretdb.pid")
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for syscall.Kill(pid, 0) == nil { // until it is gone (it is not our child: start.sh's)
		time.Sleep(20 * time.Millisecond)
	}
	log, err := os.OpenFile(filepath.Join(c.dir, "ferretdb.log"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go cmd.Wait()
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// restartPostgres restarts PostgreSQL in immediate mode: no checkpoint,
// recovery from the WAL at start, as after a crash.
func (c *cluster) restartPostgres() {
	out, err := exec.Command("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl",
		"-D", filepath.Join(c.dir, "pg", "data"), "-l", filepath.Join(c.dir, "pg", "log"), "-m", "immediate", "-w", "restart").CombinedOutput()
	if err != nil {
		c.t.Fatalf("restart PostgreSQL: %v\n%s", err, out)
	}
}
