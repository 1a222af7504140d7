// Package core is what every audience's pages and routes share: the Fiber
// app and its middleware, the route table with the policy each route
// checks, sign-in sessions and CSRF, the one error handler, page rendering
// in the reader's language, form and JSON decoding, uploads and PDFs.
package core

import (
	"context"
	_ "embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/metrics"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/templates"
)

// Body limits unless Config says otherwise. A body is read only once its
// route is known and its declared length fits that route's limit: forms
// and JSON are small; only upload routes take a file, streamed to disk.
const (
	DefaultBodyLimit   = 1 << 20
	DefaultUploadLimit = assessment.MaxFileSize + 1<<20 // one file and the form around it
	// MaxUploadsPerAddress is how many uploads one address may send at once.
	MaxUploadsPerAddress = 4
)

// Pinger reports whether the database answers and the data the pages read
// from memory is loaded.
type Pinger interface {
	Ready(ctx context.Context) error
}

// Config is what the HTTP side needs.
type Config struct {
	Logger         *slog.Logger
	DB             Pinger
	Questionnaires *questionnaire.Set
	Org            *org.Directory
	Accounts       *account.Service
	Assessments    *followup.Service // the follow-ups from issue to submission
	Reviews        *review.Service   // the reviewers' operations
	Lists          *listing.Service  // lists, dashboard, figures, a supplier's record
	Notifier       *notify.Notifier  // invitations; none sent when nil
	// Providers are the identity providers staff may sign in with, each
	// a button on the sign-in page.
	Providers []*sso.Client
	// PasswordsOff removes the passphrase form: staff sign in through a
	// provider only, and POST /login answers 403.
	PasswordsOff   bool
	BaseURL        string           // scheme and host of supplier links; the request's when empty
	BodyLimit      int              // bytes of a form or JSON body; DefaultBodyLimit when 0
	UploadLimit    int              // bytes of an upload; DefaultUploadLimit when 0
	TrustedProxies []string         // addresses whose X-Forwarded-* headers are believed
	Metrics        *metrics.Metrics // counts requests and serves /metrics; none when nil
	MetricsFrom    []netip.Prefix   // addresses that may read /metrics without an admin's token
	// RequestTimeout bounds what a request may wait for the database: a
	// page or a save (DefaultRequestTimeout when 0); exports, reports and
	// uploads get LongRequestTimeout (DefaultLongRequestTimeout when 0).
	RequestTimeout, LongRequestTimeout time.Duration
}

// Deadlines of a request, unless Config says otherwise.
const (
	DefaultRequestTimeout     = 5 * time.Second
	DefaultLongRequestTimeout = 60 * time.Second
)

// Server holds the Fiber app and what its handlers share.
type Server struct {
	app         *fiber.App
	Log         *slog.Logger
	db          Pinger
	Set         *questionnaire.Set
	Org         *org.Directory
	Accounts    *account.Service
	Assessments *followup.Service
	Reviews     *review.Service
	Lists       *listing.Service
	Notifier    *notify.Notifier
	// Providers and PasswordsOff are as Config has them.
	Providers    []*sso.Client
	PasswordsOff bool
	baseURL      string
	pages        *pages
	Countries    map[string][]Option // by language, sorted, for the issue form
	metrics      *metrics.Metrics
	metricsFrom  []netip.Prefix
	policy       map[string]account.Action // "METHOD /path" → what the route does
	bodyLimit    int
	uploadLimit  int
	timeout      time.Duration // of a page or a save
	longTimeout  time.Duration // of an export, a report or an upload
	uploads      *perAddress   // uploads under way, by client address
}

// New builds the app with every route and middleware in place.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.UploadLimit == 0 {
		cfg.UploadLimit = DefaultUploadLimit
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.LongRequestTimeout == 0 {
		cfg.LongRequestTimeout = DefaultLongRequestTimeout
	}
	pg, err := parsePages(templates.Files)
	if err != nil {
		return nil, err
	}
	s := &Server{Log: cfg.Logger, db: cfg.DB, Set: cfg.Questionnaires, Org: cfg.Org, Accounts: cfg.Accounts,
		Assessments: cfg.Assessments, Reviews: cfg.Reviews, Lists: cfg.Lists, Notifier: cfg.Notifier, Providers: cfg.Providers, PasswordsOff: cfg.PasswordsOff, baseURL: strings.TrimSuffix(cfg.BaseURL, "/"), pages: pg, policy: map[string]account.Action{},
		metrics: cfg.Metrics, metricsFrom: cfg.MetricsFrom,
		bodyLimit: cfg.BodyLimit, uploadLimit: cfg.UploadLimit, uploads: newPerAddress(MaxUploadsPerAddress),
		timeout: cfg.RequestTimeout, longTimeout: cfg.LongRequestTimeout}
	if cfg.Org != nil {
		s.Countries = countryOptions(cfg.Org.CountryNames)
	}
	fc := fiber.Config{
		AppName:      "saq",
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		// Routes are matched as written, so no second spelling of a path
		// (/API/v1/…) escapes the rules that go by the path.
		CaseSensitive: true,
		// Bodies are streamed to the handler: nothing reads one before its
		// route has checked its length (limitBody); multipart files go to
		// disk as they are read, not into memory first.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    cfg.BodyLimit,
		DisableStartupMessage:        true,
		ErrorHandler:                 s.handleError,
		// X-Forwarded-* are believed from the trusted proxies alone, and
		// from nobody when none are named.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
	}
	s.app = fiber.New(fc)
	s.routes()
	return s, nil
}

