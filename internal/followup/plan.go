package followup

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// SavePlan keeps the supplier's whole plan as typed, every action in one
// write, so nothing typed for one deviation is lost by saving another.
// With send, each action must also be complete, and the plan goes to the
// reviewer in the same write.
func (s *Service) SavePlan(ctx context.Context, token, ip string, actions map[string]assessment.ActionInput, send bool) (*assessment.Assessment, error) {
	var entries []assessment.TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, _ *questionnaire.Questionnaire) error {
		entries = nil
		if !a.PlanOpen() {
			return errPlanClosed
		}
		var fields []apperr.Field
		for _, d := range a.PlanDeviations() {
			in := actions[d.ID]
			if in.SameAs != "" {
				if !a.InPlan(in.SameAs) || in.SameAs == d.ID || actions[in.SameAs].SameAs != "" {
					fields = append(fields, assessment.ErrSameAs(d.ID))
				}
				continue
			}
			fields = append(fields, assessment.Within(d.ID, checkDraft(in))...)
			if send {
				if err := s.CheckAction(in, a, assessment.Gravest(d, a.PlanDeviations(), actions)); err != nil {
					fields = append(fields, assessment.Within(d.ID, err.(*apperr.Error).Fields)...)
				}
			}
		}
		if len(fields) > 0 {
			return assessment.Invalid(uniqueFields(fields)...)
		}
		now := s.Now().UTC()
		var changes []assessment.Change
		for _, d := range a.PlanDeviations() {
			in := actions[d.ID]
			if in.SameAs != "" {
				changes = append(changes, d.Cover(in.SameAs)...)
				continue
			}
			if d.CoveredBy != "" { // its own action again
				changes = append(changes, assessment.Change{Field: "action " + d.ID, Before: "= " + d.CoveredBy, After: ""})
				d.CoveredBy = ""
			}
			if in.Blank() && d.Action == nil {
				continue
			}
			before := d.Action
			ch, err := d.SetAction(in, now, a.Supplier.ContactEmail)
			if err != nil {
				return err
			}
			if before == nil || !sameAction(before, d.Action) {
				d.Action.ProposedAt = now
				changes = append(changes, ch...)
			}
		}
		if len(changes) > 0 {
			entries = append(entries, assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActActionProposed, Changes: changes})
		}
		if send {
			a.PlanState, a.PlanProposedAt = assessment.PlanProposed, now
			entries = append(entries, assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActPlanProposed, Changes: []assessment.Change{{Field: "actions", Before: "", After: fmt.Sprint(len(a.PlanDeviations()))}}})
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

// ProposeAction is the supplier's proposed action for a confirmed deviation.
func (s *Service) ProposeAction(ctx context.Context, token, ip, deviationID string, in assessment.ActionInput) (*assessment.Assessment, error) {
	var entry assessment.TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, _ *questionnaire.Questionnaire) error {
		if !a.PlanOpen() {
			return errPlanClosed
		}
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if in.SameAs != "" {
			changes, err := a.CoverWith(d, in.SameAs)
			if err != nil {
				return err
			}
			entry = assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActActionProposed, Changes: changes}
			a.Trail, a.UpdatedAt = append(a.Trail, entry), now
			return nil
		}
		if err := s.CheckAction(in, a, a.GravestOf(d)); err != nil {
			return err
		}
		changes, err := d.SetAction(in, now, a.Supplier.ContactEmail)
		if err != nil {
			return err
		}
		d.Action.ProposedAt = now
		entry = assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActActionProposed, Changes: changes}
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
func (s *Service) ProposePlan(ctx context.Context, token, ip string) (*assessment.Assessment, error) {
	var entry assessment.TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, _ *questionnaire.Questionnaire) error {
		if !a.PlanOpen() {
			return errPlanClosed
		}
		var missing []apperr.Field
		for _, d := range a.PlanDeviations() {
			if d.Action == nil && a.ActionFor(d) != nil {
				continue // remedied by another deviation's action
			}
			if d.Action == nil {
				missing = append(missing, assessment.Problem("plan."+d.ID, fmt.Sprintf("Föreslå en åtgärd för avvikelsen mot %s.", d.Requirement), fmt.Sprintf("Propose an action for the deviation on %s.", d.Requirement)))
			} else if err := s.CheckAction(d.Action.Input(), a, a.GravestOf(d)); err != nil {
				missing = append(missing, assessment.Within(d.ID, err.(*apperr.Error).Fields)...)
			}
		}
		if len(missing) > 0 {
			e := apperr.New(apperr.Invalid, "Varje avvikelse behöver en åtgärd innan planen skickas.", "Every deviation needs an action before the plan is sent.")
			e.Fields = missing
			return e
		}
		now := s.Now().UTC()
		a.PlanState, a.PlanProposedAt, a.UpdatedAt = assessment.PlanProposed, now, now
		entry = assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActPlanProposed, Changes: []assessment.Change{{Field: "actions", Before: "", After: fmt.Sprint(len(a.PlanDeviations()))}}}
		a.Trail = append(a.Trail, entry)
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, entry.Action, a.ID, entry.Detail())
	return a, nil
}

