package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

const campaignCSV = "\xef\xbb\xbfLeverantör;Organisationsnummer;Land;Kontaktperson;E-post;Avtal\n" +
	"Handskar i Kedah Sdn Bhd;MY-123456;MY;Nur Aisyah;nur@kedah.my;GL-2026-1\n" +
	"Textil Öst AB;559911-2231;se;Jan Öst;jan@textilost.se;GL-2026-2\n" +
	"Fel Land AB;556000-1116;Sweden;Per;per@fel.se;GL-2026-3\n" +
	"Ingen Post AB;556000-2221;SE;Eva;inte-en-adress;GL-2026-4\n" +
	"\n" +
	"Textil Öst AB;5599112231;SE;Jan Öst;jan@textilost.se;GL-2026-2\n" +
	"Fel Siffra AB;556677-8890;SE;Ola;ola@fel.se;GL-2026-5\n"

func campaign(t *testing.T, b *browser, token string, csv string) (int, string) {
	t.Helper()
	fields := url.Values{"riskArea": {"gloves"}, "questionnaire": {"code-of-conduct"}, "language": {"en"}, "dueDate": {b.s.clock.t.AddDate(0, 3, 0).Format("2006-01-02")}}
	req := uploadRequest(t, "/api/v1/campaigns", "leverantorer.csv", []byte(csv), fields)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := roundTrip(t, b.s.srv.App(), req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp.Body)
	return resp.StatusCode, body
}

func TestCampaign(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")

	code, body := campaign(t, b, tok, campaignCSV)
	var res struct {
		Created, Skipped, Errors []struct {
			Line      int
			ID, Link  string
			Reason    string
			OrgNumber string
		}
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 {
		t.Fatalf("campaign: %d %s", code, body)
	}
	if len(res.Created) != 2 || len(res.Errors) != 3 || len(res.Skipped) != 1 {
		t.Fatalf("result %s", body)
	}
	if res.Errors[0].Line != 4 || !strings.Contains(res.Errors[0].Reason, "two-letter code") ||
		res.Errors[1].Line != 5 || !strings.Contains(res.Errors[1].Reason, "not an email address") ||
		res.Errors[2].Line != 8 || !strings.Contains(res.Errors[2].Reason, "check digit") {
		t.Errorf("errors %+v", res.Errors)
	}
	// 5599112231 on line 7 is the company of line 3, written without the dash.
	if res.Skipped[0].Line != 7 || !strings.Contains(res.Skipped[0].Reason, "line 3") || res.Skipped[0].OrgNumber != "559911-2231" {
		t.Errorf("skipped %+v", res.Skipped)
	}
	if !strings.HasPrefix(res.Created[0].Link, "https://saq.test/s/") || res.Created[0].Line != 2 {
		t.Errorf("created %+v", res.Created)
	}
	// The same file again creates nothing new.
	_, again := campaign(t, b, tok, campaignCSV)
	if !strings.Contains(again, `"created":[]`) || strings.Count(again, "already issued") != 2 {
		t.Errorf("second upload: %s", again)
	}
	// Comma-separated, English headers, no BOM.
	_, comma := campaign(t, b, tok, "name,orgNumber,country,contactName,contactEmail,contractRef\nNordic Gloves AS,NO 998 877 665 MVA,NO,Kari,kari@gloves.no,GL-2026-9\n")
	if !strings.Contains(comma, `"line":2,"orgNumber":"NO998877665MVA"`) || !strings.Contains(comma, "https://saq.test/s/") {
		t.Errorf("comma file: %s", comma)
	}
	for name, csv := range map[string]string{
		"missing column": "name;orgNumber\nA;1\n",
		"UTF-16":         "\xff\xfeL\x00e\x00v\x00;\x00O\x00r\x00g\x00\n\x00",
	} {
		if code, body := campaign(t, b, tok, csv); code != 422 {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	if code, _ := campaign(t, b, apiToken(t, s, "audit@saq.se"), campaignCSV); code != 403 {
		t.Errorf("auditor: %d", code)
	}
}

func TestCampaignFromPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := b.signIn("coord@skane.se")
	page := b.do("GET", "/assessments/new", nil)
	if !strings.Contains(page.body, `action="/assessments/campaign"`) {
		t.Fatal("no campaign form")
	}
	fields := url.Values{"_csrf": {tok}, "riskArea": {"gloves"}, "questionnaire": {"code-of-conduct"}, "language": {"sv"}, "dueDate": {s.clock.t.AddDate(0, 3, 0).Format("2006-01-02")}}
	p := b.upload("/assessments/campaign", "lev.csv", []byte(campaignCSV), fields)
	if p.status != 200 || !strings.Contains(p.body, "2 new, 0 reused, 1 already issued, 3 rows with errors.") || !strings.Contains(p.body, "https://saq.test/s/") {
		t.Errorf("campaign page: %d\n%s", p.status, trim(p.body))
	}
	if p := b.upload("/assessments/campaign", "lev.csv", []byte(campaignCSV), url.Values{"riskArea": {"gloves"}}); p.status != 403 {
		t.Errorf("without a CSRF token: %d", p.status)
	}
}

// Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252: it is read as
// such, and the Swedish letters arrive whole.
func TestCampaignWindows1252(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")
	// "Leverantör;Organisationsnummer;Land;Kontaktperson;E-post;Avtal" and one
	// row, as Excel writes them in Windows-1252: ö is 0xF6, Å 0xC5, é 0xE9.
	file := "Leverant\xf6r;Organisationsnummer;Land;Kontaktperson;E-post;Avtal\r\n" +
		"\xc5str\xf6ms Handskar AB;556123-4567;SE;Ren\xe9e \xc5str\xf6m;renee@astrom.se;GL-2026-77\r\n"
	code, body := campaign(t, b, tok, file)
	if code != 200 || !strings.Contains(body, `"created":[{"line":2,"orgNumber":"556123-4567"`) {
		t.Fatalf("Windows-1252 file: %d %s", code, body)
	}
	b.signIn("coord@skane.se")
	if list := b.do("GET", "/assessments?q=handskar", nil); !strings.Contains(list.body, "Åströms Handskar AB") {
		t.Errorf("the list does not show the name decoded:\n%s", trim(list.body))
	}
	code, body = campaign(t, b, tok, "\xff\xfeL\x00e\x00v\x00\n\x00")
	if code != 422 || !strings.Contains(body, "could not be read as text") {
		t.Errorf("UTF-16 file: %d %s", code, body)
	}
}
