package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web"
)

// A post-sign-in target injects no header and leads nowhere off the site,
// on GET (already signed in) and POST alike.
func TestSignInTargetStaysOnTheSite(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.signIn("coord@skane.se")
	hostile := []string{
		"/\r\nSet-Cookie: saq_session=evil",
		"/\r\nSet-Cookie: x=" + strings.Repeat("a", 1650) + "; Path=/assessments",
		"/\t/evil.example",
		"//evil.example",
		"/\\evil.example",
		"https://evil.example/",
		"/%2F/evil.example",
	}
	check := func(how string, p page) {
		t.Helper()
		loc := p.header.Get("Location")
		if p.status != 303 || loc != "/dashboard" {
			t.Errorf("%s: %d to %q, want 303 to /dashboard", how, p.status, loc)
		}
		for _, c := range p.header.Values("Set-Cookie") {
			if strings.Contains(c, "evil") || strings.Contains(c, "x=aaa") {
				t.Errorf("%s: injected cookie %q", how, c)
			}
		}
	}
	for _, next := range hostile {
		check(fmt.Sprintf("GET next=%q", next), b.do("GET", "/login?next="+url.QueryEscape(next), nil))
	}
	for _, next := range hostile {
		o := s.browser(t)
		o.ip = "192.0.2.77"
		token := o.do("GET", "/login", nil).csrf()
		check(fmt.Sprintf("POST next=%q", next), o.do("POST", "/login", url.Values{"_csrf": {token}, "email": {"audit@saq.se"}, "password": {pw}, "next": {next}}))
	}
	if p := b.do("GET", "/login?next="+url.QueryEscape("/assessments?status=issued"), nil); p.header.Get("Location") != "/assessments?status=issued" {
		t.Errorf("a clean target: %q", p.header.Get("Location"))
	}
}

