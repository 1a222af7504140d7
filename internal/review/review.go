package review

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

// StartReview takes a submitted assessment under review.
func (s *Service) StartReview(ctx context.Context, by *account.Principal, ip, id string) (*assessment.Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActReviewStarted, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		return nil, a.Move(assessment.InReview)
	})
}

// Return sends the questionnaire back to the supplier with a message; the
// supplier sees it on the link, changes answers and submits again.
func (s *Service) Return(ctx context.Context, by *account.Principal, ip, id, message string) (*assessment.Assessment, error) {
	check := func() error {
		return assessment.NeedText("message", message, "Skriv vad leverantören ska förtydliga.", "Write what the supplier should clarify.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActReturnedToSupplier, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Move(assessment.Returned); err != nil {
			return nil, err
		}
		a.ReturnedAt = now
		a.Comments = append(a.Comments, assessment.Comment{At: now, By: by.Email, Kind: assessment.CommentReturn, Text: strings.TrimSpace(message)})
		return []assessment.Change{{Field: "message", Before: "", After: assessment.Short(message)}}, nil
	})
}

// AddComment records a reviewer's comment; suppliers do not see it.
func (s *Service) AddComment(ctx context.Context, by *account.Principal, ip, id, text string) (*assessment.Assessment, error) {
	check := func() error { return assessment.NeedText("text", text, "Skriv en kommentar.", "Write a comment.") }
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActCommentAdded, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		a.Comments = append(a.Comments, assessment.Comment{At: now, By: by.Email, Kind: assessment.CommentNote, Text: strings.TrimSpace(text)})
		return []assessment.Change{{Field: "comment", Before: "", After: assessment.Short(text)}}, nil
	})
}

// FindingInput is a deviation, or an observation, found in a desk or
// on-site audit, with the audit's site, day, auditor and interviews.
type FindingInput struct {
	Requirement string
	Severity    questionnaire.Severity
	Source      assessment.Source
	Finding     string
	Evidence    string
	Observation bool // noted, not a deviation
	// SeverityReason says why the severity differs from the requirement's
	// in the catalogue; without it the catalogue's stands. Severity ""
	// takes the catalogue's.
	SeverityReason string
	// Contradicts is the question whose answer the finding contradicts ("" for none).
	Contradicts string
	Site        string
	Date        string // YYYY-MM-DD, the audit's day
	Auditor     string
	Interviews  int
}

// checkVisit judges the audit's details: an on-site audit names its site,
// day and auditor, and interviews at least one worker; a day is never in
// the future.
func (s *Service) checkVisit(in FindingInput) []apperr.Field {
	var fields []apperr.Field
	onSite := in.Source == assessment.OnSiteAudit
	for _, f := range []struct{ field, text, sv, en string }{
		{"site", in.Site, "Ange anläggningen som granskades.", "Give the site that was audited."},
		{"auditor", in.Auditor, "Ange vem som genomförde revisionen.", "Give who carried out the audit."},
	} {
		t := strings.TrimSpace(f.text)
		switch {
		case t == "" && onSite:
			fields = append(fields, assessment.Problem(f.field, f.sv, f.en))
		case utf8.RuneCountInString(t) > 200 || !assessment.OneLine(t):
			fields = append(fields, assessment.Problem(f.field, "Skriv på en rad, högst 200 tecken.", "Write on one line, at most 200 characters."))
		}
	}
	switch d, err := time.Parse(time.DateOnly, in.Date); {
	case in.Date == "" && !onSite:
	case err != nil:
		fields = append(fields, assessment.Problem("date", "Ange revisionens datum som ÅÅÅÅ-MM-DD.", "Give the audit's date as YYYY-MM-DD."))
	case d.After(s.Now().UTC()):
		fields = append(fields, assessment.Problem("date", "Revisionens datum ligger i framtiden.", "The audit's date is in the future."))
	}
	switch {
	case in.Interviews < 0 || in.Interviews > 10000:
		fields = append(fields, assessment.Problem("interviews", "Ange antalet intervjuer, 0 eller fler.", "Give the number of interviews, 0 or more."))
	case onSite && in.Interviews < 1:
		fields = append(fields, assessment.Problem("interviews", "Ange hur många arbetstagare som intervjuades: en revision på plats intervjuar minst en.",
			"Give how many workers were interviewed: an on-site audit interviews at least one."))
	}
	return fields
}

