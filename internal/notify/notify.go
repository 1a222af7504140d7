// Package notify sends the service's emails (invitations with the supplier's
// link, reminders before and after the due date) and keeps every message in
// an outbox that coordinators can read, so nothing depends on mail alone.
// It knows nothing of HTTP or the database driver.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/secret"
)

// Message is one email, as sent and as kept in the outbox.
type Message struct {
	ID           string // a reminder's id names its assessment and day, so it is sent once
	Kind         string // invitation, reminder
	AssessmentID string
	Region       string
	To           string
	ReplyTo      string // the coordinator who issued the follow-up
	Lang         string // sv or en
	Subject      string
	Body         string // the link, if any, only as LinkMarker: no live link at rest
	Link         string // the supplier's link, when the message carries one: in memory only
	// Sealed is the link while retries last: encrypted with SAQ_SECRET_KEY,
	// or plain without one. It is dropped once the message is sent or failed.
	Sealed      string
	CreatedAt   time.Time
	State       string    // Queued, Retrying, Sent, Failed or Kept; "" for messages kept before states
	Attempts    int       // attempts made
	NextAttempt time.Time // when a queued or retrying message is due
	SentAt      time.Time // zero when not sent by mail
	Error       string    // the server's last reply or the connection's failure
}

// Outbox keeps messages and is the queue they are sent from. Add returns
// apperr.ErrDuplicate for an id already kept.
type Outbox interface {
	Add(ctx context.Context, m Message) error
	// Record sets a message's delivery.
	Record(ctx context.Context, id string, d Delivery) error
	// Due returns up to limit queued or retrying messages whose NextAttempt
	// is not after now.
	Due(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// List is the newest limit messages (of region; "" for all) that are
	// older than before (all when nil), newest first.
	List(ctx context.Context, region string, before *Message, limit int) ([]Message, error)
	// Get is one message by its id.
	Get(ctx context.Context, id string) (Message, error)
}

// Sender delivers a message by mail.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Notifier keeps each message in the outbox, then mails it when a Sender is
// configured; without one the message is logged and stays in the outbox.
type Notifier struct {
	outbox  Outbox
	sender  Sender
	log     *slog.Logger
	now     func() time.Time
	regions func(id, lang string) string
	observe func(kind string, failed bool) // may be nil
	claim   Claimer                        // nil: attempts are not claimed (one instance)
	sealer  *secret.Sealer                 // nil: links wait in the outbox unencrypted
	tracker Tracker                        // nil: follow-ups are not told how their invitations fare
	titles  Titler                         // nil: requirements are named by id
}

// Titler names a follow-up's requirements in a language, as its
// questionnaire version gives them. followup.Service is one.
type Titler interface {
	RequirementTitle(a *assessment.Assessment, id, lang string) string
}

// TitleWith has requirements named by t in the messages.
func (n *Notifier) TitleWith(t Titler) { n.titles = t }

// Tracker is told how each invitation fares, so that the follow-up shows
// it, and asked before a retry whether the invitation's link is still the
// follow-up's. followup.Service is one.
type Tracker interface {
	TrackInvitation(ctx context.Context, id string, inv assessment.Invitation) error
	InvitationCurrent(ctx context.Context, id, messageID string) (bool, error)
}

// TrackWith has t told how invitations fare.
func (n *Notifier) TrackWith(t Tracker) { n.tracker = t }

// track tells the tracker how invitation m fares: d.
func (n *Notifier) track(ctx context.Context, m Message, d Delivery) {
	if n.tracker == nil || m.Kind != invitationKind {
		return
	}
	inv := assessment.Invitation{MessageID: m.ID, State: d.State, Attempts: d.Attempts, At: n.now().UTC(), NextAttempt: d.NextAttempt, Error: d.Error}
	err := n.tracker.TrackInvitation(ctx, m.AssessmentID, inv)
	if err != nil && !errors.Is(err, assessment.ErrReplacedInvitation) {
		// The outbox has the state; the follow-up catches up with the next attempt.
		n.log.WarnContext(ctx, "invitation state not recorded on the follow-up", "assessment", m.AssessmentID, "state", d.State, "err", err)
	}
}

// SealWith encrypts the links that wait in the outbox for a retry.
func (n *Notifier) SealWith(s *secret.Sealer) { n.sealer = s }

// LinkMarker stands in the outbox where a message's link was.
func LinkMarker(lang string) string {
	if lang == "en" {
		return "[personal link: in the e-mail only]"
	}
	return "[personlig länk: bara i e-postmeddelandet]"
}

const plainPrefix = "plain:"

func (n *Notifier) seal(link string) string {
	if n.sealer == nil {
		return plainPrefix + link
	}
	return n.sealer.Seal(link)
}

// withLink is m as sent: its link back in the body.
func (n *Notifier) withLink(m Message) (Message, error) {
	if m.Sealed == "" {
		return m, nil
	}
	link, ok := strings.CutPrefix(m.Sealed, plainPrefix)
	if !ok {
		if n.sealer == nil {
			return m, errors.New("the link is sealed and SAQ_SECRET_KEY is not set")
		}
		var err error
		if link, err = n.sealer.Open(m.Sealed); err != nil {
			return m, fmt.Errorf("open the link: %w", err)
		}
	}
	m.Body = strings.Replace(m.Body, LinkMarker(m.Lang), link, 1)
	return m, nil
}

// New returns a Notifier; sender may be nil.
func New(outbox Outbox, sender Sender, log *slog.Logger, regionName func(id, lang string) string, now func() time.Time) *Notifier {
	if now == nil {
		now = time.Now
	}
	return &Notifier{outbox: outbox, sender: sender, log: log, now: now, regions: regionName}
}

// Observe has f told of each message handed to the mail server, by kind,
// and whether the server refused it: for the metrics.
func (n *Notifier) Observe(f func(kind string, failed bool)) { n.observe = f }

// Deliver keeps m in the outbox, which is the queue, and makes the first
// attempt at sending it; a failed attempt is retried by Retry. A message
// whose id is already in the outbox (another instance keeps today's
// reminder) is not kept or sent again. It reports whether m was new.
func (n *Notifier) Deliver(ctx context.Context, m Message) (bool, error) {
	if m.ID == "" {
		m.ID = secret.ID()
	}
	m.CreatedAt = n.now().UTC()
	m.State, m.NextAttempt = Queued, m.CreatedAt
	if n.sender == nil {
		m.State, m.NextAttempt = Kept, time.Time{}
	}
	link := m.Link
	if link != "" {
		// The outbox keeps a marker; the link itself only while it may be sent.
		m.Body, m.Link = strings.Replace(m.Body, link, LinkMarker(m.Lang), 1), ""
		if n.sender != nil {
			m.Sealed = n.seal(link)
		}
	}
	if err := n.outbox.Add(ctx, m); errors.Is(err, apperr.ErrDuplicate) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("keep %s for %s: %w", m.Kind, m.AssessmentID, err)
	}
	if n.sender == nil {
		n.log.InfoContext(ctx, "mail kept in the outbox (no SAQ_SMTP_URL)", "kind", m.Kind, "assessment", m.AssessmentID)
		n.track(ctx, m, Delivery{State: Kept})
		return true, nil
	}
	_, err := n.attempt(ctx, m)
	return true, err
}

