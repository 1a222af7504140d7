package assessment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
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

// checkDraft judges an action kept as typed, to be completed later: only
// what could not be kept (too long, a date that is no date).
func checkDraft(in ActionInput) []apperr.Field {
	var fields []apperr.Field
	for _, part := range []struct{ field, text string }{
		{"description", in.Description}, {"rootCause", in.RootCause}, {"immediate", in.Immediate}, {"remedy", in.Remedy}, {"prevention", in.Prevention},
	} {
		if utf8.RuneCountInString(strings.TrimSpace(part.text)) > MaxText {
			fields = append(fields, problem(part.field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Owner)) > 200 {
		fields = append(fields, problem("owner", "Skriv den ansvariges namn med högst 200 tecken.", "Write the name of the person responsible in at most 200 characters."))
	}
	if _, err := time.Parse(time.DateOnly, in.DueDate); in.DueDate != "" && err != nil {
		fields = append(fields, problem("dueDate", "Ange när åtgärden ska vara klar, som ÅÅÅÅ-MM-DD.", "Give the date the action is to be done by, as YYYY-MM-DD."))
	}
	if len(in.Milestones) > MaxMilestones {
		fields = append(fields, problem(MilestoneField(MaxMilestones+1, "date"), fmt.Sprintf("Ange högst %d delmål.", MaxMilestones), fmt.Sprintf("Give at most %d milestones.", MaxMilestones)))
	}
	for i, m := range in.Milestones {
		if _, err := time.Parse(time.DateOnly, m.Date); m.Date != "" && err != nil {
			fields = append(fields, problem(MilestoneField(i+1, "date"), fmt.Sprintf("Delmål %d: ange datum som ÅÅÅÅ-MM-DD.", i+1), fmt.Sprintf("Milestone %d: give the date as YYYY-MM-DD.", i+1)))
		}
		if w := strings.TrimSpace(m.What); utf8.RuneCountInString(w) > 500 || !oneLine(w) {
			fields = append(fields, problem(MilestoneField(i+1, "what"), fmt.Sprintf("Delmål %d: skriv på en rad vad som ska vara klart (högst 500 tecken).", i+1), fmt.Sprintf("Milestone %d: write on one line what is to be done (at most 500 characters).", i+1)))
		}
	}
	return fields
}

// within names problems of one deviation's action: "<deviation>.<field>".
func within(deviation string, fields []apperr.Field) []apperr.Field {
	out := make([]apperr.Field, len(fields))
	for i, f := range fields {
		out[i] = apperr.Field{Field: deviation + "." + f.Field, Message: f.Message}
	}
	return out
}

// SavePlan keeps the supplier's whole plan as typed, every action in one
// write, so nothing typed for one deviation is lost by saving another.
// With send, each action must also be complete, and the plan goes to the
// reviewer in the same write.
func (s *Service) SavePlan(ctx context.Context, token, ip string, actions map[string]ActionInput, send bool) (*Assessment, error) {
	var entries []TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *Assessment, _ *questionnaire.Questionnaire) error {
		entries = nil
		if !a.PlanOpen() {
			return errPlanClosed
		}
		var fields []apperr.Field
		for _, d := range a.PlanDeviations() {
			in := actions[d.ID]
			if in.SameAs != "" {
				if !a.inPlan(in.SameAs) || in.SameAs == d.ID || actions[in.SameAs].SameAs != "" {
					fields = append(fields, errSameAs(d.ID))
				}
				continue
			}
			fields = append(fields, within(d.ID, checkDraft(in))...)
			if send {
				if err := s.CheckAction(in, a, gravest(d, a.PlanDeviations(), actions)); err != nil {
					fields = append(fields, within(d.ID, err.(*apperr.Error).Fields)...)
				}
			}
		}
		if len(fields) > 0 {
			return invalid(uniqueFields(fields)...)
		}
		now := s.Now().UTC()
		var changes []Change
		for _, d := range a.PlanDeviations() {
			in := actions[d.ID]
			if in.SameAs != "" {
				changes = append(changes, d.cover(in.SameAs)...)
				continue
			}
			if d.CoveredBy != "" { // its own action again
				changes = append(changes, Change{"action " + d.ID, "= " + d.CoveredBy, ""})
				d.CoveredBy = ""
			}
			if in.Blank() && d.Action == nil {
				continue
			}
			before := d.Action
			ch, err := d.setAction(in, now, a.Supplier.ContactEmail)
			if err != nil {
				return err
			}
			if before == nil || !sameAction(before, d.Action) {
				d.Action.ProposedAt = now
				changes = append(changes, ch...)
			}
		}
		if len(changes) > 0 {
			entries = append(entries, TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActActionProposed, Changes: changes})
		}
		if send {
			a.PlanState, a.PlanProposedAt = PlanProposed, now
			entries = append(entries, TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActPlanProposed, Changes: []Change{{"actions", "", fmt.Sprint(len(a.PlanDeviations()))}}})
		}
		a.Trail, a.UpdatedAt = append(a.Trail, entries...), now
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, e.Action, a.ID, e.Detail())
	}
	return a, nil
}

