package followup_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/followup/followuptest"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

var coordinator = followuptest.Coordinator

type (
	services = followuptest.Services
	clock    = followuptest.Clock
)

var (
	validIssue     = followuptest.ValidIssue
	codeOf         = followuptest.CodeOf
	answerAll      = followuptest.AnswerAll
	issueAndSubmit = followuptest.IssueAndSubmit
	reviewAndClose = followuptest.ReviewAndClose
	newServices    = followuptest.Wire
)

func newService(t *testing.T) services {
	s, _ := followuptest.New(t)
	return s
}

func newServiceClock(t *testing.T) (services, *clock) { return followuptest.New(t) }

func TestIssueRefusals(t *testing.T) {
	s := newService(t)
	tests := []struct {
		name  string
		edit  func(*followup.IssueInput)
		field string
	}{
		{"country", func(in *followup.IssueInput) { in.Supplier.Country = "Sweden" }, "supplier.country"},
		{"risk area", func(in *followup.IssueInput) { in.RiskArea = "toys" }, "riskArea"},
		{"questionnaire", func(in *followup.IssueInput) { in.Questionnaire = "nope" }, "questionnaire"},
		{"version", func(in *followup.IssueInput) { in.QuestionnaireVersion = 9 }, "questionnaire"},
		{"language", func(in *followup.IssueInput) { in.Language = "de" }, "language"},
		{"due date format", func(in *followup.IssueInput) { in.DueDate = "28/02/2027" }, "dueDate"},
		{"due date passed", func(in *followup.IssueInput) { in.DueDate = "2026-01-01" }, "dueDate"},
		{"org number", func(in *followup.IssueInput) { in.Supplier.OrgNumber = "$gt" }, "supplier.orgNumber"},
		{"org number check digit", func(in *followup.IssueInput) { in.Supplier.OrgNumber = "556677-8890" }, "supplier.orgNumber"},
		{"unknown country", func(in *followup.IssueInput) { in.Supplier.Country = "XX" }, "supplier.country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIssue
			tt.edit(&in)
			_, _, err := s.Issue(ctx, coordinator, "ip", in)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Errorf("error %v %+v, want one on %s", err, e, tt.field)
			}
		})
	}
	if _, _, err := s.Issue(ctx, &account.Principal{Role: account.Auditor}, "ip", validIssue); codeOf(err) != apperr.Forbidden {
		t.Errorf("auditor issuing: %v", err)
	}
}

func TestSupplierJourney(t *testing.T) {
	s := newService(t)
	a, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 || strings.Contains(a.TokenHash, token) || a.Region != "skane" || a.Supplier.Country != "SE" || a.Status != assessment.Issued {
		t.Fatalf("issued %+v with token %q", a, token)
	}

	if _, err := s.ForSupplier(ctx, strings.Repeat("A", 43)); codeOf(err) != apperr.NotFound {
		t.Errorf("unknown token: %v", err)
	}
	got, err := s.ForSupplier(ctx, token)
	if err != nil || got.ID != a.ID {
		t.Fatalf("for supplier: %v", err)
	}

	yes := assessment.Input{Value: "yes", HasValue: true}
	a2, err := s.SaveAnswers(ctx, token, 1, map[string]assessment.Input{"Q2.1": yes, "Q1.4": {Value: "own", HasValue: true}})
	if err != nil || a2.Version != 2 || a2.Status != assessment.InProgress || a2.Progress.Answered != 2 {
		t.Fatalf("save: %+v %v", a2, err)
	}
	// A second tab still on version 1 is refused and changes nothing.
	if _, err := s.SaveAnswers(ctx, token, 1, map[string]assessment.Input{"Q2.1": {Value: "no", HasValue: true}}); codeOf(err) != apperr.Conflict {
		t.Errorf("stale save: %v", err)
	}
	// One bad answer among good ones: nothing is saved, every problem is named.
	_, err = s.SaveAnswers(ctx, token, 2, map[string]assessment.Input{
		"Q2.5": yes, "Q9.9": yes, "Q5.10": {Value: "lots", HasValue: true}, "Q4.7": {Value: "advanced only", HasValue: true},
	})
	e, _ := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 3 || e.Fields[0].Field != "Q4.7" || e.Fields[2].Field != "Q9.9" {
		t.Fatalf("bad answers: %v %+v", err, e)
	}
	if now, _ := s.ForSupplier(ctx, token); now.Version != 2 || now.Answers["Q2.5"].Choice != "" {
		t.Errorf("a refused save changed the assessment: version %d", now.Version)
	}

	_, err = s.Submit(ctx, token, "ip")
	e, _ = apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) == 0 || !strings.Contains(e.Message["en"], "required questions are unanswered") {
		t.Fatalf("submit with missing answers: %v", err)
	}

	answerAll(t, s, token)
	sub, err := s.Submit(ctx, token, "ip")
	if err != nil || sub.Status != assessment.Submitted || sub.SubmittedAt.IsZero() {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	if _, err := s.Submit(ctx, token, "ip"); codeOf(err) != apperr.Conflict {
		t.Errorf("submit twice: %v", err)
	}
	if _, err := s.SaveAnswers(ctx, token, sub.Version, map[string]assessment.Input{"Q2.1": yes}); codeOf(err) != apperr.Conflict {
		t.Errorf("save after submit: %v", err)
	}
}

