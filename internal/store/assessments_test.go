package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

func sampleAssessment(id string) *assessment.Assessment {
	return &assessment.Assessment{
		ID: id, Version: 1, Region: "skane", RiskArea: "gloves", Status: assessment.Issued,
		Supplier:        assessment.Supplier{Name: "Handskfabriken AB", OrgNumber: "556000-0001", Country: "MY"},
		QuestionnaireID: "code-of-conduct", QuestionnaireVersion: 1, Level: "basic", Language: "sv",
		DueDate: "2027-01-31", TokenHash: "hash-" + id, IssuedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Answers: assessment.Answers{"Q1.7": {Text: "Malaysia", Comment: "två fabriker"}},
	}
}

func TestAssessmentRoundTrip(t *testing.T) {
	r := storetest.New(t).Assessments()
	a := sampleAssessment("a1")
	n := 12.5
	a.Answers["Q1.3"] = assessment.Answer{Number: &n}
	a.Answers["Q1.5"] = assessment.Answer{Choices: []string{"agency", "migrant"}}
	if err := r.Insert(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := r.Get(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers["Q1.7"].Comment != "två fabriker" || *got.Answers["Q1.3"].Number != 12.5 || len(got.Answers["Q1.5"].Choices) != 2 || got.Supplier.Country != "MY" {
		t.Errorf("read back %+v", got)
	}
	if id, err := r.ByToken(ctx, "hash-a1"); err != nil || id != "a1" {
		t.Errorf("by token: %q %v", id, err)
	}
	if _, err := r.ByToken(ctx, "nope"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	list, err := r.Summaries(ctx, assessment.Filter{Region: "skane"})
	if err != nil || len(list) != 1 || list[0].SupplierName != "Handskfabriken AB" || list[0].Country != "MY" {
		t.Errorf("summaries = %+v, %v", list, err)
	}
}

// Concurrent writers to one assessment each add an answer; none may be lost,
// and the version counts every write.
func TestUpdateUnderConcurrentWriters(t *testing.T) {
	r := storetest.New(t).Assessments()
	if err := r.Insert(ctx, sampleAssessment("c1")); err != nil {
		t.Fatal(err)
	}
	const writers = 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Update(ctx, "c1", func(a *assessment.Assessment) error {
				a.Answers[fmt.Sprintf("W%02d", i)] = assessment.Answer{Text: "x"}
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("writer: %v", err)
		}
	}
	got, err := r.Get(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Answers) != writers+1 || got.Version != writers+1 {
		t.Errorf("%d answers at version %d, want %d at %d", len(got.Answers), got.Version, writers+1, writers+1)
	}
}

// TestUpdateAcrossInstances: writers on two instances (two connections, as
// two processes of the service have) change one assessment at once. Every
// write acknowledged is in the result, each version made exactly once.
func TestUpdateAcrossInstances(t *testing.T) {
	a := storetest.New(t)
	b := storetest.Instance(t, a)
	if err := a.Assessments().Insert(ctx, sampleAssessment("x1")); err != nil {
		t.Fatal(err)
	}
	const writers = 25
	writeFromBoth(t, a, b, "x1", writers, func(i int, x *assessment.Assessment) {
		x.Answers[fmt.Sprintf("W%02d", i)] = assessment.Answer{Text: fmt.Sprint(i)}
	})
	for _, repo := range []*store.Assessments{a.Assessments(), b.Assessments()} {
		got, err := repo.Get(ctx, "x1")
		if err != nil {
			t.Fatal(err)
		}
		for i := range writers {
			if got.Answers[fmt.Sprintf("W%02d", i)].Text != fmt.Sprint(i) {
				t.Errorf("writer %d's acknowledged answer is lost", i)
			}
		}
		if got.Version != writers+1 {
			t.Errorf("version %d, want %d", got.Version, writers+1)
		}
	}
}

// A writer stalled between its read and its write, however long (here
// until three other writes have landed, or on the embedded engine, whose
// lock holds them back, until it is let go), loses nothing and overwrites
// nothing: its write is conditional on what it read, so it reads again.
func TestStalledWriterOverwritesNothing(t *testing.T) {
	s := storetest.New(t)
	other := storetest.Instance(t, s).Assessments()
	r := s.Assessments()
	if err := r.Insert(ctx, sampleAssessment("st1")); err != nil {
		t.Fatal(err)
	}
	read, release := make(chan struct{}), make(chan struct{})
	stalled := make(chan error, 1)
	calls := 0
	go func() {
		_, err := r.Update(ctx, "st1", func(a *assessment.Assessment) error {
			if calls++; calls == 1 {
				close(read)
				<-release // the stall: read, not yet written
			}
			a.Answers["STALLED"] = assessment.Answer{Text: fmt.Sprintf("seen at version %d", a.Version)}
			return nil
		})
		stalled <- err
	}()
	<-read
	others := make(chan error, 1)
	go func() {
		for i := range 3 {
			if _, err := other.Update(ctx, "st1", func(a *assessment.Assessment) error {
				a.Answers[fmt.Sprintf("OTHER%d", i)] = assessment.Answer{Text: "x"}
				return nil
			}); err != nil {
				others <- err
				return
			}
		}
		others <- nil
	}()
	if s.Embedded() {
		close(release) // the others wait for the lock
	} else {
		if err := <-others; err != nil {
			t.Fatal(err)
		}
		close(release)
	}
	if err := <-stalled; err != nil {
		t.Fatal(err)
	}
	if s.Embedded() {
		if err := <-others; err != nil {
			t.Fatal(err)
		}
	}
	got, err := r.Get(ctx, "st1")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"STALLED", "OTHER0", "OTHER1", "OTHER2"} {
		if got.Answers[q].Text == "" {
			t.Errorf("%s lost: %+v", q, got.Answers)
		}
	}
	if got.Version != 5 {
		t.Errorf("version %d after four writes, want 5", got.Version)
	}
	if !s.Embedded() && got.Answers["STALLED"].Text != "seen at version 4" {
		t.Errorf("the stalled writer wrote from what it read before the others: %q", got.Answers["STALLED"].Text)
	}
}

// Instances whose clocks differ by an hour write one follow-up at once:
// every write stands, each version made once. Nothing in a write reads a
// clock to decide whether it lands.
func TestClockSkewLosesNothing(t *testing.T) {
	a := storetest.New(t)
	b := storetest.Instance(t, a)
	if err := a.Assessments().Insert(ctx, sampleAssessment("sk1")); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	clocks := []time.Time{base, base.Add(time.Hour)} // b runs an hour ahead
	writeFromBoth(t, a, b, "sk1", 20, func(i int, x *assessment.Assessment) {
		now := clocks[i%2]
		x.UpdatedAt = now.Add(time.Duration(i) * time.Second)
		x.Answers[fmt.Sprintf("W%02d", i)] = assessment.Answer{Text: now.Format(time.TimeOnly)}
	})
	got, err := b.Assessments().Get(ctx, "sk1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Answers) != 21 || got.Version != 21 {
		t.Errorf("%d answers at version %d, want 21 at 21", len(got.Answers), got.Version)
	}
}

// writeFromBoth runs writers updates of id at once, alternately on a and
// b, each making change(i), and checks that each version was made once.
func writeFromBoth(t *testing.T, a, b *store.Store, id string, writers int, change func(i int, x *assessment.Assessment)) {
	t.Helper()
	var wg sync.WaitGroup
	versions := make(chan int64, writers)
	for i := range writers {
		repo := []*store.Store{a, b}[i%2].Assessments()
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := repo.Update(ctx, id, func(x *assessment.Assessment) error { change(i, x); return nil })
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
				return
			}
			versions <- got.Version
		}()
	}
	wg.Wait()
	close(versions)
	seen := map[int64]bool{}
	for v := range versions {
		if seen[v] {
			t.Errorf("version %d made twice", v)
		}
		seen[v] = true
	}
}

