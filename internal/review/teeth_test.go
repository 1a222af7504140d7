package review_test

import (
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/review"
)

// fields names the problems of an Invalid error, "" when err is another.
func fields(err error) map[string]string {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		return nil
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Message["sv"]
	}
	return out
}

// underReview issues, answers and submits a follow-up with one critical
// deviation confirmed (recruitment fees, Q4.5) and one major (no risk
// analysis, Q3.2), and asks for the plan.
func underReview(t *testing.T, s services) (a *assessment.Assessment, token string, critical, major *assessment.Deviation) {
	t.Helper()
	_, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, s, token)
	a, _ = s.ForSupplier(ctx, token)
	if _, err := s.SaveAnswers(ctx, token, a.Version, map[string]assessment.Input{
		"Q3.2": {Value: "no", HasValue: true}, "M7.2": {Value: "no", HasValue: true},
	}); err != nil {
		t.Fatal(err)
	}
	if a, err = s.Submit(ctx, token, "ip"); err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Deviations {
		confirm := d.Question == "Q4.5" || d.Question == "Q3.2"
		if a, err = s.Decide(ctx, coordinator, "ip", a.ID, d.ID, confirm, "Styrkt vid granskningen."); err != nil {
			t.Fatal(err)
		}
	}
	if a, err = s.RequestPlan(ctx, coordinator, "ip", a.ID, "Föreslå åtgärder."); err != nil {
		t.Fatal(err)
	}
	for i := range a.Deviations {
		switch d := &a.Deviations[i]; d.Question {
		case "Q4.5":
			critical = d
		case "Q3.2":
			major = d
		}
	}
	if critical == nil || critical.Severity != questionnaire.Critical || major == nil || major.Severity != questionnaire.Major {
		t.Fatalf("deviations: %+v", a.Deviations)
	}
	return a, token, critical, major
}

// The plan is due within the organisation's days, and an action within
// the days its deviation's severity allows, counted from the request; it
// names at least one milestone, and a critical one an immediate action.
func TestActionsWithTeeth(t *testing.T) {
	s := newService(t)
	a, token, critical, major := underReview(t, s)
	days := s.Deadlines()
	if want := a.PlanRequestedAt.AddDate(0, 0, days.Plan).Format("2006-01-02"); a.PlanDue() != want {
		t.Errorf("plan due %q, want %q", a.PlanDue(), want)
	}
	day := func(n int) string { return a.PlanRequestedAt.AddDate(0, 0, n).Format("2006-01-02") }
	good := assessment.ActionInput{
		Description: "Återbetala avgifterna", RootCause: "Rekryteringsbyrån tog avgifter", Immediate: "Avgifterna stoppas i dag",
		Remedy: "Avgifterna betalas tillbaka", Prevention: "Ny rutin för byråer", Owner: "Anna Ek",
		DueDate: day(days.Action["critical"]), Milestones: []assessment.MilestoneInput{{Date: day(14), What: "Återbetalning påbörjad"}},
	}
	tests := []struct {
		name  string
		dev   *assessment.Deviation
		edit  func(in *assessment.ActionInput)
		field string
	}{
		{"critical past its 30 days", critical, func(in *assessment.ActionInput) { in.DueDate = day(days.Action["critical"] + 1) }, "dueDate"},
		{"critical with no immediate action", critical, func(in *assessment.ActionInput) { in.Immediate = "Ingen." }, "immediate"},
		{"critical with none in English", critical, func(in *assessment.ActionInput) { in.Immediate = "none" }, "immediate"},
		{"no milestone", critical, func(in *assessment.ActionInput) { in.Milestones = nil }, "milestones.1.date"},
		{"major past its 90 days", major, func(in *assessment.ActionInput) { in.DueDate = day(days.Action["major"] + 1) }, "dueDate"},
	}
	for _, tt := range tests {
		in := good
		tt.edit(&in)
		_, err := s.ProposeAction(ctx, token, "ip", tt.dev.ID, in)
		if f := fields(err); f[tt.field] == "" || len(f) != 1 {
			t.Errorf("%s: %v, want one problem with %s", tt.name, f, tt.field)
		}
	}
	if f := fields(func() error {
		in := good
		in.DueDate = day(91)
		_, err := s.ProposeAction(ctx, token, "ip", critical.ID, in)
		return err
	}()); f["dueDate"] == "" ||
		!strings.Contains(f["dueDate"], "30 dagar") {
		t.Errorf("the deadline's message does not say the days: %v", f)
	}
	// A major may take "Ingen" as its immediate action and 90 days.
	in := good
	in.Immediate, in.DueDate = "Ingen", day(days.Action["major"])
	if _, err := s.ProposeAction(ctx, token, "ip", major.ID, in); err != nil {
		t.Errorf("a major with no immediate action, due on its last day: %v", err)
	}
	if _, err := s.ProposeAction(ctx, token, "ip", critical.ID, good); err != nil {
		t.Errorf("a good critical action: %v", err)
	}
}

