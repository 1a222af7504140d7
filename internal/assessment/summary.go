package assessment

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
)

// Summary is what lists, the dashboard and the annual figures need of an
// assessment: small, so that thousands are read at once, and stored apart
// from the answers.
type Summary struct {
	ID                   string
	Region               string
	RiskArea             string
	SupplierName         string
	OrgNumber            string
	Country              string
	ContractRef          string
	Questionnaire        string
	QuestionnaireVersion int
	Level                questionnaire.Level
	Status               Status
	DueDate              string
	IssuedAt             time.Time
	SubmittedAt          time.Time
	ClosedAt             time.Time
	// Progress is the share of required questions answered, rounded down to
	// ten per cent, so that most saves leave the summary as it is.
	Progress int
	Total    *float64 // claimed
	Verified *float64 // verified by the desk audit; nil before it judged
	// Judged of Judgeable requirements the desk audit has judged.
	Judged, Judgeable int
	Areas             map[string]*float64
	Risk              string
	ReusedFrom        string
	// CarriedFrom is the follow-up whose submitted answers were carried
	// forward into this one for the supplier to confirm ("" for none).
	CarriedFrom string
	Deviations  []DeviationSummary
	// ContactErased is set once the contact person's name and address
	// have been replaced by a pseudonym (see EraseContacts).
	ContactErased bool
	// Invitation is the state of the mail with the current link ("" until
	// the outbox reports on it).
	Invitation string
}

// DeviationSummary is what the figures need of one deviation.
type DeviationSummary struct {
	Area      string
	Severity  questionnaire.Severity
	Source    Source
	Status    DeviationStatus
	Verify    bool      // an item to verify, not yet a deviation while open
	ActionDue string    // "" while no action is planned
	PlannedAt time.Time // when the action was planned
	ClosedAt  time.Time // when the action was verified
}

// Summarize makes the summary of an assessment.
func Summarize(a *Assessment) Summary {
	s := Summary{
		ID: a.ID, Region: a.Region, RiskArea: a.RiskArea, SupplierName: a.Supplier.Name,
		OrgNumber: a.Supplier.OrgNumber, Country: a.Supplier.Country, ContractRef: a.ContractRef,
		Questionnaire: a.QuestionnaireID, QuestionnaireVersion: a.QuestionnaireVersion, Level: a.Level,
		Status: a.Status, DueDate: a.DueDate, IssuedAt: a.IssuedAt, SubmittedAt: a.SubmittedAt, ClosedAt: a.ClosedAt,
		ReusedFrom: a.ReusedFrom, ContactErased: a.Supplier.ContactErased(),
	}
	if a.Progress.Total > 0 {
		s.Progress = 100 * a.Progress.Answered / a.Progress.Total / 10 * 10
	}
	for _, id := range slices.Sorted(maps.Keys(a.Answers)) {
		if c := a.Answers[id].Carry; c != nil && a.ReusedFrom == "" {
			s.CarriedFrom = c.From
			break
		}
	}
	if a.Score != nil {
		s.Total, s.Verified, s.Areas = a.Score.Total, a.Score.Verified, a.Score.Areas
		s.Judged, s.Judgeable = a.Score.Judged("")
	}
	if a.Risk != nil {
		s.Risk = a.Risk.Rating
	}
	if a.Invitation != nil {
		s.Invitation = a.Invitation.State
	}
	for i := range a.Deviations {
		d := &a.Deviations[i]
		ds := DeviationSummary{Area: d.Area, Severity: d.Severity, Source: d.Source, Status: d.Status, Verify: d.Verify}
		if act := a.ActionFor(d); act != nil {
			ds.ActionDue, ds.PlannedAt, ds.ClosedAt = act.DueDate, act.PlannedAt, act.ClosedAt
		}
		s.Deviations = append(s.Deviations, ds)
	}
	return s
}

// Stands tells whether the deviation counts against the supplier (see Deviation.Stands).
func (d DeviationSummary) Stands() bool { return stands(d.Verify, d.Status) }

// Overdue tells whether the supplier has not answered by the due date.
func (s *Summary) Overdue(today string) bool {
	return (s.Status == Issued || s.Status == InProgress || s.Status == Returned) && s.DueDate < today
}

