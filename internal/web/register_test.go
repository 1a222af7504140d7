package web_test

import (
	"time"

	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
)

// The register shows one supplier, found by its identity however it is
// written, with every region's follow-ups, the reuse between them and the
// contacts used.
func TestSupplierRegister(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b) // Skåne's follow-up of 556677-8899
	reviewSample(t, s)
	tok := apiToken(t, s, "coord@halland.se")
	due := s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")
	req := strings.Replace(fmt.Sprintf(issueBody, due), `"559911-2233", "country": "PL"`, `"5566778899", "country": "SE"`, 1)
	// Dressings: no riskier than the sample's gloves, and no module of its own.
	req = strings.Replace(req, `"textiles"`, `"dressings"`, 1)
	reused := b.apiBody("POST", "/api/v1/assessments", tok, req)
	var r struct{ ID string }
	if err := json.Unmarshal([]byte(reused.body), &r); err != nil || reused.status != 200 {
		t.Fatalf("reuse: %d %s", reused.status, reused.body)
	}
	if p := b.apiBody("POST", "/api/v1/assessments", tok, strings.Replace(req, `"dueDate"`, `"forceNew": true, "dueDate"`, 1)); p.status != 201 {
		t.Fatalf("new: %d %s", p.status, p.body)
	}
	// Another company stays out of it.
	if p := b.apiBody("POST", "/api/v1/assessments", tok, fmt.Sprintf(issueBody, due)); p.status != 201 {
		t.Fatalf("other: %d %s", p.status, p.body)
	}

	var rec struct {
		OrgNumber, Name, Country, CountryName string
		FollowUps                             []struct {
			ID, Region, RegionName, Status string
			Total                          *float64
			OpenDeviations                 int
		}
		Reuse []struct {
			Submission string
			UsedBy     []string
			Carried    bool
		}
		Contacts []struct {
			Name, Email string
			FollowUps   []string
		}
	}
	for _, written := range []string{"5566778899", "556677-8899", "16556677-8899"} {
		p := b.api("GET", "/api/v1/suppliers/"+written, apiToken(t, s, "audit@saq.se"))
		if err := json.Unmarshal([]byte(p.body), &rec); err != nil || p.status != 200 {
			t.Fatalf("%s: %d %s", written, p.status, p.body)
		}
		if rec.OrgNumber != "556677-8899" || len(rec.FollowUps) != 3 {
			t.Errorf("%s: %s with %d follow-ups, want 556677-8899 with 3", written, rec.OrgNumber, len(rec.FollowUps))
		}
	}
	regions := map[string]int{}
	for _, f := range rec.FollowUps {
		regions[f.RegionName]++
		if f.ID == s.sampleID && (f.Total == nil || f.Status != "closed") {
			t.Errorf("the reviewed follow-up: %+v", f)
		}
	}
	if regions["Region Skåne"] != 1 || regions["Region Halland"] != 2 {
		t.Errorf("regions %v", regions)
	}
	// Reused as reviewed, and carried forward for the supplier to confirm:
	// both named, apart.
	nReused, nCarried := 0, 0
	for _, u := range rec.Reuse {
		switch {
		case u.Submission != s.sampleID || len(u.UsedBy) != 1:
		case !u.Carried && u.UsedBy[0] == r.ID:
			nReused++
		case u.Carried && u.UsedBy[0] != r.ID:
			nCarried++
		}
	}
	if len(rec.Reuse) != 2 || nReused != 1 || nCarried != 1 {
		t.Errorf("reuse %+v", rec.Reuse)
	}
	emails := map[string]int{}
	for _, c := range rec.Contacts {
		emails[c.Email] = len(c.FollowUps)
	}
	if emails["asa@handsk.se"] != 1 || emails["jan@textil.pl"] != 2 {
		t.Errorf("contacts %+v", rec.Contacts)
	}

	for _, tt := range []struct {
		path, token string
		status      int
		want        string
	}{
		{"/api/v1/suppliers/000000-0000", tok, 404, `"title":"Not found"`},
		{"/api/v1/suppliers/%20", tok, 404, "not in the register"},
		{"/api/v1/suppliers/556677-8899", "", 401, ""},
	} {
		if p := b.api("GET", tt.path, tt.token); p.status != tt.status || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: %d %s", tt.path, p.status, p.body)
		}
	}

	// The page, reached from the list, the dashboard and the follow-up.
	b.signIn("coord@halland.se")
	link := `href="/suppliers/556677-8899"`
	for _, path := range []string{"/assessments?region=all&q=handskfabriken", "/assessments/" + s.sampleID} {
		if p := b.do("GET", path, nil); !strings.Contains(p.body, link) {
			t.Errorf("%s does not link to the register", path)
		}
	}
	page := b.do("GET", "/suppliers/556677-8899", nil)
	for _, want := range []string{"Supplier register", "Region Skåne", "Region Halland", "<dd>556677-8899</dd>", "jan@textil.pl", "asa@handsk.se", `href="/assessments/` + r.ID + `"`} {
		if page.status != 200 || !strings.Contains(page.body, want) {
			t.Errorf("register page lacks %q: %d\n%s", want, page.status, trim(page.body))
		}
	}
}

// A supplier issued under a new name keeps its old one in the register.
func TestRegisterKeepsOtherNames(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	s.clock.t = s.clock.t.Add(time.Hour) // the new name is the newest
	if _, _, err := s.assessments.Issue(t.Context(), &account.Principal{Email: "coord@skane.se", Role: account.Coordinator, Region: "skane"}, "ip", followup.IssueInput{
		Supplier:    assessment.Supplier{Name: "Åström Medical AB", OrgNumber: "556677-8899", Country: "MY", ContactName: "Åsa", ContactEmail: "asa@handsk.se"},
		ContractRef: "RS-2026-200", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: s.clock.t.AddDate(0, 3, 0).Format("2006-01-02"), ForceNew: true,
	}); err != nil {
		t.Fatal(err)
	}
	b.signIn("coord@skane.se")
	page := b.do("GET", "/suppliers/556677-8899?lang=sv", nil)
	if !strings.Contains(page.body, "<h1>Åström Medical AB</h1>") || !strings.Contains(page.body, `<dd id="other-names">Handskfabriken Åström AB</dd>`) || !strings.Contains(page.body, "Även utskickad under namnet") {
		t.Errorf("the register under a new name:\n%s", trim(page.body))
	}
}
