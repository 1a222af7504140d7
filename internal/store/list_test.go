package store_test

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

// TestListOnAnotherInstance: an instance that loaded its summary index
// before the writes lists what a writing instance acknowledged, for every
// filter and sort the list offers, with each summary as its last write left
// it, read from the change log and not from memory it shares.
func TestListOnAnotherInstance(t *testing.T) {
	s := storetest.New(t)
	repo := s.Assessments()
	reader := storetest.Instance(t, s).Assessments()
	if _, err := reader.Summaries(ctx, assessment.Filter{}); err != nil { // loaded while empty
		t.Fatal(err)
	}
	want := seedLists(t, repo)
	all := slices.Collect(maps.Values(want))
	const today = "2026-02-20"
	var queries []listing.Query
	for _, sort := range listing.Sorts {
		queries = append(queries, listing.Query{Sort: sort, PerPage: 7, Page: 2})
	}
	queries = append(queries,
		listing.Query{Filter: assessment.Filter{Region: "halland"}, Sort: "-issued", PerPage: 5, Page: 3},
		listing.Query{Filter: assessment.Filter{RiskArea: "food", Status: assessment.Submitted}, Sort: "supplier", PerPage: 50},
		listing.Query{Search: "åström", Sort: "-score", PerPage: 50},
		listing.Query{Search: "ÅKESSON", Sort: "due", PerPage: 50},
		listing.Query{Search: "avt-3", Sort: "-due", PerPage: 4, Page: 2},
		listing.Query{Search: "& co x", PerPage: 50},
		listing.Query{Search: "5560", Sort: "score", PerPage: 10, Page: 9},
		listing.Query{Search: "5560030017", PerPage: 50}, // 556003-0017 without its dash
		listing.Query{Overdue: true, Sort: "due", PerPage: 50},
		listing.Query{Overdue: true, Filter: assessment.Filter{Status: assessment.Closed}, PerPage: 50},
		listing.Query{Overdue: true, Filter: assessment.Filter{Status: assessment.InProgress}, PerPage: 50},
		listing.Query{Light: assessment.Red, Sort: "supplier", PerPage: 3, Page: 2},
		listing.Query{Light: assessment.Green, PerPage: 50},
		listing.Query{Light: assessment.Yellow, Sort: "-due", PerPage: 50},
		listing.Query{Light: assessment.Red, Filter: assessment.Filter{Region: "skane"}, PerPage: 50},
		listing.Query{Undelivered: true, PerPage: 50},
		listing.Query{Risk: "high", Sort: "score", PerPage: 50},
		listing.Query{Risk: listing.RiskRated, Filter: assessment.Filter{RiskArea: "food"}, PerPage: 50},
		listing.Query{ScoreArea: "labour-rights", ScoreBand: "scored", PerPage: 50},
		listing.Query{ScoreArea: "labour-rights", ScoreBand: "mid", PerPage: 50},
		listing.Query{ScoreArea: "labour-rights", ScoreBand: "none", PerPage: 50},
		listing.Query{Filter: assessment.Filter{OrgNumber: "556003-0017"}, PerPage: 50},
		listing.Query{Sort: "-submitted", PerPage: 10, Page: 3},
		listing.Query{Sort: "issued", PerPage: 500, Page: 1},
		listing.Query{Sort: "-score", PerPage: 7, Page: 99},
	)
	for _, band := range listing.ScoreBands {
		queries = append(queries, listing.Query{ScoreBand: band, Sort: "-score", PerPage: 50})
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			page := listing.Select(all, q, today)
			got, err := reader.List(ctx, q, today)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != page.Total || got.Page != page.Page || got.PerPage != page.PerPage || !slices.Equal(ids(got.Items), ids(page.Items)) {
				t.Errorf("other instance: %d in all, page %d: %v\nwritten: %d in all, page %d: %v", got.Total, got.Page, ids(got.Items), page.Total, page.Page, ids(page.Items))
			}
			for _, sm := range got.Items {
				if !reflect.DeepEqual(sm, want[sm.ID]) {
					t.Errorf("%s on the other instance: %+v\nwritten: %+v", sm.ID, sm, want[sm.ID])
				}
			}
		})
	}
}

