package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync/atomic"
	"time"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/secret"
)

const (
	SessionLifetime = 12 * time.Hour
	TokenPrefix     = "saq_"
)

// Service carries out account operations and records them as audit events.
type Service struct {
	repo      Repo
	now       func() time.Time
	regionIDs func(id string) bool
}

// NewService returns a Service. knownRegion tells which region ids exist.
func NewService(repo Repo, knownRegion func(id string) bool, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, now: now, regionIDs: knownRegion}
}

// Actor is who asks for an operation, for the audit trail.
type Actor struct {
	Name string // email, or "cli"
	IP   string
}

// NewUser is what is needed to create an account.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Region   string
	Password string
}

func field(name, sv, en string) apperr.Field {
	return apperr.Field{Field: name, Message: map[string]string{"sv": sv, "en": en}}
}

func invalid(fields ...apperr.Field) error {
	e := apperr.New(apperr.Invalid, "Kontrollera de markerade uppgifterna.", "Check the marked details.")
	e.Fields = fields
	return e
}

// NormalizeEmail lower-cases and trims an email address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// UserID is the id of the account for an address: derived from it, so
// that an address can have one account however many are created at once,
// by the store's guarantee on ids alone (no unique index on the address).
func UserID(email string) string {
	sum := sha256.Sum256([]byte(NormalizeEmail(email)))
	return "u" + hex.EncodeToString(sum[:])[:31]
}

// CreateUser makes an account. It returns an Invalid error listing every bad
// field, and a Conflict error when the email is taken.
func (s *Service) CreateUser(ctx context.Context, by Actor, in NewUser) (User, error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	var fields []apperr.Field
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		fields = append(fields, field("email", "Ange en giltig e-postadress.", "Give a valid email address."))
	}
	if in.Name == "" || len(in.Name) > 200 {
		fields = append(fields, field("name", "Ange ett namn (högst 200 tecken).", "Give a name (at most 200 characters)."))
	}
	if !in.Role.valid() {
		fields = append(fields, field("role", "Välj roll: admin, coordinator eller auditor.", "Choose a role: admin, coordinator or auditor."))
	}
	if !s.regionIDs(in.Region) {
		fields = append(fields, field("region", "Välj en region som finns.", "Choose an existing region."))
	}
	if p := passwordProblem(in.Password, in.Email); p != nil {
		fields = append(fields, apperr.Field{Field: "password", Message: p})
	}
	if len(fields) > 0 {
		return User{}, invalid(fields...)
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now().UTC()
	u := User{ID: UserID(in.Email), Email: in.Email, Name: in.Name, Role: in.Role, Region: in.Region,
		PasswordHash: hash, CreatedAt: now, PasswordChangedAt: now}
	if err := s.repo.InsertUser(ctx, u); err != nil {
		if errors.Is(err, apperr.ErrDuplicate) {
			return User{}, apperr.New(apperr.Conflict, "Det finns redan ett konto med den e-postadressen.", "An account with that email address already exists.")
		}
		return User{}, fmt.Errorf("create user %s: %w", in.Email, err)
	}
	s.record(ctx, by, "user_created", u.Email, fmt.Sprintf("%s, %s", u.Role, u.Region))
	return u, nil
}

// Users lists every account.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.repo.Users(ctx) }

// HasAdmin tells whether any admin account exists.
func (s *Service) HasAdmin(ctx context.Context) (bool, error) {
	n, err := s.repo.CountUsers(ctx, Admin)
	return n > 0, err
}

// DisableUser stops an account from signing in and ends its sessions.
func (s *Service) DisableUser(ctx context.Context, by Actor, email string) error {
	return s.setDisabled(ctx, by, email, true)
}

// EnableUser lets a disabled account sign in again.
func (s *Service) EnableUser(ctx context.Context, by Actor, email string) error {
	return s.setDisabled(ctx, by, email, false)
}

func (s *Service) setDisabled(ctx context.Context, by Actor, email string, disabled bool) error {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		return nil
	}
	u.Disabled = disabled
	if err := s.repo.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("update user %s: %w", u.Email, err)
	}
	action := "user_enabled"
	if disabled {
		action = "user_disabled"
		if err := s.repo.DeleteSessionsOf(ctx, u.ID); err != nil {
			return fmt.Errorf("end sessions of %s: %w", u.Email, err)
		}
	}
	s.record(ctx, by, action, u.Email, "")
	return nil
}

func (s *Service) userByEmail(ctx context.Context, email string) (User, error) {
	u, err := s.repo.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, apperr.ErrNotFound) {
		return User{}, apperr.New(apperr.NotFound, "Det finns inget konto med den e-postadressen.", "There is no account with that email address.")
	}
	return u, err
}