// The API answers to bearer tokens only, however its path is spelt; a
// signed-in browser changes nothing there, nor anywhere without its token.
func TestNoSecondSpellingOfTheAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	csrf := b.signIn("coord@skane.se")
	before := getDetail(t, b, s.sampleID, apiToken(t, s, "coord@skane.se"))
	for _, path := range []string{"/API/v1/me", "/Api/v1/me", "/api/V1/me"} {
		if p := b.do("GET", path, nil); p.status == 200 {
			t.Errorf("GET %s with a session cookie: 200 %s", path, trim(p.body))
		}
	}
	if p := b.do("GET", "/api/v1/me", nil); p.status != 401 {
		t.Errorf("GET /api/v1/me with a session cookie: %d, want 401", p.status)
	}
	due := s.clock.t.AddDate(1, 0, 0).Format(time.DateOnly)
	for _, path := range []string{"/API/v1/assessments/" + s.sampleID + "/due-date", "/api/v1/assessments/" + s.sampleID + "/due-date"} {
		req := httptest.NewRequest("PUT", path, strings.NewReader(`{"dueDate": "`+due+`"}`))
		req.Header.Set("Content-Type", "application/json")
		if p := b.send(req); p.status == 200 {
			t.Errorf("PUT %s with a session cookie: 200", path)
		}
	}
	// Every unsafe method on a page route needs the token, in the body or a header.
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if p := b.do(m, "/assessments/"+s.sampleID, url.Values{"dueDate": {due}}); p.status != 403 && p.status != 405 {
			t.Errorf("%s without a token: %d", m, p.status)
		}
	}
	after := getDetail(t, b, s.sampleID, apiToken(t, s, "coord@skane.se"))
	if after.DueDate != before.DueDate {
		t.Errorf("due date changed from %s to %s", before.DueDate, after.DueDate)
	}

	// The token in the query string is not the form's.
	if p := b.do("POST", "/account/password?_csrf="+url.QueryEscape(csrf), url.Values{"current": {pw}, "password": {"tre gröna äpplen i korgen"}, "repeat": {"tre gröna äpplen i korgen"}}); p.status != 403 {
		t.Errorf("password changed by a link: %d", p.status)
	}
	a := s.browser(t)
	a.ip = "192.0.2.11"
	token := a.signIn("admin@saq.se")
	target := "/admin/users/disable?_csrf=" + url.QueryEscape(token)
	if p := a.do("POST", target, url.Values{"email": {"coord@halland.se"}}); p.status != 403 {
		t.Errorf("token in the query: %d", p.status)
	}
	if u, _ := s.accounts.Users(t.Context()); disabled(u, "coord@halland.se") {
		t.Fatal("a user was disabled by a link")
	}
	req := httptest.NewRequest("POST", "/admin/users/disable", strings.NewReader(url.Values{"email": {"coord@halland.se"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", token)
	if p := a.send(req); p.status != 303 {
		t.Errorf("token in the header: %d", p.status)
	}
	if u, _ := s.accounts.Users(t.Context()); !disabled(u, "coord@halland.se") {
		t.Error("the header's token was not taken")
	}
}

func disabled(users []account.User, email string) bool {
	for _, u := range users {
		if u.Email == email {
			return u.Disabled
		}
	}
	return false
}

// Parallel guesses cannot pass a limit together: at most the limit of
// them are judged, the rest are told to wait.
func TestLimitsHoldInParallel(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	statuses := func(n int, req func(i int) page) map[int]int {
		var mu sync.Mutex
		got := map[int]int{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := req(i)
				mu.Lock()
				got[p.status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return got
	}
	b := s.browser(t)
	token := b.do("GET", "/login", nil).csrf()
	got := statuses(15, func(int) page {
		req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"_csrf": {token}, "email": {"audit@saq.se"}, "password": {"not it at all"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return b.send(req)
	})
	if got[401] != account.MaxAccountAddressFailures || got[429] != 15-account.MaxAccountAddressFailures {
		t.Errorf("15 parallel wrong passwords: %v, want %d judged", got, account.MaxAccountAddressFailures)
	}
	// The account's owner, from another address, still gets in.
	o := s.browser(t)
	o.ip = "192.0.2.99"
	o.signIn("audit@saq.se")

	g := s.browser(t)
	g.ip = "192.0.2.50"
	got = statuses(60, func(i int) page { return g.api("GET", fmt.Sprintf("/api/v1/s/guess%064d", i), "") })
	if got[404] != web.MaxLinkGuesses || got[429] != 60-web.MaxLinkGuesses {
		t.Errorf("60 parallel unknown links: %v, want %d answered 404", got, web.MaxLinkGuesses)
	}
}

// Weak passphrases are refused with the reason, in the admin's form and
// the change form alike.
func TestWeakPassphrasesRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	token := b.signIn("admin@saq.se")
	for _, weak := range []string{strings.Repeat(" ", 12), "weakweakweak", "qwertyuiopas"} {
		p := b.do("POST", "/admin/users", url.Values{"_csrf": {token}, "email": {"ny@skane.se"}, "name": {"Ny Person"}, "role": {"auditor"}, "region": {"skane"}, "password": {weak}})
		if p.status != 422 || !strings.Contains(p.body, "password") {
			t.Errorf("admin form with %q: %d", weak, p.status)
		}
		p = b.do("POST", "/account/password", url.Values{"_csrf": {token}, "current": {pw}, "password": {weak}, "repeat": {weak}})
		if p.status != 422 || !strings.Contains(p.body, "The password") {
			t.Errorf("change form with %q: %d", weak, p.status)
		}
	}
	p := b.do("POST", "/account/password", url.Values{"_csrf": {token}, "current": {pw}, "password": {"weakweakweak"}, "repeat": {"weakweakweak"}})
	if !strings.Contains(p.body, "easy to guess: it repeats the same characters or words.") {
		t.Errorf("the reason is not given:\n%s", trim(p.body))
	}
}

// Nothing signed in, nor the API or an export, is kept by a cache; HTTPS
// is asked for once a request came over it.
func TestNoStoreAndHSTS(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.signIn("coord@skane.se")
	tok := apiToken(t, s, "coord@skane.se")
	for _, p := range []page{
		b.do("GET", "/assessments", nil), b.do("GET", "/assessments/"+s.sampleID, nil), b.do("GET", "/dashboard", nil),
		b.do("GET", "/assessments.csv", nil), b.do("GET", "/assessments.xlsx", nil),
		b.api("GET", "/api/v1/assessments", tok), b.api("GET", "/api/v1/assessments.csv", tok), b.api("GET", "/api/v1/me", tok),
	} {
		if p.status != 200 || p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%d with Cache-Control %q", p.status, p.header.Get("Cache-Control"))
		}
	}
	if p := b.do("GET", "/static/style.css", nil); p.header.Get("Cache-Control") == "no-store" {
		t.Error("the stylesheet is not cached")
	}

	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	if p := b.send(req); !strings.Contains(p.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("over HTTPS from a trusted proxy, no HSTS: %v", p.header)
	}
	if p := b.do("GET", "/", nil); p.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
}

// With no base URL and no trusted proxy, a supplier's link is built from
// the request's own host: forged X-Forwarded-* headers do not reach it,
// nor ask for HSTS.
func TestForwardedHeadersNeedATrustedProxy(t *testing.T) {
	t.Parallel()
	s := newSiteWith(t, func(c *web.Config) { c.BaseURL, c.TrustedProxies = "", nil })
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")
	req := httptest.NewRequest("POST", "/api/v1/assessments", strings.NewReader(`{"supplier": {"name": "Textil AB", "orgNumber": "556036-0793", "country": "SE",
		"contactName": "Eva", "contactEmail": "eva@textil.se"}, "contractRef": "T-1", "riskArea": "textiles", "questionnaire": "code-of-conduct",
		"language": "sv", "dueDate": "`+s.clock.t.AddDate(0, 2, 0).Format(time.DateOnly)+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("X-Forwarded-Proto", "https")
	p := b.send(req)
	var out struct{ Link string }
	json.Unmarshal([]byte(p.body), &out)
	if p.status != 201 || !strings.HasPrefix(out.Link, "http://"+req.Host+"/s/") {
		t.Errorf("issued: %d, link %q", p.status, out.Link)
	}
	if p.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from a forged X-Forwarded-Proto")
	}
}

// listen serves the site on a loopback port, for what app.Test cannot
// show: when the server answers before reading a body.
func listen(t *testing.T, s *site) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.srv.App().Listener(ln)
	t.Cleanup(func() { _ = s.srv.App().Shutdown() })
	return ln.Addr().String()
}

// headOnly sends a request's head declaring a body of length bytes, sends
// only its first 16 KB, and reads the answer within a few seconds: one
// that comes was given without reading the body.
func headOnly(t *testing.T, addr, method, path string, length int, header string) (*http.Response, net.Conn) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: saq.test\r\nAccept-Language: en\r\nContent-Length: %d\r\n%s\r\n%s", method, path, length, header, strings.Repeat("x", 16<<10))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		return nil, nil
	}
	return resp, conn
}

// Bodies are checked by their route's limit before any of them is read:
// small for forms and JSON, an upload's only where a file is taken; and
// one address sends only a few uploads at once.
func TestBodyLimitsByRoute(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	addr := listen(t, s)
	tok := apiToken(t, s, "coord@skane.se")
	for _, tt := range []struct {
		name, method, path, header string
		length, status             int
		want                       string
	}{
		{"a JSON body over 1 MB", "POST", "/api/v1/assessments", "Content-Type: application/json\r\nAuthorization: Bearer " + tok + "\r\n", 2 << 20, 413, "What you sent is too large."},
		{"a form over 1 MB", "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n", 2 << 20, 413, "What you sent is too large."},
		{"an upload over 11 MB", "POST", "/api/v1/s/" + s.sampleToken + "/files/Q2.2", "Content-Type: multipart/form-data; boundary=x\r\n", 12 << 20, 413, "The file is larger than 10 MB."},
		{"5 MB to an unknown link", "POST", "/api/v1/s/" + strings.Repeat("0", 43) + "/files/Q2.2", "Content-Type: multipart/form-data; boundary=x\r\n", 5 << 20, 404, ""},
	} {
		resp, conn := headOnly(t, addr, tt.method, tt.path, tt.length, tt.header)
		if resp == nil {
			t.Errorf("%s: no answer without the body", tt.name)
			continue
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		conn.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s: %d %s, want %d %q", tt.name, resp.StatusCode, body, tt.status, tt.want)
		}
	}

	// Eight uploads at once from one address, their bodies not all sent:
	// four are taken (and wait for the rest), four are refused at once.
	// Q2.2 takes a file once Q2.1 is answered yes.
	if p := s.browser(t).apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", `{"version": 1, "answers": {"Q2.1": "yes"}}`); p.status != 200 {
		t.Fatalf("answer: %d", p.status)
	}
	const tries = 2 * web.MaxUploadsPerAddress
	answers := make(chan int, tries)
	for range tries {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/v1/s/%s/files/Q2.2 HTTP/1.1\r\nHost: saq.test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n"+
			"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4\n%s",
			s.sampleToken, 5<<20, strings.Repeat("x", 16<<10))
		go func() {
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				answers <- 0 // still under way
				return
			}
			if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			answers <- resp.StatusCode
		}()
	}
	got := map[int]int{}
	for range tries {
		got[<-answers]++
	}
	if got[429] != tries-web.MaxUploadsPerAddress || got[0] != web.MaxUploadsPerAddress {
		t.Errorf("%d uploads at once from one address: %v (0: still under way), want %d refused", tries, got, tries-web.MaxUploadsPerAddress)
	}
}

