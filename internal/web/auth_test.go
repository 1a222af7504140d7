package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/metrics"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/internal/web"
	"github.com/regionerna/saq/questionnaires"
)

const pw = "korrekt häst batteri häfta"

// metricsRange may read /metrics without a token.
const metricsRange = "203.0.113.0/24"

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// site is a server with accounts: an admin, a coordinator in Skåne, one in
// Halland, and an auditor.
type site struct {
	srv         *web.Server
	store       *store.Store
	accounts    *account.Service
	assessments *followup.Service
	reviews     *review.Service
	lists       *listing.Service
	clock       *clock
	// a Skåne assessment issued by coord@skane.se, and its link token
	sampleID, sampleToken string
}

func newSite(t *testing.T) *site { t.Helper(); return newSiteWith(t, nil) }

// newSiteWith is newSite with the server's configuration changed by adjust.
func newSiteWith(t *testing.T, adjust func(*web.Config)) *site {
	t.Helper()
	st := storetest.New(t)
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{time.Now().UTC()}
	acc := account.NewService(st.Accounts(), func(id string) bool { _, ok := dir.Region(id); return ok }, c.now)
	set := questionnairetest.Set(t)
	ac := assessment.Config{Repo: st.Assessments(), Files: st.Files(), Questionnaires: set, Org: dir, Audit: acc.Record, Now: c.now,
		Erasers: []assessment.Eraser{st.Outbox().Erase, st.Accounts().EraseEvents}}
	asm, lists := followup.New(ac, st.Assessments()), listing.New(ac, st.Assessments(), st.History())
	notifier := notify.New(st.Outbox(), nil, slog.New(slog.DiscardHandler), dir.RegionName, c.now)
	notifier.TrackWith(asm)
	notifier.TitleWith(asm)
	// app.Test connects from 0.0.0.0; trusting it makes X-Forwarded-For the client IP.
	cfg := web.Config{
		Logger: testLogger(t), DB: st, Questionnaires: set, Org: dir, Accounts: acc, Assessments: asm,
		Reviews: review.New(ac), Lists: lists,
		Notifier: notifier,
		BaseURL:  "https://saq.test", TrustedProxies: []string{"0.0.0.0"},
		Metrics: metrics.New(lists.CountByStatus), MetricsFrom: []netip.Prefix{netip.MustParsePrefix(metricsRange)},
	}
	if adjust != nil {
		adjust(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.NewUser{
		{Email: "admin@saq.se", Name: "Ada Admin", Role: account.Admin, Region: "national"},
		{Email: "coord@skane.se", Name: "Kim Skåne", Role: account.Coordinator, Region: "skane"},
		{Email: "coord@halland.se", Name: "Hal Halland", Role: account.Coordinator, Region: "halland"},
		{Email: "audit@saq.se", Name: "Aud Itor", Role: account.Auditor, Region: "national"},
	} {
		u.Password = pw
		if _, err := acc.CreateUser(t.Context(), account.Actor{Name: "test"}, u); err != nil {
			t.Fatal(err)
		}
	}
	s := &site{srv: srv, store: st, accounts: acc, assessments: asm, reviews: cfg.Reviews, lists: lists, clock: c}
	s.sampleID, s.sampleToken = s.issueSample(t)
	return s
}

// issueSample issues a Skåne assessment of gloves from a Malaysian supplier.
func (s *site) issueSample(t *testing.T) (id, token string) {
	t.Helper()
	a, token, err := s.assessments.Issue(t.Context(), &account.Principal{Email: "coord@skane.se", Role: account.Coordinator, Region: "skane"}, "ip", followup.IssueInput{
		Supplier:    assessment.Supplier{Name: "Handskfabriken Åström AB", OrgNumber: "556677-8899", Country: "MY", ContactName: "Åsa", ContactEmail: "asa@handsk.se"},
		ContractRef: "RS-2026-114", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: s.clock.t.AddDate(0, 3, 0).Format("2006-01-02"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID, token
}

// browser keeps cookies between requests, as a browser would.
type browser struct {
	t       *testing.T
	s       *site
	cookies map[string]string
	ip      string
}

func (s *site) browser(t *testing.T) *browser {
	return &browser{t: t, s: s, cookies: map[string]string{}, ip: "192.0.2.10"}
}

type page struct {
	status int
	header http.Header
	body   string
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (p page) csrf() string {
	if m := csrfRe.FindStringSubmatch(p.body); m != nil {
		return m[1]
	}
	return ""
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.send(req)
}

// send makes a request as this browser: its address and cookies.
func (b *browser) send(req *http.Request) page {
	b.t.Helper()
	req.Header.Set("Accept-Language", "en")
	req.Header.Set("X-Forwarded-For", b.ip)
	req.RemoteAddr = b.ip + ":1234"
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := roundTrip(b.t, b.s.srv.App(), req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || !c.Expires.IsZero() && c.Expires.Before(time.Now()) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return page{resp.StatusCode, resp.Header, string(data)}
}

// signIn signs in through the login form and returns a CSRF token for later forms.
func (b *browser) signIn(email string) string {
	b.t.Helper()
	login := b.do("GET", "/login", nil)
	p := b.do("POST", "/login", url.Values{"_csrf": {login.csrf()}, "email": {email}, "password": {pw}, "next": {"/"}})
	if p.status != http.StatusSeeOther || b.cookies["saq_session"] == "" {
		b.t.Fatalf("sign in %s: %d %s", email, p.status, p.body)
	}
	return b.do("GET", "/", nil).csrf()
}

func TestSignInFlow(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)

	login := b.do("GET", "/login", nil)
	if login.status != 200 || login.csrf() == "" {
		t.Fatalf("login page %d", login.status)
	}
	setCookie := login.header.Get("Set-Cookie")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
		t.Errorf("csrf cookie %q", setCookie)
	}

	bad := b.do("POST", "/login", url.Values{"_csrf": {login.csrf()}, "email": {"coord@skane.se"}, "password": {"wrong password 1"}})
	if bad.status != 401 || !strings.Contains(bad.body, "Wrong email address or password") || !strings.Contains(bad.body, `value="coord@skane.se"`) {
		t.Errorf("bad password: %d %s", bad.status, bad.body)
	}
	invalid := b.do("POST", "/login", url.Values{"_csrf": {login.csrf()}, "email": {"not-an-email"}, "password": {""}})
	if invalid.status != 422 || !strings.Contains(invalid.body, "Give a valid email address.") || !strings.Contains(invalid.body, `href="#f-email"`) {
		t.Errorf("invalid form: %d %s", invalid.status, invalid.body)
	}

	ok := b.do("POST", "/login", url.Values{"_csrf": {login.csrf()}, "email": {"Coord@Skane.se"}, "password": {pw}, "next": {"/admin/events"}})
	if ok.status != 303 || ok.header.Get("Location") != "/admin/events" {
		t.Fatalf("sign in: %d %v", ok.status, ok.header)
	}
	sc := ok.header.Get("Set-Cookie")
	if !strings.Contains(sc, "saq_session=") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") {
		t.Errorf("session cookie over plain HTTP: %q", sc)
	}
	home := b.do("GET", "/", nil)
	if !strings.Contains(home.body, "Kim Skåne") {
		t.Errorf("start page does not show who is signed in")
	}
	// A coordinator is sent nowhere near the admin pages.
	if p := b.do("GET", "/admin/events", nil); p.status != 403 {
		t.Errorf("coordinator on admin page: %d", p.status)
	}

	out := b.do("POST", "/logout", url.Values{"_csrf": {home.csrf()}})
	if out.status != 303 || b.cookies["saq_session"] != "" {
		t.Errorf("logout: %d, cookies %v", out.status, b.cookies)
	}
	if p := b.do("GET", "/account/password", nil); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
		t.Errorf("after logout: %d %v", p.status, p.header.Get("Location"))
	}

	// An open redirect is not offered.
	b2 := s.browser(t)
	l2 := b2.do("GET", "/login", nil)
	if p := b2.do("POST", "/login", url.Values{"_csrf": {l2.csrf()}, "email": {"coord@skane.se"}, "password": {pw}, "next": {"//evil.example/x"}}); p.header.Get("Location") != "/dashboard" {
		t.Errorf("next=//evil.example led to %q", p.header.Get("Location"))
	}
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	login := b.do("GET", "/login", nil)
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"_csrf": {login.csrf()}, "email": {"coord@skane.se"}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.AddCookie(&http.Cookie{Name: "saq_csrf", Value: b.cookies["saq_csrf"]})
	resp, err := roundTrip(t, s.srv.App(), req)
	if err != nil {
		t.Fatal(err)
	}
	if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "secure") && !strings.Contains(sc, "Secure") {
		t.Errorf("session cookie behind a TLS proxy lacks Secure: %q", sc)
	}
}

func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.do("GET", "/login", nil)
	if p := b.do("POST", "/login", url.Values{"email": {"coord@skane.se"}, "password": {pw}}); p.status != 403 || !strings.Contains(p.body, "did not come from this service") {
		t.Errorf("login without token: %d", p.status)
	}
	if b.cookies["saq_session"] != "" {
		t.Error("signed in without a CSRF token")
	}

	token := b.signIn("admin@saq.se")
	form := url.Values{"email": {"new@region.se"}, "name": {"New"}, "role": {"auditor"}, "region": {"skane"}, "password": {pw}}
	form.Set("_csrf", "forged")
	if p := b.do("POST", "/admin/users", form); p.status != 403 {
		t.Errorf("create user with a forged token: %d", p.status)
	}
	users, _ := s.accounts.Users(t.Context())
	if len(users) != 4 {
		t.Errorf("%d users after a forged request, want 4", len(users))
	}
	form.Set("_csrf", token)
	if p := b.do("POST", "/admin/users", form); p.status != 303 {
		t.Errorf("create user with the right token: %d %s", p.status, p.body)
	}
	if users, _ = s.accounts.Users(t.Context()); len(users) != 5 {
		t.Errorf("%d users, want 5", len(users))
	}
}

func TestLockoutOverHTTP(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	token := b.do("GET", "/login", nil).csrf()
	for range account.MaxAccountAddressFailures {
		b.do("POST", "/login", url.Values{"_csrf": {token}, "email": {"audit@saq.se"}, "password": {"not it at all"}})
	}
	p := b.do("POST", "/login", url.Values{"_csrf": {token}, "email": {"audit@saq.se"}, "password": {pw}})
	if p.status != 429 || !strings.Contains(p.body, "Too many failed attempts. Try again") || p.header.Get("Retry-After") == "" {
		t.Errorf("locked account: %d, Retry-After %q\n%s", p.status, p.header.Get("Retry-After"), p.body)
	}
	events, _ := s.accounts.Events(t.Context(), account.EventFilter{Action: "sign_in_failed"})
	if len(events) != account.MaxAccountAddressFailures || events[0].IP != "192.0.2.10" {
		t.Errorf("failed sign-in events: %+v", events)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.signIn("admin@saq.se")
	if p := b.do("GET", "/admin/users", nil); p.status != 200 {
		t.Fatalf("admin page: %d", p.status)
	}
	s.clock.t = s.clock.t.Add(account.SessionLifetime + time.Second)
	if p := b.do("GET", "/admin/users", nil); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Errorf("expired session: %d %s", p.status, p.header.Get("Location"))
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	plain, tok, err := s.accounts.CreateToken(t.Context(), account.Actor{Name: "test"}, "audit@saq.se")
	if err != nil {
		t.Fatal(err)
	}
	call := func(auth string) (int, string, string) {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := roundTrip(t, s.srv.App(), req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
	}
	if code, _, body := call("Bearer " + plain); code != 200 || !strings.Contains(body, `"role":"auditor"`) {
		t.Errorf("valid token: %d %s", code, body)
	}
	for _, auth := range []string{"", "Bearer saq_nope", "Basic " + plain, plain} {
		if code, ctype, body := call(auth); code != 401 || ctype != "application/problem+json" {
			t.Errorf("auth %q: %d %s %s", auth, code, ctype, body)
		}
	}
	if err := s.accounts.RevokeToken(t.Context(), account.Actor{Name: "test"}, "audit@saq.se", tok.Hint); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := call("Bearer " + plain); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
}

func TestAdminPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	token := b.signIn("admin@saq.se")

	p := b.do("POST", "/admin/tokens", url.Values{"_csrf": {token}, "email": {"coord@skane.se"}})
	m := regexp.MustCompile(`<code class="token">(saq_[^<]+)</code>`).FindStringSubmatch(p.body)
	if p.status != 200 || m == nil || p.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("new token page: %d %s", p.status, p.body)
	}
	if pr, err := s.accounts.TokenPrincipal(t.Context(), m[1]); err != nil || pr.Email != "coord@skane.se" {
		t.Errorf("the shown token does not work: %v", err)
	}

	bad := b.do("POST", "/admin/users", url.Values{"_csrf": {token}, "email": {"x@y.se"}, "name": {"X"}, "role": {"auditor"}, "region": {"skane"}, "password": {"qwerty123456"}})
	if bad.status != 422 || !strings.Contains(bad.body, "too common") {
		t.Errorf("common password: %d", bad.status)
	}
	if p := b.do("POST", "/admin/users/disable", url.Values{"_csrf": {token}, "email": {"coord@halland.se"}}); p.status != 303 {
		t.Errorf("disable: %d", p.status)
	}
	events := b.do("GET", "/admin/events?action=user_disabled", nil)
	if !strings.Contains(events.body, "coord@halland.se") || strings.Contains(events.body, "<td>API token created</td>") {
		t.Errorf("filtered events page:\n%s", events.body)
	}
	all := b.do("GET", "/admin/events", nil)
	for _, want := range []string{"Sign-in", "API token created", "Account disabled", "Account created"} {
		if !strings.Contains(all.body, want) {
			t.Errorf("events page lacks %s", want)
		}
	}
}

var testActor = account.Actor{Name: "test"}

// api calls the JSON API with a bearer token.
func (b *browser) api(method, path, token string) page {
	return b.apiBody(method, path, token, "")
}

// apiBody calls the JSON API with a bearer token (none when empty) and a JSON body.
func (b *browser) apiBody(method, path, token, body string) page {
	b.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept-Language", "en")
	req.Header.Set("X-Forwarded-For", b.ip)
	resp, err := roundTrip(b.t, b.s.srv.App(), req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header, string(data)}
}

var adminPrincipal = &account.Principal{Email: "admin@saq.se", Role: account.Admin, Region: "national"}

// testLogger logs errors into the test's output, so a 500 says why.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// scan reads every document of every collection of the site's database
// and returns where any of values stands, for checking that an erasure
// left no copy behind.
func (s *site) scan(t *testing.T, values ...string) []string {
	t.Helper()
	db := s.store.Database()
	names, err := db.ListCollectionNames(t.Context(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, name := range names {
		cur, err := db.Collection(name).Find(t.Context(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		for cur.Next(t.Context()) {
			doc, err := bson.MarshalExtJSON(cur.Current, false, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range values {
				if strings.Contains(string(doc), v) {
					hits = append(hits, fmt.Sprintf("%q in %s %s", v, name, cur.Current.Lookup("_id")))
				}
			}
		}
		cur.Close(t.Context())
	}
	return hits
}
