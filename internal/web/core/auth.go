package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/secret"
)

const (
	sessionCookie = "saq_session"
	csrfCookie    = "saq_csrf" // for forms shown before sign-in
	csrfField     = "_csrf"
)

// Locals keys.
const (
	localPrincipal = "principal"
	localSession   = "session"
)

// Handle registers a route with the action the policy checks before the
// handler runs. Every route goes through here (or handleLarge,
// handleUpload); the route table test fails for one that does not.
func (s *Server) Handle(method, path string, action account.Action, h fiber.Handler) {
	s.route(method, path, action, s.bodyLimit, false, h)
}

// HandleLarge registers a route whose form or JSON body may be longer than
// the default, up to limit.
func (s *Server) HandleLarge(method, path string, action account.Action, limit int, h fiber.Handler) {
	s.route(method, path, action, limit, false, h)
}

// HandleUpload registers a route that takes a file: its body may be as
// long as an upload, and each address may send only a few at once.
func (s *Server) HandleUpload(method, path string, action account.Action, h fiber.Handler) {
	s.route(method, path, action, s.uploadLimit, true, h)
}

// route gives exports, reports, uploads and the dashboard (whose first sum
// over a large database reads every follow-up) their longer deadline, then
// checks, in order, what costs least and reveals nothing first: the body's
// declared length, the uploads under way, the supplier's link, the CSRF
// token, the policy.
func (s *Server) route(method, path string, action account.Action, limit int, upload bool, h fiber.Handler) {
	s.policy[method+" "+path] = action
	long := upload || strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".xlsx") || strings.HasSuffix(path, ".pdf") ||
		strings.HasSuffix(path, "/dashboard")
	s.app.Add(method, path, func(c *fiber.Ctx) error {
		if long { // in place of the default deadline (withDeadline)
			ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), s.longTimeout)
			defer cancel()
			c.SetUserContext(ctx)
		}
		if err := limitBody(c, limit, upload); err != nil {
			return err
		}
		if upload {
			release, err := s.uploads.acquire(c, c.IP())
			if err != nil {
				return err
			}
			defer release()
		}
		if action == account.SupplierResponse {
			if err := s.resolveSupplier(c); err != nil {
				return err
			}
		}
		if err := s.checkCSRF(c); err != nil {
			return err
		}
		if !account.AllowedRoute(Principal(c), action) {
			return s.deny(c)
		}
		return h(c)
	})
}

// deny answers a request the policy refuses: 401 (or the sign-in page) for
// someone unknown, 403 for someone known.
func (s *Server) deny(c *fiber.Ctx) error {
	if Principal(c) != nil {
		return apperr.New(apperr.Forbidden, "Du har inte behörighet till detta.", "You do not have access to this.")
	}
	if isAPI(c) || c.Method() != fiber.MethodGet {
		return apperr.New(apperr.Unauthorized, "Du behöver logga in.", "You need to sign in.")
	}
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// isAPI tells whether a request is for a machine: the JSON API, or the
// metrics. Those take API tokens, and errors answer as problem+json.
func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") || c.Path() == "/metrics" }

// Principal is who makes the request, nil for nobody signed in.
func Principal(c *fiber.Ctx) *account.Principal {
	p, _ := c.Locals(localPrincipal).(*account.Principal)
	return p
}

// SessionOf is the request's signed-in session, nil for none.
func SessionOf(c *fiber.Ctx) *account.Session {
	s, _ := c.Locals(localSession).(*account.Session)
	return s
}

// authenticate finds who is asking: a bearer token under /api/, a session
// cookie elsewhere. A bad credential leaves the request anonymous; the
// policy then decides.
func (s *Server) authenticate(c *fiber.Ctx) error {
	if s.Accounts == nil {
		return c.Next()
	}
	if isAPI(c) {
		if auth := c.Get(fiber.HeaderAuthorization); auth != "" {
			bearer, ok := strings.CutPrefix(auth, "Bearer ")
			p, err := s.Accounts.TokenPrincipal(c.UserContext(), strings.TrimSpace(bearer))
			if !ok || err != nil {
				if _, isApp := apperr.As(err); err != nil && !isApp {
					return err
				}
				return apperr.New(apperr.Unauthorized, "Saknad eller ogiltig API-token.", "Missing or invalid API token.")
			}
			c.Locals(localPrincipal, p)
		}
		return c.Next()
	}
	if cookie := c.Cookies(sessionCookie); cookie != "" {
		p, sess, err := s.Accounts.SessionPrincipal(c.UserContext(), cookie)
		if err != nil {
			if _, isApp := apperr.As(err); !isApp {
				return err
			}
			s.ClearCookie(c, sessionCookie)
		} else {
			c.Locals(localPrincipal, p)
			c.Locals(localSession, &sess)
		}
	}
	return c.Next()
}

// csrfToken is the token forms on this page carry: the session's, or before
// sign-in a random one in its own cookie (double submit).
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if sess := SessionOf(c); sess != nil {
		return sess.CSRF
	}
	if t := c.Cookies(csrfCookie); len(t) >= 32 {
		return t
	}
	t := secret.Token()
	s.SetCookie(c, csrfCookie, t, time.Time{})
	c.Locals(csrfCookie, t)
	return t
}