// Numbers keep to the question's bounds, and a JSON key given twice is
// refused rather than the last one silently kept.
func TestNumbersAndDuplicateKeys(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	api := "/api/v1/s/" + s.sampleToken + "/answers"
	if p := b.apiBody("PUT", api, "", `{"version": 1, "answers": {"Q1.3": -5}}`); p.status != 422 || !strings.Contains(p.body, "must not be less than 0") {
		t.Errorf("a negative employee count: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("PUT", api, "", `{"version": 1, "answers": {"Q1.3": 5, "Q1.3": -5}}`); p.status != 422 || !strings.Contains(p.body, `key \"Q1.3\" twice`) {
		t.Errorf("a key twice: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("PUT", api, "", `{"version": 1, "version": 2, "answers": {}}`); p.status != 422 {
		t.Errorf("version twice: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("PUT", api, "", `{"version": 1, "answers": {"Q1.3": 250}}`); p.status != 200 {
		t.Errorf("a good count: %d %s", p.status, trim(p.body))
	}
}

// A request the database does not answer in time gets 503 with
// Retry-After and a message that says what to do; a save sent again with
// the same base and value is taken, however the first one fared.
func TestDeadlinesAndRetries(t *testing.T) {
	t.Parallel()
	slow := newSiteWith(t, func(c *web.Config) { c.RequestTimeout = time.Nanosecond })
	b := slow.browser(t)
	body := `{"version": 1, "answers": {"Q1.7": {"value": "Malaysia", "base": 0}}}`
	p := b.apiBody("PUT", "/api/v1/s/"+slow.sampleToken+"/answers", "", body)
	if p.status != 503 || p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "did not answer in time") {
		t.Errorf("past the deadline: %d, Retry-After %q, %s", p.status, p.header.Get("Retry-After"), trim(p.body))
	}
	if p := b.do("GET", "/readyz", nil); p.status != 200 {
		t.Errorf("/readyz keeps its own deadline: %d", p.status)
	}

	s := newSite(t)
	b = s.browser(t)
	for i := range 2 {
		if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", body); p.status != 200 {
			t.Errorf("save %d: %d %s", i+1, p.status, trim(p.body))
		}
	}
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil || a.Answers["Q1.7"].Text != "Malaysia" {
		t.Errorf("after the retry: %+v, %v", a.Answers["Q1.7"], err)
	}
}
