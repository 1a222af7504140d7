package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/store/storetest"
)

// TestListFromTheDatabase: the list the database answers (filters, search,
// sort, skip, limit, count) is the one assessment.Select makes in memory,
// for every filter and sort the list offers.
func TestListFromTheDatabase(t *testing.T) {
	repo := storetest.New(t).Assessments()
	regions := []string{"skane", "halland", "gavleborg"}
	areas := []string{"gloves", "textiles", "food"}
	statuses := []assessment.Status{assessment.Issued, assessment.InProgress, assessment.Submitted, assessment.InReview, assessment.Closed}
	names := []string{"Åström Handskar AB", "åkessons textil", "Bergs Livs", "bergström & co", "Kedah Sdn Bhd"}
	issued := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 90 {
		a := sampleAssessment(fmt.Sprintf("l%02d", i))
		a.Region, a.RiskArea, a.Status = regions[i%3], areas[i/3%3], statuses[i%5]
		a.Supplier.Name, a.Supplier.OrgNumber = names[i%5], fmt.Sprintf("5560%02d-00%02d", i%7, i)
		a.ContractRef = fmt.Sprintf("AVT-%d", i%11)
		a.DueDate = issued.AddDate(0, 0, 30+i%40).Format(time.DateOnly)
		a.IssuedAt = issued.Add(time.Duration(i%45) * 24 * time.Hour) // ties on purpose
		if a.Status != assessment.Issued && a.Status != assessment.InProgress {
			a.SubmittedAt = a.IssuedAt.Add(48 * time.Hour)
			if i%4 != 0 {
				total := float64(i%10) * 11
				a.Score = &scoring.Result{Total: &total}
			} else {
				a.Score = &scoring.Result{} // scored, but nothing applied
			}
		}
		if i%6 == 0 {
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevConfirmed, Action: &assessment.Action{DueDate: "2026-02-01"}}}
		}
		if err := repo.Insert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	all, err := repo.Summaries(ctx, assessment.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	const today = "2026-02-20"
	var queries []assessment.Query
	for _, sort := range assessment.Sorts {
		queries = append(queries, assessment.Query{Sort: sort, PerPage: 7, Page: 2})
	}
	queries = append(queries,
		assessment.Query{Filter: assessment.Filter{Region: "halland"}, Sort: "-issued", PerPage: 5, Page: 3},
		assessment.Query{Filter: assessment.Filter{RiskArea: "food", Status: assessment.Submitted}, Sort: "supplier", PerPage: 50},
		assessment.Query{Search: "åström", Sort: "-score", PerPage: 50},
		assessment.Query{Search: "ÅKESSON", Sort: "due", PerPage: 50},
		assessment.Query{Search: "avt-3", Sort: "-due", PerPage: 4, Page: 2},
		assessment.Query{Search: "& co", PerPage: 50},
		assessment.Query{Search: "5560", Sort: "score", PerPage: 10, Page: 9},
		assessment.Query{Overdue: true, Sort: "due", PerPage: 50},
		assessment.Query{Overdue: true, Filter: assessment.Filter{Status: assessment.Closed}, PerPage: 50},
		assessment.Query{Overdue: true, Filter: assessment.Filter{Status: assessment.InProgress}, PerPage: 50},
		assessment.Query{Light: assessment.Red, Sort: "supplier", PerPage: 3, Page: 2},
		assessment.Query{Light: assessment.Green, PerPage: 50},
	)
	for _, band := range assessment.ScoreBands {
		queries = append(queries, assessment.Query{ScoreBand: band, Sort: "-score", PerPage: 50})
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			want := assessment.Select(all, q, today)
			got, err := repo.ListFromDB(ctx, q, today)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != want.Total || got.Page != want.Page || got.PerPage != want.PerPage || !slices.Equal(ids(got.Items), ids(want.Items)) {
				t.Errorf("database: %d in all, page %d: %v\nin memory: %d in all, page %d: %v", got.Total, got.Page, ids(got.Items), want.Total, want.Page, ids(want.Items))
			}
		})
	}
}

func ids(list []assessment.Summary) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}
