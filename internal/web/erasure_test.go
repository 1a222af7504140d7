package web_test

import (
	"strings"
	"testing"
	"time"
)

// TestEraseContacts: an admin erases a supplier's contact persons; their
// names and addresses are gone from the follow-ups, their trails, the
// outbox and the audit log, and the follow-ups stay. Others may not, and
// an unknown supplier gets a clear 404.
func TestEraseContacts(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	coord := s.browser(t)
	coord.signIn("coord@skane.se")
	token := func(email string) string {
		plain, _, err := s.accounts.CreateToken(t.Context(), testActor, email)
		if err != nil {
			t.Fatal(err)
		}
		return plain
	}
	admin, coordToken := token("admin@saq.se"), token("coord@skane.se")
	// A second follow-up of the same supplier, issued through the API so an
	// invitation goes to the outbox; then the contact is corrected there.
	p := coord.apiBody("POST", "/api/v1/assessments", coordToken, `{"supplier": {"name": "Handskfabriken Åström AB", "orgNumber": "556677-8899",
		"country": "MY", "contactName": "Åsa Lind", "contactEmail": "asa@handsk.se"}, "contractRef": "RS-2026-115", "riskArea": "gloves",
		"questionnaire": "code-of-conduct", "language": "sv", "dueDate": "2030-01-31", "forceNew": true}`)
	if p.status != 201 {
		t.Fatalf("issue: %d %s", p.status, p.body)
	}
	id := p.body[strings.Index(p.body, `"id":"`)+6:]
	id = id[:strings.Index(id, `"`)]
	if p := coord.apiBody("PUT", "/api/v1/assessments/"+id+"/contact", coordToken, `{"contactName": "Bo Berg", "contactEmail": "bo@handsk.se"}`); p.status != 200 {
		t.Fatalf("correct contact: %d %s", p.status, p.body)
	}
	personal := []string{"asa@handsk.se", "Åsa", "bo@handsk.se", "Bo Berg"}

	for _, c := range []struct {
		who, token, org string
		status          int
		want            string
	}{
		{"coordinator", coordToken, "556677-8899", 403, "access"},
		{"admin, unknown supplier", admin, "999999-9999", 404, "No follow-up has that organisation number"},
		{"admin, the number without its dash", admin, "5566778899", 200, `"followUps":2`},
		{"admin, again", admin, "556677-8899", 200, `"followUps":0`},
	} {
		p := s.browser(t).apiBody("POST", "/api/v1/suppliers/"+c.org+"/contact-erasure", c.token, "")
		if p.status != c.status || !strings.Contains(p.body, c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.who, p.status, p.body, c.status, c.want)
		}
	}

	adminPages := s.browser(t)
	adminPages.signIn("admin@saq.se")
	for _, path := range []string{"/api/v1/assessments/" + s.sampleID, "/api/v1/assessments/" + id, "/outbox", "/admin/events", "/assessments/" + id} {
		var p page
		if strings.HasPrefix(path, "/api/") {
			p = adminPages.api("GET", path, admin)
		} else {
			p = adminPages.do("GET", path, nil)
		}
		if p.status != 200 {
			t.Fatalf("%s: %d", path, p.status)
		}
		for _, v := range personal {
			if strings.Contains(p.body, v) {
				t.Errorf("%s still shows %q", path, v)
			}
		}
		if path == "/admin/events" && !strings.Contains(p.body, "contact_erased") {
			t.Error("the audit log does not record the erasure")
		}
	}
	// No copy anywhere in the database: every collection, every document.
	for _, hit := range s.scan(t, personal...) {
		t.Errorf("after the erasure: %s", hit)
	}
	if p := adminPages.api("GET", "/api/v1/assessments/"+id, admin); !strings.Contains(p.body, "Handskfabriken Åström AB") ||
		!strings.Contains(p.body, "@pseudonym.invalid") || !strings.Contains(p.body, "RS-2026-115") {
		t.Errorf("the follow-up itself should stay, with a pseudonym: %s", p.body)
	}
}

// TestContactRetention: contacts of follow-ups whose last event is older
// than the cutoff are pseudonymised, newer ones are not, and once done is
// not done again.
func TestContactRetention(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, c := range []struct {
		cutoff time.Time
		want   int
	}{
		{s.clock.t.Add(-time.Hour), 0},
		{s.clock.t.Add(time.Hour), 1},
		{s.clock.t.Add(time.Hour), 0},
	} {
		if n, err := s.assessments.EraseContactsBefore(t.Context(), c.cutoff); err != nil || n != c.want {
			t.Errorf("before %v: %d, %v; want %d", c.cutoff, n, err, c.want)
		}
	}
	a, err := s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	if err != nil || !a.Supplier.ContactErased() || strings.Contains(a.Supplier.ContactEmail, "handsk.se") {
		t.Errorf("after retention: %+v, %v", a.Supplier, err)
	}
}
