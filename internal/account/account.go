// Package account is the domain of people who sign in (admins, coordinators,
// auditors), their sessions and API tokens, the authorization policy that
// every route goes through, and the audit events of what they do. It depends
// on a Repo interface only: no HTTP, no database driver.
package account

import (
	"context"
	"time"
)

// Role is what an account may do.
type Role string

const (
	Admin       Role = "admin"       // the national office: everything
	Coordinator Role = "coordinator" // reads all, writes its own region's follow-ups
	Auditor     Role = "auditor"     // reads all, records audit findings
)

// Roles lists every role, for forms and checks.
var Roles = []Role{Admin, Coordinator, Auditor}

func (r Role) valid() bool { return r == Admin || r == Coordinator || r == Auditor }

// User is an account.
type User struct {
	ID           string
	Email        string // lower case; unique
	Name         string
	Role         Role
	Region       string // org region id
	PasswordHash string
	// PasswordOff keeps the account from signing in with a passphrase:
	// it signs in through its region's identity provider only.
	PasswordOff bool
	// Provider is the identity provider that made the account on its
	// first sign-in; "" for one an admin made.
	Provider          string
	Disabled          bool
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

// Session is a signed-in browser. ID is the SHA-256 of the cookie value, so
// a copy of the database does not hold live cookies.
type Session struct {
	ID        string
	UserID    string
	CSRF      string // the token every form of this session must carry
	Provider  string // the identity provider it signed in through; "" for a passphrase
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token is an API token. ID is the SHA-256 of the token; the token itself is
// shown once, when made.
type Token struct {
	ID        string
	UserID    string
	Hint      string // the first characters, to tell tokens apart in lists
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// Event is one append-only audit record.
type Event struct {
	ID      string
	At      time.Time
	Actor   string // email, "cli", or "anonymous"
	IP      string
	Action  string // one of EventActions, or a follow-up's trail action
	Subject string // whom or what it concerns, e.g. an email
	Detail  string // what changed
}

// EventFilter selects audit events; zero fields match everything.
type EventFilter struct {
	Action  string
	Actor   string
	Subject string
	From    time.Time
	To      time.Time
	Limit   int
}

// Repo stores accounts. Methods return apperr.ErrNotFound when nothing
// matches and apperr.ErrDuplicate when a unique key is taken.
type Repo interface {
	InsertUser(ctx context.Context, u User) error
	UpdateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context, role Role) (int, error)

	InsertSession(ctx context.Context, s Session) error
	Session(ctx context.Context, id string) (Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteSessionsOf(ctx context.Context, userID string) error

	InsertToken(ctx context.Context, t Token) error
	Token(ctx context.Context, id string) (Token, error)
	UpdateToken(ctx context.Context, t Token) error
	TokensOf(ctx context.Context, userID string) ([]Token, error)

	AddEvent(ctx context.Context, e Event) error
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Attempts returns how many attempts key has claimed in the window
	// that starts at windowStart (0 when none) and when the last was claimed.
	Attempts(ctx context.Context, key string, windowStart time.Time) (int, time.Time, error)
	// AttemptTaken tells whether slot n of key's window is claimed.
	AttemptTaken(ctx context.Context, key string, windowStart time.Time, n int) (bool, error)
	// ClaimAttempt takes slot n (1 to MaxAttemptSlots) of key in the window;
	// apperr.ErrDuplicate when another request took it first.
	ClaimAttempt(ctx context.Context, key string, windowStart time.Time, n int, at time.Time) error
	// ReleaseAttempt frees slot n of key in the window.
	ReleaseAttempt(ctx context.Context, key string, windowStart time.Time, n int) error
}

// EventActions are the actions the account service records in the audit
// log; the follow-ups add their trail's (assessment.TrailActions).
var EventActions = []string{"sign_in", "sign_in_failed", "sign_in_throttled", "sign_in_refused", "sign_out", "password_changed",
	"token_created", "token_revoked", "user_created", "user_provisioned", "user_disabled", "user_enabled",
	"password_sign_in_off", "password_sign_in_on"}
