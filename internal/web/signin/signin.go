// Package signin serves the staff's sign-in and sign-out, the change of
// passphrase, and /api/v1/me for an API token.
package signin

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/web/core"
)

// handlers are the sign-in routes over what every audience shares.
type handlers struct{ *core.Server }

// Routes registers sign-in, sign-out and the passphrase page.
func Routes(srv *core.Server) {
	s := &handlers{srv}
	s.Handle("GET", "/login", account.Public, s.loginPage)
	s.Handle("POST", "/login", account.Public, s.login)
	s.Handle("POST", "/logout", account.SignedIn, s.logout)
	s.Handle("GET", "/account/password", account.SignedIn, s.passwordPage)
	s.Handle("POST", "/account/password", account.SignedIn, s.changePassword)
	s.Handle("GET", "/api/v1/me", account.SignedIn, s.apiMe)
	s.Handle("GET", "/login/sso/:provider", account.Public, s.ssoBegin)
	s.Handle("GET", "/login/sso/:provider/callback", account.Public, s.ssoCallback)
}

type loginForm struct {
	Email    string `form:"email" validate:"required,email,max=254"`
	Password string `form:"password" validate:"required,max=256"`
	Next     string `form:"next" validate:"max=2000"`
}

// safeNext keeps a post-sign-in redirect on this site: a clean path of its
// own, parsed as a URL, with no scheme, host, backslash or control
// character (a tab or line break in a Location header is a second header,
// or a browser's "//host"). Anything else, and nothing, lands the account
// on its dashboard, where its work is.
func safeNext(next string) string {
	const home = "/dashboard"
	if next == "" || next == "/" || len(next) > 2000 || strings.ContainsAny(next, "\\") {
		return home
	}
	for _, r := range next {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return home
		}
	}
	// Decoded, the path must still be one of this site's (no %2F%2F or %5C).
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || strings.HasPrefix(next, "//") ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsAny(u.Path, "\\") {
		return home
	}
	return u.RequestURI() + fragment(u)
}

func fragment(u *url.URL) string {
	if u.Fragment == "" {
		return ""
	}
	return "#" + u.EscapedFragment()
}

func (s *handlers) loginPage(c *fiber.Ctx) error {
	if core.Principal(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, fiber.StatusOK, fiber.Map{"Next": safeNext(c.Query("next"))})
}

// renderLogin shows the sign-in page: a button per identity provider, and
// the passphrase form unless passphrases are off.
func (s *handlers) renderLogin(c *fiber.Ctx, status int, data fiber.Map) error {
	type button struct{ Href, Name string }
	var buttons []button
	for _, p := range s.Providers {
		href := "/login/sso/" + p.Provider().ID
		if next, _ := data["Next"].(string); next != "" && next != "/dashboard" {
			href += "?next=" + url.QueryEscape(next)
		}
		buttons = append(buttons, button{href, p.Provider().Name})
	}
	data["Providers"], data["Passwords"] = buttons, !s.PasswordsOff
	return s.Render(c, status, "login", data)
}

// errPasswordsOff refuses a passphrase where the region requires its
// identity provider.
var errPasswordsOff = apperr.New(apperr.Forbidden,
	"Inloggning med lösenord är avstängd. Logga in genom din regions identitetstjänst.",
	"Signing in with a passphrase is turned off. Sign in through your region's identity provider.")

func (s *handlers) login(c *fiber.Ctx) error {
	if s.PasswordsOff {
		return errPasswordsOff
	}
	var f loginForm
	err := core.DecodeForm(c, &f)
	if err == nil {
		var cookie string
		var sess account.Session
		cookie, sess, _, err = s.Accounts.SignIn(c.UserContext(), f.Email, f.Password, c.IP())
		if err == nil {
			s.StartSession(c, cookie, &sess)
			return c.Redirect(safeNext(f.Next), fiber.StatusSeeOther)
		}
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	core.RetryAfter(c, err)
	summary, fields := core.FieldErrors(err, core.Language(c))
	return s.renderLogin(c, core.StatusOf[ae.Code], fiber.Map{
		"Next": safeNext(f.Next), "Email": f.Email, "Error": summary, "Fields": fields,
	})
}

// logout ends the service's session and, for one begun at an identity
// provider that offers it, sends the browser to sign out there too.
func (s *handlers) logout(c *fiber.Ctx) error {
	sess := core.SessionOf(c)
	if err := s.Accounts.SignOut(c.UserContext(), core.SessionCookie(c), core.Principal(c), c.IP()); err != nil {
		return err
	}
	s.EndSession(c)
	if sess != nil {
		if p := s.provider(sess.Provider); p != nil {
			if to := p.EndSessionURL(c.UserContext(), s.Absolute(c, "/")); to != "" {
				return c.Redirect(to, fiber.StatusSeeOther)
			}
		}
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

type passwordForm struct {
	Current string `form:"current" validate:"required,max=256"`
	New     string `form:"password" validate:"required,max=256"`
	Repeat  string `form:"repeat" validate:"required,eqfield=New"`
}

func (s *handlers) passwordPage(c *fiber.Ctx) error {
	if s.PasswordsOff {
		return errPasswordsOff
	}
	return s.Render(c, fiber.StatusOK, "password", fiber.Map{})
}

func (s *handlers) changePassword(c *fiber.Ctx) error {
	if s.PasswordsOff {
		return errPasswordsOff
	}
	var f passwordForm
	err := core.DecodeForm(c, &f)
	if err == nil {
		var cookie string
		var sess account.Session
		cookie, sess, err = s.Accounts.ChangePassword(c.UserContext(), core.Principal(c), f.Current, f.New, c.IP())
		if err == nil {
			s.StartSession(c, cookie, &sess)
			return s.Render(c, fiber.StatusOK, "password", fiber.Map{"Done": true})
		}
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	summary, fields := core.FieldErrors(err, core.Language(c))
	return s.Render(c, core.StatusOf[ae.Code], "password", fiber.Map{"Error": summary, "Fields": fields})
}

// apiMe tells an API client who its token belongs to.
func (s *handlers) apiMe(c *fiber.Ctx) error {
	p := core.Principal(c)
	return c.JSON(fiber.Map{"email": p.Email, "name": p.Name, "role": p.Role, "region": p.Region})
}
