package assessment

import (
	"fmt"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Source is where a deviation was found.
type Source string

const (
	FromSAQ     Source = "saq"           // a red-flag answer
	DeskAudit   Source = "desk_audit"    // documents checked against the requirements
	OnSiteAudit Source = "on_site_audit" // a factory visit and interviews
)

// DeviationStatus is where a deviation is in its handling.
type DeviationStatus string

const (
	DevOpen      DeviationStatus = "open"      // raised by the answers, not yet judged
	DevConfirmed DeviationStatus = "confirmed" // a real deviation: needs a corrective action
	DevDismissed DeviationStatus = "dismissed" // judged no deviation, with a reason
	DevClosed    DeviationStatus = "closed"    // the action was verified as done
	DevAccepted  DeviationStatus = "accepted"  // accepted without full remedy, with a reason
	// DevObservation is an audit finding recorded as an observation: noted,
	// not a deviation, no action needed.
	DevObservation DeviationStatus = "observation"
)

// Settled tells whether a deviation needs nothing more before the follow-up closes.
func (s DeviationStatus) Settled() bool {
	return s == DevDismissed || s == DevClosed || s == DevAccepted || s == DevObservation
}

// Deviation is a requirement not met: raised by a red-flag answer or recorded
// from an audit, judged by a reviewer, and remedied by a corrective action.
type Deviation struct {
	ID          string
	Requirement string
	Area        string
	Severity    questionnaire.Severity
	Source      Source
	Question    string // the question whose answer raised it (SAQ only)
	Answer      string // the option chosen (SAQ only)
	// Verify marks an answer to check ("Vet inte", a harm said to be
	// remedied): it stands as a deviation only once a reviewer confirms it.
	Verify   bool
	Finding  string      // what was found (audits)
	Evidence string      // what the finding rests on (audits)
	Audit    *AuditVisit // where and how an audit found it; nil for the answers
	// Contradicts is the question whose answer an audit finding
	// contradicts, or, for an item to verify, the earlier question whose
	// answer contradicts this "Ej tillämpligt"; "" when none.
	Contradicts string
	// SeverityReason is why an audit finding's severity differs from its
	// requirement's in the catalogue.
	SeverityReason string
	// MovedFrom is the requirement the deviation was raised on before a
	// reviewer moved it to Requirement, with MoveReason; "" when not moved.
	MovedFrom  string
	MoveReason string
	Status     DeviationStatus
	Reason     string // why it was dismissed or accepted
	RaisedAt   time.Time
	RaisedBy   string
	DecidedAt  time.Time
	DecidedBy  string
	Action     *Action
	// CoveredBy is the deviation whose action remedies this one too: one
	// root cause, one action. "" when it has, or will have, its own.
	CoveredBy string
}

// AuditVisit is the audit a finding was made in: the site, the day, who
// audited and how many workers were interviewed.
type AuditVisit struct {
	Site       string
	Date       string // YYYY-MM-DD
	Auditor    string
	Interviews int
}

// Action is the corrective action agreed for a confirmed deviation: the
// regions' time and action plan (tid- och åtgärdsplan) for it.
type Action struct {
	Description string
	RootCause   string // why it happened
	Immediate   string // what stops the harm now
	Remedy      string // what makes it good for the people affected
	Prevention  string // what keeps it from happening again
	// Milestones are the dates by which the supplier reports progress.
	Milestones []Milestone
	Owner      string // who at the supplier carries it out
	DueDate    string // YYYY-MM-DD
	PlannedAt  time.Time
	PlannedBy  string
	// ProposedAt is when the supplier proposed the action; zero when the
	// reviewer wrote it.
	ProposedAt time.Time
	Reports    []ActionReport // the supplier's progress reports
	ClosedAt   time.Time      // verified by the reviewer
	ClosedBy   string
	Note       string // the reviewer's note on closing
	// Verification is how the reviewer verified the action done, when no
	// file of the supplier's shows it.
	Verification *Verification
}

// Verification is a reviewer's record of how an action was verified: at
// the desk or on site, by whom, on which day.
type Verification struct {
	Method string // VerifiedAtDesk or VerifiedOnSite
	By     string
	Date   string // YYYY-MM-DD
}

// The ways an action is verified (Verification.Method).
const (
	VerifiedAtDesk = "desk"
	VerifiedOnSite = "on_site"
)

// Milestone is a date in an action's plan by which the supplier reports
// what it names.
type Milestone struct {
	Date string // YYYY-MM-DD
	What string
	// Logged is when the hourly job recorded the date as missed: a
	// ground for the contract's weekly penalty.
	Logged time.Time
}

// ActionReport is one progress report from the supplier, with evidence files.
type ActionReport struct {
	At    time.Time
	Text  string
	Files []string // evidence ids
}

// Light is a traffic light, as the regions' partners show deviation status.
type Light string

const (
	Green  Light = "green"  // none, or closed in time
	Yellow Light = "yellow" // being handled
	Red    Light = "red"    // not remedied in time, or not enough
)

// LightOf rates one deviation on day today (YYYY-MM-DD).
func LightOf(status DeviationStatus, actionDue string, closedAt time.Time, today string) Light {
	switch status {
	case DevDismissed, DevObservation:
		return Green
	case DevAccepted:
		return Red // accepted without full remedy
	case DevClosed:
		if actionDue != "" && closedAt.UTC().Format(time.DateOnly) > actionDue {
			return Red // remedied, but not in time
		}
		return Green
	}
	if actionDue != "" && actionDue < today {
		return Red
	}
	return Yellow
}

// worst returns the worst of lights: green when there are none.
func worst(lights ...Light) Light {
	w := Green
	for _, l := range lights {
		if l == Red {
			return Red
		}
		if l == Yellow {
			w = Yellow
		}
	}
	return w
}

// Light rates the whole follow-up: the worst of its deviations', green when it has none.
func (a *Assessment) Light(today string) Light {
	var ls []Light
	for i := range a.Deviations {
		ls = append(ls, a.LightOf(&a.Deviations[i], today))
	}
	return worst(ls...)
}

// ActionFor is the action that remedies d: its own, or that of the
// deviation that covers it; nil when there is none yet.
func (a *Assessment) ActionFor(d *Deviation) *Action {
	if d.Action != nil || d.CoveredBy == "" {
		return d.Action
	}
	if c, ok := a.Deviation(d.CoveredBy); ok {
		return c.Action
	}
	return nil
}

// LightOf rates deviation d on day today by the action that remedies it.
func (a *Assessment) LightOf(d *Deviation, today string) Light {
	due, closed := "", time.Time{}
	if act := a.ActionFor(d); act != nil {
		due, closed = act.DueDate, act.ClosedAt
	}
	return LightOf(d.Status, due, closed, today)
}

// Covered are the deviations whose remedy is d's action.
func (a *Assessment) Covered(d *Deviation) []*Deviation {
	var out []*Deviation
	for i := range a.Deviations {
		if c := &a.Deviations[i]; c.CoveredBy == d.ID && c.ID != d.ID {
			out = append(out, c)
		}
	}
	return out
}

// Deviation returns the deviation with the given id.
func (a *Assessment) Deviation(id string) (*Deviation, bool) {
	for i := range a.Deviations {
		if a.Deviations[i].ID == id {
			return &a.Deviations[i], true
		}
	}
	return nil, false
}

// Stands tells whether the deviation counts against the supplier: not
// dismissed, and for an item to verify, confirmed by a reviewer.
func (d *Deviation) Stands() bool { return stands(d.Verify, d.Status) }

func stands(verify bool, status DeviationStatus) bool {
	return status != DevDismissed && status != DevObservation && !(verify && status == DevOpen)
}

// standing counts the requirements with a deviation of severity sev that
// stands: one gap two questions find counts once.
func standing(ds []Deviation, sev questionnaire.Severity) int {
	reqs := map[string]bool{}
	for i := range ds {
		if ds[i].Severity == sev && ds[i].Stands() {
			reqs[ds[i].Requirement] = true
		}
	}
	return len(reqs)
}

// hasCritical tells whether a critical deviation stands.
func hasCritical(ds []Deviation) bool { return standing(ds, questionnaire.Critical) > 0 }

// scoringReview is what the reviewers decided, as scoring reads it: the
// verdicts, the answers' deviations moved to other requirements, and the
// deviations that stand by a reviewer's word (items confirmed, audit
// findings).
func (a *Assessment) scoringReview() scoring.Review {
	rv := scoring.Review{Verdicts: a.verdicts(), Moved: map[string]string{}}
	for i := range a.Deviations {
		d := &a.Deviations[i]
		if d.Source == FromSAQ && d.MovedFrom != "" {
			rv.Moved[d.Question] = d.Requirement
		}
		if d.Stands() && (d.Verify || d.Source != FromSAQ) {
			q := ""
			if d.Source == FromSAQ {
				q = d.Question
			}
			rv.Standing = append(rv.Standing, scoring.Standing{Requirement: d.Requirement, Severity: d.Severity, Question: q})
		}
	}
	return rv
}

// Change is one field an operation changed, in short.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// TrailEntry records one change to an assessment: who, when, what.
type TrailEntry struct {
	At      time.Time
	By      string
	Action  string
	Changes []Change
}

// Detail is the entry in one line, for the audit log.
func (e TrailEntry) Detail() string {
	parts := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		parts[i] = fmt.Sprintf("%s: %q → %q", c.Field, c.Before, c.After)
	}
	return strings.Join(parts, "; ")
}

// Short keeps a before/after value readable in the trail.
func Short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		return string(r[:79]) + "…"
	}
	return s
}

// Comment is a note on an assessment: a reviewer's comment, or the message
// with which a reviewer returned the questionnaire to the supplier.
type Comment struct {
	At   time.Time
	By   string
	Kind string // "comment" (reviewers only) or "return" (shown to the supplier)
	Text string
}

// DeviationStatuses lists every status a deviation can have.
var DeviationStatuses = []DeviationStatus{DevOpen, DevConfirmed, DevDismissed, DevClosed, DevAccepted, DevObservation}

// Sources lists where a deviation can come from.
var Sources = []Source{FromSAQ, DeskAudit, OnSiteAudit}
