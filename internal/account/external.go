package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/regionerna/saq/internal/apperr"
)

// External is a person an identity provider has vouched for: its verified
// address, and the account to make for it on its first sign-in when the
// provider's mapping grants one.
type External struct {
	Provider string // the provider's id, as configured
	Subject  string // the provider's id for the person
	Email    string // verified by the provider
	Name     string
	// Grant is the role and region the mapping gives the person's group
	// or role claim; nil when no mapping matches. Only the provider's
	// claims decide it, never anything the person can edit here.
	Grant *Grant
	// Because says which claim value gave the grant, for the audit log.
	Because string
}

// Grant is a role in a region.
type Grant struct {
	Role   Role
	Region string
}

// Refusals of a sign-in through an identity provider. They say why in the
// reader's language: the person has proved who they are, so telling them
// that no account is theirs reveals nothing they could not know.
var (
	ErrNoAccount = apperr.New(apperr.Forbidden,
		"Ditt konto hos identitetstjänsten är inte kopplat till något konto i tjänsten. Be en administratör i din region att lägga upp dig.",
		"Your account at the identity provider is not linked to an account in this service. Ask an administrator in your region to add you.")
	ErrNoPassword = apperr.New(apperr.Forbidden,
		"Kontot loggar in genom regionens identitetstjänst och har inget lösenord här.",
		"The account signs in through the region's identity provider and has no passphrase here.")
	ErrAccountDisabled = apperr.New(apperr.Forbidden,
		"Ditt konto i tjänsten är avstängt. Kontakta en administratör i din region.",
		"Your account in this service is disabled. Contact an administrator in your region.")
)

// SignInExternal starts a session for the person a provider vouched for:
// the account with the same address (in any case), or, when there is none
// and the provider's mapping grants one, an account made now with that
// role and region and no passphrase. A disabled account stays out. Every
// sign-in, refusal and new account is in the audit log.
func (s *Service) SignInExternal(ctx context.Context, ext External, ip string) (string, Session, User, error) {
	email := NormalizeEmail(ext.Email)
	via := "via " + ext.Provider
	anonymous := Actor{Name: "anonymous", IP: ip}
	u, err := s.repo.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, apperr.ErrNotFound) && ext.Grant == nil:
		s.record(ctx, anonymous, "sign_in_refused", email, "no account, no mapping "+via)
		return "", Session{}, User{}, ErrNoAccount
	case errors.Is(err, apperr.ErrNotFound):
		if u, err = s.provision(ctx, ext, email, ip); err != nil {
			return "", Session{}, User{}, err
		}
	case err != nil:
		return "", Session{}, User{}, fmt.Errorf("sign in %s %s: %w", email, via, err)
	}
	if u.Disabled {
		s.record(ctx, anonymous, "sign_in_refused", email, "account disabled "+via)
		return "", Session{}, User{}, ErrAccountDisabled
	}
	cookie, sess, err := s.startSession(ctx, u, ext.Provider)
	if err != nil {
		return "", Session{}, User{}, err
	}
	s.record(ctx, Actor{Name: u.Email, IP: ip}, "sign_in", u.Email, via)
	return cookie, sess, u, nil
}

// provision makes the account ext's grant gives. Two instances may make it
// at once: the id is derived from the address, so one insert wins and the
// other reads what it made.
func (s *Service) provision(ctx context.Context, ext External, email, ip string) (User, error) {
	g := ext.Grant
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !g.Role.valid() || !s.regionIDs(g.Region) {
		s.record(ctx, Actor{Name: "anonymous", IP: ip}, "sign_in_refused", email,
			fmt.Sprintf("mapping gives %s, %s, which is not a role in a region here, via %s", g.Role, g.Region, ext.Provider))
		return User{}, ErrNoAccount
	}
	name := strings.TrimSpace(ext.Name)
	if name == "" || len(name) > 200 {
		name = email
	}
	now := s.now().UTC()
	u := User{ID: UserID(email), Email: email, Name: name, Role: g.Role, Region: g.Region,
		PasswordOff: true, Provider: ext.Provider, CreatedAt: now}
	switch err := s.repo.InsertUser(ctx, u); {
	case errors.Is(err, apperr.ErrDuplicate):
		return s.repo.UserByEmail(ctx, email)
	case err != nil:
		return User{}, fmt.Errorf("provision %s: %w", email, err)
	}
	s.record(ctx, Actor{Name: "provider " + ext.Provider, IP: ip}, "user_provisioned", email,
		fmt.Sprintf("%s, %s, from %s", g.Role, g.Region, ext.Because))
	return u, nil
}

// SetPasswordSignIn lets an account sign in with a passphrase, or not:
// one whose region requires its identity provider signs in there only.
// Turning it off ends the account's sessions: it signs in again through
// its provider.
func (s *Service) SetPasswordSignIn(ctx context.Context, by Actor, email string, on bool) error {
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return err
	}
	if u.PasswordOff == !on {
		return nil
	}
	u.PasswordOff = !on
	if err := s.repo.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("update user %s: %w", u.Email, err)
	}
	action := "password_sign_in_on"
	if !on {
		action = "password_sign_in_off"
		if err := s.repo.DeleteSessionsOf(ctx, u.ID); err != nil {
			return fmt.Errorf("end sessions of %s: %w", u.Email, err)
		}
	}
	s.record(ctx, by, action, u.Email, "")
	return nil
}