// A deviation closes on evidence: a file the supplier reported with, or
// the reviewer's record of how it was verified; accepted, it needs a reason.
func TestCloseOnEvidence(t *testing.T) {
	s := newService(t)
	a, token, critical, major := underReview(t, s)
	day := func(n int) string { return a.PlanRequestedAt.AddDate(0, 0, n).Format("2006-01-02") }
	for _, d := range []*assessment.Deviation{critical, major} {
		if _, err := s.ProposeAction(ctx, token, "ip", d.ID, assessment.ActionInput{
			Description: "Åtgärd", RootCause: "Orsak", Immediate: "Stoppat i dag", Remedy: "Gottgjort", Prevention: "Rutin",
			Owner: "Anna Ek", DueDate: day(30), Milestones: []assessment.MilestoneInput{{Date: day(14), What: "Lägesrapport"}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ProposePlan(ctx, token, "ip"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AgreePlan(ctx, coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
	// No file and no record: refused, and nothing changes.
	if f := fields(func() error {
		_, err := s.SettleDeviation(ctx, coordinator, "ip", a.ID, critical.ID, review.SettleInput{Note: "Ser bra ut."})
		return err
	}()); f["method"] == "" {
		t.Errorf("closed without evidence: %v", f)
	}
	for name, in := range map[string]review.SettleInput{
		"unknown method": {Method: "phone", VerifiedBy: "Kim", VerifiedOn: "2026-11-20"},
		"no one":         {Method: assessment.VerifiedOnSite, VerifiedOn: "2026-11-20"},
		"in the future":  {Method: assessment.VerifiedOnSite, VerifiedBy: "Kim", VerifiedOn: "2027-11-20"},
	} {
		if _, err := s.SettleDeviation(ctx, coordinator, "ip", a.ID, critical.ID, in); fields(err) == nil {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
	a, err := s.SettleDeviation(ctx, coordinator, "ip", a.ID, critical.ID, review.SettleInput{
		Method: assessment.VerifiedOnSite, VerifiedBy: "Kim Berg, Region Skåne", VerifiedOn: "2026-11-19", Note: "Lönelistor och intervjuer."})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := a.Deviation(critical.ID)
	if d.Status != assessment.DevClosed || d.Action.Verification == nil || d.Action.Verification.Method != assessment.VerifiedOnSite || d.Action.Verification.By != "Kim Berg, Region Skåne" {
		t.Errorf("closed: %+v %+v", d, d.Action.Verification)
	}
	// A report with a file is evidence enough.
	if _, err := s.ReportProgress(ctx, token, "ip", major.ID, "Riskanalysen är klar.", &followup.Upload{Name: "riskanalys.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SettleDeviation(ctx, coordinator, "ip", a.ID, major.ID, review.SettleInput{}); err != nil {
		t.Errorf("closed on a reported file: %v", err)
	}
}

// An audit finding keeps the catalogue's severity unless the reviewer
// says why, and may point at the answer it contradicts.
func TestFindingSeverity(t *testing.T) {
	s := newService(t)
	a, _, _, _ := underReview(t, s)
	base := review.FindingInput{Requirement: "LR-HOURS", Source: assessment.DeskAudit, Finding: "Tidrapporterna visar 70 timmar i veckan."}
	in := base
	in.Severity = questionnaire.Minor
	if f := fields(func() error { _, _, err := s.AddFinding(ctx, coordinator, "ip", a.ID, in); return err }()); f["severityReason"] == "" {
		t.Errorf("a minor finding on a major requirement without a reason: %v", f)
	}
	in = base
	in.Contradicts = "Q9.9"
	if f := fields(func() error { _, _, err := s.AddFinding(ctx, coordinator, "ip", a.ID, in); return err }()); f["contradicts"] == "" {
		t.Errorf("a finding pointing at no answer: %v", f)
	}
	in = base
	in.Contradicts = "Q5.10"
	_, d, err := s.AddFinding(ctx, coordinator, "ip", a.ID, in)
	if err != nil || d.Severity != questionnaire.Major || d.SeverityReason != "" || d.Contradicts != "Q5.10" {
		t.Errorf("the catalogue's severity: %+v %v", d, err)
	}
	in = base
	in.Severity, in.SeverityReason = questionnaire.Critical, "Övertiden är påtvingad under hot om uppsägning."
	if _, d, err = s.AddFinding(ctx, coordinator, "ip", a.ID, in); err != nil || d.Severity != questionnaire.Critical || d.SeverityReason == "" {
		t.Errorf("a graver severity with its reason: %+v %v", d, err)
	}
	got, _ := s.Get(ctx, coordinator, a.ID)
	if !got.Risk.Inputs.Critical || *got.Score.Total != 49 {
		t.Errorf("a critical finding does not count: %+v, score %v", got.Risk.Inputs, *got.Score.Total)
	}
}

// One root cause, one action: a deviation may be remedied by another's
// action, which then keeps the shortest deadline of the two; settling the
// action settles both, and dismissing its deviation frees the other.
func TestOneActionForSeveralDeviations(t *testing.T) {
	s := newService(t)
	a, token, critical, major := underReview(t, s)
	day := func(n int) string { return a.PlanRequestedAt.AddDate(0, 0, n).Format("2006-01-02") }
	action := assessment.ActionInput{Description: "Ny rutin för rekrytering och riskanalys", RootCause: "Ingen ansvarig för leverantörskedjan",
		Immediate: "Avgifterna stoppas i dag", Remedy: "Avgifterna betalas tillbaka", Prevention: "Rutinen följs upp årligen", Owner: "Anna Ek",
		DueDate: day(60), Milestones: []assessment.MilestoneInput{{Date: day(14), What: "Rutin antagen"}}}
	plan := map[string]assessment.ActionInput{major.ID: action, critical.ID: {SameAs: major.ID}}
	// The major's action remedies the critical too: it keeps the critical's 30 days.
	if f := fields(func() error { _, err := s.SavePlan(ctx, token, "ip", plan, true); return err }()); f[major.ID+".dueDate"] == "" {
		t.Errorf("an action covering a critical, due in 60 days: %v", f)
	}
	// A deviation cannot be covered by one that is itself covered, or by itself.
	for name, bad := range map[string]map[string]assessment.ActionInput{
		"a chain": {major.ID: {SameAs: critical.ID}, critical.ID: {SameAs: major.ID}},
		"itself":  {major.ID: action, critical.ID: {SameAs: critical.ID}},
		"unknown": {major.ID: action, critical.ID: {SameAs: "nope"}},
	} {
		if f := fields(func() error { _, err := s.SavePlan(ctx, token, "ip", bad, false); return err }()); len(f) == 0 {
			t.Errorf("%s: saved", name)
		}
	}
	action.DueDate = day(30)
	plan[major.ID] = action
	a, err := s.SavePlan(ctx, token, "ip", plan, true)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := a.Deviation(critical.ID)
	if c.CoveredBy != major.ID || c.Action != nil || a.ActionFor(c) == nil || a.ActionFor(c).DueDate != day(30) {
		t.Fatalf("covered: %+v", c)
	}
	if a, err = s.AgreePlan(ctx, coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
	if got := len(a.OpenActions()); got != 1 {
		t.Errorf("%d open actions for the supplier, want the one", got)
	}
	// The covered deviation follows its action: settled with it, not alone.
	if _, err := s.SettleDeviation(ctx, coordinator, "ip", a.ID, critical.ID, review.SettleInput{Method: assessment.VerifiedAtDesk, VerifiedBy: "Kim", VerifiedOn: "2026-11-20"}); codeOf(err) != apperr.Conflict {
		t.Errorf("settled the covered deviation alone: %v", err)
	}
	a, err = s.SettleDeviation(ctx, coordinator, "ip", a.ID, major.ID, review.SettleInput{Method: assessment.VerifiedAtDesk, VerifiedBy: "Kim", VerifiedOn: "2026-11-20"})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ = a.Deviation(critical.ID); c.Status != assessment.DevClosed || a.LightOf(c, "2026-11-21") != assessment.Green {
		t.Errorf("the covered deviation after its action was verified: %s %s", c.Status, a.LightOf(c, "2026-11-21"))
	}
	if _, err := s.Close(ctx, coordinator, "ip", a.ID); err != nil {
		t.Errorf("close with both settled: %v", err)
	}
}
