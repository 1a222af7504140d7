// Package followuptest wires the follow-up, review and list operations on
// a test store, and drives a follow-up to the states tests start from.
package followuptest

import (
	"context"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/questionnaires"
)

var ctx = context.Background()

// Coordinator is Skåne's coordinator, who issues and reviews.
var Coordinator = &account.Principal{Email: "kim@skane.se", Role: account.Coordinator, Region: "skane"}

// ValidIssue is a follow-up a coordinator may issue.
var ValidIssue = followup.IssueInput{
	Supplier:    assessment.Supplier{Name: "Handskfabriken Åström AB", OrgNumber: "556677-8899", Country: "se", ContactName: "Åsa", ContactEmail: "asa@handsk.se"},
	ContractRef: "RS-2026-114", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: "2027-02-28",
}

// Clock is a clock a test sets.
type Clock struct{ T time.Time }

// Now is the time the test set.
func (c *Clock) Now() time.Time { return c.T }

// Services are the follow-up, review and list operations over one store,
// as the service wires them.
type Services struct {
	*Followups
	*Reviews
	*Lists
}

type (
	Followups = followup.Service
	Reviews   = review.Service
	Lists     = listing.Service
)

// New wires the services on a new test store, the questionnaires and the
// organisation, with a clock at 2026-11-20 10:00 UTC.
func New(t *testing.T) (Services, *Clock) {
	t.Helper()
	c := &Clock{time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.New(t)
	return Wire(assessment.Config{
		Repo: st.Assessments(), Files: st.Files(), Questionnaires: questionnairetest.Set(t), Org: dir, Now: c.Now,
	}), c
}

// Wire wires the three on cfg.Repo, a test store's, which also serves the
// lists.
func Wire(cfg assessment.Config) Services {
	store := cfg.Repo.(interface {
		followup.Catalogs
		listing.Store
	})
	return Services{followup.New(cfg, store), review.New(cfg), listing.New(cfg, store, nil)}
}

// What all three share is read through the follow-up service.

// Get reads a follow-up for someone who may.
func (s Services) Get(ctx context.Context, by *account.Principal, id string) (*assessment.Assessment, error) {
	return s.Followups.Get(ctx, by, id)
}

// Deadlines are the organisation's.
func (s Services) Deadlines() org.Deadlines { return s.Followups.Deadlines() }

// Today is the clock's day.
func (s Services) Today() string { return s.Followups.Today() }

// Questionnaire is the version a is pinned to.
func (s Services) Questionnaire(a *assessment.Assessment) (*questionnaire.Questionnaire, error) {
	return s.Followups.Questionnaire(a)
}

// CodeOf is the application error's code, "" for any other error.
func CodeOf(err error) apperr.Code {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

// AnswerAll answers every shown required question with its first option or a
// plain value (file questions are left to uploads, so none is shown here).
func AnswerAll(t *testing.T, s Services, token string) {
	t.Helper()
	a, _ := s.ForSupplier(ctx, token)
	q, _ := s.Questionnaire(a)
	in := map[string]assessment.Input{}
	values := map[string]any{}
	for _, qu := range q.Questions() {
		if qu.Level == questionnaire.Advanced {
			continue
		}
		var v any
		switch qu.Type {
		case questionnaire.YesNo:
			v = questionnairetest.Pick(q, qu, "yes") // keeps the file questions hidden
		case questionnaire.Single:
			v = questionnairetest.Pick(q, qu, qu.Options[0].ID)
		case questionnaire.Multi:
			v = []any{qu.Options[0].ID}
		case questionnaire.Number:
			v = 3.0
		case questionnaire.Free:
			v = "Svar"
		case questionnaire.Date:
			v = "2025-01-01"
		default:
			continue
		}
		values[qu.ID] = v
	}
	for id, v := range questionnairetest.Shown(q, a.Level, values) {
		in[id] = assessment.Input{Value: v, HasValue: true}
	}
	if _, err := s.SaveAnswers(ctx, token, a.Version, in); err != nil {
		t.Fatalf("answer all: %v", err)
	}
}

// IssueAndSubmit issues in as the Skåne Coordinator, answers every basic
// question (AnswerAll) and submits.
func IssueAndSubmit(t *testing.T, s Services, in followup.IssueInput) *assessment.Assessment {
	t.Helper()
	_, token, err := s.Issue(ctx, Coordinator, "ip", in)
	if err != nil {
		t.Fatal(err)
	}
	AnswerAll(t, s, token)
	a, err := s.Submit(ctx, token, "ip")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// ReviewAndClose takes a under review, dismisses every deviation its
// answers raised and closes it: a reviewed follow-up.
func ReviewAndClose(t *testing.T, s Services, a *assessment.Assessment) {
	t.Helper()
	if _, err := s.StartReview(ctx, Coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Deviations {
		if _, err := s.Decide(ctx, Coordinator, "ip", a.ID, d.ID, false, "Styrkt vid granskningen."); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Close(ctx, Coordinator, "ip", a.ID); err != nil {
		t.Fatal(err)
	}
}
