package assessment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/secret"
)

// Records is what every follow-up service shares: the stored follow-ups
// and their files, the setting they are judged in, and the audit log; with
// the reading of one follow-up for someone who may, and the change of one
// by a member of staff (Change).
type Records struct {
	Repo  Repo
	Files Files
	Setting
	// Audit records an event in the append-only log.
	Audit func(ctx context.Context, by account.Actor, action, subject, detail string) error
}

// NewRecords returns the Records of cfg, with its defaults filled in.
func NewRecords(cfg Config) Records {
	cfg = cfg.withDefaults()
	return Records{Repo: cfg.Repo, Files: cfg.Files, Setting: Setting{cfg.Questionnaires, cfg.Org, cfg.Now}, Audit: cfg.Audit}
}

// Config wires a Service.
type Config struct {
	Repo           Repo
	Files          Files
	Questionnaires Questionnaires
	Org            *org.Directory
	// Audit records an event in the append-only log.
	Audit func(ctx context.Context, by account.Actor, action, subject, detail string) error
	// Erasers remove a contact's personal data where other parts keep it.
	Erasers []Eraser
	Now     func() time.Time
}

// withDefaults fills in the clock and the audit log when none is given.
func (cfg Config) withDefaults() Config {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Audit == nil {
		cfg.Audit = func(context.Context, account.Actor, string, string, string) error { return nil }
	}
	return cfg
}

// Invalid refuses input, naming every field that is wrong.
func Invalid(fields ...apperr.Field) error {
	e := apperr.New(apperr.Invalid, "Kontrollera de markerade uppgifterna.", "Check the marked details.")
	e.Fields = fields
	return e
}

// Get returns one assessment for someone who may read it.
func (s *Records) Get(ctx context.Context, by *account.Principal, id string) (*Assessment, error) {
	a, err := s.Repo.Get(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if !account.Allowed(by, account.ReadAssessments, a.Region, a.ID) {
		return nil, errNotFound
	}
	return a, nil
}

var errNotFound = apperr.New(apperr.NotFound, "Självutvärderingen finns inte.", "The self-assessment does not exist.")

// ErrNoAccess refuses what the principal's role does not allow.
var ErrNoAccess = apperr.New(apperr.Forbidden, "Du har inte behörighet till detta.", "You do not have access to this.")

var ()

// LinkGrace is how long after the due date an unsubmitted questionnaire's
// link still opens; after that the coordinator extends the follow-up or
// sends a new link. A submitted questionnaire's link stays open, for the
// receipt and the follow-up that comes after.
const LinkGrace = 30 * 24 * time.Hour

// LinkOpenUntil is the last day the supplier's link opens after the due
// date has passed (LinkGrace later); "" for one sent back for
// clarification, which stays open.
func (a *Assessment) LinkOpenUntil() string {
	due, err := time.Parse(time.DateOnly, a.DueDate)
	if err != nil || !a.ReturnedAt.IsZero() {
		return ""
	}
	return due.Add(LinkGrace).Format(time.DateOnly)
}

// PercentText is a score for the trail, none when there is none.
func PercentText(p *float64, none string) string {
	if p == nil {
		return none
	}
	return fmt.Sprintf("%.1f", *p)
}

// NewID is a new id for a follow-up, deviation, file or comment.
func NewID() string { return secret.ID() }

// ErrUnchanged tells updateEach that a follow-up needs no change after all.
var ErrUnchanged = errors.New("nothing to change")
