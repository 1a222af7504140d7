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
			score := a.score(q)
			if t0, t1 := percentText(a.Score.Total, "n/a"), percentText(score.Total, "n/a"); t0 != t1 {
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

// move changes the status if the transition table allows it.
func (a *Assessment) move(to Status) error {
	if err := a.Status.moveTo(to); err != nil {
		return err
	}
	a.Status = to
	return nil
}

// reviewing brings a submitted assessment under review, and refuses one that
// is not under review or in its corrective actions.
func (a *Assessment) reviewing() error {
	switch a.Status {
	case Submitted:
		return a.move(InReview)
	case InReview, CorrectiveActions:
		return nil
	}
	return apperr.New(apperr.Conflict,
		fmt.Sprintf("Uppföljningen granskas inte nu (den är %s).", a.Status.Label("sv")),
		fmt.Sprintf("The follow-up is not under review (it is %s).", a.Status.Label("en")))
}

func needText(field, text, sv, en string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return invalid(problem(field, sv, en))
	}
	if utf8.RuneCountInString(text) > MaxText {
		return invalid(problem(field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
	}
	return nil
}

func findDeviation(a *Assessment, id string) (*Deviation, error) {
	d, ok := a.Deviation(id)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "Avvikelsen finns inte.", "The deviation does not exist.")
	}
	return d, nil
}

// StartReview takes a submitted assessment under review.
func (s *Reviews) StartReview(ctx context.Context, by *account.Principal, ip, id string) (*Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActReviewStarted, nil, func(a *Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]Change, error) {
		return nil, a.move(InReview)
	})
}

// Return sends the questionnaire back to the supplier with a message; the
// supplier sees it on the link, changes answers and submits again.
func (s *Reviews) Return(ctx context.Context, by *account.Principal, ip, id, message string) (*Assessment, error) {
	check := func() error {
		return needText("message", message, "Skriv vad leverantören ska förtydliga.", "Write what the supplier should clarify.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActReturnedToSupplier, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.move(Returned); err != nil {
			return nil, err
		}
		a.ReturnedAt = now
		a.Comments = append(a.Comments, Comment{At: now, By: by.Email, Kind: CommentReturn, Text: strings.TrimSpace(message)})
		return []Change{{"message", "", short(message)}}, nil
	})
}

// AddComment records a reviewer's comment; suppliers do not see it.
func (s *Reviews) AddComment(ctx context.Context, by *account.Principal, ip, id, text string) (*Assessment, error) {
	check := func() error { return needText("text", text, "Skriv en kommentar.", "Write a comment.") }
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActCommentAdded, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		a.Comments = append(a.Comments, Comment{At: now, By: by.Email, Kind: CommentNote, Text: strings.TrimSpace(text)})
		return []Change{{"comment", "", short(text)}}, nil
	})
}