// TestPagesByCursor: walking a list page by page after the last row, and
// back before the first, gives every follow-up once and in the order the
// domain sorts them, for every sort, on this engine and on another
// instance; a filter and a search keep holding on each page.
func TestPagesByCursor(t *testing.T) {
	s := storetest.New(t)
	repo := s.Assessments()
	reader := storetest.Instance(t, s).Assessments()
	want := seedLists(t, repo)
	all := slices.Collect(maps.Values(want))
	const today = "2026-02-20"
	var queries []listing.Query
	for _, sort := range listing.Sorts {
		queries = append(queries, listing.Query{Sort: sort, PerPage: 7})
	}
	queries = append(queries, listing.Query{Filter: assessment.Filter{Region: "halland"}, Sort: "supplier", PerPage: 4},
		listing.Query{Search: "5560", Sort: "-due", PerPage: 6})
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			every := q
			every.PerPage = 500
			whole := ids(listing.Select(all, every, today).Items)
			var walked []string
			var last *assessment.Summary
			for n := 1; n <= len(whole)/q.PerPage+2; n++ {
				page := q
				page.Page = n
				if last != nil {
					c := listing.CursorOf(last)
					page.After = &c
				}
				got, err := reader.List(ctx, page, today)
				if err != nil {
					t.Fatal(err)
				}
				if got.Total != len(whole) {
					t.Fatalf("page %d counts %d, want %d", n, got.Total, len(whole))
				}
				if len(got.Items) == 0 {
					break
				}
				walked = append(walked, ids(got.Items)...)
				last = &got.Items[len(got.Items)-1]
			}
			if !slices.Equal(walked, whole) {
				t.Fatalf("walked forwards:\n%v\nwant:\n%v", walked, whole)
			}
			// Back from past the end, before the first row of each page.
			var back []string
			first := last
			for first != nil {
				c := listing.CursorOf(first)
				page := q
				page.Before = &c
				got, err := reader.List(ctx, page, today)
				if err != nil {
					t.Fatal(err)
				}
				back = append(ids(got.Items), back...)
				first = nil
				if len(got.Items) > 0 {
					first = &got.Items[0]
				}
			}
			if want := whole[:len(whole)-1]; !slices.Equal(back, want) {
				t.Fatalf("walked backwards:\n%v\nwant:\n%v", back, want)
			}
		})
	}
}