// errBadCredentials is the same for an unknown email, a wrong password and a
// disabled account, so sign-in reveals nothing about which accounts exist.
var errBadCredentials = apperr.New(apperr.Unauthorized, "Fel e-postadress eller lösenord.", "Wrong email address or password.")

// SignIn checks an email and password and starts a session. It returns the
// session cookie value, which is never stored. Each attempt is claimed
// against the limits (signInThrottles) before the password is judged and
// kept only when it fails; past a limit it returns a TooMany error that
// says when to try again.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (string, Session, User, error) {
	email = NormalizeEmail(email)
	now := s.now().UTC()
	window := now.Truncate(FailureWindow)
	anonymous := Actor{Name: "anonymous", IP: ip}

	type slot struct {
		key string
		n   int
	}
	var claimed []slot
	release := func() {
		for _, c := range claimed {
			if err := s.repo.ReleaseAttempt(ctx, c.key, window, c.n); err != nil {
				slog.WarnContext(ctx, "release sign-in attempt", "err", err)
			}
		}
	}
	for _, t := range signInThrottles(email, ip) {
		n, err := s.claim(ctx, t, window, now)
		if err != nil {
			release()
			if _, isApp := apperr.As(err); isApp {
				s.record(ctx, anonymous, "sign_in_throttled", email, strings.SplitN(t.key, ":", 2)[0]+" limit")
			}
			return "", Session{}, User{}, err
		}
		claimed = append(claimed, slot{t.key, n})
	}

	u, err := s.repo.UserByEmail(ctx, email)
	ok := err == nil && !u.Disabled && !u.PasswordOff && checkPassword(u.PasswordHash, password)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		release()
		return "", Session{}, User{}, fmt.Errorf("sign in %s: %w", email, err)
	}
	if !ok {
		if err == nil && u.Disabled {
			s.record(ctx, anonymous, "sign_in_failed", email, "account disabled")
		} else if err == nil && u.PasswordOff {
			s.record(ctx, anonymous, "sign_in_failed", email, "passphrase sign-in off for the account")
		} else {
			s.record(ctx, anonymous, "sign_in_failed", email, "")
		}
		return "", Session{}, User{}, errBadCredentials
	}
	release()

	cookie, sess, err := s.startSession(ctx, u, "")
	if err != nil {
		return "", Session{}, User{}, err
	}
	s.record(ctx, Actor{Name: u.Email, IP: ip}, "sign_in", u.Email, "")
	return cookie, sess, u, nil
}

// startSession starts a session of u, signed in through provider ("" for a
// passphrase).
func (s *Service) startSession(ctx context.Context, u User, provider string) (string, Session, error) {
	cookie := secret.Token()
	now := s.now().UTC()
	sess := Session{ID: hashToken(cookie), UserID: u.ID, CSRF: secret.Token(), Provider: provider, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.repo.InsertSession(ctx, sess); err != nil {
		return "", Session{}, fmt.Errorf("start session: %w", err)
	}
	return cookie, sess, nil
}

// SessionPrincipal returns who holds the session cookie, with the session.
// It returns an Unauthorized error for an unknown, expired or disabled one.
func (s *Service) SessionPrincipal(ctx context.Context, cookie string) (*Principal, Session, error) {
	unauth := apperr.New(apperr.Unauthorized, "Du behöver logga in.", "You need to sign in.")
	if cookie == "" {
		return nil, Session{}, unauth
	}
	sess, err := s.repo.Session(ctx, hashToken(cookie))
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, Session{}, unauth
	}
	if err != nil {
		return nil, Session{}, fmt.Errorf("read session: %w", err)
	}
	if !s.now().Before(sess.ExpiresAt) {
		_ = s.repo.DeleteSession(ctx, sess.ID)
		return nil, Session{}, unauth
	}
	u, err := s.repo.UserByID(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return nil, Session{}, unauth
	}
	return principalOf(u), sess, nil
}

// SignOut ends the session behind cookie.
func (s *Service) SignOut(ctx context.Context, cookie string, p *Principal, ip string) error {
	if err := s.repo.DeleteSession(ctx, hashToken(cookie)); err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("end session: %w", err)
	}
	if p != nil {
		s.record(ctx, Actor{Name: p.Email, IP: ip}, "sign_out", p.Email, "")
	}
	return nil
}