// A reviewed submission is reused for a follow-up of the same or a risk
// area it covers, at the same or a lower level, within the window; one
// nobody has reviewed is only carried forward, for the supplier to confirm.
func TestReuseOfRecentSubmission(t *testing.T) {
	s, c := newServiceClock(t)
	first := issueAndSubmit(t, s, validIssue) // gloves: high, with the cotton and palm-oil module

	halland := &account.Principal{Email: "hal@halland.se", Role: account.Coordinator, Region: "halland"}
	c.T = c.T.AddDate(1, 0, 0)
	issue := func(riskArea string, level questionnaire.Level) *assessment.Assessment {
		t.Helper()
		in := validIssue
		in.ContractRef, in.RiskArea, in.Level = "HA-2026-3", riskArea, level
		in.DueDate = c.T.AddDate(0, 1, 0).Format("2006-01-02")
		a, tok, err := s.Issue(ctx, halland, "ip", in)
		if err != nil || (a.ReusedFrom == "") != (tok != "") {
			t.Fatalf("issue %s: %+v token %q %v", riskArea, a, tok, err)
		}
		return a
	}
	if a := issue("gloves", "basic"); a.ReusedFrom != "" || len(a.Answers) == 0 {
		t.Errorf("an unreviewed submission was reused (%q), or not carried forward (%d answers)", a.ReusedFrom, len(a.Answers))
	}
	reviewAndClose(t, s, first)

	for _, tt := range []struct {
		riskArea string
		level    questionnaire.Level
		reused   bool
	}{
		{"gloves", "basic", true},
		{"textiles", "basic", false},  // as risky, but asks the cotton module
		{"dressings", "basic", true},  // less risky, no module
		{"ict", "basic", false},       // asks the minerals and chemicals modules
		{"medtech", "basic", false},   // asks the minerals module
		{"gloves", "advanced", false}, // a basic submission for an advanced request
	} {
		a := issue(tt.riskArea, tt.level)
		if reused := a.ReusedFrom == first.ID; reused != tt.reused {
			t.Errorf("%s at %s: reused %v, want %v", tt.riskArea, tt.level, reused, tt.reused)
			continue
		}
		if tt.reused && (a.Status != assessment.Submitted || a.Region != "halland" || len(a.Answers) != len(first.Answers)) {
			t.Errorf("reuse for %s: %+v", tt.riskArea, a)
		}
	}
	in := validIssue
	in.ContractRef, in.ForceNew, in.DueDate = "HA-2026-4", true, c.T.AddDate(0, 1, 0).Format("2006-01-02")
	if a, tok, err := s.Issue(ctx, halland, "ip", in); err != nil || a.ReusedFrom != "" || tok == "" {
		t.Errorf("forced new: %+v %v", a, err)
	}
	c.T = first.SubmittedAt.Add(followup.ReuseWindow + time.Hour)
	if a := issue("gloves", "basic"); a.ReusedFrom != "" {
		t.Errorf("a submission older than three years reused: %+v", a)
	}
}