// seedLists inserts 90 follow-ups of every region, risk area, status,
// light, score band and invitation state the lists tell apart, changes
// some twice, and returns their summaries by id as the last write left them.
func seedLists(t *testing.T, repo *store.Assessments) map[string]assessment.Summary {
	t.Helper()
	regions := []string{"skane", "halland", "gavleborg"}
	areas := []string{"gloves", "textiles", "food"}
	statuses := []assessment.Status{assessment.Issued, assessment.InProgress, assessment.Submitted, assessment.InReview, assessment.Closed}
	names := []string{"Åström Handskar AB", "åkessons textil", "Bergs Livs", "bergström & co", "Kedah Sdn Bhd"}
	issued := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	want := map[string]assessment.Summary{}
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
		switch i % 9 { // every light: due later, open without an action, accepted, closed late, dismissed
		case 1:
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevConfirmed, Action: &assessment.Action{DueDate: "2026-03-01"}}}
		case 2:
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevOpen}, {ID: "e", Status: assessment.DevDismissed}}
		case 4:
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevAccepted}}
		case 5:
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevClosed, Action: &assessment.Action{DueDate: "2026-01-10", ClosedAt: issued.AddDate(0, 0, 20)}}}
		case 7:
			a.Deviations = []assessment.Deviation{{ID: "d", Status: assessment.DevDismissed}}
		}
		if i%5 == 0 {
			a.Invitation = &assessment.Invitation{State: []string{assessment.InvitationFailed, assessment.InvitationRetrying, "sent"}[i%3]}
		}
		if a.Score != nil && a.Score.Total != nil {
			area := float64(i%4) * 30
			a.Score.Areas = map[string]*float64{"labour-rights": &area}
			a.Risk = &scoring.Risk{Rating: []string{"low", "medium", "high"}[i%3]}
		}
		if err := repo.Insert(ctx, a); err != nil {
			t.Fatal(err)
		}
		want[a.ID] = assessment.Summarize(a)
	}
	// Changes after the insert, some twice: the reader must end at the last.
	for i := 0; i < 90; i += 7 {
		for range 2 {
			a, err := repo.Update(ctx, fmt.Sprintf("l%02d", i), func(a *assessment.Assessment) error {
				a.Supplier.Name += " x"
				a.DueDate = "2026-01-15"
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want[a.ID] = assessment.Summarize(a)
		}
	}
	return want
}

// The dashboard summed by the database is the one the domain sums from
// every summary, for all regions and for one.
func TestDashboardSums(t *testing.T) {
	s := storetest.New(t)
	want := seedLists(t, s.Assessments())
	const today = "2026-02-20"
	for _, region := range []string{"", "halland"} {
		var all []assessment.Summary
		for _, sm := range want {
			if region == "" || sm.Region == region {
				all = append(all, sm)
			}
		}
		got, err := storetest.Instance(t, s).Assessments().Dashboard(ctx, region, today)
		if err != nil {
			t.Fatal(err)
		}
		if exp := listing.MakeDashboard(all, today); !reflect.DeepEqual(got, exp) {
			t.Errorf("region %q:\n got %+v\nwant %+v", region, got, exp)
		}
	}
}

func ids(list []assessment.Summary) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

// TestListsFollowEveryWrite: writers on three instances at once insert
// and update; afterwards every instance lists every follow-up, and each
// list row equals the list fields of its own document.
func TestListsFollowEveryWrite(t *testing.T) {
	s := storetest.New(t)
	repos := []*store.Assessments{s.Assessments(), storetest.Instance(t, s).Assessments(), storetest.Instance(t, s).Assessments()}
	const each = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(repos)*each)
	for w, r := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				a := sampleAssessment(fmt.Sprintf("c%d-%02d", w, i))
				errs <- r.Insert(ctx, a)
				// Another instance renames a follow-up of this writer's.
				_, err := repos[(w+1)%len(repos)].Update(ctx, a.ID, func(a *assessment.Assessment) error {
					a.Supplier.Name = fmt.Sprintf("Omdöpt %d AB", w)
					return nil
				})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range repos {
		list, err := r.Summaries(ctx, assessment.Filter{})
		if err != nil || len(list) != len(repos)*each {
			t.Fatalf("instance %d lists %d, %v; want %d", i, len(list), err, len(repos)*each)
		}
		for _, row := range list {
			a, err := r.Get(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := assessment.Summarize(a); !reflect.DeepEqual(row, want) {
				t.Errorf("instance %d, %s: row %+v\ndocument %+v", i, row.ID, row, want)
			}
		}
	}
}

// TestSeed: seeded follow-ups are whole (found by id and by link), listed
// by the instance that seeded them and by one that loads its index afresh,
// and a batch that repeats an id is refused as a conflict.
func TestSeed(t *testing.T) {
	s := storetest.New(t)
	repo := s.Assessments()
	if _, err := repo.Summaries(ctx, assessment.Filter{}); err != nil { // loaded while empty
		t.Fatal(err)
	}
	var all []*assessment.Assessment
	for i := range 2100 { // three batches
		a := sampleAssessment(fmt.Sprintf("seed%04d", i))
		a.TokenHash = fmt.Sprintf("seedhash%04d", i)
		a.Region = []string{"skane", "halland"}[i%2]
		all = append(all, a)
	}
	if err := repo.Seed(ctx, all); err != nil {
		t.Fatal(err)
	}
	if a, err := repo.Get(ctx, "seed2099"); err != nil || a.Supplier.Name != all[2099].Supplier.Name {
		t.Fatalf("seeded follow-up: %+v, %v", a, err)
	}
	if id, err := repo.ByToken(ctx, "seedhash0042"); err != nil || id != "seed0042" {
		t.Fatalf("seeded link: %q, %v", id, err)
	}
	fresh := storetest.Instance(t, s).Assessments()
	for name, r := range map[string]*store.Assessments{"seeding instance": repo, "fresh instance": fresh} {
		p, err := r.List(ctx, listing.Query{Filter: assessment.Filter{Region: "halland"}}, "2026-03-01")
		if err != nil || p.Total != 1050 {
			t.Errorf("%s: %d in Halland, %v; want 1050", name, p.Total, err)
		}
	}
	if err := repo.Seed(ctx, all[5:6]); !errors.Is(err, apperr.ErrDuplicate) {
		t.Errorf("seeding an id again: %v, want a conflict", err)
	}
}

// An organisation number typed without its dash finds the supplier.
func TestSearchOrgNumberAnyForm(t *testing.T) {
	r := storetest.New(t).Assessments()
	a := sampleAssessment("o1")
	a.Supplier.OrgNumber = "556677-8899"
	if err := r.Insert(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"5566778899", "556677-8899", "6677889"} {
		if p, err := r.List(ctx, listing.Query{Search: q}, "2026-12-01"); err != nil || p.Total != 1 {
			t.Errorf("search %q: %d found, %v", q, p.Total, err)
		}
	}
}