// Invite sends the supplier its personal link, once per link.
func (n *Notifier) Invite(ctx context.Context, a *assessment.Assessment, link string) error {
	m := invitation(a, link, n.regions(a.Region, a.Language))
	m.ID = assessment.InvitationID(a.ID, a.TokenHash)
	_, err := n.Deliver(ctx, m)
	return err
}

// Returned tells the supplier the questionnaire was sent back with message.
func (n *Notifier) Returned(ctx context.Context, a *assessment.Assessment, message string) error {
	_, err := n.Deliver(ctx, returned(a, n.regions(a.Region, a.Language), message))
	return err
}

// Notice tells the supplier where its follow-up stands: the plan agreed,
// the follow-up withdrawn or closed (kind is PlanAgreed, Withdrawn or
// Closed), with detail, the actions or the message, in the follow-up's
// language. A notice of the same kind for the same version is kept once.
func (n *Notifier) Notice(ctx context.Context, a *assessment.Assessment, kind, detail string) error {
	m := notice(a, kind, n.regions(a.Region, a.Language), detail)
	m.ID = fmt.Sprintf("%s:%s:%d", kind, a.ID, a.Version)
	_, err := n.Deliver(ctx, m)
	return err
}

// ActionDays is how many days before a corrective action's due date its
// reminder goes out.
const ActionDays = 7