// FindingInput is a deviation, or an observation, found in a desk or
// on-site audit, with the audit's site, day, auditor and interviews.
type FindingInput struct {
	Requirement string
	Severity    questionnaire.Severity
	Source      Source
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
func (s *Reviews) checkVisit(in FindingInput) []apperr.Field {
	var fields []apperr.Field
	onSite := in.Source == OnSiteAudit
	for _, f := range []struct{ field, text, sv, en string }{
		{"site", in.Site, "Ange anläggningen som granskades.", "Give the site that was audited."},
		{"auditor", in.Auditor, "Ange vem som genomförde revisionen.", "Give who carried out the audit."},
	} {
		t := strings.TrimSpace(f.text)
		switch {
		case t == "" && onSite:
			fields = append(fields, problem(f.field, f.sv, f.en))
		case utf8.RuneCountInString(t) > 200 || !oneLine(t):
			fields = append(fields, problem(f.field, "Skriv på en rad, högst 200 tecken.", "Write on one line, at most 200 characters."))
		}
	}
	switch d, err := time.Parse(time.DateOnly, in.Date); {
	case in.Date == "" && !onSite:
	case err != nil:
		fields = append(fields, problem("date", "Ange revisionens datum som ÅÅÅÅ-MM-DD.", "Give the audit's date as YYYY-MM-DD."))
	case d.After(s.Now().UTC()):
		fields = append(fields, problem("date", "Revisionens datum ligger i framtiden.", "The audit's date is in the future."))
	}
	switch {
	case in.Interviews < 0 || in.Interviews > 10000:
		fields = append(fields, problem("interviews", "Ange antalet intervjuer, 0 eller fler.", "Give the number of interviews, 0 or more."))
	case onSite && in.Interviews < 1:
		fields = append(fields, problem("interviews", "Ange hur många arbetstagare som intervjuades: en revision på plats intervjuar minst en.",
			"Give how many workers were interviewed: an on-site audit interviews at least one."))
	}
	return fields
}

// AddFinding records a deviation from an audit. The one who records it has
// judged it, so it is confirmed at once; a coordinator may still dismiss it.
func (s *Reviews) AddFinding(ctx context.Context, by *account.Principal, ip, id string, in FindingInput) (*Assessment, *Deviation, error) {
	check := func() error {
		var fields []apperr.Field
		if in.Severity != "" && in.Severity != questionnaire.Minor && in.Severity != questionnaire.Major && in.Severity != questionnaire.Critical {
			fields = append(fields, problem("severity", "Allvarlighetsgraden är minor, major eller critical.", "The severity is minor, major or critical."))
		}
		if utf8.RuneCountInString(in.SeverityReason) > MaxText {
			fields = append(fields, problem("severityReason", fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
		}
		if in.Source != DeskAudit && in.Source != OnSiteAudit {
			fields = append(fields, problem("source", "Källan är desk_audit eller on_site_audit.", "The source is desk_audit or on_site_audit."))
		}
		if err := needText("finding", in.Finding, "Beskriv vad som hittades.", "Describe what was found."); err != nil {
			fields = append(fields, err.(*apperr.Error).Fields...)
		}
		if utf8.RuneCountInString(in.Evidence) > MaxText {
			fields = append(fields, problem("evidence", fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
		}
		fields = append(fields, s.checkVisit(in)...)
		if len(fields) > 0 {
			return invalid(fields...)
		}
		return nil
	}
	var added Deviation
	a, err := s.Change(ctx, by, ip, id, account.RecordFinding, ActFindingRecorded, check, func(a *Assessment, q *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		var req *questionnaire.Requirement
		for i := range q.Requirements {
			if q.Requirements[i].ID == in.Requirement {
				req = &q.Requirements[i]
			}
		}
		if req == nil {
			return nil, invalid(problem("requirement", "Kravet finns inte i frågeformulärets version.", "The requirement is not in the questionnaire's version."))
		}
		severity, why := in.Severity, strings.TrimSpace(in.SeverityReason)
		if severity == "" {
			severity = req.Severity
		}
		if severity != req.Severity && why == "" {
			return nil, invalid(problem("severityReason",
				fmt.Sprintf("Kravet %s är %s i katalogen: skriv varför fyndet får en annan allvarlighetsgrad, eller behåll katalogens.", req.ID, severityWord("sv", req.Severity)),
				fmt.Sprintf("The catalogue gives %s as %s: write why the finding takes another severity, or keep the catalogue's.", req.ID, severityWord("en", req.Severity))))
		}
		if severity == req.Severity {
			why = ""
		}
		if in.Contradicts != "" {
			if _, ok := a.Answers[in.Contradicts]; !ok {
				return nil, invalid(problem("contradicts", "Välj en fråga som leverantören har besvarat.", "Choose a question the supplier has answered."))
			}
		}
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		added = Deviation{
			ID: newID(), Requirement: req.ID, Area: req.Area, Severity: severity, SeverityReason: why, Contradicts: in.Contradicts, Source: in.Source,
			Finding: strings.TrimSpace(in.Finding), Evidence: strings.TrimSpace(in.Evidence), Status: DevConfirmed,
			RaisedAt: now, RaisedBy: by.Email, DecidedAt: now, DecidedBy: by.Email,
		}
		if in.Observation {
			added.Status = DevObservation
		}
		if in.Site != "" || in.Date != "" || in.Auditor != "" || in.Interviews > 0 {
			added.Audit = &AuditVisit{Site: strings.TrimSpace(in.Site), Date: in.Date, Auditor: strings.TrimSpace(in.Auditor), Interviews: in.Interviews}
		}
		a.Deviations = append(a.Deviations, added)
		return []Change{{"deviation " + added.ID, "", fmt.Sprintf("%s %s (%s, %s): %s", req.ID, severity, in.Source, added.Status, short(in.Finding)) + reasonSuffix(why)}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, &added, nil
}

// Decide confirms a deviation, or dismisses it with a reason.
func (s *Reviews) Decide(ctx context.Context, by *account.Principal, ip, id, deviationID string, confirm bool, reason string) (*Assessment, error) {
	check := func() error {
		if confirm {
			return nil
		}
		return needText("reason", reason, "Skriv varför avvikelsen avfärdas.", "Write why the deviation is dismissed.")
	}
	name := map[bool]string{true: ActDeviationConfirmed, false: ActDeviationDismissed}[confirm]
	return s.Change(ctx, by, ip, id, account.WriteAssessment, name, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		d, err := findDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		before := d.Status
		switch {
		case confirm && d.Status == DevOpen:
			d.Status = DevConfirmed
		case !confirm && (d.Status == DevOpen || d.Status == DevConfirmed && (d.Action == nil || d.Action.ClosedAt.IsZero())):
			for _, c := range a.Covered(d) {
				c.CoveredBy = "" // needs an action of its own now
			}
			d.Status, d.Reason, d.Action, d.CoveredBy = DevDismissed, strings.TrimSpace(reason), nil, ""
		default:
			return nil, apperr.New(apperr.Conflict, "Avvikelsen är redan bedömd.", "The deviation has already been judged.")
		}
		d.DecidedAt, d.DecidedBy = now, by.Email
		return []Change{{"deviation " + d.ID, string(before), string(d.Status) + reasonSuffix(reason)}}, nil
	})
}

// MoveDeviation moves a deviation to another requirement of the
// questionnaire's version, with a reason, and gives it that requirement's
// severity: a confirmed "Vet inte" that turns out to hide forced labour,
// or a finding recorded under the wrong requirement. Moved back to where
// it was raised, it is as raised. A settled deviation stays where it is.
func (s *Reviews) MoveDeviation(ctx context.Context, by *account.Principal, ip, id, deviationID, requirement, reason string) (*Assessment, error) {
	check := func() error {
		return needText("reason", reason, "Skriv varför avvikelsen flyttas.", "Write why the deviation is moved.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActDeviationMoved, check, func(a *Assessment, q *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		d, err := findDeviation(a, deviationID)
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
			return nil, invalid(problem("requirement", "Välj ett krav i frågeformulärets version.", "Choose a requirement of the questionnaire's version."))
		case to.ID == d.Requirement:
			return nil, invalid(problem("requirement", "Avvikelsen gäller redan det kravet.", "The deviation is already on that requirement."))
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
		return []Change{{"deviation " + d.ID, before, fmt.Sprintf("%s %s", d.Requirement, d.Severity) + reasonSuffix(reason)}}, nil
	})
}

// severityWord is a severity as a reader reads it.
func severityWord(lang string, sev questionnaire.Severity) string {
	return i18n.T(lang, "c.sev."+string(sev))
}

func reasonSuffix(reason string) string {
	if r := strings.TrimSpace(reason); r != "" {
		return ": " + short(r)
	}
	return ""
}

// PlanAction sets the corrective action of a confirmed deviation, as the
// reviewer writes it (or amends the supplier's proposal).
func (s *Reviews) PlanAction(ctx context.Context, by *account.Principal, ip, id, deviationID string, in ActionInput) (*Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActActionPlanned, nil, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		d, err := findDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Status != DevConfirmed {
			return d.setAction(in, now, by.Email) // refused: only a confirmed deviation gets an action
		}
		if in.SameAs != "" {
			return a.coverWith(d, in.SameAs)
		}
		if err := s.CheckAction(in, a, a.gravestOf(d)); err != nil {
			return nil, err
		}
		return d.setAction(in, now, by.Email)
	})
}

// AgreePlan moves a reviewed follow-up to its corrective actions, once every
// deviation is judged and each confirmed one has an action.
func (s *Reviews) AgreePlan(ctx context.Context, by *account.Principal, ip, id string) (*Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActPlanAgreed, nil, func(a *Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]Change, error) {
		if err := a.Status.moveTo(CorrectiveActions); err != nil {
			return nil, err
		}
		if e := a.AgreeRefusal(); e != nil {
			return nil, e
		}
		return nil, a.move(CorrectiveActions)
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
func (s *Reviews) checkVerification(in SettleInput) []apperr.Field {
	if in.Method == "" && in.VerifiedBy == "" && in.VerifiedOn == "" {
		return nil
	}
	var fields []apperr.Field
	if in.Method != VerifiedAtDesk && in.Method != VerifiedOnSite {
		fields = append(fields, problem("method", "Välj hur åtgärden verifierades: vid skrivbordet eller på plats.", "Choose how the action was verified: at the desk or on site."))
	}
	if b := strings.TrimSpace(in.VerifiedBy); b == "" || utf8.RuneCountInString(b) > 200 || !oneLine(b) {
		fields = append(fields, problem("verifiedBy", "Ange på en rad vem som verifierade åtgärden.", "Give on one line who verified the action."))
	}
	switch d, err := time.Parse(time.DateOnly, in.VerifiedOn); {
	case err != nil:
		fields = append(fields, problem("verifiedOn", "Ange när åtgärden verifierades, som ÅÅÅÅ-MM-DD.", "Give the date the action was verified, as YYYY-MM-DD."))
	case d.After(s.Now().UTC()):
		fields = append(fields, problem("verifiedOn", "Datumet ligger i framtiden.", "The date is in the future."))
	}
	return fields
}

// reportedFiles counts the files the supplier reported on d's action with.
func (d *Deviation) reportedFiles() int {
	n := 0
	if d.Action != nil {
		for _, r := range d.Action.Reports {
			n += len(r.Files)
		}
	}
	return n
}

// SettleDeviation closes a deviation whose action the reviewer verified,
// on a file the supplier reported with or a recorded verification, or
// accepts it without full remedy (a reason is then required).
func (s *Reviews) SettleDeviation(ctx context.Context, by *account.Principal, ip, id, deviationID string, in SettleInput) (*Assessment, error) {
	check := func() error {
		fields := s.checkVerification(in)
		if in.Accept {
			if err := needText("note", in.Note, "Skriv varför avvikelsen godtas.", "Write why the deviation is accepted."); err != nil {
				fields = append(fields, err.(*apperr.Error).Fields...)
			}
		} else if utf8.RuneCountInString(in.Note) > MaxText {
			fields = append(fields, problem("note", fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
		}
		if len(fields) > 0 {
			return invalid(fields...)
		}
		return nil
	}
	name := map[bool]string{false: ActDeviationClosed, true: ActDeviationAccepted}[in.Accept]
	return s.Change(ctx, by, ip, id, account.WriteAssessment, name, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		d, err := findDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Status != DevConfirmed {
			return nil, apperr.New(apperr.Conflict, "Bara en bekräftad, öppen avvikelse kan avslutas.", "Only a confirmed, open deviation can be closed.")
		}
		if d.CoveredBy != "" && d.Action == nil {
			return nil, apperr.New(apperr.Conflict, "Avvikelsen åtgärdas med en annan avvikelses åtgärd: avsluta den, så avslutas båda.",
				"The deviation is remedied by another deviation's action: settle that one, and both are settled.")
		}
		if !in.Accept && d.Action == nil {
			return nil, apperr.New(apperr.Conflict, "Avvikelsen har ingen åtgärd att verifiera.", "The deviation has no action to verify.")
		}
		if !in.Accept && in.Method == "" && d.reportedFiles() == 0 {
			return nil, invalid(problem("method",
				"Leverantören har inte skickat något underlag för åtgärden: ange hur den verifierades (vid skrivbordet eller på plats), av vem och när.",
				"The supplier has sent no evidence of the action: give how it was verified (at the desk or on site), by whom and when."))
		}
		before := d.Status
		if in.Accept {
			d.Status, d.Reason = DevAccepted, strings.TrimSpace(in.Note)
		} else {
			d.Status = DevClosed
		}
		how := ""
		if d.Action != nil {
			d.Action.ClosedAt, d.Action.ClosedBy, d.Action.Note = now, by.Email, strings.TrimSpace(in.Note)
			if in.Method != "" {
				d.Action.Verification = &Verification{Method: in.Method, By: strings.TrimSpace(in.VerifiedBy), Date: in.VerifiedOn}
				how = fmt.Sprintf(" (%s, %s, %s)", in.Method, d.Action.Verification.By, in.VerifiedOn)
			}
		}
		d.DecidedAt, d.DecidedBy = now, by.Email
		changes := []Change{{"deviation " + d.ID, string(before), string(d.Status) + how + reasonSuffix(in.Note)}}
		for _, c := range a.Covered(d) {
			if c.Status == DevConfirmed {
				c.Status, c.Reason, c.DecidedAt, c.DecidedBy = d.Status, d.Reason, now, by.Email
				changes = append(changes, Change{"deviation " + c.ID, string(before), string(c.Status) + " = " + d.ID})
			}
		}
		return changes, nil
	})
}

// Close ends a reviewed follow-up once every deviation is dismissed, closed
// or accepted.
func (s *Reviews) Close(ctx context.Context, by *account.Principal, ip, id string) (*Assessment, error) {
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActFollowUpClosed, nil, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.Status.moveTo(Closed); err != nil {
			return nil, err
		}
		if e := a.CloseRefusal(); e != nil {
			return nil, e
		}
		a.ClosedAt = now
		return nil, a.move(Closed)
	})
}

// Withdraw ends a follow-up that is no longer needed; its link stops working.
func (s *Reviews) Withdraw(ctx context.Context, by *account.Principal, ip, id, reason string) (*Assessment, error) {
	check := func() error {
		return needText("reason", reason, "Skriv varför uppföljningen återkallas.", "Write why the follow-up is withdrawn.")
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, ActFollowUpWithdrawn, check, func(a *Assessment, _ *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		if err := a.move(Withdrawn); err != nil {
			return nil, err
		}
		a.ClosedAt = now
		return []Change{{"reason", "", short(reason)}}, nil
	})
}

// Upload is a file a supplier sends.
type Upload struct {
	Name string
	Data []byte
}

// ReportProgress records the supplier's progress on a corrective action,
// with an evidence file if one is given (the same checks and limits as the
// answers' evidence).
func (s *Service) ReportProgress(ctx context.Context, token, ip, deviationID, text string, file *Upload) (*Assessment, error) {
	if err := needText("text", text, "Beskriv vad ni har gjort.", "Describe what you have done."); err != nil {
		return nil, err
	}
	var ev *Evidence
	if file != nil {
		e, err := s.checkFile(file.Name, file.Data)
		if err != nil {
			return nil, err
		}
		e.Deviation = deviationID
		if err := s.Files.Put(ctx, e.ID, file.Data); err != nil {
			return nil, fmt.Errorf("store evidence: %w", err)
		}
		ev = &e
	}
	var entry TrailEntry
	a, err := s.updateForSupplier(ctx, token, func(a *Assessment, _ *questionnaire.Questionnaire) error {
		d, err := s.openAction(a, deviationID)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		report := ActionReport{At: now, Text: strings.TrimSpace(text)}
		if ev != nil {
			if err := withinQuota(a, ev.Size); err != nil {
				return err
			}
			a.Evidence = append(a.Evidence, *ev)
			report.Files = []string{ev.ID}
		}
		d.Action.Reports = append(d.Action.Reports, report)
		entry = TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: ActActionProgressReported,
			Changes: []Change{{"action " + d.ID, "", short(text)}}}
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
func (s *Service) openAction(a *Assessment, deviationID string) (*Deviation, error) {
	if a.Status != CorrectiveActions {
		return nil, apperr.New(apperr.Conflict, "Det finns inga åtgärder att rapportera just nu.", "There are no actions to report on now.")
	}
	d, err := findDeviation(a, deviationID)
	if err != nil {
		return nil, err
	}
	if d.Status != DevConfirmed || d.Action == nil {
		return nil, apperr.New(apperr.Conflict, "Åtgärden är redan avslutad.", "The action has already been closed.")
	}
	return d, nil
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

// AttachToFinding keeps a file from an audit (photographs, interview
// notes, documents seen) with the finding it supports. Only audit findings
// take files; the supplier's evidence comes with its answers and reports.
func (s *Reviews) AttachToFinding(ctx context.Context, by *account.Principal, ip, id, deviationID, name string, data []byte) (*Assessment, error) {
	ev, err := s.checkFile(name, data)
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
	a, err := s.Change(ctx, by, ip, id, account.RecordFinding, ActFindingFileAttached, nil, func(a *Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]Change, error) {
		d, err := findDeviation(a, deviationID)
		if err != nil {
			return nil, err
		}
		if d.Source == FromSAQ {
			return nil, apperr.New(apperr.Conflict, "Bara fynd från en revision tar emot filer.", "Only findings from an audit take files.")
		}
		if err := withinQuota(a, ev.Size); err != nil {
			return nil, err
		}
		a.Evidence = append(a.Evidence, ev)
		return []Change{{"deviation " + d.ID, "", ev.Name}}, nil
	})
	if err != nil {
		_ = s.Files.Delete(ctx, ev.ID) // not recorded: do not keep it
		return nil, err
	}
	return a, nil
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
