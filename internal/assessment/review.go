package assessment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
)

// MaxText caps a message, finding, reason or comment, in characters.
const MaxText = 5000

// Change runs one staff operation on a follow-up: the person must be allowed act on the
// assessment's region; check then judges the input; op changes the assessment and says what it changed;
// a status change is recorded too, and the entry goes into the assessment's
// trail in the same write and then into the audit log.
func (s *Records) Change(ctx context.Context, by *account.Principal, ip, id string, act account.Action, name string,
	check func() error, op func(a *Assessment, q *questionnaire.Questionnaire, now time.Time) ([]Change, error)) (*Assessment, error) {
	var entry TrailEntry
	// Access and input are judged on the read the change is made from.
	a, err := s.Repo.Update(ctx, id, func(a *Assessment) error {
		if !account.Allowed(by, account.ReadAssessments, a.Region, a.ID) {
			return errNotFound
		}
		if !account.Allowed(by, act, a.Region, a.ID) {
			return errNotYours
		}
		// The input is judged only for someone who may make the change.
		if check != nil {
			if err := check(); err != nil {
				return err
			}
		}
		q, err := s.Questionnaire(a)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		before := a.Status
		changes, err := op(a, q, now)
		if err != nil {
			return err
		}
		if a.Status != before {
			changes = append([]Change{{"status", string(before), string(a.Status)}}, changes...)
		}
		if a.Score != nil {
			// A decision on a deviation counts in the score at once.
			score := a.Rescore(q)
			if t0, t1 := PercentText(a.Score.Total, "n/a"), PercentText(score.Total, "n/a"); t0 != t1 {
				changes = append(changes, Change{"score", t0, t1})
			}
			a.Score = &score
			a.Risk = s.Rate(a)
		}
		a.UpdatedAt = now
		entry = TrailEntry{At: now, By: by.Email, Action: name, Changes: changes}
		a.Trail = append(a.Trail, entry)
		return nil
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: by.Email, IP: ip}, name, a.ID, entry.Detail())
	return a, nil
}

// Authorize tells whether by may do act on assessment id: NotFound when it
// may not read it, Forbidden when it may read it but not do act. Handlers
// ask before they read the input, so a refusal never depends on the input.
func (s *Records) Authorize(ctx context.Context, by *account.Principal, id string, act account.Action) error {
	a, err := s.Get(ctx, by, id)
	if err != nil {
		return err
	}
	if !account.Allowed(by, act, a.Region, a.ID) {
		return errNotYours
	}
	return nil
}

var errNotYours = apperr.New(apperr.Forbidden, "Bara den utskickande regionen kan ändra uppföljningen.", "Only the issuing region can change the follow-up.")

// Move changes the status if the transition table allows it.
func (a *Assessment) Move(to Status) error {
	if err := a.Status.MoveTo(to); err != nil {
		return err
	}
	a.Status = to
	return nil
}

// Reviewing brings a submitted assessment under review, and refuses one that
// is not under review or in its corrective actions.
func (a *Assessment) Reviewing() error {
	switch a.Status {
	case Submitted:
		return a.Move(InReview)
	case InReview, CorrectiveActions:
		return nil
	}
	return apperr.New(apperr.Conflict,
		fmt.Sprintf("Uppföljningen granskas inte nu (den är %s).", a.Status.Label("sv")),
		fmt.Sprintf("The follow-up is not under review (it is %s).", a.Status.Label("en")))
}

// NeedText refuses an empty text with the message sv/en on field, and one
// longer than MaxText.
func NeedText(field, text, sv, en string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return Invalid(Problem(field, sv, en))
	}
	if utf8.RuneCountInString(text) > MaxText {
		return Invalid(Problem(field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
	}
	return nil
}

// FindDeviation is a's deviation id, or NotFound.
func FindDeviation(a *Assessment, id string) (*Deviation, error) {
	d, ok := a.Deviation(id)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "Avvikelsen finns inte.", "The deviation does not exist.")
	}
	return d, nil
}

// SeverityWord is a severity as a reader reads it.
func SeverityWord(lang string, sev questionnaire.Severity) string {
	return i18n.T(lang, "c.sev."+string(sev))
}

// ReportedFiles counts the files the supplier reported on d's action with.
func (d *Deviation) ReportedFiles() int {
	n := 0
	if d.Action != nil {
		for _, r := range d.Action.Reports {
			n += len(r.Files)
		}
	}
	return n
}

// OpenActions are the deviations with actions the supplier still works on.
func (a *Assessment) OpenActions() []*Deviation {
	var out []*Deviation
	if a.Status != CorrectiveActions {
		return nil
	}
	for i := range a.Deviations {
		if d := &a.Deviations[i]; d.Status == DevConfirmed && d.Action != nil {
			out = append(out, d)
		}
	}
	return out
}

// ReturnMessage is the latest message the supplier was sent back with, if
// the questionnaire is back with the supplier.
func (a *Assessment) ReturnMessage() *Comment {
	if a.ReturnedAt.IsZero() || !a.Status.SupplierMayAnswer() {
		return nil
	}
	for i := len(a.Comments) - 1; i >= 0; i-- {
		if a.Comments[i].Kind == "return" {
			return &a.Comments[i]
		}
	}
	return nil
}

// FindingFiles are the files an audit attached to deviation id.
func (a *Assessment) FindingFiles(id string) []Evidence {
	var out []Evidence
	for _, e := range a.Evidence {
		if e.Deviation == id && e.Question == "" && !a.reported(e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// reported tells whether file id came with a supplier's progress report.
func (a *Assessment) reported(id string) bool {
	for _, d := range a.Deviations {
		if d.Action == nil {
			continue
		}
		for _, r := range d.Action.Reports {
			if slices.Contains(r.Files, id) {
				return true
			}
		}
	}
	return false
}

// AgreeRefusal is why the plan cannot be agreed now, nil when it can:
// every deviation judged, each confirmed one with an action, and one at
// least. The page shows it in place of the button.
func (a *Assessment) AgreeRefusal() *apperr.Error {
	open, confirmed, noAction := 0, 0, ""
	for _, d := range a.Deviations {
		switch {
		case d.Status == DevOpen:
			open++
		case d.Status == DevConfirmed && a.ActionFor(&d) == nil && noAction == "":
			noAction = d.Requirement
		case d.Status == DevConfirmed:
			confirmed++
		}
	}
	switch {
	case open > 0:
		return apperr.New(apperr.Conflict, fmt.Sprintf("%d avvikelser är inte bedömda än.", open), fmt.Sprintf("%d deviations have not been judged yet.", open))
	case noAction != "":
		return apperr.New(apperr.Conflict, fmt.Sprintf("Avvikelsen mot %s saknar åtgärd.", noAction), fmt.Sprintf("The deviation on %s has no action.", noAction))
	case confirmed == 0:
		return apperr.New(apperr.Conflict, "Det finns inga åtgärder att följa upp; avsluta uppföljningen i stället.", "There are no actions to follow up; close the follow-up instead.")
	}
	return nil
}

// CloseRefusal is why the follow-up cannot be closed now, nil when it can:
// every deviation closed, accepted or dismissed.
func (a *Assessment) CloseRefusal() *apperr.Error {
	unsettled := 0
	for _, d := range a.Deviations {
		if !d.Status.Settled() {
			unsettled++
		}
	}
	if unsettled > 0 {
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("%d avvikelser är inte avslutade eller godtagna.", unsettled),
			fmt.Sprintf("%d deviations are not closed or accepted.", unsettled))
	}
	return nil
}