// gravestOf is d with the gravest severity of the deviations its action
// remedies, itself and those it covers.
func (a *Assessment) gravestOf(d *Deviation) *Deviation {
	actions := map[string]ActionInput{}
	for _, c := range a.Covered(d) {
		actions[c.ID] = ActionInput{SameAs: d.ID}
	}
	return gravest(d, a.PlanDeviations(), actions)
}

// inPlan tells whether deviation id is one the plan is asked for.
func (a *Assessment) inPlan(id string) bool {
	for _, p := range a.PlanDeviations() {
		if p.ID == id {
			return true
		}
	}
	return false
}

// coverWith makes d remedied by the action of deviation other: another
// deviation of the plan with its own action, while none leans on d's.
func (a *Assessment) coverWith(d *Deviation, other string) ([]Change, error) {
	o, ok := a.Deviation(other)
	if !ok || !a.inPlan(other) || other == d.ID || o.CoveredBy != "" || len(a.Covered(d)) > 0 {
		return nil, invalid(errSameAs(d.ID))
	}
	return d.cover(other), nil
}

// errSameAs is the problem with a deviation's choice of another's action.
func errSameAs(deviation string) apperr.Field {
	return problem(deviation+".sameAs", "Välj en annan avvikelse i planen som har en egen åtgärd.", "Choose another deviation of the plan that has its own action.")
}

// cover makes d remedied by the action of deviation other, and says what changed.
func (d *Deviation) cover(other string) []Change {
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

// gravest is d with the gravest severity of those its action remedies,
// itself and the deviations whose input names it (SameAs): the action
// keeps the shortest of their deadlines.
func gravest(d *Deviation, plan []*Deviation, actions map[string]ActionInput) *Deviation {
	g := *d
	rank := map[questionnaire.Severity]int{questionnaire.Minor: 1, questionnaire.Major: 2, questionnaire.Critical: 3}
	for _, p := range plan {
		if actions[p.ID].SameAs == d.ID && rank[p.Severity] > rank[g.Severity] {
			g.Severity = p.Severity
		}
	}
	return &g
}

// uniqueFields keeps the first problem of each field: a field shows one message.
func uniqueFields(fields []apperr.Field) []apperr.Field {
	seen := map[string]bool{}
	var out []apperr.Field
	for _, f := range fields {
		if !seen[f.Field] {
			seen[f.Field] = true
			out = append(out, f)
		}
	}
	return out
}

// sameAction tells whether two actions say the same.
func sameAction(a, b *Action) bool {
	if a.Description != b.Description || a.RootCause != b.RootCause || a.Immediate != b.Immediate || a.Remedy != b.Remedy ||
		a.Prevention != b.Prevention || a.Owner != b.Owner || a.DueDate != b.DueDate || len(a.Milestones) != len(b.Milestones) {
		return false
	}
	for i := range a.Milestones {
		if a.Milestones[i] != b.Milestones[i] {
			return false
		}
	}
	return true
}

// setAction puts the action in on a confirmed deviation, keeping the
// reports already made, and says what changed.
func (d *Deviation) setAction(in ActionInput, now time.Time, by string) ([]Change, error) {
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
	return fmt.Sprintf("%s, %s, %s, %d milestones", short(a.Description), a.Owner, a.DueDate, len(a.Milestones))
}

// RequestPlan asks the supplier to propose the time and action plan for
// the confirmed deviations, with a message; asked again after a proposal,
// it returns the plan with what to change.
func (s *Reviews) RequestPlan(ctx context.Context, by *account.Principal, ip, id, message string) (*Assessment, error) {
	check := func() error {
		return needText("message", message, "Skriv vad leverantören ska göra.", "Write what the supplier is to do.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActPlanRequested, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if a.Status != InReview {
			return nil, apperr.New(apperr.Conflict, "Åtgärdsplanen begärs medan uppföljningen granskas.", "The action plan is asked for while the follow-up is under review.")
		}
		if len(a.PlanDeviations()) == 0 {
			return nil, apperr.New(apperr.Conflict, "Bekräfta först de avvikelser som behöver åtgärder.", "First confirm the deviations that need actions.")
		}
		a.PlanState, a.PlanRequestedAt = PlanRequested, now
		before := a.PlanDueDate
		a.PlanDueDate = now.AddDate(0, 0, s.Deadlines().Plan).Format(time.DateOnly)
		a.Comments = append(a.Comments, Comment{At: now, By: by.Email, Kind: CommentPlanRequest, Text: strings.TrimSpace(message)})
		return []Change{{"message", "", short(message)}, {"planDueDate", before, a.PlanDueDate}}, nil
	})
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

var errPlanClosed = apperr.New(apperr.Conflict, "Åtgärdsplanen kan inte ändras nu: granskaren har inte bett om den, eller den är redan skickad.",
	"The action plan cannot be changed now: the reviewer has not asked for it, or it has been sent.")

// ProposeAction is the supplier's proposed action for a confirmed deviation.
func (s *Service) ProposeAction(ctx context.Context, token, ip, deviationID string, in ActionInput) (*Assessment, error) {
	var entry TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *Assessment, _ *questionnaire.Questionnaire) error {
		if !a.PlanOpen() {
			return errPlanClosed
		}
		d, err := findDeviation(a, deviationID)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if in.SameAs != "" {
			changes, err := a.coverWith(d, in.SameAs)
			if err != nil {
				return err
			}
			entry = TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActActionProposed, Changes: changes}
			a.Trail, a.UpdatedAt = append(a.Trail, entry), now
			return nil
		}
		if err := s.CheckAction(in, a, a.gravestOf(d)); err != nil {
			return err
		}
		changes, err := d.setAction(in, now, a.Supplier.ContactEmail)
		if err != nil {
			return err
		}
		d.Action.ProposedAt = now
		entry = TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActActionProposed, Changes: changes}
		a.Trail, a.UpdatedAt = append(a.Trail, entry), now
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, entry.Action, a.ID, entry.Detail())
	return a, nil
}