func TestUpdateAbortsOnChangeError(t *testing.T) {
	r := storetest.New(t).Assessments()
	r.Insert(ctx, sampleAssessment("u1"))
	stop := errors.New("no")
	if _, err := r.Update(ctx, "u1", func(a *assessment.Assessment) error { a.Status = "closed"; return stop }); !errors.Is(err, stop) {
		t.Fatalf("got %v", err)
	}
	got, _ := r.Get(ctx, "u1")
	if got.Status != assessment.Issued || got.Version != 1 {
		t.Errorf("aborted update changed %+v", got)
	}
	if _, err := r.Update(ctx, "missing", func(*assessment.Assessment) error { return nil }); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

// Summaries follow every change, read by the instance that wrote it or by
// another one, and a database without them gets them written at start.
func TestSummaries(t *testing.T) {
	for _, other := range []bool{false, true} {
		t.Run(fmt.Sprintf("other=%v", other), func(t *testing.T) {
			s := storetest.New(t)
			w, r := s.Assessments(), s.Assessments()
			if other {
				r = storetest.Instance(t, s).Assessments()
			}
			w.Insert(ctx, sampleAssessment("o1"))
			b := sampleAssessment("o2")
			b.Supplier.OrgNumber = "999"
			w.Insert(ctx, b)
			list, err := r.Summaries(ctx, assessment.Filter{OrgNumber: "999"})
			if err != nil || len(list) != 1 || list[0].ID != "o2" {
				t.Fatalf("by org number: %+v %v", list, err)
			}
			if _, err := w.Update(ctx, "o2", func(a *assessment.Assessment) error {
				a.Status = assessment.Submitted
				a.Deviations = []assessment.Deviation{{ID: "d1", Requirement: "DD-POLICY", Area: "due-diligence", Severity: "major", Status: assessment.DevOpen}}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			list, _ = r.Summaries(ctx, assessment.Filter{Status: assessment.Submitted})
			if len(list) != 1 || list[0].ID != "o2" || len(list[0].Deviations) != 1 || list[0].Deviations[0].Severity != "major" {
				t.Fatalf("after update: %+v", list)
			}
			if list, _ = r.Summaries(ctx, assessment.Filter{Region: "skane", Status: assessment.Issued}); len(list) != 1 || list[0].ID != "o1" {
				t.Errorf("region and status: %+v", list)
			}
		})
	}
}

// A database from before the list lived in the follow-up's document: the
// list is written into each at start, and the collections that held it
// apart, with their copies of contact persons, are dropped.
func TestListsWrittenIntoOldAssessments(t *testing.T) {
	s := storetest.New(t)
	r := s.Assessments()
	for i := range 3 {
		if err := r.Insert(ctx, sampleAssessment(fmt.Sprintf("b%d", i))); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateRaw(ctx, "assessments", fmt.Sprintf("b%d", i), map[string]any{"$unset": map[string]any{"list": ""}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"assessment_summaries", "assessment_revisions", "summary_changes"} {
		if err := s.InsertRaw(ctx, c, map[string]any{"_id": "b0/2", "doc": map[string]any{"supplier": map[string]any{"contactName": "Åsa Old"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteRaw(ctx, "saq_meta", "lists"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	s.ForgetSummaries()
	if list, err := r.Summaries(ctx, assessment.Filter{Region: "skane"}); err != nil || len(list) != 3 || list[0].SupplierName != "Handskfabriken AB" {
		t.Errorf("lists after the upgrade: %+v, %v", list, err)
	}
	names, _ := s.CollectionNames(ctx)
	for _, c := range []string{"assessment_summaries", "assessment_revisions", "summary_changes"} {
		if slices.Contains(names, c) {
			t.Errorf("%s is still there", c)
		}
	}
}

// The annual figures read the follow-ups issued in one year (UTC), from
// the database's index on the server path.
func TestSummariesOfAYear(t *testing.T) {
	r := storetest.New(t).Assessments()
	for i, at := range []time.Time{
		time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		a := sampleAssessment(fmt.Sprintf("y%d", i))
		a.IssuedAt = at
		if err := r.Insert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	list, err := r.Summaries(ctx, assessment.Filter{Year: 2026})
	if err != nil || len(list) != 2 {
		t.Fatalf("2026: %d, %v; want y1 and y2", len(list), err)
	}
	for _, s := range list {
		if s.ID != "y1" && s.ID != "y2" {
			t.Errorf("2026 holds %s", s.ID)
		}
	}
}