// App returns the Fiber app, to serve or to test with app.Test.
func (s *Server) App() *fiber.App { return s.app }

// routes puts the middleware in place and the routes every audience
// shares; each audience's package adds its own.
func (s *Server) routes() {
	s.app.Use(requestid.New())
	s.app.Use(s.logRequests)
	s.app.Use(recover.New())
	s.app.Use(securityHeaders(s.Providers))

	static, _ := fs.Sub(templates.Files, "static")
	s.app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 3600}))

	s.app.Use(noStore)
	s.app.Use(s.withDeadline)
	s.app.Use(s.authenticate)

	s.Handle("GET", "/healthz", account.Public, s.healthz)
	s.Handle("GET", "/readyz", account.Public, s.readyz)
	if s.metrics != nil {
		s.metricsRoute()
	}
	s.Handle("GET", "/", account.Public, s.startPage)
}

// Policy returns the route table: "METHOD /path" to the action checked.
func (s *Server) Policy() map[string]account.Action { return s.policy }

// securityHeaders: no inline script or style, no framing, and no Referer, so a
// supplier's link (a secret in the path) never leaks to another site; over
// HTTPS (directly or from a trusted proxy), HTTPS only from then on. Forms
// go to this site only, and to the identity providers' sites: signing out
// is a form whose answer sends the browser on to the provider's sign-out.
func securityHeaders(providers []*sso.Client) fiber.Handler {
	formAction := "'self'"
	for _, p := range providers {
		if u, err := url.Parse(p.Provider().Issuer); err == nil && u.Host != "" {
			formAction += " " + u.Scheme + "://" + u.Host
		}
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action " +
		formAction + "; frame-ancestors 'none'"
	return func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", csp)
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("X-Frame-Options", "DENY")
		if c.Protocol() == "https" {
			c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return c.Next()
	}
}

// withDeadline bounds what a request waits for the database (route gives
// the long ones more).
func (s *Server) withDeadline(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), s.timeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// noStore keeps every answer but the static files out of caches: pages,
// the API and exports hold names, addresses and answers.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// logRequests logs one line per request with the route pattern, never the
// raw path: supplier links carry their token in the path.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	closeUnread(c)
	s.metrics.Request(c.Method(), c.Route().Path, c.Response().StatusCode(), time.Since(start))
	s.Log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("method", c.Method()),
		slog.String("route", c.Route().Path),
		slog.Int("status", c.Response().StatusCode()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("request_id", requestID(c)),
	)
	return nil
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestid.ConfigDefault.ContextKey).(string)
	return id
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers within a second: a load balancer's probe must not hang
// on a database that stalls.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), 800*time.Millisecond)
	defer cancel()
	if err := s.db.Ready(ctx); err != nil {
		s.Log.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

func (s *Server) startPage(c *fiber.Ctx) error {
	lang := Language(c)
	type entry struct {
		Title     string
		Version   int
		Questions int
	}
	var list []entry
	if s.Set != nil {
		for _, q := range s.Set.Questionnaires {
			list = append(list, entry{q.Title.In(lang), q.Version, len(q.Questions())})
		}
	}
	return s.Render(c, fiber.StatusOK, "start", fiber.Map{"Questionnaires": list})
}

// Invite sends the supplier its link. A failure is logged, not returned: the
// follow-up exists and the coordinator has the link on screen.
func (s *Server) Invite(c *fiber.Ctx, a *assessment.Assessment, link string) {
	if s.Notifier == nil || link == "" {
		return
	}
	if err := s.Notifier.Invite(c.UserContext(), a, link); err != nil {
		s.Log.ErrorContext(c.UserContext(), "invitation not kept", "assessment", a.ID, "err", err)
	}
}

// the contract of /api/v1, served at /api/v1/openapi.yaml
