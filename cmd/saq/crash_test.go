package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/loadgen"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/testsuite"
)

// TestCrash: 50 suppliers save through saq-load's mix while `saq serve` is
// killed with SIGKILL three times at random moments and started again on
// the same data. Afterwards every acknowledged save is there: no follow-up
// stands before its last acknowledged save, one that stands at it holds
// what was acknowledged, and every list row equals its document.
func TestCrash(t *testing.T) {
	testsuite.RequireFull(t, "the crash suite")
	if testing.Short() {
		t.Skip("kills and restarts the service")
	}
	const kills = 3
	bin := saqBinary(t)
	uri := serverUnderTest(t)
	db := fmt.Sprintf("crash_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	env := map[string]string{"MONGODB_URI": uri, "SAQ_DB_NAME": db, "SAQ_DATA_DIR": t.TempDir()}
	p := startProcess(t, bin, env)
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": p.databaseURI(t), "SAQ_DB_NAME": db})

	acks, wait := startLoad(t, loadgen.Config{Targets: []string{p.base}, Token: token, Suppliers: 50,
		Requests: 1 << 30, Duration: 40 * time.Second, Mix: loadgen.Mix{Save: 80, List: 10, Report: 10}})
	// Each kill comes after a number of acknowledged saves the seed draws:
	// SAQ_CRASH_SEED replays a run's kill points.
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SAQ_CRASH_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("SAQ_CRASH_SEED=%q: %v", v, err)
		}
	}
	t.Logf("seed %d: SAQ_CRASH_SEED=%d replays the kill points", seed, seed)
	rnd := rand.New(rand.NewPCG(seed, 7))
	for i := range kills {
		at := acks.lines() + 20 + rnd.IntN(200)
		acks.waitLines(t, at)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.done
		t.Logf("kill %d after %d acknowledged saves", i+1, acks.lines())
		p = startProcess(t, bin, env)
	}
	res := wait()
	t.Logf("saq-load with %d kills:\n%s", kills, resultTable(res))

	st, err := store.Open(context.Background(), store.Options{URI: p.databaseURI(t), DBName: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	n, lost := lostAcks(t, st, acks.String())
	t.Logf("%d acknowledged saves, %d kills, %d lost", n, kills, len(lost))
	for _, l := range lost {
		t.Error(l)
	}
	if n == 0 {
		t.Error("no save was acknowledged")
	}
	// The check finds a save that is not there: one acknowledged after the
	// last, and one whose comment differs from what stands.
	id := strings.SplitN(acks.String(), " ", 2)[0]
	a, err := st.Assessments().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, forged := range []string{id + " 99999 never saved\n", fmt.Sprintf("%s %d not this\n", id, a.Version)} {
		if _, lost := lostAcks(t, st, forged); len(lost) != 1 {
			t.Errorf("forged acknowledgement %q: %d found lost, want 1: %q", forged, len(lost), lost)
		}
	}
	listsMatchDocuments(t, st)
}

// startLoad runs saq-load with cfg in the background, writing down every
// acknowledged save, and returns once the first is acknowledged; wait
// gives the load's result once it has stopped by itself.
func startLoad(t *testing.T, cfg loadgen.Config) (acks *syncBuffer, wait func() loadgen.Result) {
	t.Helper()
	acks = &syncBuffer{}
	cfg.Acks = acks
	done := make(chan error, 1)
	var res loadgen.Result
	go func() {
		var err error
		res, err = loadgen.Run(context.Background(), cfg)
		done <- err
	}()
	for acks.String() == "" { // the follow-ups are issued and saves are acknowledged
		select {
		case err := <-done:
			t.Fatalf("the load stopped before any save: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return acks, func() loadgen.Result {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return res
	}
}

// lostAcks checks the acknowledged saves ("id version comment" a line)
// against what stands: no follow-up before its last acknowledged version,
// and one that stands at that version with that save's comment on Q1.7
// (a later save, acknowledged or cut off by a kill, may have changed it).
// It returns how many acknowledgements it read and what it did not find.
func lostAcks(t *testing.T, st *store.Store, acks string) (n int, lost []string) {
	t.Helper()
	ctx := context.Background()
	type ack struct {
		version int64
		comment string
	}
	last := map[string]ack{}
	sc := bufio.NewScanner(strings.NewReader(acks))
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), " ", 3)
		v, _ := strconv.ParseInt(parts[1], 10, 64)
		n++
		if v >= last[parts[0]].version {
			last[parts[0]] = ack{v, parts[2]}
		}
	}
	for id, l := range last {
		a, err := st.Assessments().Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case a.Version < l.version:
			lost = append(lost, fmt.Sprintf("%s stands at version %d, before its acknowledged version %d", id, a.Version, l.version))
		case a.Version == l.version && a.Answers["Q1.7"].Comment != l.comment:
			lost = append(lost, fmt.Sprintf("%s version %d holds %q, not the acknowledged %q", id, a.Version, a.Answers["Q1.7"].Comment, l.comment))
		}
	}
	return n, lost
}