// Light is the follow-up's traffic light on day today.
func (s *Summary) Light(today string) Light {
	ls := make([]Light, len(s.Deviations))
	for i, d := range s.Deviations {
		ls[i] = LightOf(d.Status, d.ActionDue, d.ClosedAt, today)
	}
	return worst(ls...)
}

// Query selects, sorts and pages summaries for the list. Zero fields match all.
type Query struct {
	Filter
	ScoreBand string // "low" (<50), "mid" (50–79), "high" (≥80), "none" (not scored)
	Overdue   bool
	Light     Light
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
	Items   []Summary
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
func Match(all []Summary, q Query, today string) []*Summary {
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	var hits []*Summary
	for i := range all {
		if s := &all[i]; q.matches(s, today) {
			hits = append(hits, s)
		}
	}
	slices.SortFunc(hits, order(q.Sort))
	return hits
}

// Select filters, sorts and pages summaries on day today.
func Select(all []Summary, q Query, today string) Page {
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

func (q Query) matches(s *Summary, today string) bool {
	return q.matchesFields(s, today) &&
		(q.Search == "" || q.found(s.Searchable()))
}

// matchesFields is matches but for the search.
func (q Query) matchesFields(s *Summary, today string) bool {
	switch {
	case !q.Filter.holds(s),
		q.Overdue && !s.Overdue(today),
		!q.matchesRest(s, today):
		return false
	}
	return true
}

// matchesRest tells whether s matches the filters that the catalogue's
// keys do not index.
func (q Query) matchesRest(s *Summary, today string) bool {
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

// Searchable are the lower-cased texts the list's search looks in: the
// supplier's name, its organisation number as stored and without its dash
// and spaces (so 5566778899 finds 556677-8899), and the contract.
func (s *Summary) Searchable() []string {
	org := strings.ToLower(s.OrgNumber)
	bare := strings.NewReplacer("-", "", " ", "", ".", "").Replace(org)
	return []string{strings.ToLower(s.SupplierName), org, bare, strings.ToLower(s.ContractRef), strings.ToLower(Reference(s.ID))}
}

// Reference is how people name a follow-up to each other (a receipt, a
// call to the region): "SAQ-" and the first eight characters of its id,
// which the list's search finds.
func Reference(id string) string {
	if len(id) < 8 {
		return strings.ToUpper(id)
	}
	return "SAQ-" + strings.ToUpper(id[:8])
}

// holds tells whether s matches the filter.
func (f Filter) holds(s *Summary) bool {
	return (f.Region == "" || s.Region == f.Region) && (f.RiskArea == "" || s.RiskArea == f.RiskArea) &&
		(f.Status == "" || s.Status == f.Status) && (f.OrgNumber == "" || s.OrgNumber == f.OrgNumber) &&
		(f.Year == 0 || s.IssuedAt.UTC().Year() == f.Year)
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
func order(key string) func(a, b *Summary) int {
	desc := strings.HasPrefix(key, "-")
	var by func(a, b *Summary) int
	switch strings.TrimPrefix(key, "-") {
	case "due":
		by = func(a, b *Summary) int { return cmp.Compare(a.DueDate, b.DueDate) }
	case "supplier":
		by = func(a, b *Summary) int {
			return cmp.Compare(strings.ToLower(a.SupplierName), strings.ToLower(b.SupplierName))
		}
	case "score":
		by = func(a, b *Summary) int { return cmp.Compare(scoreKey(a.Total), scoreKey(b.Total)) }
	case "submitted":
		by = func(a, b *Summary) int { return a.SubmittedAt.Compare(b.SubmittedAt) }
	default:
		desc = key != "issued"
		by = func(a, b *Summary) int { return a.IssuedAt.Compare(b.IssuedAt) }
	}
	sign := 1
	if desc {
		sign = -1
	}
	return func(a, b *Summary) int {
		return cmp.Or(sign*by(a, b), ties(a, b, sign))
	}
}

// ties orders summaries equal on the sort key in the key's direction: a
// descending order puts the newest issued first, then the ids A to Z; an
// ascending one is its exact reverse. So one index in the database serves
// both directions, read forwards or backwards.
func ties(a, b *Summary, sign int) int {
	return cmp.Or(sign*a.IssuedAt.Compare(b.IssuedAt), -sign*cmp.Compare(a.ID, b.ID))
}

// scoreKey sorts unscored follow-ups below every score.
func scoreKey(t *float64) float64 {
	if t == nil {
		return -1
	}
	return *t
}