// AddFinding records a deviation from an audit. The one who records it has
// judged it, so it is confirmed at once; a coordinator may still dismiss it.
func (s *Service) AddFinding(ctx context.Context, by *account.Principal, ip, id string, in FindingInput) (*assessment.Assessment, *assessment.Deviation, error) {
	check := func() error {
		var fields []apperr.Field
		if in.Severity != "" && in.Severity != questionnaire.Minor && in.Severity != questionnaire.Major && in.Severity != questionnaire.Critical {
			fields = append(fields, assessment.Problem("severity", "Allvarlighetsgraden är minor, major eller critical.", "The severity is minor, major or critical."))
		}
		if utf8.RuneCountInString(in.SeverityReason) > assessment.MaxText {
			fields = append(fields, assessment.Problem("severityReason", fmt.Sprintf("Texten får vara högst %d tecken.", assessment.MaxText), fmt.Sprintf("The text may be at most %d characters.", assessment.MaxText)))
		}
		if in.Source != assessment.DeskAudit && in.Source != assessment.OnSiteAudit {
			fields = append(fields, assessment.Problem("source", "Källan är desk_audit eller on_site_audit.", "The source is desk_audit or on_site_audit."))
		}
		if err := assessment.NeedText("finding", in.Finding, "Beskriv vad som hittades.", "Describe what was found."); err != nil {
			fields = append(fields, err.(*apperr.Error).Fields...)
		}
		if utf8.RuneCountInString(in.Evidence) > assessment.MaxText {
			fields = append(fields, assessment.Problem("evidence", fmt.Sprintf("Texten får vara högst %d tecken.", assessment.MaxText), fmt.Sprintf("The text may be at most %d characters.", assessment.MaxText)))
		}
		fields = append(fields, s.checkVisit(in)...)
		if len(fields) > 0 {
			return assessment.Invalid(fields...)
		}
		return nil
	}
	var added assessment.Deviation
	a, err := s.Change(ctx, by, ip, id, account.RecordFinding, assessment.ActFindingRecorded, check, func(a *assessment.Assessment, q *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		var req *questionnaire.Requirement
		for i := range q.Requirements {
			if q.Requirements[i].ID == in.Requirement {
				req = &q.Requirements[i]
			}
		}
		if req == nil {
			return nil, assessment.Invalid(assessment.Problem("requirement", "Kravet finns inte i frågeformulärets version.", "The requirement is not in the questionnaire's version."))
		}
		severity, why := in.Severity, strings.TrimSpace(in.SeverityReason)
		if severity == "" {
			severity = req.Severity
		}
		if severity != req.Severity && why == "" {
			return nil, assessment.Invalid(assessment.Problem("severityReason",
				fmt.Sprintf("Kravet %s är %s i katalogen: skriv varför fyndet får en annan allvarlighetsgrad, eller behåll katalogens.", req.ID, assessment.SeverityWord("sv", req.Severity)),
				fmt.Sprintf("The catalogue gives %s as %s: write why the finding takes another severity, or keep the catalogue's.", req.ID, assessment.SeverityWord("en", req.Severity))))
		}
		if severity == req.Severity {
			why = ""
		}
		if in.Contradicts != "" {
			if _, ok := a.Answers[in.Contradicts]; !ok {
				return nil, assessment.Invalid(assessment.Problem("contradicts", "Välj en fråga som leverantören har besvarat.", "Choose a question the supplier has answered."))
			}
		}
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		added = assessment.Deviation{
			ID: assessment.NewID(), Requirement: req.ID, Area: req.Area, Severity: severity, SeverityReason: why, Contradicts: in.Contradicts, Source: in.Source,
			Finding: strings.TrimSpace(in.Finding), Evidence: strings.TrimSpace(in.Evidence), Status: assessment.DevConfirmed,
			RaisedAt: now, RaisedBy: by.Email, DecidedAt: now, DecidedBy: by.Email,
		}
		if in.Observation {
			added.Status = assessment.DevObservation
		}
		if in.Site != "" || in.Date != "" || in.Auditor != "" || in.Interviews > 0 {
			added.Audit = &assessment.AuditVisit{Site: strings.TrimSpace(in.Site), Date: in.Date, Auditor: strings.TrimSpace(in.Auditor), Interviews: in.Interviews}
		}
		a.Deviations = append(a.Deviations, added)
		return []assessment.Change{{Field: "deviation " + added.ID, Before: "", After: fmt.Sprintf("%s %s (%s, %s): %s", req.ID, severity, in.Source, added.Status, assessment.Short(in.Finding)) + reasonSuffix(why)}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, &added, nil
}

// Decide confirms a deviation, or dismisses it with a reason.
func (s *Service) Decide(ctx context.Context, by *account.Principal, ip, id, deviationID string, confirm bool, reason string) (*assessment.Assessment, error) {
	check := func() error {
		if confirm {
			return nil
		}
		return assessment.NeedText("reason", reason, "Skriv varför avvikelsen avfärdas.", "Write why the deviation is dismissed.")
	}
	name := map[bool]string{true: assessment.ActDeviationConfirmed, false: assessment.ActDeviationDismissed}[confirm]
	return s.Change(ctx, by, ip, id, account.WriteAssessment, name, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		before := d.Status
		switch {
		case confirm && d.Status == assessment.DevOpen:
			d.Status = assessment.DevConfirmed
		case !confirm && (d.Status == assessment.DevOpen || d.Status == assessment.DevConfirmed && (d.Action == nil || d.Action.ClosedAt.IsZero())):
			for _, c := range a.Covered(d) {
				c.CoveredBy = "" // needs an action of its own now
			}
			d.Status, d.Reason, d.Action, d.CoveredBy = assessment.DevDismissed, strings.TrimSpace(reason), nil, ""
		default:
			return nil, apperr.New(apperr.Conflict, "Avvikelsen är redan bedömd.", "The deviation has already been judged.")
		}
		d.DecidedAt, d.DecidedBy = now, by.Email
		return []assessment.Change{{Field: "deviation " + d.ID, Before: string(before), After: string(d.Status) + reasonSuffix(reason)}}, nil
	})
}

// MoveDeviation moves a deviation to another requirement of the
// questionnaire's version, with a reason, and gives it that requirement's
// severity: a confirmed "Vet inte" that turns out to hide forced labour,
// or a finding recorded under the wrong requirement. Moved back to where
// it was raised, it is as raised. A settled deviation stays where it is.
func (s *Service) MoveDeviation(ctx context.Context, by *account.Principal, ip, id, deviationID, requirement, reason string) (*assessment.Assessment, error) {
	check := func() error {
		return assessment.NeedText("reason", reason, "Skriv varför avvikelsen flyttas.", "Write why the deviation is moved.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActDeviationMoved, check, func(a *assessment.Assessment, q *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		var to *questionnaire.Requirement
		for i := range q.Requirements {
			if q.Requirements[i].ID == requirement {
				to = &q.Requirements[i]
			}
		}
		switch {
		case to == nil:
			return nil, assessment.Invalid(assessment.Problem("requirement", "Välj ett krav i frågeformulärets version.", "Choose a requirement of the questionnaire's version."))
		case to.ID == d.Requirement:
			return nil, assessment.Invalid(assessment.Problem("requirement", "Avvikelsen gäller redan det kravet.", "The deviation is already on that requirement."))
		case d.Status.Settled() || d.Action != nil && !d.Action.ClosedAt.IsZero():
			return nil, apperr.New(apperr.Conflict, "Avvikelsen är redan avslutad och kan inte flyttas.", "The deviation is settled and cannot be moved.")
		}
		before := fmt.Sprintf("%s %s", d.Requirement, d.Severity)
		if d.MovedFrom == "" {
			d.MovedFrom = d.Requirement
		}
		d.Requirement, d.Area, d.Severity, d.MoveReason = to.ID, to.Area, to.Severity, strings.TrimSpace(reason)
		if d.Requirement == d.MovedFrom {
			d.MovedFrom = "" // back where the answer raised it
		}
		return []assessment.Change{{Field: "deviation " + d.ID, Before: before, After: fmt.Sprintf("%s %s", d.Requirement, d.Severity) + reasonSuffix(reason)}}, nil
	})
}

// PlanAction sets the corrective action of a confirmed deviation, as the
// reviewer writes it (or amends the supplier's proposal).
func (s *Service) PlanAction(ctx context.Context, by *account.Principal, ip, id, deviationID string, in assessment.ActionInput) (*assessment.Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActActionPlanned, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Status != assessment.DevConfirmed {
			return d.SetAction(in, now, by.Email) // refused: only a confirmed deviation gets an action
		}
		if in.SameAs != "" {
			return a.CoverWith(d, in.SameAs)
		}
		if err := s.CheckAction(in, a, a.GravestOf(d)); err != nil {
			return nil, err
		}
		return d.SetAction(in, now, by.Email)
	})
}

