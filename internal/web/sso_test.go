package web_test

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/internal/sso/ssotest"
	"github.com/regionerna/saq/internal/web"
)

// The people the test identity provider knows. Kim and Hal have accounts
// here under the same addresses; the newcomer's group is mapped to a
// Halland coordinator; the stranger has neither.
var idpUsers = []ssotest.User{
	{Username: "kim", Password: "kim-at-the-idp", Email: "Coord@Skane.se", EmailVerified: true, First: "Kim", Last: "Skåne"},
	{Username: "hal", Password: "hal-at-the-idp", Email: "coord@halland.se", EmailVerified: true, First: "Hal", Last: "Halland"},
	{Username: "new", Password: "new-at-the-idp", Email: "newcomer@halland.se", EmailVerified: true, First: "Nina", Last: "Ny",
		Groups: []string{"all-staff", "saq-coordinators-halland"}},
	{Username: "stranger", Password: "stranger-at-the-idp", Email: "stranger@halland.se", EmailVerified: true, Groups: []string{"all-staff"}},
}

// ssoSite is the site on loopback with a real identity provider beside it.
type ssoSite struct {
	*site
	base, issuer string
}

func newSSOSite(t *testing.T, adjust func(*web.Config)) *ssoSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	callback := base + "/login/sso/testidp/callback"
	idp := ssotest.Start(t, idpUsers, []ssotest.Client{{ID: "saq", Secret: "saq-client-secret", RedirectURL: callback, SignedOutURL: base + "/"}})
	p := sso.Provider{ID: "testidp", Name: "Testregionen", Issuer: idp.Issuer, ClientID: "saq", ClientSecret: "saq-client-secret",
		RedirectURL: callback, Provision: []sso.Rule{{Value: "saq-coordinators-halland", Grant: account.Grant{Role: account.Coordinator, Region: "halland"}}}}
	s := newSiteWith(t, func(c *web.Config) {
		c.Providers, c.BaseURL = []*sso.Client{sso.New(p, nil)}, base
		if adjust != nil {
			adjust(c)
		}
	})
	go s.srv.App().Listener(ln)
	t.Cleanup(func() { _ = s.srv.App().Shutdown() })
	return &ssoSite{s, base, idp.Issuer}
}

