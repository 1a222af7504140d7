package followup_test

import (
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/questionnaires"
)

// Numbers stored before they were normalised on input are normalised once,
// recorded in the trail; numbers that fail the checks stay as they were.
func TestNormaliseOrgNumbers(t *testing.T) {
	c := &clock{T: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	repo := storetest.New(t).Assessments()
	s := newServices(assessment.Config{Repo: repo, Questionnaires: questionnairetest.Set(t), Org: dir, Now: c.Now})

	stored := map[string]string{"5566778899": "556677-8899", "abc": "abc", "556677-8899": "556677-8899", "16556677-8899": "556677-8899"}
	ids := map[string]string{}
	for raw := range stored {
		in := validIssue
		in.ForceNew, in.ContractRef = true, "C-"+raw
		a, _, err := s.Issue(ctx, coordinator, "ip", in)
		if err != nil {
			t.Fatal(err)
		}
		// As an earlier version of the service stored it.
		if _, err := repo.Update(ctx, a.ID, func(a *assessment.Assessment) error { a.Supplier.OrgNumber = raw; return nil }); err != nil {
			t.Fatal(err)
		}
		ids[raw] = a.ID
	}
	if n, err := s.NormaliseOrgNumbers(ctx); err != nil || n != 2 {
		t.Fatalf("first run: %d, %v; want 2 changed", n, err)
	}
	if n, err := s.NormaliseOrgNumbers(ctx); err != nil || n != 0 {
		t.Errorf("second run: %d, %v; want none changed", n, err)
	}
	for raw, want := range stored {
		a, err := repo.Get(ctx, ids[raw])
		if err != nil {
			t.Fatal(err)
		}
		last := a.Trail[len(a.Trail)-1]
		if a.Supplier.OrgNumber != want {
			t.Errorf("%s stored as %s, want %s", raw, a.Supplier.OrgNumber, want)
		}
		if changed := raw != want; changed != (last.Action == "org_number_normalised") || changed && last.Changes[0].Before != raw {
			t.Errorf("%s: last trail entry %+v", raw, last)
		}
	}
	if list, err := repo.Summaries(ctx, assessment.Filter{OrgNumber: "556677-8899"}); err != nil || len(list) != 3 {
		t.Errorf("one company's follow-ups: %d, %v; want 3", len(list), err)
	}
}