// AgreePlan moves a reviewed follow-up to its corrective actions, once every
// deviation is judged and each confirmed one has an action.
func (s *Service) AgreePlan(ctx context.Context, by *account.Principal, ip, id string) (*assessment.Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActPlanAgreed, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		if err := a.Status.MoveTo(assessment.CorrectiveActions); err != nil {
			return nil, err
		}
		if e := a.AgreeRefusal(); e != nil {
			return nil, e
		}
		return nil, a.Move(assessment.CorrectiveActions)
	})
}

// SettleInput closes a deviation: verified done, on evidence, or accepted
// without full remedy (Accept), with a note. A close rests on a file the
// supplier reported with, or on the reviewer's record of how it was
// verified: at the desk or on site (Method), by whom, on which day.
type SettleInput struct {
	Accept     bool
	Note       string
	Method     string // VerifiedAtDesk or VerifiedOnSite; "" when a reported file shows it
	VerifiedBy string
	VerifiedOn string // YYYY-MM-DD
}

// checkVerification judges the record of a verification, if one is given.
func (s *Service) checkVerification(in SettleInput) []apperr.Field {
	if in.Method == "" && in.VerifiedBy == "" && in.VerifiedOn == "" {
		return nil
	}
	var fields []apperr.Field
	if in.Method != assessment.VerifiedAtDesk && in.Method != assessment.VerifiedOnSite {
		fields = append(fields, assessment.Problem("method", "Välj hur åtgärden verifierades: vid skrivbordet eller på plats.", "Choose how the action was verified: at the desk or on site."))
	}
	if b := strings.TrimSpace(in.VerifiedBy); b == "" || utf8.RuneCountInString(b) > 200 || !assessment.OneLine(b) {
		fields = append(fields, assessment.Problem("verifiedBy", "Ange på en rad vem som verifierade åtgärden.", "Give on one line who verified the action."))
	}
	switch d, err := time.Parse(time.DateOnly, in.VerifiedOn); {
	case err != nil:
		fields = append(fields, assessment.Problem("verifiedOn", "Ange när åtgärden verifierades, som ÅÅÅÅ-MM-DD.", "Give the date the action was verified, as YYYY-MM-DD."))
	case d.After(s.Now().UTC()):
		fields = append(fields, assessment.Problem("verifiedOn", "Datumet ligger i framtiden.", "The date is in the future."))
	}
	return fields
}

