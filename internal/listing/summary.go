package listing

import (
	"cmp"
	"slices"
	"strings"

	"github.com/regionerna/saq/internal/assessment"
)

// Query selects, sorts and pages summaries for the list. Zero fields match all.
type Query struct {
	assessment.Filter
	ScoreBand string // "low" (<50), "mid" (50–79), "high" (≥80), "none" (not scored)
	Overdue   bool
	Light     assessment.Light
	// Undelivered selects follow-ups whose supplier has not started and
	// whose invitation did not arrive (see Summary.Undelivered).
	Undelivered bool
	Risk        string // the risk rating: low, medium or high
	// ScoreArea makes ScoreBand judge the score of that area (a
	// requirement area such as labour-rights) instead of the total.
	ScoreArea string
	Search    string // in the supplier's name, organisation number or contract
	Sort      string // one of Sorts; "-issued" by default
	Page      int    // from 1; shown, and read by counting when no cursor is given
	PerPage   int
	// After and Before read the page after or before a row (see Cursor).
	After, Before *Cursor
}

// Sorts are the orders the list offers; a leading "-" means descending.
var Sorts = []string{"-issued", "issued", "due", "-due", "supplier", "-score", "score", "-submitted"}

// ScoreBands are the score bands the list filters on.
// "scored" is any score: the follow-ups a chart of bands counts.
var ScoreBands = []string{"low", "mid", "high", "none", "scored"}

// Page is one page of a list.
type Page struct {
	Items   []assessment.Summary
	Total   int // matching summaries in all
	Page    int
	PerPage int
}

// Pages is how many pages the list has.
func (p Page) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	return max(1, (p.Total+p.PerPage-1)/p.PerPage)
}

// Match filters and sorts summaries on day today. It returns pointers into
// all: a summary is a few hundred bytes, and a page copies only its own.
func Match(all []assessment.Summary, q Query, today string) []*assessment.Summary {
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	var hits []*assessment.Summary
	for i := range all {
		if s := &all[i]; q.matches(s, today) {
			hits = append(hits, s)
		}
	}
	slices.SortFunc(hits, order(q.Sort))
	return hits
}

// Select filters, sorts and pages summaries on day today.
func Select(all []assessment.Summary, q Query, today string) Page {
	hits := Match(all, q, today)
	q.PerPage, q.Page = perPage(q.PerPage), max(q.Page, 1)
	p := Page{Total: len(hits), Page: q.Page, PerPage: q.PerPage}
	by := order(q.Sort)
	for _, h := range window(hits, q, by) {
		p.Items = append(p.Items, *h)
	}
	return p
}

// Window is the page asked for (from 1) and its size, as Select takes them.
func (q Query) Window() (page, per int) { return max(q.Page, 1), perPage(q.PerPage) }

// perPage is the page size asked for, 50 when out of bounds.
func perPage(n int) int {
	if n <= 0 || n > 500 {
		return 50
	}
	return n
}

func (q Query) matches(s *assessment.Summary, today string) bool {
	return q.matchesFields(s, today) &&
		(q.Search == "" || q.found(s.Searchable()))
}

// matchesFields is matches but for the search.
func (q Query) matchesFields(s *assessment.Summary, today string) bool {
	switch {
	case !q.Filter.Holds(s),
		q.Overdue && !s.Overdue(today),
		!q.matchesRest(s, today):
		return false
	}
	return true
}

// matchesRest tells whether s matches the filters that the catalogue's
// keys do not index.
func (q Query) matchesRest(s *assessment.Summary, today string) bool {
	score := s.Total
	if q.ScoreArea != "" {
		score = s.Areas[q.ScoreArea]
	}
	return (!q.Overdue || s.Overdue(today)) && (!q.Undelivered || s.Undelivered()) && (q.Risk == "" || s.Risk == q.Risk || q.Risk == RiskRated && s.Risk != "") &&
		(q.Light == "" || s.Light(today) == q.Light) && (q.ScoreBand == "" || band(score) == q.ScoreBand || q.ScoreBand == "scored" && score != nil)
}

// RiskRated selects every follow-up with a risk rating, whatever it is:
// the follow-ups a chart of risk counts.
const RiskRated = "rated"

// RiskLevels are the risk ratings the list filters on.
var RiskLevels = []string{"low", "medium", "high"}

// found tells whether the (lower-cased) search is in one of the texts.
func (q Query) found(texts []string) bool {
	for _, t := range texts {
		if strings.Contains(t, q.Search) {
			return true
		}
	}
	return false
}

// Band is the score band of a total: "none" when not scored or nothing applied.
func Band(total *float64) string { return band(total) }

// band is the score band of a total: "none" when not scored or nothing applied.
func band(total *float64) string {
	switch {
	case total == nil:
		return "none"
	case *total < 50:
		return "low"
	case *total < 80:
		return "mid"
	}
	return "high"
}

// order compares summaries for a sort key; ties go newest issued first, then by id.
func order(key string) func(a, b *assessment.Summary) int {
	desc := strings.HasPrefix(key, "-")
	var by func(a, b *assessment.Summary) int
	switch strings.TrimPrefix(key, "-") {
	case "due":
		by = func(a, b *assessment.Summary) int { return cmp.Compare(a.DueDate, b.DueDate) }
	case "supplier":
		by = func(a, b *assessment.Summary) int {
			return cmp.Compare(strings.ToLower(a.SupplierName), strings.ToLower(b.SupplierName))
		}
	case "score":
		by = func(a, b *assessment.Summary) int { return cmp.Compare(scoreKey(a.Total), scoreKey(b.Total)) }
	case "submitted":
		by = func(a, b *assessment.Summary) int { return a.SubmittedAt.Compare(b.SubmittedAt) }
	default:
		desc = key != "issued"
		by = func(a, b *assessment.Summary) int { return a.IssuedAt.Compare(b.IssuedAt) }
	}
	sign := 1
	if desc {
		sign = -1
	}
	return func(a, b *assessment.Summary) int {
		return cmp.Or(sign*by(a, b), ties(a, b, sign))
	}
}

// ties orders summaries equal on the sort key in the key's direction: a
// descending order puts the newest issued first, then the ids A to Z; an
// ascending one is its exact reverse. So one index in the database serves
// both directions, read forwards or backwards.
func ties(a, b *assessment.Summary, sign int) int {
	return cmp.Or(sign*a.IssuedAt.Compare(b.IssuedAt), -sign*cmp.Compare(a.ID, b.ID))
}

// scoreKey sorts unscored follow-ups below every score.
func scoreKey(t *float64) float64 {
	if t == nil {
		return -1
	}
	return *t
}
