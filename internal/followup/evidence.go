package followup

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Attach stores a file as evidence for a file question of the supplier's
// assessment. The type is read from the content; the limits are 10 MB a file
// and 50 MB an assessment.
func (s *Service) Attach(ctx context.Context, token, questionID, name string, data []byte) (*assessment.Assessment, assessment.Evidence, error) {
	a, q, err := s.supplierQuestionnaire(ctx, token)
	if err != nil {
		return nil, assessment.Evidence{}, err
	}
	qu, ok := q.Question(questionID)
	if !ok || qu.Type != questionnaire.File || !assessment.Visible(q, a.Level, a.Answers)[questionID] {
		return nil, assessment.Evidence{}, apperr.New(apperr.Invalid, "Frågan tar inte emot filer.", "The question does not take files.")
	}
	ev, err := s.CheckFile(name, data)
	if err != nil {
		return nil, assessment.Evidence{}, err
	}
	ev.Question = questionID
	if err := s.Files.Put(ctx, ev.ID, data); err != nil {
		return nil, assessment.Evidence{}, fmt.Errorf("store evidence: %w", err)
	}
	updated, err := s.Repo.Update(ctx, a.ID, func(a *assessment.Assessment) error {
		if !a.Status.SupplierMayAnswer() {
			return errSubmitted
		}
		if err := assessment.WithinQuota(a, ev.Size); err != nil {
			return err
		}
		a.Evidence = append(a.Evidence, ev)
		before := a.Answers[questionID]
		ans := before
		ans.Files = append(slices.Clone(ans.Files), ev.ID)
		a.Answers[questionID] = ans.Touched(before)
		if a.Status == assessment.Issued || a.Status == assessment.Returned {
			a.Status = assessment.InProgress
		}
		a.Progress = assessment.ProgressOf(q, a.Level, a.Answers)
		a.UpdatedAt = s.Now().UTC()
		return nil
	})
	if err != nil {
		_ = s.Files.Delete(ctx, ev.ID) // not attached: do not keep it
		return nil, assessment.Evidence{}, err
	}
	return updated, ev, nil
}

// Detach removes an evidence file the supplier attached.
func (s *Service) Detach(ctx context.Context, token, evidenceID string) (*assessment.Assessment, error) {
	a, q, err := s.supplierQuestionnaire(ctx, token)
	if err != nil {
		return nil, err
	}
	updated, err := s.Repo.Update(ctx, a.ID, func(a *assessment.Assessment) error {
		if !a.Status.SupplierMayAnswer() {
			return errSubmitted
		}
		i := slices.IndexFunc(a.Evidence, func(e assessment.Evidence) bool { return e.ID == evidenceID })
		if i < 0 {
			return errFileNotFound
		}
		ev := a.Evidence[i]
		a.Evidence = slices.Delete(a.Evidence, i, i+1)
		before := a.Answers[ev.Question]
		ans := before
		ans.Files = slices.DeleteFunc(slices.Clone(ans.Files), func(id string) bool { return id == evidenceID })
		a.Answers[ev.Question] = ans.Touched(before)
		a.Progress = assessment.ProgressOf(q, a.Level, a.Answers)
		a.UpdatedAt = s.Now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.Files.Delete(ctx, evidenceID); err != nil {
		return nil, fmt.Errorf("delete evidence %s: %w", evidenceID, err)
	}
	return updated, nil
}

// File returns an evidence file of an assessment the caller has already been
// allowed to read, with its description.
func (s *Service) File(ctx context.Context, a *assessment.Assessment, evidenceID string) (assessment.Evidence, []byte, error) {
	i := slices.IndexFunc(a.Evidence, func(e assessment.Evidence) bool { return e.ID == evidenceID })
	if i < 0 {
		return assessment.Evidence{}, nil, errFileNotFound
	}
	data, err := s.Files.Get(ctx, evidenceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return assessment.Evidence{}, nil, errFileNotFound
	}
	if err != nil {
		return assessment.Evidence{}, nil, fmt.Errorf("read evidence %s: %w", evidenceID, err)
	}
	return a.Evidence[i], data, nil
}

var errFileNotFound = apperr.New(apperr.NotFound, "Filen finns inte.", "The file does not exist.")
