package listing

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
)

// TestCatalog: the catalog's pages, summaries, dashboards and figures are
// those made from the plain list, for every sort and each kind of filter,
// with ties, mixed case and unscored follow-ups in the data.
func TestCatalog(t *testing.T) {
	all := summaries(700)
	for i := range all {
		if i%5 == 0 {
			all[i].SupplierName = []string{"åström AB", "Åström AB", "bergs", "Bergs", "ALFA"}[i%25/5]
			all[i].IssuedAt = all[i-i%10].IssuedAt // ties on the issue date
			all[i].ContractRef = fmt.Sprintf("AVT-%d", i%13)
		}
		if i%7 == 0 {
			all[i].SubmittedAt = all[i].IssuedAt.Add(48 * time.Hour)
		}
	}
	ptrs := make([]*assessment.Summary, len(all))
	for i := range all {
		s := all[i]
		ptrs[i] = &s
	}
	c := NewCatalog(ptrs)
	const today = "2026-03-15"
	var queries []Query
	for _, sort := range append(Sorts, "nonsense") {
		queries = append(queries, Query{Sort: sort, PerPage: 9, Page: 3}, Query{Sort: sort, PerPage: 50, Page: 14})
	}
	queries = append(queries,
		Query{Filter: assessment.Filter{Region: "halland", Status: assessment.Submitted}, Sort: "supplier"},
		Query{Filter: assessment.Filter{RiskArea: "food"}, ScoreBand: "none", Sort: "-score"},
		Query{Search: " ÅSTRÖM ", Sort: "-supplier", PerPage: 3, Page: 2},
		Query{Search: "avt-1", Sort: "due"},
		Query{Search: "5560001", PerPage: 1000},
		Query{Overdue: true, Sort: "-due"},
		Query{Light: assessment.Red, Sort: "-submitted"},
		Query{Filter: assessment.Filter{OrgNumber: "556000042"}},
		Query{PerPage: -1, Page: -4},
		Query{Filter: assessment.Filter{Region: "nowhere"}}, Query{ScoreBand: "bogus"}, Query{Filter: assessment.Filter{Status: "lost"}},
		Query{Search: "ab\x00avt"}, Query{Search: "ab", Sort: "score"}, Query{Search: "m ab"},
	)
	for _, q := range queries {
		if got, want := c.Select(q, today), Select(all, q, today); !reflect.DeepEqual(got, want) {
			t.Errorf("%+v:\ncatalog %d in all, %v\nlist    %d in all, %v", q, got.Total, ids(got.Items), want.Total, ids(want.Items))
		}
	}
	for _, region := range []string{"", "skane"} {
		var of []assessment.Summary
		for _, s := range all {
			if region == "" || s.Region == region {
				of = append(of, s)
			}
		}
		for range 2 { // made, then kept
			if got, want := c.Dashboard(region, today), MakeDashboard(of, today); !reflect.DeepEqual(got, want) {
				t.Errorf("dashboard of %q differs:\n%+v\n%+v", region, got, want)
			}
		}
		if got := c.Summaries(assessment.Filter{Region: region}); len(got) != len(of) {
			t.Errorf("summaries of %q: %d, want %d", region, len(got), len(of))
		}
	}
	// The figures of a year read only the follow-ups issued in it.
	if got, want := MakeStats(c.Summaries(assessment.Filter{Year: 2026}), 2026), MakeStats(all, 2026); !reflect.DeepEqual(got, want) {
		t.Errorf("stats differ:\n%+v\n%+v", got, want)
	}
}

func ids(list []assessment.Summary) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

// BenchmarkCatalogSelect: one list query over 100 000 summaries, orders made.
//
//	go test ./internal/assessment -run '^$' -bench CatalogSelect
func BenchmarkCatalogSelect(b *testing.B) {
	all := summaries(100000)
	ptrs := make([]*assessment.Summary, len(all))
	for i := range all {
		ptrs[i] = &all[i]
	}
	c := NewCatalog(ptrs)
	for _, q := range []Query{
		{}, {Filter: assessment.Filter{Region: "skane"}}, {Search: "4217"},
		{Filter: assessment.Filter{Status: assessment.Submitted}, ScoreBand: "low", Search: "leverantör 42", Sort: "-score"}, {Page: 2000},
	} {
		c.Select(q, "2026-03-01")
		b.Run(fmt.Sprintf("%+v", q), func(b *testing.B) {
			for b.Loop() {
				c.Select(q, "2026-03-01")
			}
		})
	}
}
