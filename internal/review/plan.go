package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// RequestPlan asks the supplier to propose the time and action plan for
// the confirmed deviations, with a message; asked again after a proposal,
// it returns the plan with what to change.
func (s *Service) RequestPlan(ctx context.Context, by *account.Principal, ip, id, message string) (*assessment.Assessment, error) {
	check := func() error {
		return assessment.NeedText("message", message, "Skriv vad leverantören ska göra.", "Write what the supplier is to do.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActPlanRequested, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if a.Status != assessment.InReview {
			return nil, apperr.New(apperr.Conflict, "Åtgärdsplanen begärs medan uppföljningen granskas.", "The action plan is asked for while the follow-up is under review.")
		}
		if len(a.PlanDeviations()) == 0 {
			return nil, apperr.New(apperr.Conflict, "Bekräfta först de avvikelser som behöver åtgärder.", "First confirm the deviations that need actions.")
		}
		a.PlanState, a.PlanRequestedAt = assessment.PlanRequested, now
		before := a.PlanDueDate
		a.PlanDueDate = now.AddDate(0, 0, s.Deadlines().Plan).Format(time.DateOnly)
		a.Comments = append(a.Comments, assessment.Comment{At: now, By: by.Email, Kind: assessment.CommentPlanRequest, Text: strings.TrimSpace(message)})
		return []assessment.Change{{Field: "message", Before: "", After: assessment.Short(message)}, {Field: "planDueDate", Before: before, After: a.PlanDueDate}}, nil
	})
}

// LogMissedReports records in the trail each reporting date missed since
// the last run, once per milestone however many instances run: the write
// is conditional on the follow-up's version. It returns how many it logged.
func (s *Service) LogMissedReports(ctx context.Context) (int, error) {
	list, err := s.Repo.Summaries(ctx, assessment.Filter{Status: assessment.CorrectiveActions})
	if err != nil {
		return 0, fmt.Errorf("list follow-ups with actions: %w", err)
	}
	logged := 0
	for _, sm := range list {
		n := 0
		_, err := s.Repo.Update(ctx, sm.ID, func(a *assessment.Assessment) error {
			n = 0
			now := s.Now().UTC()
			var changes []assessment.Change
			for _, mr := range a.MissedReports(assessment.Day(now)) {
				m := &mr.Deviation.Action.Milestones[mr.N]
				if !m.Logged.IsZero() {
					continue
				}
				m.Logged = now
				changes = append(changes, assessment.Change{Field: "milestone " + mr.Deviation.ID, Before: "", After: m.Date + ": " + assessment.Short(m.What)})
			}
			if len(changes) == 0 {
				return assessment.ErrUnchanged
			}
			n = len(changes)
			a.Trail = append(a.Trail, assessment.TrailEntry{At: now, By: "SAQ", Action: assessment.ActReportMissed, Changes: changes})
			a.UpdatedAt = now
			return nil
		})
		switch {
		case errors.Is(err, assessment.ErrUnchanged):
		case err != nil:
			return logged, fmt.Errorf("log missed reports of %s: %w", sm.ID, err)
		default:
			logged += n
		}
	}
	return logged, nil
}
