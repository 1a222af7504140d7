package signin

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/internal/web/core"
)

// attemptCookie keeps a sign-in at an identity provider from its start to
// the provider's callback: state, nonce and PKCE verifier. It is taken back
// at the callback, whatever the outcome, so a callback replayed finds none.
const attemptCookie = "saq_sso"

// provider is the configured provider id, nil for none.
func (s *handlers) provider(id string) *sso.Client {
	for _, p := range s.Providers {
		if id != "" && p.Provider().ID == id {
			return p
		}
	}
	return nil
}

// ssoBegin sends the browser to the provider's sign-in page.
func (s *handlers) ssoBegin(c *fiber.Ctx) error {
	p := s.provider(c.Params("provider"))
	if p == nil {
		return fiber.ErrNotFound
	}
	at, to, err := p.Begin(c.UserContext(), safeNext(c.Query("next")))
	if err != nil {
		return s.refused(c, p, err)
	}
	value, err := json.Marshal(at)
	if err != nil {
		return err
	}
	s.SetCookie(c, attemptCookie, base64.RawURLEncoding.EncodeToString(value), at.Started.Add(sso.AttemptLifetime))
	return c.Redirect(to, fiber.StatusSeeOther)
}

// ssoCallback takes the provider's answer: the attempt must be this
// browser's, the code good for an ID token that is the provider's, for
// this service, unexpired and with the attempt's nonce; the address it
// vouches for must be an account's (or one the mapping grants).
func (s *handlers) ssoCallback(c *fiber.Ctx) error {
	p := s.provider(c.Params("provider"))
	if p == nil {
		return fiber.ErrNotFound
	}
	var at sso.Attempt
	if raw, err := base64.RawURLEncoding.DecodeString(c.Cookies(attemptCookie)); err == nil {
		_ = json.Unmarshal(raw, &at) // a cookie that does not read is no attempt
	}
	s.ClearCookie(c, attemptCookie)
	if at.Provider != p.Provider().ID {
		at = sso.Attempt{}
	}
	query, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		query = url.Values{}
	}
	ext, err := p.Finish(c.UserContext(), at, query)
	if err != nil {
		return s.refused(c, p, err)
	}
	cookie, sess, _, err := s.Accounts.SignInExternal(c.UserContext(), ext, c.IP())
	if err != nil {
		return s.refused(c, p, err)
	}
	s.StartSession(c, cookie, &sess)
	return c.Redirect(safeNext(at.Next), fiber.StatusSeeOther)
}

// refused shows the sign-in page with why, in the reader's language, and
// records a refusal the account service has not.
func (s *handlers) refused(c *fiber.Ctx, p *sso.Client, err error) error {
	lang := core.Language(c)
	status, message := fiber.StatusForbidden, ""
	var r *sso.Refusal
	switch ae, isApp := apperr.As(err); {
	case errors.As(err, &r):
		s.Log.WarnContext(c.UserContext(), "sign-in through identity provider refused", "provider", p.Provider().ID, "err", err)
		_ = s.Accounts.Record(c.UserContext(), account.Actor{Name: "anonymous", IP: c.IP()}, "sign_in_refused", "",
			string(r.Reason)+" via "+p.Provider().ID)
		message = i18n.T(lang, "login.sso."+string(r.Reason))
		if r.Reason == sso.Unavailable {
			status = fiber.StatusBadGateway
		}
	case isApp:
		status, message = core.StatusOf[ae.Code], ae.Message[lang]
	default:
		return err
	}
	return s.renderLogin(c, status, fiber.Map{"Next": "/dashboard", "Refused": message})
}