// visitor is a browser without script: a cookie jar of both sites.
func (s *ssoSite) visitor(t *testing.T, lang string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	get(t, c, s.base+"/login?lang="+lang)
	return c
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// signInAt signs in at the provider from the sign-in page's button and
// returns where the service's callback led, and the page there.
func (s *ssoSite) signInAt(t *testing.T, c *http.Client, user, pass, next string) (*http.Response, string) {
	t.Helper()
	back := ssotest.SignIn(t, c, s.base+"/login/sso/testidp?next="+url.QueryEscape(next), s.issuer, user, pass)
	if !strings.HasPrefix(back.String(), s.base+"/login/sso/testidp/callback?") {
		t.Fatalf("the provider sent the browser to %s", back)
	}
	return get(t, c, back.String())
}

func TestSSOSignIn(t *testing.T) {
	t.Parallel()
	s := newSSOSite(t, nil)
	c := s.visitor(t, "sv")
	if _, body := get(t, c, s.base+"/login"); !strings.Contains(body, `href="/login/sso/testidp"`) || !strings.Contains(body, "Logga in med Testregionen") ||
		!strings.Contains(body, `name="password"`) {
		t.Fatalf("sign-in page without the provider's button or the passphrase form:\n%s", body)
	}
	resp, body := s.signInAt(t, c, "kim", "kim-at-the-idp", "/assessments")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/assessments" || !strings.Contains(body, "Kim Skåne") {
		t.Fatalf("after sign-in: %d %s\n%.500s", resp.StatusCode, resp.Request.URL, body)
	}
	// The session is the coordinator's of Skåne: Skåne's follow-up opens.
	if resp, _ := get(t, c, s.base+"/assessments/"+s.sampleID); resp.StatusCode != 200 {
		t.Errorf("the Skåne coordinator's follow-up: %d", resp.StatusCode)
	}
	events, _ := s.accounts.Events(t.Context(), account.EventFilter{Action: "sign_in", Subject: "coord@skane.se"})
	if len(events) == 0 || events[0].Detail != "via testidp" {
		t.Errorf("audit %+v", events)
	}

	// Signing out ends the session here and sends the browser to the
	// provider's end-session endpoint, to come back to the start page.
	page := s.browserPage(t, c, "/dashboard")
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.PostForm(s.base+"/logout", url.Values{"_csrf": {page.csrf()}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	if resp.StatusCode != http.StatusSeeOther || loc == nil || !strings.HasPrefix(loc.String(), s.issuer+"/") ||
		loc.Query().Get("client_id") != "saq" || loc.Query().Get("post_logout_redirect_uri") != s.base+"/" {
		t.Errorf("sign-out sent the browser to %v (%d)", loc, resp.StatusCode)
	}
	if resp, _ := get(t, c, s.base+"/dashboard"); resp.Request.URL.Path != "/login" {
		t.Errorf("after sign-out the dashboard is at %s", resp.Request.URL)
	}
}

// browserPage reads one of the service's pages with the visitor's cookies.
func (s *ssoSite) browserPage(t *testing.T, c *http.Client, path string) page {
	t.Helper()
	resp, body := get(t, c, s.base+path)
	return page{status: resp.StatusCode, header: resp.Header, body: body}
}

// Each refusal says why in the reader's language, changes nothing and is
// in the audit log.
func TestSSORefusals(t *testing.T) {
	t.Parallel()
	s := newSSOSite(t, nil)
	if err := s.accounts.DisableUser(t.Context(), account.Actor{Name: "test"}, "coord@halland.se"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, pass string
		sv, en           string
		event            string
	}{
		{"unknown, no mapping", "stranger", "stranger-at-the-idp", "inte kopplat till något konto", "not linked to an account", "no account, no mapping via testidp"},
		{"disabled account", "hal", "hal-at-the-idp", "är avstängt", "is disabled", "account disabled via testidp"},
	}
	for _, tt := range tests {
		for lang, want := range map[string]string{"sv": tt.sv, "en": tt.en} {
			t.Run(tt.name+" "+lang, func(t *testing.T) {
				c := s.visitor(t, lang)
				resp, body := s.signInAt(t, c, tt.user, tt.pass, "/dashboard")
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, want) || strings.Contains(body, `action="/logout"`) {
					t.Errorf("%d at %s:\n%.600s", resp.StatusCode, resp.Request.URL, body)
				}
			})
		}
		events, _ := s.accounts.Events(t.Context(), account.EventFilter{Action: "sign_in_refused"})
		found := false
		for _, e := range events {
			found = found || strings.Contains(e.Detail, tt.event)
		}
		if !found {
			t.Errorf("%s: no refusal %q in %+v", tt.name, tt.event, events)
		}
	}
	if users, _ := s.accounts.Users(t.Context()); len(users) != 4 {
		t.Errorf("%d accounts after refusals", len(users))
	}

	// A code is good once: the callback replayed, with or without the
	// attempt's cookie, signs nobody in.
	c := s.visitor(t, "en")
	back := ssotest.SignIn(t, c, s.base+"/login/sso/testidp", s.issuer, "kim", "kim-at-the-idp")
	attempt := cookieOf(c, s.base, "saq_sso")
	if resp, _ := get(t, c, back.String()); resp.Request.URL.Path != "/dashboard" {
		t.Fatalf("first use of the code: %s", resp.Request.URL)
	}
	other := s.visitor(t, "en")
	resp, body := get(t, other, back.String())
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "took too long or was started in another browser") {
		t.Errorf("replayed without the attempt: %d\n%.400s", resp.StatusCode, body)
	}
	u, _ := url.Parse(s.base)
	other.Jar.SetCookies(u, []*http.Cookie{{Name: "saq_sso", Value: attempt, Path: "/"}})
	resp, body = get(t, other, back.String())
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "did not accept the sign-in code") {
		t.Errorf("replayed with the attempt: %d\n%.400s", resp.StatusCode, body)
	}
	if _, body := get(t, other, s.base+"/dashboard"); strings.Contains(body, `action="/logout"`) {
		t.Error("a replayed code signed someone in")
	}
}

