package assessment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/questionnaire"
)

// ActionInput is a corrective action as the regions' time and action plan
// asks for it, from the reviewer or proposed by the supplier.
type ActionInput struct {
	Description string
	RootCause   string
	Immediate   string
	Remedy      string
	Prevention  string
	Milestones  []MilestoneInput
	Owner       string
	DueDate     string
	// SameAs names another deviation of the plan whose action remedies
	// this one too (one root cause, one action); the rest is then unused.
	SameAs string
}

// MilestoneInput is a reporting date and what is to be reported by it.
type MilestoneInput struct {
	Date string
	What string
}

// MaxMilestones caps an action's reporting dates.
const MaxMilestones = 12

// noAction tells whether an immediate action says that nothing is done.
func noAction(text string) bool {
	t := strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!–-— "))
	switch t {
	case "", "ingen", "inget", "inga", "ingen åtgärd", "inga åtgärder", "ej aktuellt", "inte aktuellt", "behövs inte", "nej",
		"none", "no", "nothing", "no action", "n/a", "na", "not applicable":
		return true
	}
	return false
}

// MilestoneField names milestone n's (from 1) date or text in a problem.
func MilestoneField(n int, part string) string { return fmt.Sprintf("milestones.%d.%s", n, part) }

// Blank tells whether nothing of the action was typed.
func (in ActionInput) Blank() bool {
	for _, t := range []string{in.Description, in.RootCause, in.Immediate, in.Remedy, in.Prevention, in.Owner, in.DueDate, in.SameAs} {
		if strings.TrimSpace(t) != "" {
			return false
		}
	}
	return len(in.Milestones) == 0
}

// Within names problems of one deviation's action: "<deviation>.<field>".
func Within(deviation string, fields []apperr.Field) []apperr.Field {
	out := make([]apperr.Field, len(fields))
	for i, f := range fields {
		out[i] = apperr.Field{Field: deviation + "." + f.Field, Message: f.Message}
	}
	return out
}

// GravestOf is d with the gravest severity of the deviations its action
// remedies, itself and those it covers.
func (a *Assessment) GravestOf(d *Deviation) *Deviation {
	actions := map[string]ActionInput{}
	for _, c := range a.Covered(d) {
		actions[c.ID] = ActionInput{SameAs: d.ID}
	}
	return Gravest(d, a.PlanDeviations(), actions)
}

// InPlan tells whether deviation id is one the plan is asked for.
func (a *Assessment) InPlan(id string) bool {
	for _, p := range a.PlanDeviations() {
		if p.ID == id {
			return true
		}
	}
	return false
}

// CoverWith makes d remedied by the action of deviation other: another
// deviation of the plan with its own action, while none leans on d's.
func (a *Assessment) CoverWith(d *Deviation, other string) ([]Change, error) {
	o, ok := a.Deviation(other)
	if !ok || !a.InPlan(other) || other == d.ID || o.CoveredBy != "" || len(a.Covered(d)) > 0 {
		return nil, Invalid(ErrSameAs(d.ID))
	}
	return d.Cover(other), nil
}

// Cover makes d remedied by the action of deviation other, and says what changed.
func (d *Deviation) Cover(other string) []Change {
	if d.CoveredBy == other && d.Action == nil {
		return nil
	}
	before := ""
	if d.Action != nil {
		before = d.Action.summary()
	}
	d.CoveredBy, d.Action = other, nil
	return []Change{{"action " + d.ID, before, "= " + other}}
}

// SetAction puts the action in on a confirmed deviation, keeping the
// reports already made, and says what changed.
func (d *Deviation) SetAction(in ActionInput, now time.Time, by string) ([]Change, error) {
	if d.Status != DevConfirmed {
		return nil, apperr.New(apperr.Conflict, "Bara en bekräftad avvikelse som inte är avslutad får en åtgärd.", "Only a confirmed deviation that is not closed gets an action.")
	}
	before := ""
	act := &Action{PlannedAt: now, PlannedBy: by}
	if d.Action != nil {
		before = d.Action.summary()
		act.Reports, act.PlannedAt, act.ProposedAt = d.Action.Reports, d.Action.PlannedAt, d.Action.ProposedAt
	}
	d.CoveredBy = "" // its own action now
	act.Description, act.Owner, act.DueDate = strings.TrimSpace(in.Description), strings.TrimSpace(in.Owner), in.DueDate
	act.RootCause, act.Immediate = strings.TrimSpace(in.RootCause), strings.TrimSpace(in.Immediate)
	act.Remedy, act.Prevention = strings.TrimSpace(in.Remedy), strings.TrimSpace(in.Prevention)
	for _, m := range in.Milestones {
		act.Milestones = append(act.Milestones, Milestone{Date: m.Date, What: strings.TrimSpace(m.What)})
	}
	d.Action = act
	return []Change{{"action " + d.ID, before, act.summary()}}, nil
}