// listsMatchDocuments checks that every follow-up's list row, as the list
// reads it, equals what its document makes of it.
func listsMatchDocuments(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	rows, err := st.Assessments().Summaries(ctx, assessment.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		a, err := st.Assessments().Get(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := assessment.Summarize(a); !reflect.DeepEqual(row, want) {
			t.Errorf("%s: list row %+v\ndocument %+v", row.ID, row, want)
		}
	}
	t.Logf("%d list rows equal their documents", len(rows))
}

func TestTerminate(t *testing.T) {
	testsuite.RequireFull(t, "the crash suite")
	if testing.Short() {
		t.Skip("starts the service")
	}
	bin := saqBinary(t)
	db := fmt.Sprintf("term_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	uri := serverUnderTest(t)
	p := startProcess(t, bin, map[string]string{"MONGODB_URI": uri, "SAQ_DB_NAME": db, "SAQ_DATA_DIR": t.TempDir()})
	token := coordinatorToken(t, bin, map[string]string{"MONGODB_URI": p.databaseURI(t), "SAQ_DB_NAME": db})
	link := issueLink(t, p.base, token)

	// A save whose body is still on its way when the signal comes.
	conn, err := net.Dial("tcp", p.env["SAQ_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"version": 1, "answers": {"Q1.7": {"value": "Sverige", "comment": "sparad under avstängning"}}}`
	// With "Expect: 100-continue" the server says when it has read the
	// headers: the request is then in flight.
	fmt.Fprintf(conn, "PUT /api/v1/s/%s/answers HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		link, p.env["SAQ_ADDR"], len(body))
	reader := bufio.NewReader(conn)
	if line, err := reader.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("the server did not take the request's headers: %q %v", line, err)
	}
	if _, err := reader.ReadString('\n'); err != nil { // the blank line after it
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	refused := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !refused; time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", p.env["SAQ_ADDR"])
		if err != nil {
			refused = errors.Is(err, syscall.ECONNREFUSED)
			continue
		}
		c.Close()
	}
	if !refused {
		t.Error("new connections still accepted 5 s after SIGTERM")
	}
	if _, err := conn.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatalf("the save in flight got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("the save in flight got %d, want 200", resp.StatusCode)
	}
	p.terminate(t)
}

// issueLink issues a follow-up through the API with a coordinator's token
// and returns its supplier link's token.
func issueLink(t *testing.T, base, token string) string {
	t.Helper()
	body := fmt.Sprintf(`{"supplier": {"name": "Avslut AB", "orgNumber": "556677-8899", "country": "SE", "contactName": "A", "contactEmail": "a@avslut.se"},
		"contractRef": "AVT-1", "riskArea": "gloves", "questionnaire": "code-of-conduct", "language": "sv", "dueDate": %q}`,
		time.Now().AddDate(0, 2, 0).Format(time.DateOnly))
	req, _ := http.NewRequest("POST", base+"/api/v1/assessments", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct{ Link string }
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 201 {
		t.Fatalf("issue: %d %v", resp.StatusCode, err)
	}
	return a.Link[strings.LastIndex(a.Link, "/")+1:]
}