// checkDraft judges an action kept as typed, to be completed later: only
// what could not be kept (too long, a date that is no date).
func checkDraft(in assessment.ActionInput) []apperr.Field {
	var fields []apperr.Field
	for _, part := range []struct{ field, text string }{
		{"description", in.Description}, {"rootCause", in.RootCause}, {"immediate", in.Immediate}, {"remedy", in.Remedy}, {"prevention", in.Prevention},
	} {
		if utf8.RuneCountInString(strings.TrimSpace(part.text)) > assessment.MaxText {
			fields = append(fields, assessment.Problem(part.field, fmt.Sprintf("Texten får vara högst %d tecken.", assessment.MaxText), fmt.Sprintf("The text may be at most %d characters.", assessment.MaxText)))
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Owner)) > 200 {
		fields = append(fields, assessment.Problem("owner", "Skriv den ansvariges namn med högst 200 tecken.", "Write the name of the person responsible in at most 200 characters."))
	}
	if _, err := time.Parse(time.DateOnly, in.DueDate); in.DueDate != "" && err != nil {
		fields = append(fields, assessment.Problem("dueDate", "Ange när åtgärden ska vara klar, som ÅÅÅÅ-MM-DD.", "Give the date the action is to be done by, as YYYY-MM-DD."))
	}
	if len(in.Milestones) > assessment.MaxMilestones {
		fields = append(fields, assessment.Problem(assessment.MilestoneField(assessment.MaxMilestones+1, "date"), fmt.Sprintf("Ange högst %d delmål.", assessment.MaxMilestones), fmt.Sprintf("Give at most %d milestones.", assessment.MaxMilestones)))
	}
	for i, m := range in.Milestones {
		if _, err := time.Parse(time.DateOnly, m.Date); m.Date != "" && err != nil {
			fields = append(fields, assessment.Problem(assessment.MilestoneField(i+1, "date"), fmt.Sprintf("Delmål %d: ange datum som ÅÅÅÅ-MM-DD.", i+1), fmt.Sprintf("Milestone %d: give the date as YYYY-MM-DD.", i+1)))
		}
		if w := strings.TrimSpace(m.What); utf8.RuneCountInString(w) > 500 || !assessment.OneLine(w) {
			fields = append(fields, assessment.Problem(assessment.MilestoneField(i+1, "what"), fmt.Sprintf("Delmål %d: skriv på en rad vad som ska vara klart (högst 500 tecken).", i+1), fmt.Sprintf("Milestone %d: write on one line what is to be done (at most 500 characters).", i+1)))
		}
	}
	return fields
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
func sameAction(a, b *assessment.Action) bool {
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

var errPlanClosed = apperr.New(apperr.Conflict, "Åtgärdsplanen kan inte ändras nu: granskaren har inte bett om den, eller den är redan skickad.",
	"The action plan cannot be changed now: the reviewer has not asked for it, or it has been sent.")