// ProposePlan sends the supplier's plan to the reviewer, once every
// confirmed deviation has an action.
func (s *Service) ProposePlan(ctx context.Context, token, ip string) (*Assessment, error) {
	var entry TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *Assessment, _ *questionnaire.Questionnaire) error {
		if !a.PlanOpen() {
			return errPlanClosed
		}
		var missing []apperr.Field
		for _, d := range a.PlanDeviations() {
			if d.Action == nil && a.ActionFor(d) != nil {
				continue // remedied by another deviation's action
			}
			if d.Action == nil {
				missing = append(missing, problem("plan."+d.ID, fmt.Sprintf("Föreslå en åtgärd för avvikelsen mot %s.", d.Requirement), fmt.Sprintf("Propose an action for the deviation on %s.", d.Requirement)))
			} else if err := s.CheckAction(d.Action.Input(), a, a.gravestOf(d)); err != nil {
				missing = append(missing, within(d.ID, err.(*apperr.Error).Fields)...)
			}
		}
		if len(missing) > 0 {
			e := apperr.New(apperr.Invalid, "Varje avvikelse behöver en åtgärd innan planen skickas.", "Every deviation needs an action before the plan is sent.")
			e.Fields = missing
			return e
		}
		now := s.Now().UTC()
		a.PlanState, a.PlanProposedAt, a.UpdatedAt = PlanProposed, now, now
		entry = TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActPlanProposed, Changes: []Change{{"actions", "", fmt.Sprint(len(a.PlanDeviations()))}}}
		a.Trail = append(a.Trail, entry)
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, entry.Action, a.ID, entry.Detail())
	return a, nil
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

// LogMissedReports records in the trail each reporting date missed since
// the last run, once per milestone however many instances run: the write
// is conditional on the follow-up's version. It returns how many it logged.
func (s *Reviews) LogMissedReports(ctx context.Context) (int, error) {
	list, err := s.Repo.Summaries(ctx, Filter{Status: CorrectiveActions})
	if err != nil {
		return 0, fmt.Errorf("list follow-ups with actions: %w", err)
	}
	logged := 0
	for _, sm := range list {
		n := 0
		_, err := s.Repo.Update(ctx, sm.ID, func(a *Assessment) error {
			n = 0
			now := s.Now().UTC()
			var changes []Change
			for _, mr := range a.MissedReports(today(now)) {
				m := &mr.Deviation.Action.Milestones[mr.N]
				if !m.Logged.IsZero() {
					continue
				}
				m.Logged = now
				changes = append(changes, Change{"milestone " + mr.Deviation.ID, "", m.Date + ": " + short(m.What)})
			}
			if len(changes) == 0 {
				return errUnchanged
			}
			n = len(changes)
			a.Trail = append(a.Trail, TrailEntry{At: now, By: "SAQ", Action: ActReportMissed, Changes: changes})
			a.UpdatedAt = now
			return nil
		})
		switch {
		case errors.Is(err, errUnchanged):
		case err != nil:
			return logged, fmt.Errorf("log missed reports of %s: %w", sm.ID, err)
		default:
			logged += n
		}
	}
	return logged, nil
}
