package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/listing"
)

// takesNoBody are the write routes that read nothing from the body, so a
// hostile one cannot reach anything: they act on the path alone.
var takesNoBody = map[string]bool{
	"POST /logout":                                true,
	"POST /assessments/:id/link":                  true,
	"POST /api/v1/assessments/:id/link":           true,
	"POST /api/v1/suppliers/:org/contact-erasure": true,
}

// hostile are the bodies every write route is sent: as JSON to the API, as
// a form elsewhere (each field name and value placed as a form would).
var hostile = []struct {
	name       string
	json, form string
}{
	{"operator as the body", `{"$gt": ""}`, "$gt=&name[$ne]=x"},
	{"operator keys", `{"$where": "sleep(1000)", "a.b": {"$set": {"x": 1}}}`, "$where=sleep(1000)&a.b=1"},
	{"operator values", `{"name": {"$gt": ""}, "email": {"$ne": null}, "version": {"$gt": 0}}`, "name[$gt]=&email[$ne]="},
	{"invalid UTF-8", "{\"name\": \"\xff\xfe\", \"comment\": \"\xc3\x28\"}", "name=%FF%FE&comment=%C3%28"},
	{"NUL and control characters", `{"name": "a\u0000b", "comment": "\u0007\u001b[31m", "reason": "x\u0000"}`, "name=a%00b&comment=%07%1B&reason=x%00"},
	{"1 MB string", `{"name": "` + strings.Repeat("x", 1<<20) + `"}`, "name=" + strings.Repeat("x", 1<<20)},
	{"10 MB body", `{"name": "` + strings.Repeat("y", 10<<20) + `"}`, "name=" + strings.Repeat("y", 10<<20)},
	{"JSON nested 10 000 deep", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "a" + strings.Repeat("[b]", 10000) + "=1"},
	{"header injection", `{"contactName": "Eva\r\nBcc: x@evil.example", "contactEmail": "eva@x.se\r\nBcc: x@evil.example"}`, "contactName=Eva%0D%0ABcc:+x@evil.example&contactEmail=eva@x.se%0D%0ABcc:+x@evil.example"},
}

// TestHostileInput sends every write route each hostile body, as the
// principal the route admits: an admin's token on the API, an admin's
// session (with its CSRF token) on forms, the supplier's link on its
// routes. Each is refused with a 4xx, never a 5xx, and nothing changes.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	admin, _, err := s.accounts.CreateToken(t.Context(), testActor, "admin@saq.se")
	if err != nil {
		t.Fatal(err)
	}
	staff := s.browser(t)
	csrf := staff.signIn("admin@saq.se")
	supplier := s.browser(t)
	supplierCSRF := supplier.do("GET", "/s/"+s.sampleToken+"/section/1", nil).csrf()
	if supplierCSRF == "" {
		t.Fatal("no CSRF token on the supplier's section page")
	}

	var routes []string
	for _, r := range s.srv.App().GetRoutes(true) {
		key := r.Method + " " + r.Path
		if (r.Method == "POST" || r.Method == "PUT" || r.Method == "DELETE") && !takesNoBody[key] {
			routes = append(routes, key)
		}
	}
	if len(routes) < 40 {
		t.Fatalf("only %d write routes found", len(routes))
	}
	before := fingerprint(t, s)
	tried := 0
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer(":id", s.sampleID, ":token", s.sampleToken, ":n", "1", ":qid", "Q2.2", ":fid", "f00",
			":dev", "d00", ":org", "556677-8899").Replace(path)
		for _, h := range hostile {
			tried++
			var p page
			switch {
			case strings.HasPrefix(path, "/api/"):
				p = s.browser(t).apiBody(method, path, admin, h.json)
			case strings.HasPrefix(path, "/s/"):
				p = supplier.send(formRequest(method, path, h.form+"&_csrf="+supplierCSRF))
			default:
				p = staff.send(formRequest(method, path, h.form+"&_csrf="+csrf))
			}
			if p.status < 400 || p.status >= 500 {
				t.Errorf("%s with %s: %d %.200s", route, h.name, p.status, p.body)
			}
			if p.status == 401 || p.status == 403 {
				t.Errorf("%s with %s: %d, refused as unauthorised instead of as bad input", route, h.name, p.status)
			}
		}
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("hostile input changed something:\nbefore %s\nafter  %s", before, after)
	}
	t.Logf("%d write routes × %d bodies = %d requests, each refused", len(routes), len(hostile), tried)
}

// formRequest is a form post with a raw, already encoded body.
func formRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// fingerprint is what a write would change: the sample follow-up's version
// and trail, how many follow-ups, accounts, audit events and messages
// there are.
func fingerprint(t *testing.T, s *site) string {
	t.Helper()
	a, err := s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.lists.List(t.Context(), adminPrincipal, listing.Query{})
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.accounts.Events(t.Context(), account.EventFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.accounts.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var audit []string
	for _, e := range events {
		if !strings.HasPrefix(e.Action, "sign_in") { // a hostile sign-in is a failed one, and counted

			audit = append(audit, e.Action)
		}
	}
	return fmt.Sprintf("version %d, trail %d, %d follow-ups, %d accounts, audit %v, supplier %q %q",
		a.Version, len(a.Trail), list.Total, len(users), audit, a.Supplier.ContactName, a.Supplier.ContactEmail)
}