func cookieOf(c *http.Client, base, name string) string {
	u, _ := url.Parse(base)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

// A group claim mapped to "coordinator, Region Halland" makes that account
// on first sign-in, and nothing more.
func TestSSOProvisioning(t *testing.T) {
	t.Parallel()
	s := newSSOSite(t, nil)
	before, _ := s.accounts.Users(t.Context())
	c := s.visitor(t, "sv")
	resp, body := s.signInAt(t, c, "new", "new-at-the-idp", "/dashboard")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/dashboard" || !strings.Contains(body, "Nina Ny") {
		t.Fatalf("first sign-in: %d %s\n%.400s", resp.StatusCode, resp.Request.URL, body)
	}
	after, _ := s.accounts.Users(t.Context())
	if len(after) != len(before)+1 {
		t.Fatalf("%d accounts, then %d", len(before), len(after))
	}
	var made account.User
	for _, u := range after {
		if u.Email == "newcomer@halland.se" {
			made = u
		}
	}
	if made.Role != account.Coordinator || made.Region != "halland" || !made.PasswordOff || made.PasswordHash != "" || made.Provider != "testidp" {
		t.Errorf("made %+v", made)
	}
	// A Halland coordinator: Skåne's follow-up is read (the regions share
	// results) but not changed, and the admin's pages are closed.
	if resp, _ := get(t, c, s.base+"/admin/users"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("admin page for the new coordinator: %d", resp.StatusCode)
	}
	if _, body := get(t, c, s.base+"/dashboard"); strings.Contains(body, `href="/account/password"`) {
		t.Error("an account without a passphrase is offered to change it")
	}
	// Signing in again makes nothing more.
	c2 := s.visitor(t, "sv")
	s.signInAt(t, c2, "new", "new-at-the-idp", "/dashboard")
	if again, _ := s.accounts.Users(t.Context()); len(again) != len(after) {
		t.Errorf("a second sign-in made another account")
	}
	made2, _ := s.accounts.Events(t.Context(), account.EventFilter{Action: "user_provisioned"})
	if len(made2) != 1 || made2[0].Detail != `coordinator, halland, from groups "saq-coordinators-halland" via testidp` {
		t.Errorf("audit %+v", made2)
	}
}

// With passphrases off, the form is gone and POST /login answers 403;
// the provider's button stays.
func TestPasswordsOff(t *testing.T) {
	t.Parallel()
	s := newSSOSite(t, func(c *web.Config) { c.PasswordsOff = true })
	for lang, want := range map[string]string{"sv": "Inloggning med lösenord är avstängd", "en": "Signing in with a passphrase is turned off"} {
		c := s.visitor(t, lang)
		p := s.browserPage(t, c, "/login")
		if strings.Contains(p.body, `name="password"`) || !strings.Contains(p.body, `href="/login/sso/testidp"`) {
			t.Errorf("%s sign-in page with passphrases off:\n%s", lang, p.body)
		}
		// The form is gone; a client that posts anyway, with the token
		// of its cookie, is refused for what it is.
		resp, err := c.PostForm(s.base+"/login", url.Values{"_csrf": {cookieOf(c, s.base, "saq_csrf")}, "email": {"coord@skane.se"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), want) {
			t.Errorf("%s POST /login: %d\n%.400s", lang, resp.StatusCode, body)
		}
	}
	c := s.visitor(t, "sv")
	if resp, _ := s.signInAt(t, c, "kim", "kim-at-the-idp", "/dashboard"); resp.Request.URL.Path != "/dashboard" {
		t.Errorf("sign-in through the provider with passphrases off: %s", resp.Request.URL)
	}
	if resp, _ := get(t, c, s.base+"/account/password"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("passphrase page with passphrases off: %d", resp.StatusCode)
	}
}