// checkCSRF refuses a request that changes something (any method but GET,
// HEAD and OPTIONS) unless it carries the page's token in its form body or
// in the X-CSRF-Token header, never in the query: a link must not be able
// to act. The JSON API is exempt: it authenticates with a bearer header,
// which a browser never adds by itself, and never with a cookie.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return nil
	}
	if isAPI(c) {
		return nil
	}
	want := c.Cookies(csrfCookie)
	if sess := SessionOf(c); sess != nil {
		want = sess.CSRF
	}
	got := formToken(c)
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

// formToken is the CSRF token from the header or the form body.
func formToken(c *fiber.Ctx) string {
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		if mf, err := c.MultipartForm(); err == nil && len(mf.Value[csrfField]) > 0 {
			return mf.Value[csrfField][0]
		}
		return ""
	}
	return string(c.Request().PostArgs().Peek(csrfField))
}

var errCSRF = &apperr.Error{Code: apperr.Forbidden, Message: map[string]string{
	"sv": "Formuläret har gått ut eller kom inte från den här tjänsten. Ladda om sidan och försök igen.",
	"en": "The form has expired or did not come from this service. Reload the page and try again.",
}}

// SetCookie sets an HttpOnly, SameSite=Lax cookie, Secure when the request
// came over TLS (directly or, by X-Forwarded-Proto, through a trusted proxy).
func (s *Server) SetCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		Expires:  expires,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
		Secure:   c.Protocol() == "https",
	})
}

// ClearCookie takes a cookie back from the browser.
func (s *Server) ClearCookie(c *fiber.Ctx, name string) {
	s.SetCookie(c, name, "", time.Unix(1, 0))
}

// StartSession hands the browser a new session's cookie and lets the rest
// of this request see the session.
func (s *Server) StartSession(c *fiber.Ctx, cookie string, sess *account.Session) {
	s.SetCookie(c, sessionCookie, cookie, sess.ExpiresAt)
	c.Locals(localSession, sess)
}

// SessionCookie is the session cookie the browser sent, "" when none.
func SessionCookie(c *fiber.Ctx) string { return c.Cookies(sessionCookie) }

// EndSession takes the session's cookie back from the browser.
func (s *Server) EndSession(c *fiber.Ctx) { s.ClearCookie(c, sessionCookie) }

// RetryAfter sets Retry-After for a rate-limited answer.
func RetryAfter(c *fiber.Ctx, err error) {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.TooMany && !ae.RetryAt.IsZero() {
		secs := int(time.Until(ae.RetryAt).Seconds()) + 1
		if secs > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		}
	}
}