// SettleDeviation closes a deviation whose action the reviewer verified,
// on a file the supplier reported with or a recorded verification, or
// accepts it without full remedy (a reason is then required).
func (s *Service) SettleDeviation(ctx context.Context, by *account.Principal, ip, id, deviationID string, in SettleInput) (*assessment.Assessment, error) {
	check := func() error {
		fields := s.checkVerification(in)
		if in.Accept {
			if err := assessment.NeedText("note", in.Note, "Skriv varför avvikelsen godtas.", "Write why the deviation is accepted."); err != nil {
				fields = append(fields, err.(*apperr.Error).Fields...)
			}
		} else if utf8.RuneCountInString(in.Note) > assessment.MaxText {
			fields = append(fields, assessment.Problem("note", fmt.Sprintf("Texten får vara högst %d tecken.", assessment.MaxText), fmt.Sprintf("The text may be at most %d characters.", assessment.MaxText)))
		}
		if len(fields) > 0 {
			return assessment.Invalid(fields...)
		}
		return nil
	}
	name := map[bool]string{false: assessment.ActDeviationClosed, true: assessment.ActDeviationAccepted}[in.Accept]
	return s.Change(ctx, by, ip, id, account.WriteAssessment, name, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Status != assessment.DevConfirmed {
			return nil, apperr.New(apperr.Conflict, "Bara en bekräftad, öppen avvikelse kan avslutas.", "Only a confirmed, open deviation can be closed.")
		}
		if d.CoveredBy != "" && d.Action == nil {
			return nil, apperr.New(apperr.Conflict, "Avvikelsen åtgärdas med en annan avvikelses åtgärd: avsluta den, så avslutas båda.",
				"The deviation is remedied by another deviation's action: settle that one, and both are settled.")
		}
		if !in.Accept && d.Action == nil {
			return nil, apperr.New(apperr.Conflict, "Avvikelsen har ingen åtgärd att verifiera.", "The deviation has no action to verify.")
		}
		if !in.Accept && in.Method == "" && d.ReportedFiles() == 0 {
			return nil, assessment.Invalid(assessment.Problem("method",
				"Leverantören har inte skickat något underlag för åtgärden: ange hur den verifierades (vid skrivbordet eller på plats), av vem och när.",
				"The supplier has sent no evidence of the action: give how it was verified (at the desk or on site), by whom and when."))
		}
		before := d.Status
		if in.Accept {
			d.Status, d.Reason = assessment.DevAccepted, strings.TrimSpace(in.Note)
		} else {
			d.Status = assessment.DevClosed
		}
		how := ""
		if d.Action != nil {
			d.Action.ClosedAt, d.Action.ClosedBy, d.Action.Note = now, by.Email, strings.TrimSpace(in.Note)
			if in.Method != "" {
				d.Action.Verification = &assessment.Verification{Method: in.Method, By: strings.TrimSpace(in.VerifiedBy), Date: in.VerifiedOn}
				how = fmt.Sprintf(" (%s, %s, %s)", in.Method, d.Action.Verification.By, in.VerifiedOn)
			}
		}
		d.DecidedAt, d.DecidedBy = now, by.Email
		changes := []assessment.Change{{Field: "deviation " + d.ID, Before: string(before), After: string(d.Status) + how + reasonSuffix(in.Note)}}
		for _, c := range a.Covered(d) {
			if c.Status == assessment.DevConfirmed {
				c.Status, c.Reason, c.DecidedAt, c.DecidedBy = d.Status, d.Reason, now, by.Email
				changes = append(changes, assessment.Change{Field: "deviation " + c.ID, Before: string(before), After: string(c.Status) + " = " + d.ID})
			}
		}
		return changes, nil
	})
}