// ChangePassword sets a new password after checking the current one, and
// ends the account's other sessions by starting a fresh one.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next, ip string) (string, Session, error) {
	u, err := s.repo.UserByID(ctx, p.UserID)
	if err != nil {
		return "", Session{}, fmt.Errorf("read user: %w", err)
	}
	if u.PasswordOff {
		return "", Session{}, ErrNoPassword
	}
	if !checkPassword(u.PasswordHash, current) {
		return "", Session{}, invalid(field("current", "Nuvarande lösenord stämmer inte.", "The current password is wrong."))
	}
	if msg := passwordProblem(next, u.Email); msg != nil {
		return "", Session{}, invalid(apperr.Field{Field: "password", Message: msg})
	}
	if u.PasswordHash, err = hashPassword(next); err != nil {
		return "", Session{}, err
	}
	u.PasswordChangedAt = s.now().UTC()
	if err := s.repo.UpdateUser(ctx, u); err != nil {
		return "", Session{}, fmt.Errorf("update password: %w", err)
	}
	if err := s.repo.DeleteSessionsOf(ctx, u.ID); err != nil {
		return "", Session{}, fmt.Errorf("end sessions: %w", err)
	}
	s.record(ctx, Actor{Name: u.Email, IP: ip}, "password_changed", u.Email, "")
	return s.startSession(ctx, u, "")
}

// CreateToken makes an API token for the account with the given email and
// returns it; only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, by Actor, email string) (string, Token, error) {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return "", Token{}, err
	}
	plain := TokenPrefix + secret.Token()
	t := Token{ID: hashToken(plain), UserID: u.ID, Hint: plain[:len(TokenPrefix)+6], CreatedAt: s.now().UTC()}
	if err := s.repo.InsertToken(ctx, t); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	s.record(ctx, by, "token_created", u.Email, t.Hint+"…")
	return plain, t, nil
}

// RevokeToken revokes one token, named by its hint or the token itself, of
// the account with the given email.
func (s *Service) RevokeToken(ctx context.Context, by Actor, email, hintOrToken string) error {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return err
	}
	tokens, err := s.repo.TokensOf(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	for _, t := range tokens {
		if t.RevokedAt.IsZero() && (t.Hint == strings.TrimSuffix(hintOrToken, "…") || t.ID == hashToken(hintOrToken)) {
			t.RevokedAt = s.now().UTC()
			if err := s.repo.UpdateToken(ctx, t); err != nil {
				return fmt.Errorf("revoke token: %w", err)
			}
			s.record(ctx, by, "token_revoked", u.Email, t.Hint+"…")
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "Ingen giltig token matchar.", "No valid token matches.")
}

// Tokens lists an account's tokens.
func (s *Service) Tokens(ctx context.Context, userID string) ([]Token, error) {
	return s.repo.TokensOf(ctx, userID)
}

// TokenPrincipal returns who an API bearer token belongs to, or an Unauthorized error.
func (s *Service) TokenPrincipal(ctx context.Context, bearer string) (*Principal, error) {
	unauth := apperr.New(apperr.Unauthorized, "Saknad eller ogiltig API-token.", "Missing or invalid API token.")
	if !strings.HasPrefix(bearer, TokenPrefix) {
		return nil, unauth
	}
	t, err := s.repo.Token(ctx, hashToken(bearer))
	if errors.Is(err, apperr.ErrNotFound) || err == nil && !t.RevokedAt.IsZero() {
		return nil, unauth
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	u, err := s.repo.UserByID(ctx, t.UserID)
	if err != nil || u.Disabled {
		return nil, unauth
	}
	return principalOf(u), nil
}

// Events lists audit events, newest first.
func (s *Service) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	return s.repo.Events(ctx, f)
}

// Record adds an audit event; other domains record theirs through it too.
func (s *Service) Record(ctx context.Context, by Actor, action, subject, detail string) error {
	at := s.now().UTC()
	return s.repo.AddEvent(ctx, Event{ID: eventID(at), At: at, Actor: by.Name, IP: by.IP, Action: action, Subject: subject, Detail: detail})
}

var eventSeq atomic.Uint32

// eventID sorts by time, then by order of recording within this process,
// so events listed newest first stay in order even within one clock tick.
func eventID(at time.Time) string {
	return fmt.Sprintf("%016x%08x%s", at.UnixNano(), eventSeq.Add(1), secret.ID()[:8])
}

// record is Record for operations that have already succeeded: a lost audit
// line must not undo them, so the error is dropped here and the store logs it.
func (s *Service) record(ctx context.Context, by Actor, action, subject, detail string) {
	_ = s.Record(ctx, by, action, subject, detail)
}

func principalOf(u User) *Principal {
	return &Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Region: u.Region, PasswordOff: u.PasswordOff}
}

// hashToken is how cookies and tokens are looked up without being stored.
var hashToken = secret.Hash
