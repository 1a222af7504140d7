package assessment_test

import (
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/scoring"
)

// "Vet inte" opens an item to verify: it does not count against the
// supplier until a reviewer confirms it, and then with its requirement's
// severity.
func TestItemsToVerify(t *testing.T) {
	s := newService(t)
	_, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, s, token)
	a, _ := s.ForSupplier(ctx, token)
	in := map[string]assessment.Input{}
	for _, id := range []string{"Q5.2", "Q4.5", "Q4.6", "Q5.14"} {
		in[id] = assessment.Input{Value: "unknown", HasValue: true}
	}
	if _, err := s.SaveAnswers(ctx, token, a.Version, in); err != nil {
		t.Fatal(err)
	}
	a, err = s.Submit(ctx, token, "ip")
	if err != nil {
		t.Fatal(err)
	}
	verify := map[string]*assessment.Deviation{}
	for i, d := range a.Deviations {
		if d.Verify {
			verify[d.Question] = &a.Deviations[i]
		}
	}
	if len(verify) != 4 || verify["Q5.2"] == nil || verify["Q5.2"].Severity != "critical" || verify["Q5.2"].Requirement != "LR-FORCED" {
		t.Fatalf("items to verify: %+v", verify)
	}
	if a.Risk.Inputs.Critical || a.Score.Uncapped != nil {
		t.Errorf("an unconfirmed item counted as critical: %+v, uncapped %v", a.Risk.Inputs, a.Score.Uncapped)
	}
	majors := a.Risk.Inputs.Majors
	if _, err := s.StartReview(ctx, coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
	a, err = s.Decide(ctx, coordinator, "ip", a.ID, verify["Q5.2"].ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Risk.Inputs.Critical || a.Risk.Rating != "high" {
		t.Errorf("a confirmed critical item: %+v", a.Risk)
	}
	a, err = s.Decide(ctx, coordinator, "ip", a.ID, verify["Q5.14"].ID, false, "Nödutgångarna sågs olåsta vid besöket.")
	if err != nil || a.Risk.Inputs.Majors != majors {
		t.Errorf("a dismissed item: majors %d, want %d (%v)", a.Risk.Inputs.Majors, majors, err)
	}
}

// The desk audit's verdicts make the verified score; a refused verdict
// changes nothing.
func TestJudge(t *testing.T) {
	s := newService(t)
	a := issueAndSubmit(t, s, validIssue)
	if a.Score.Verified != nil {
		t.Fatalf("verified before any verdict: %v", *a.Score.Verified)
	}
	refused := []struct {
		name string
		in   []assessment.VerdictInput
		code apperr.Code
	}{
		{"no verdicts", nil, apperr.Invalid},
		{"not verified without a note", []assessment.VerdictInput{{Requirement: "DD-POLICY", Verdict: scoring.NotVerified}}, apperr.Invalid},
		{"unknown verdict", []assessment.VerdictInput{{Requirement: "DD-POLICY", Verdict: "perhaps"}}, apperr.Invalid},
		{"unknown requirement", []assessment.VerdictInput{{Requirement: "XX-1", Verdict: scoring.Verified}}, apperr.Invalid},
	}
	for _, tt := range refused {
		if _, err := s.Judge(ctx, coordinator, "ip", a.ID, tt.in); codeOf(err) != tt.code {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if got, _ := s.Get(ctx, coordinator, a.ID); got.Status != assessment.Submitted || len(got.Verdicts) != 0 {
		t.Fatalf("a refused verdict changed the follow-up: %s, %+v", got.Status, got.Verdicts)
	}
	var all []assessment.VerdictInput
	for id, r := range a.Score.Requirements {
		if r.Max > 0 {
			all = append(all, assessment.VerdictInput{Requirement: id, Verdict: scoring.Verified})
		}
	}
	a, err := s.Judge(ctx, coordinator, "ip", a.ID, all)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != assessment.InReview || a.Score.Verified == nil || *a.Score.Verified != *a.Score.Total {
		t.Fatalf("all verified: %s, claimed %v, verified %v", a.Status, *a.Score.Total, a.Score.Verified)
	}
	for i := range all {
		all[i].Verdict, all[i].Note = scoring.NotVerified, "Inga intyg."
	}
	a, err = s.Judge(ctx, coordinator, "ip", a.ID, all)
	if err != nil {
		t.Fatal(err)
	}
	if *a.Score.Verified != 0 || a.Risk.Inputs.Verified == nil || *a.Risk.Inputs.Verified != *a.Score.Verified {
		t.Errorf("nothing verified: claimed %v, verified %v, risk input %v", *a.Score.Total, *a.Score.Verified, a.Risk.Inputs.Verified)
	}
	if v, ok := a.VerdictOn("LR-FORCED"); !ok || v.Note != "Inga intyg." || v.By != coordinator.Email {
		t.Errorf("verdict kept as %+v", v)
	}
	if last := a.Trail[len(a.Trail)-1]; last.Action != "evidence_judged" || len(last.Changes) != len(all)+1 || last.Changes[len(all)].After != "0.0" {
		t.Errorf("trail: %+v", last)
	}
}
