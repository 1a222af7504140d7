package followup_test

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/questionnaires"
)

var policy = []byte("%PDF-1.4\n1 0 obj << /Title (Uppförandekod) /ModDate (D:20250301090000) >> endobj\n%%EOF\n")

// submitted issues a follow-up of the sample supplier at level, answers
// it (Q2.1 yes, with the policy attached to Q2.2) and submits it.
func submitted(t *testing.T, s services, level questionnaire.Level) *assessment.Assessment {
	t.Helper()
	in := validIssue
	in.Level, in.ForceNew = level, true
	_, token, err := s.Issue(ctx, coordinator, "ip", in)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, s, token)
	a, _ := s.ForSupplier(ctx, token)
	if _, err := s.SaveAnswers(ctx, token, a.Version, map[string]assessment.Input{"Q2.1": {Value: "yes", HasValue: true}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Attach(ctx, token, "Q2.2", "Policy.pdf", policy); err != nil {
		t.Fatal(err)
	}
	a, _ = s.ForSupplier(ctx, token)
	if _, err := s.SaveAnswers(ctx, token, a.Version, map[string]assessment.Input{"Q2.3": {Value: "2025-03-01", HasValue: true}, "Q2.4": {Value: []any{"human-rights"}, HasValue: true}}); err != nil {
		t.Fatal(err)
	}
	a, err = s.Submit(ctx, token, "ip")
	if err != nil {
		t.Fatalf("submit the first: %v", err)
	}
	return a
}

// A returning supplier finds its last submission's answers and files,
// each marked until it confirms or changes it; it cannot submit before,
// and the trail records what was carried and what became of it.
func TestCarryForward(t *testing.T) {
	s, c := newServiceClock(t)
	first := submitted(t, s, questionnaire.Basic)

	c.T = c.T.AddDate(3, 1, 0) // past the reuse window: a new link, not a reuse
	in := validIssue
	in.DueDate = c.T.AddDate(0, 1, 0).Format(time.DateOnly)
	in.Supplier.OrgNumber = "5566778899" // the same company, written otherwise
	halland := &account.Principal{Email: "hal@halland.se", Role: account.Coordinator, Region: "halland"}
	next, token, err := s.Issue(ctx, halland, "ip", in)
	if err != nil || token == "" || next.ReusedFrom != "" {
		t.Fatalf("issue: %+v %v", next, err)
	}
	if len(next.Answers) != len(first.Answers) {
		t.Errorf("%d answers carried of %d", len(next.Answers), len(first.Answers))
	}
	for id, ans := range next.Answers {
		if !ans.Unconfirmed() || ans.Carry.From != first.ID || !ans.Carry.Submitted.Equal(first.SubmittedAt) || !ans.Same(withFiles(first.Answers[id], ans.Files)) {
			t.Errorf("%s carried as %+v", id, ans)
		}
	}
	// Nothing is answered until the supplier confirms or changes it.
	if next.Progress.Answered != 0 || next.Progress.Total != first.Progress.Total {
		t.Errorf("progress %+v, want 0 of %d", next.Progress, first.Progress.Total)
	}
	// The file is a copy: same content, a new id.
	files := next.Answers["Q2.2"].Files
	if len(files) != 1 || files[0] == first.Answers["Q2.2"].Files[0] || len(next.Evidence) != 1 || next.Evidence[0].Name != "Policy.pdf" ||
		!next.Evidence[0].UploadedAt.Equal(first.Evidence[0].UploadedAt) {
		t.Fatalf("evidence carried: %v %+v", files, next.Evidence)
	}
	// The carried policy is as old as it was: over two years by now.
	if aged := s.AgedEvidence(next); len(aged) != 1 || aged[0].Evidence.ID != files[0] || aged[0].Date != "2025-03-01" {
		t.Errorf("the stale-evidence rule on the carried file: %+v", aged)
	}
	if last := next.Trail[len(next.Trail)-1]; last.Action != "answers_carried" || last.Changes[0].After != first.ID {
		t.Errorf("trail: %+v", last)
	}

	// Submitting at once is refused, naming every carried answer.
	_, err = s.Submit(ctx, token, "ip")
	if e, _ := apperr.As(err); e == nil || len(e.Fields) != len(next.Answers) || !strings.Contains(e.Message["en"], "not confirmed") {
		t.Fatalf("submit unconfirmed: %v", err)
	}

	// Confirm one, change one, remove the carried file: each is no longer open.
	saved, err := s.SaveAnswers(ctx, token, next.Version, map[string]assessment.Input{
		"Q1.4": {Confirm: true}, "Q1.3": {Value: 7.0, HasValue: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := saved.Answers["Q1.4"].Carry; got == nil || got.State != questionnaire.Confirmed {
		t.Errorf("confirmed: %+v", got)
	}
	if got := saved.Answers["Q1.3"]; got.Carry == nil || got.Carry.State != questionnaire.Changed || *got.Number != 7 {
		t.Errorf("changed: %+v", got)
	}
	detached, err := s.Detach(ctx, token, files[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := detached.Answers["Q2.2"].Carry; got == nil || got.State != questionnaire.Changed {
		t.Errorf("file removed: %+v", got)
	}
	if _, data, err := s.File(ctx, first, first.Answers["Q2.2"].Files[0]); err != nil || string(data) != string(policy) {
		t.Errorf("removing the copy took the first follow-up's file: %v", err)
	}
	// Confirm the rest, as the page's "confirm all" does, and submit.
	rest := map[string]assessment.Input{}
	for _, id := range assessment.Unconfirmed(mustQ(t, s, detached), detached.Level, detached.Answers) {
		rest[id] = assessment.Input{Confirm: true}
	}
	rest["Q2.2"] = assessment.Input{Confirm: true} // no longer carried: nothing to confirm
	if _, err := s.SaveAnswers(ctx, token, detached.Version, rest); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Attach(ctx, token, "Q2.2", "Policy 2028.pdf", policy); err != nil {
		t.Fatal(err)
	}
	done, err := s.Submit(ctx, token, "ip")
	if err != nil {
		t.Fatalf("submit confirmed: %v", err)
	}
	last := done.Trail[len(done.Trail)-1]
	want := map[string]string{"carriedConfirmed": strconv.Itoa(len(next.Answers) - 2), "carriedChanged": "2"}
	for _, ch := range last.Changes {
		if w, ok := want[ch.Field]; ok && ch.After != w {
			t.Errorf("trail %s = %s, want %s", ch.Field, ch.After, w)
		}
		delete(want, ch.Field)
	}
	if len(want) != 0 {
		t.Errorf("the submission's trail lacks %v: %+v", want, last)
	}
}

func withFiles(a assessment.Answer, files []string) assessment.Answer { a.Files = files; return a }

func mustQ(t *testing.T, s services, a *assessment.Assessment) *questionnaire.Questionnaire {
	t.Helper()
	q, err := s.Questionnaire(a)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// What is not carried: questions the new level asks that the old did not,
// and questions whose meaning a later version changed (changed_in).
func TestCarryForwardLeavesOut(t *testing.T) {
	// Version 2 is version 1 with Q1.3 reworded in meaning.
	files := fstest.MapFS{}
	err := fs.WalkDir(questionnaires.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(questionnaires.Files, path)
		files[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v1 := string(files["code-of-conduct.v1.yaml"].Data)
	v2 := strings.Replace(strings.Replace(v1, "\nversion: 1\n", "\nversion: 2\n", 1), "      - id: Q1.3\n", "      - id: Q1.3\n        changed_in: 2\n", 1)
	files["code-of-conduct.v2.yaml"] = &fstest.MapFile{Data: []byte(v2)}
	set, err := questionnaire.LoadFS(files)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{T: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	st := storetest.New(t)
	s := newServices(assessment.Config{Repo: st.Assessments(), Files: st.Files(), Questionnaires: set, Org: dir, Now: c.Now})

	in := validIssue
	in.QuestionnaireVersion, in.ForceNew = 1, true
	first := issueAndSubmit(t, s, in)
	in.QuestionnaireVersion, in.Level = 2, questionnaire.Advanced
	next, _, err := s.Issue(ctx, coordinator, "ip", in)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := next.Answers["Q1.3"]; ok || first.Answers["Q1.3"].Empty() {
		t.Errorf("Q1.3 changed meaning in version 2 but was carried: %+v", next.Answers["Q1.3"])
	}
	if len(next.Answers) != len(first.Answers)-1 {
		t.Errorf("%d carried of %d", len(next.Answers), len(first.Answers))
	}
	q := mustQ(t, s, next)
	for id := range next.Answers {
		if qu, _ := q.Question(id); qu.Level != questionnaire.Basic {
			t.Errorf("%s (%s) carried from a basic submission", id, qu.Level)
		}
	}
	if missing := assessment.Missing(q, next.Level, next.Answers); len(missing) == 0 {
		t.Error("the advanced questions were filled in from nowhere")
	}
}
