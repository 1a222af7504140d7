package followup

import (
	"context"
	"fmt"
	"strings"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Upload is a file a supplier sends.
type Upload struct {
	Name string
	Data []byte
}

// ReportProgress records the supplier's progress on a corrective action,
// with an evidence file if one is given (the same checks and limits as the
// answers' evidence).
func (s *Service) ReportProgress(ctx context.Context, token, ip, deviationID, text string, file *Upload) (*assessment.Assessment, error) {
	if err := assessment.NeedText("text", text, "Beskriv vad ni har gjort.", "Describe what you have done."); err != nil {
		return nil, err
	}
	var ev *assessment.Evidence
	if file != nil {
		e, err := s.CheckFile(file.Name, file.Data)
		if err != nil {
			return nil, err
		}
		e.Deviation = deviationID
		if err := s.Files.Put(ctx, e.ID, file.Data); err != nil {
			return nil, fmt.Errorf("store evidence: %w", err)
		}
		ev = &e
	}
	var entry assessment.TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, _ *questionnaire.Questionnaire) error {
		d, err := s.openAction(a, deviationID)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		report := assessment.ActionReport{At: now, Text: strings.TrimSpace(text)}
		if ev != nil {
			if err := assessment.WithinQuota(a, ev.Size); err != nil {
				return err
			}
			a.Evidence = append(a.Evidence, *ev)
			report.Files = []string{ev.ID}
		}
		d.Action.Reports = append(d.Action.Reports, report)
		entry = assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActActionProgressReported,
			Changes: []assessment.Change{{Field: "action " + d.ID, Before: "", After: assessment.Short(text)}}}
		a.Trail = append(a.Trail, entry)
		a.UpdatedAt = now
		return nil
	})
	if err != nil {
		if ev != nil {
			_ = s.Files.Delete(ctx, ev.ID) // not recorded: do not keep it
		}
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, entry.Action, a.ID, entry.Detail())
	return a, nil
}

// openAction is a deviation whose action the supplier can report on.
func (s *Service) openAction(a *assessment.Assessment, deviationID string) (*assessment.Deviation, error) {
	if a.Status != assessment.CorrectiveActions {
		return nil, apperr.New(apperr.Conflict, "Det finns inga åtgärder att rapportera just nu.", "There are no actions to report on now.")
	}
	d, err := assessment.FindDeviation(a, deviationID)
	if err != nil {
		return nil, err
	}
	if d.Status != assessment.DevConfirmed || d.Action == nil {
		return nil, apperr.New(apperr.Conflict, "Åtgärden är redan avslutad.", "The action has already been closed.")
	}
	return d, nil
}
