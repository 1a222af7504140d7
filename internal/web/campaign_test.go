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
	resp, err := b.s.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp.Body)
	return resp.StatusCode, body
}

func TestCampaign(t *testing.T) {
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
		"not UTF-8":      "Leverant\xf6r;Org\n",
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
