package web

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
)

func (s *Server) accountRoutes() {
	s.handle("GET", "/login", account.Public, s.loginPage)
	s.handle("POST", "/login", account.Public, s.login)
	s.handle("POST", "/logout", account.SignedIn, s.logout)
	s.handle("GET", "/account/password", account.SignedIn, s.passwordPage)
	s.handle("POST", "/account/password", account.SignedIn, s.changePassword)
	s.handle("GET", "/api/v1/me", account.SignedIn, s.apiMe)
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

func (s *Server) loginPage(c *fiber.Ctx) error {
	if principal(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "login", fiber.Map{"Next": safeNext(c.Query("next"))})
}

func (s *Server) login(c *fiber.Ctx) error {
	var f loginForm
	err := decodeForm(c, &f)
	if err == nil {
		var cookie string
		var sess account.Session
		cookie, sess, _, err = s.accounts.SignIn(c.UserContext(), f.Email, f.Password, c.IP())
		if err == nil {
			s.setCookie(c, sessionCookie, cookie, sess.ExpiresAt)
			return c.Redirect(safeNext(f.Next), fiber.StatusSeeOther)
		}
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	retryAfter(c, err)
	summary, fields := fieldErrors(err, language(c))
	return s.render(c, statusOf[ae.Code], "login", fiber.Map{
		"Next": safeNext(f.Next), "Email": f.Email, "Error": summary, "Fields": fields,
	})
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.accounts.SignOut(c.UserContext(), c.Cookies(sessionCookie), principal(c), c.IP()); err != nil {
		return err
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

type passwordForm struct {
	Current string `form:"current" validate:"required,max=256"`
	New     string `form:"password" validate:"required,max=256"`
	Repeat  string `form:"repeat" validate:"required,eqfield=New"`
}

func (s *Server) passwordPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "password", fiber.Map{})
}

func (s *Server) changePassword(c *fiber.Ctx) error {
	var f passwordForm
	err := decodeForm(c, &f)
	if err == nil {
		var cookie string
		var sess account.Session
		cookie, sess, err = s.accounts.ChangePassword(c.UserContext(), principal(c), f.Current, f.New, c.IP())
		if err == nil {
			s.setCookie(c, sessionCookie, cookie, sess.ExpiresAt)
			c.Locals(localSession, &sess)
			return s.render(c, fiber.StatusOK, "password", fiber.Map{"Done": true})
		}
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	summary, fields := fieldErrors(err, language(c))
	return s.render(c, statusOf[ae.Code], "password", fiber.Map{"Error": summary, "Fields": fields})
}

// apiMe tells an API client who its token belongs to.
func (s *Server) apiMe(c *fiber.Ctx) error {
	p := principal(c)
	return c.JSON(fiber.Map{"email": p.Email, "name": p.Name, "role": p.Role, "region": p.Region})
}