// Close ends a reviewed follow-up once every deviation is dismissed, closed
// or accepted.
func (s *Service) Close(ctx context.Context, by *account.Principal, ip, id string) (*assessment.Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActFollowUpClosed, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Status.MoveTo(assessment.Closed); err != nil {
			return nil, err
		}
		if e := a.CloseRefusal(); e != nil {
			return nil, e
		}
		a.ClosedAt = now
		return nil, a.Move(assessment.Closed)
	})
}

// Withdraw ends a follow-up that is no longer needed; its link stops working.
func (s *Service) Withdraw(ctx context.Context, by *account.Principal, ip, id, reason string) (*assessment.Assessment, error) {
	check := func() error {
		return assessment.NeedText("reason", reason, "Skriv varför uppföljningen återkallas.", "Write why the follow-up is withdrawn.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActFollowUpWithdrawn, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		if err := a.Move(assessment.Withdrawn); err != nil {
			return nil, err
		}
		a.ClosedAt = now
		return []assessment.Change{{Field: "reason", Before: "", After: assessment.Short(reason)}}, nil
	})
}

// AttachToFinding keeps a file from an audit (photographs, interview
// notes, documents seen) with the finding it supports. Only audit findings
// take files; the supplier's evidence comes with its answers and reports.
func (s *Service) AttachToFinding(ctx context.Context, by *account.Principal, ip, id, deviationID, name string, data []byte) (*assessment.Assessment, error) {
	ev, err := s.CheckFile(name, data)
	if err != nil {
		return nil, err
	}
	ev.Deviation = deviationID
	if err := s.Authorize(ctx, by, id, account.RecordFinding); err != nil {
		return nil, err
	}
	if err := s.Files.Put(ctx, ev.ID, data); err != nil {
		return nil, fmt.Errorf("store audit file: %w", err)
	}
	a, err := s.Change(ctx, by, ip, id, account.RecordFinding, assessment.ActFindingFileAttached, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		d, err := assessment.FindDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Source == assessment.FromSAQ {
			return nil, apperr.New(apperr.Conflict, "Bara fynd från en revision tar emot filer.", "Only findings from an audit take files.")
		}
		if err := assessment.WithinQuota(a, ev.Size); err != nil {
			return nil, err
		}
		a.Evidence = append(a.Evidence, ev)
		return []assessment.Change{{Field: "deviation " + d.ID, Before: "", After: ev.Name}}, nil
	})
	if err != nil {
		_ = s.Files.Delete(ctx, ev.ID) // not recorded: do not keep it
		return nil, err
	}
	return a, nil
}

func reasonSuffix(reason string) string {
	if r := strings.TrimSpace(reason); r != "" {
		return ": " + assessment.Short(r)
	}
	return ""
}
