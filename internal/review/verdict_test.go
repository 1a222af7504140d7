package review_test

import (
	"fmt"
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/scoring"
)

// "Vet inte" opens an item to verify: it does not count against the
// supplier until a reviewer confirms it, and then as a gap in the routine
// requirement that should have found it out (the follow-up of the supply
// chain), counted in the score; a reviewer who finds more moves it, with a
// reason, to the requirement it turns out to be.
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
	in["M7.2"] = assessment.Input{Value: "no", HasValue: true} // no recruitment fees: no critical
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
	if len(verify) != 4 || verify["Q5.2"] == nil || verify["Q5.2"].Severity != "major" || verify["Q5.2"].Requirement != "DD-FOLLOW-UP" {
		t.Fatalf("items to verify: %+v", verify)
	}
	if a.Risk.Inputs.Critical || a.Score.Uncapped != nil {
		t.Errorf("an unconfirmed item counted as critical: %+v, uncapped %v", a.Risk.Inputs, a.Score.Uncapped)
	}
	majors, claimed := a.Risk.Inputs.Majors, *a.Score.Total
	if _, err := s.StartReview(ctx, coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
	a, err = s.Decide(ctx, coordinator, "ip", a.ID, verify["Q5.2"].ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Risk.Inputs.Critical || a.Risk.Inputs.Majors != majors+1 || *a.Score.Total > claimed || a.Score.Requirements["DD-FOLLOW-UP"].Status != scoring.NotMet {
		t.Errorf("a confirmed gap: %+v, score %v (was %v), DD-FOLLOW-UP %s", a.Risk.Inputs, *a.Score.Total, claimed, a.Score.Requirements["DD-FOLLOW-UP"].Status)
	}
	// A second gap in the same requirement counts once toward the risk.
	a, err = s.Decide(ctx, coordinator, "ip", a.ID, verify["Q4.5"].ID, true, "")
	if err != nil || a.Risk.Inputs.Majors != majors+1 {
		t.Errorf("a second gap in DD-FOLLOW-UP: majors %d, want %d (%v)", a.Risk.Inputs.Majors, majors+1, err)
	}

	// Moving needs a reason, a requirement of the version, and a new one.
	for _, tt := range []struct{ requirement, reason, field string }{
		{"LR-FORCED", " ", "reason"},
		{"LR-NOPE", "Tvångsarbete vid besöket.", "requirement"},
		{"DD-FOLLOW-UP", "Tvångsarbete vid besöket.", "requirement"},
	} {
		_, err := s.MoveDeviation(ctx, coordinator, "ip", a.ID, verify["Q5.2"].ID, tt.requirement, tt.reason)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
			t.Errorf("move to %q with %q: %v, want a problem with %s", tt.requirement, tt.reason, err, tt.field)
		}
	}
	a, err = s.MoveDeviation(ctx, coordinator, "ip", a.ID, verify["Q5.2"].ID, "LR-FORCED", "Revisionen på plats fann skuldslaveri.")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := a.Deviation(verify["Q5.2"].ID)
	if d.Requirement != "LR-FORCED" || d.Severity != "critical" || d.MovedFrom != "DD-FOLLOW-UP" || d.MoveReason == "" {
		t.Errorf("moved: %+v", d)
	}
	if !a.Risk.Inputs.Critical || a.Risk.Rating != "high" || *a.Score.Total != scoring.CriticalCap {
		t.Errorf("moved to forced labour: %+v, score %v", a.Risk, *a.Score.Total)
	}
	if last := a.Trail[len(a.Trail)-1]; last.Action != assessment.ActDeviationMoved || last.Changes[0].Before != "DD-FOLLOW-UP major" ||
		last.Changes[0].After != "LR-FORCED critical: Revisionen på plats fann skuldslaveri." || len(last.Changes) != 2 || last.Changes[1] != (assessment.Change{Field: "score", Before: fmt.Sprintf("%.1f", claimed), After: "49.0"}) {
		t.Errorf("trail: %+v", last)
	}
	// Moved back, it is as raised; a dismissed item counts for nothing.
	a, err = s.MoveDeviation(ctx, coordinator, "ip", a.ID, d.ID, "DD-FOLLOW-UP", "Fel krav valdes.")
	if d, _ = a.Deviation(d.ID); err != nil || d.MovedFrom != "" || a.Risk.Inputs.Critical {
		t.Errorf("moved back: %+v %+v %v", d, a.Risk.Inputs, err)
	}
	a, err = s.Decide(ctx, coordinator, "ip", a.ID, verify["Q5.14"].ID, false, "Nödutgångarna sågs olåsta vid besöket.")
	if err != nil || a.Risk.Inputs.Majors != majors+1 {
		t.Errorf("a dismissed item: majors %d, want %d (%v)", a.Risk.Inputs.Majors, majors+1, err)
	}
}

func TestJudge(t *testing.T) {
	s := newService(t)
	a := issueAndSubmit(t, s, validIssue)
	if a.Score.Verified != nil {
		t.Fatalf("verified before any verdict: %v", *a.Score.Verified)
	}
	refused := []struct {
		name string
		in   []review.VerdictInput
		code apperr.Code
	}{
		{"no verdicts", nil, apperr.Invalid},
		{"not verified without a note", []review.VerdictInput{{Requirement: "DD-POLICY", Verdict: scoring.NotVerified}}, apperr.Invalid},
		{"unknown verdict", []review.VerdictInput{{Requirement: "DD-POLICY", Verdict: "perhaps"}}, apperr.Invalid},
		{"unknown requirement", []review.VerdictInput{{Requirement: "XX-1", Verdict: scoring.Verified}}, apperr.Invalid},
	}
	for _, tt := range refused {
		if _, err := s.Judge(ctx, coordinator, "ip", a.ID, tt.in); codeOf(err) != tt.code {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if got, _ := s.Get(ctx, coordinator, a.ID); got.Status != assessment.Submitted || len(got.Verdicts) != 0 {
		t.Fatalf("a refused verdict changed the follow-up: %s, %+v", got.Status, got.Verdicts)
	}
	var all []review.VerdictInput
	for id, r := range a.Score.Requirements {
		if r.Max > 0 {
			all = append(all, review.VerdictInput{Requirement: id, Verdict: scoring.Verified})
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