// RemindActions reminds suppliers of corrective actions still open
// ActionDays before their due date and the day after it, each once per
// action and day however many instances run. It returns how many it sent.
func (n *Notifier) RemindActions(ctx context.Context, list []*assessment.Assessment) (int, error) {
	today := n.now().UTC().Truncate(24 * time.Hour)
	sent := 0
	for _, a := range list {
		if a.Status != assessment.CorrectiveActions {
			continue
		}
		for _, d := range a.Deviations {
			act := d.Action
			if act == nil || !act.ClosedAt.IsZero() {
				continue
			}
			due, err := time.Parse(time.DateOnly, act.DueDate)
			if err != nil || today != due.AddDate(0, 0, -ActionDays) && today != due.AddDate(0, 0, 1) {
				continue
			}
			m := notice(a, ActionDue, n.regions(a.Region, a.Language), actionLine(a.Language, act))
			m.ID = fmt.Sprintf("%s:%s:%s:%s", ActionDue, a.ID, d.ID, today.Format(time.DateOnly))
			if err := n.deliverCounted(ctx, m, &sent); err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}

// PlanReminderDays is how many days before a plan is due its reminder goes out.
const PlanReminderDays = 7

// RemindPlans reminds suppliers of a time and action plan asked for and
// not yet sent, remindDays before the day it is due and the day after,
// each once per follow-up and day however many instances run.
func (n *Notifier) RemindPlans(ctx context.Context, list []*assessment.Assessment, remindDays int) (int, error) {
	today := n.now().UTC().Truncate(24 * time.Hour)
	sent := 0
	for _, a := range list {
		due, err := time.Parse(time.DateOnly, a.PlanDue())
		if err != nil || a.ReusedFrom != "" {
			continue
		}
		overdue := today == due.AddDate(0, 0, 1)
		if today != due.AddDate(0, 0, -remindDays) && !overdue {
			continue
		}
		m := notice(a, PlanDue, n.regions(a.Region, a.Language), n.PlanDueLine(a))
		if overdue {
			m = notice(a, PlanOverdue, n.regions(a.Region, a.Language), n.PlanDueLine(a))
		}
		m.ID = fmt.Sprintf("%s:%s:%s", m.Kind, a.ID, today.Format(time.DateOnly))
		if err := n.deliverCounted(ctx, m, &sent); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// PlanDueLine is the day the plan is due, as a line of a message in the
// follow-up's language, with the deviations it covers; "" when none is
// asked for.
func (n *Notifier) PlanDueLine(a *assessment.Assessment) string {
	if a.PlanDue() == "" {
		return ""
	}
	l := "sv"
	if a.Language == "en" {
		l = "en"
	}
	return fmt.Sprintf(i18n.T(l, "mail.plan.due"), i18n.Day(l, a.PlanDue())) + "\n\n" + n.DeviationList(a)
}

// deliverCounted delivers m once and counts it in sent if this call sent it.
func (n *Notifier) deliverCounted(ctx context.Context, m Message, sent *int) error {
	ok, err := n.Deliver(ctx, m)
	if ok {
		*sent++
	}
	return err
}

// ActionList is the open corrective actions of a follow-up, one a line, for
// a notice.
func ActionList(a *assessment.Assessment) string {
	var lines []string
	for _, d := range a.Deviations {
		if d.Action != nil && d.Action.ClosedAt.IsZero() {
			lines = append(lines, "- "+actionLine(a.Language, d.Action))
		}
	}
	return strings.Join(lines, "\n")
}

// DeviationList is the confirmed deviations a plan is asked for, one per
// line: the requirement by its title, and the question whose answer
// raised it or what the audit found.
func (n *Notifier) DeviationList(a *assessment.Assessment) string {
	lang := "sv"
	if a.Language == "en" {
		lang = "en"
	}
	var lines []string
	for _, d := range a.PlanDeviations() {
		title := d.Requirement
		if n.titles != nil {
			title = n.titles.RequirementTitle(a, d.Requirement, lang)
		}
		what := d.Finding
		if d.Source == assessment.FromSAQ {
			what = fmt.Sprintf(i18n.T(lang, "mail.question"), strings.TrimPrefix(d.Question, "Q"))
		}
		lines = append(lines, "- "+title+": "+short(what))
	}
	return strings.Join(lines, "\n")
}

// short keeps a finding to one readable line in a list.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}

func actionLine(lang string, act *assessment.Action) string {
	l := "sv"
	if lang == "en" {
		l = "en"
	}
	return fmt.Sprintf(i18n.T(l, "mail.action"), act.Description, act.Owner, i18n.Day(l, act.DueDate))
}

// ReminderDays is how many days before the due date the reminder goes out.
const ReminderDays = 7

// Remind sends the reminders due today for the given assessments: one
// ReminderDays before the due date and one the day after it, each at most
// once per assessment and day however many instances run. It returns how
// many it sent.
func (n *Notifier) Remind(ctx context.Context, list []*assessment.Assessment) (int, error) {
	today := n.now().UTC().Truncate(24 * time.Hour)
	sent := 0
	for _, a := range list {
		if !a.Status.SupplierMayAnswer() || a.ReusedFrom != "" {
			continue
		}
		due, err := time.Parse(time.DateOnly, a.DueDate)
		if err != nil {
			continue
		}
		var overdue bool
		switch today {
		case due.AddDate(0, 0, -ReminderDays):
		case due.AddDate(0, 0, 1):
			overdue = true
		default:
			continue
		}
		m := reminder(a, n.regions(a.Region, a.Language), overdue)
		m.ID = fmt.Sprintf("reminder:%s:%s", a.ID, today.Format(time.DateOnly))
		if err := n.deliverCounted(ctx, m, &sent); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Outbox lists kept messages, newest first; region "" lists every region's.
func (n *Notifier) Outbox(ctx context.Context, region string) ([]Message, error) {
	return n.outbox.List(ctx, region, nil, 200)
}

// OutboxPage is a page of the outbox, newest first: the n messages after
// the one with id before (from the start when ""), and whether more follow.
func (n *Notifier) OutboxPage(ctx context.Context, region, before string, size int) ([]Message, bool, error) {
	var from *Message
	if before != "" {
		m, err := n.outbox.Get(ctx, before)
		if err != nil {
			return nil, false, err
		}
		from = &m
	}
	msgs, err := n.outbox.List(ctx, region, from, size+1)
	if err != nil {
		return nil, false, err
	}
	return msgs[:min(size, len(msgs))], len(msgs) > size, nil
}
