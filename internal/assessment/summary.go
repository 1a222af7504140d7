package assessment

import (
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

// Holds tells whether s matches the filter.
func (f Filter) Holds(s *Summary) bool {
	return (f.Region == "" || s.Region == f.Region) && (f.RiskArea == "" || s.RiskArea == f.RiskArea) &&
		(f.Status == "" || s.Status == f.Status) && (f.OrgNumber == "" || s.OrgNumber == f.OrgNumber) &&
		(f.Year == 0 || s.IssuedAt.UTC().Year() == f.Year)
}

// Day is the date of t in UTC, as the lists compare due dates.
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
