package listing

import (
	"fmt"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
)

func TestSelect(t *testing.T) {
	all := summaries(1000)
	tests := []struct {
		name  string
		q     Query
		check func(p Page) error
	}{
		{"default: newest issued first, 50 a page", Query{}, func(p Page) error {
			if p.Total != 1000 || len(p.Items) != 50 || p.Items[0].ID != "a00999" || p.Pages() != 20 {
				return fmt.Errorf("%d %d %s", p.Total, len(p.Items), p.Items[0].ID)
			}
			return nil
		}},
		{"last page is short", Query{PerPage: 300, Page: 4}, func(p Page) error {
			if len(p.Items) != 100 || p.Items[99].ID != "a00000" {
				return fmt.Errorf("%d", len(p.Items))
			}
			return nil
		}},
		{"past the end", Query{Page: 99}, func(p Page) error {
			if len(p.Items) != 0 || p.Total != 1000 {
				return fmt.Errorf("%d", len(p.Items))
			}
			return nil
		}},
		{"region, risk area and status", Query{Filter: assessment.Filter{Region: "skane", RiskArea: "gloves", Status: assessment.InReview}, PerPage: 500}, func(p Page) error {
			for _, s := range p.Items {
				if s.Region != "skane" || s.RiskArea != "gloves" || s.Status != assessment.InReview {
					return fmt.Errorf("%+v", s)
				}
			}
			if p.Total == 0 {
				return fmt.Errorf("none")
			}
			return nil
		}},
		{"score band high, lowest first", Query{ScoreBand: "high", Sort: "score", PerPage: 500}, func(p Page) error {
			if *p.Items[0].Total != 80 || *p.Items[len(p.Items)-1].Total != 100 {
				return fmt.Errorf("%v..%v", *p.Items[0].Total, *p.Items[len(p.Items)-1].Total)
			}
			return nil
		}},
		{"not scored", Query{ScoreBand: "none", PerPage: 500}, func(p Page) error {
			if p.Total != 250 {
				return fmt.Errorf("%d", p.Total)
			}
			return nil
		}},
		{"search is case-blind", Query{Search: "LEVERANTÖR 42 ab"}, func(p Page) error {
			if p.Total != 1 || p.Items[0].ID != "a00042" {
				return fmt.Errorf("%+v", p.Items)
			}
			return nil
		}},
		{"overdue: still with the supplier and past due", Query{Overdue: true, PerPage: 500}, func(p Page) error {
			for _, s := range p.Items {
				if !s.Status.SupplierMayAnswer() || s.DueDate >= "2026-03-01" {
					return fmt.Errorf("%+v", s)
				}
			}
			return nil
		}},
		{"supplier A–Z", Query{Sort: "supplier", PerPage: 2}, func(p Page) error {
			if p.Items[0].SupplierName != "Leverantör 0 AB" || p.Items[1].SupplierName != "Leverantör 1 AB" {
				return fmt.Errorf("%s, %s", p.Items[0].SupplierName, p.Items[1].SupplierName)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(Select(all, tt.q, "2026-03-01")); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestStatsAndMedian(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	all := []assessment.Summary{
		{ID: "1", Region: "skane", RiskArea: "gloves", IssuedAt: at, SubmittedAt: at, Total: f(40), Deviations: []assessment.DeviationSummary{
			{Area: "labour-rights", Severity: "major", Status: assessment.DevClosed, ActionDue: "2026-05-01", PlannedAt: at, ClosedAt: at.AddDate(0, 0, 10)},
			{Area: "labour-rights", Severity: "minor", Status: assessment.DevDismissed},
		}},
		{ID: "2", Region: "skane", RiskArea: "gloves", IssuedAt: at, SubmittedAt: at, Total: f(80), Deviations: []assessment.DeviationSummary{
			{Area: "environment", Severity: "critical", Status: assessment.DevConfirmed, ActionDue: "2026-05-01", PlannedAt: at},
		}},
		{ID: "3", Region: "halland", RiskArea: "food", IssuedAt: at},
		{ID: "4", Region: "halland", RiskArea: "food", IssuedAt: at, Status: assessment.Withdrawn},
		{ID: "5", Region: "halland", RiskArea: "food", IssuedAt: at.AddDate(-1, 0, 0), SubmittedAt: at, Total: f(10)},
	}
	st := MakeStats(all, 2026)
	tot := st.Total
	if tot.Issued != 3 || tot.Submitted != 2 || *tot.ResponseRate != 0.667 || *tot.MedianScore != 60 ||
		tot.Deviations["labour-rights"]["major"] != 1 || tot.Deviations["labour-rights"]["minor"] != 0 || tot.Deviations["environment"]["critical"] != 1 ||
		tot.ActionsOpened != 2 || tot.ActionsClosed != 1 || *tot.MedianDaysToClose != 10 {
		t.Errorf("total %+v", tot)
	}
	if len(st.Regions) != 2 || st.Regions[0].Group != "halland" || st.Regions[0].Issued != 1 || st.Regions[0].MedianScore != nil || *st.Regions[0].ResponseRate != 0 {
		t.Errorf("regions %+v", st.Regions)
	}
	// Per risk area and region: food is Halland's alone, gloves Skåne's.
	if len(st.RiskAreaRegions) != 2 || st.RiskAreaRegions[0].RiskArea != "food" || len(st.RiskAreaRegions[0].Regions) != 1 ||
		st.RiskAreaRegions[0].Regions[0].Group != "halland" || st.RiskAreaRegions[1].Regions[0].Group != "skane" ||
		st.RiskAreaRegions[1].Regions[0].Issued != 2 || *st.RiskAreaRegions[1].Regions[0].MedianScore != 60 {
		t.Errorf("risk areas by region %+v", st.RiskAreaRegions)
	}
	if median(nil) != nil || *median([]float64{3, 1, 2}) != 2 {
		t.Error("median")
	}
}

func summaries(n int) []assessment.Summary {
	out := make([]assessment.Summary, n)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		total := float64(i % 101)
		out[i] = assessment.Summary{
			ID: fmt.Sprintf("a%05d", i), Region: []string{"skane", "halland"}[i%2], RiskArea: []string{"gloves", "food", "textiles"}[i%3],
			SupplierName: fmt.Sprintf("Leverantör %d AB", i), OrgNumber: fmt.Sprintf("556%06d", i), Status: assessment.Statuses[i%len(assessment.Statuses)],
			DueDate: base.AddDate(0, 0, i%200).Format(time.DateOnly), IssuedAt: base.Add(time.Duration(i) * time.Minute),
		}
		if i%4 != 0 {
			out[i].Total = &total
			out[i].Areas = map[string]*float64{"labour-rights": &total}
		}
	}
	return out
}