// Input is the action as it would be typed again.
func (a *Action) Input() ActionInput {
	in := ActionInput{Description: a.Description, RootCause: a.RootCause, Immediate: a.Immediate, Remedy: a.Remedy,
		Prevention: a.Prevention, Owner: a.Owner, DueDate: a.DueDate}
	for _, m := range a.Milestones {
		in.Milestones = append(in.Milestones, MilestoneInput{Date: m.Date, What: m.What})
	}
	return in
}

// summary is the action in short, for the trail.
func (a *Action) summary() string {
	return fmt.Sprintf("%s, %s, %s, %d milestones", Short(a.Description), a.Owner, a.DueDate, len(a.Milestones))
}

// PlanDue is the day the open plan is to be sent by, "" when no plan is
// asked for now.
func (a *Assessment) PlanDue() string {
	if !a.PlanOpen() {
		return ""
	}
	return a.PlanDueDate
}

// PlanDeviations are the confirmed deviations that need an action in the plan.
func (a *Assessment) PlanDeviations() []*Deviation {
	var out []*Deviation
	for i := range a.Deviations {
		if d := &a.Deviations[i]; d.Status == DevConfirmed {
			out = append(out, d)
		}
	}
	return out
}

// The states of the supplier's plan (Assessment.PlanState).
const (
	PlanRequested = "requested" // the reviewer asked for it, or sent it back
	PlanProposed  = "proposed"  // the supplier sent it for approval
)

// PlanOpen tells whether the supplier may propose the plan now: asked for,
// under review, and not yet sent since.
func (a *Assessment) PlanOpen() bool { return a.Status == InReview && a.PlanState == PlanRequested }

// PlanRequest is the message the plan was last asked for with, if the plan is open.
func (a *Assessment) PlanRequest() *Comment {
	if !a.PlanOpen() {
		return nil
	}
	for i := len(a.Comments) - 1; i >= 0; i-- {
		if a.Comments[i].Kind == "plan_request" {
			return &a.Comments[i]
		}
	}
	return nil
}

// MissedReport is a milestone whose date passed without the supplier's
// report: a ground for the contract's weekly penalty.
type MissedReport struct {
	Deviation *Deviation
	Milestone Milestone
	N         int // the milestone's place in the action's plan
	// WeeksLate counts every week begun from the date to the report, or
	// to today while none has come.
	WeeksLate int
	Reported  bool // the report came, late
}

// MissedReports lists the missed reporting dates on day today (YYYY-MM-DD):
// milestone n is met when the action has n reports by its date, so a
// report made early counts for the next date too.
func (a *Assessment) MissedReports(today string) []MissedReport {
	var out []MissedReport
	for i := range a.Deviations {
		d := &a.Deviations[i]
		if d.Action == nil || len(d.Action.Milestones) == 0 {
			continue
		}
		var reported []string // report dates, in order
		for _, r := range d.Action.Reports {
			reported = append(reported, r.At.UTC().Format(time.DateOnly))
		}
		slices.Sort(reported)
		closed := ""
		if !d.Action.ClosedAt.IsZero() {
			closed = d.Action.ClosedAt.UTC().Format(time.DateOnly)
		}
		for n, m := range d.Action.Milestones {
			if m.Date >= today || closed != "" && closed <= m.Date {
				continue
			}
			if n < len(reported) && reported[n] <= m.Date {
				continue
			}
			until, done := today, false
			if n < len(reported) {
				until, done = reported[n], true
			}
			out = append(out, MissedReport{Deviation: d, Milestone: m, N: n, WeeksLate: weeksBetween(m.Date, until), Reported: done})
		}
	}
	return out
}

// weeksBetween counts the weeks begun from day a to day b.
func weeksBetween(a, b string) int {
	ta, _ := time.Parse(time.DateOnly, a)
	tb, _ := time.Parse(time.DateOnly, b)
	return int(math.Ceil(tb.Sub(ta).Hours() / 24 / 7))
}

// ErrSameAs is the problem with a deviation's choice of another's action.
func ErrSameAs(deviation string) apperr.Field {
	return Problem(deviation+".sameAs", "Välj en annan avvikelse i planen som har en egen åtgärd.", "Choose another deviation of the plan that has its own action.")
}

// Gravest is d with the Gravest severity of those its action remedies,
// itself and the deviations whose input names it (SameAs): the action
// keeps the shortest of their deadlines.
func Gravest(d *Deviation, plan []*Deviation, actions map[string]ActionInput) *Deviation {
	g := *d
	rank := map[questionnaire.Severity]int{questionnaire.Minor: 1, questionnaire.Major: 2, questionnaire.Critical: 3}
	for _, p := range plan {
		if actions[p.ID].SameAs == d.ID && rank[p.Severity] > rank[g.Severity] {
			g.Severity = p.Severity
		}
	}
	return &g
}
