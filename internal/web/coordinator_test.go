package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestCoordinatorIssuesInBrowserForms(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	b.signIn("coord@halland.se")
	form := b.do("GET", "/assessments/new", nil)
	if form.status != 200 || !strings.Contains(form.body, `<option value="gloves"`) {
		t.Fatalf("issue form: %d", form.status)
	}
	v := url.Values{"_csrf": {form.csrf()}, "name": {"Sjukhustextil i Łódź Sp. z o.o."}, "orgNumber": {"PL-5250001009"}, "country": {"PL"},
		"contactName": {"Agnieszka"}, "contactEmail": {"a@textil.pl"}, "contractRef": {"HA-2026-12"}, "riskArea": {"textiles"},
		"questionnaire": {"code-of-conduct"}, "level": {"advanced"}, "language": {"en"}, "dueDate": {s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")}}

	bad := url.Values{}
	for k, vs := range v {
		bad[k] = vs
	}
	bad.Set("country", "XX1")
	bad.Set("dueDate", "2020-01-01")
	p := b.do("POST", "/assessments", bad)
	if p.status != 422 || !strings.Contains(p.body, "Sjukhustextil i Łódź") || !strings.Contains(p.body, `href="#f-country"`) {
		t.Errorf("bad issue form: %d\n%s", p.status, trim(p.body))
	}

	p = b.do("POST", "/assessments", v)
	link := regexp.MustCompile(`https://saq\.test/s/[A-Za-z0-9_-]{43}`).FindString(p.body)
	if p.status != 201 || link == "" {
		t.Fatalf("issue: %d\n%s", p.status, trim(p.body))
	}
	list := b.do("GET", "/assessments", nil)
	if !strings.Contains(list.body, "Sjukhustextil i Łódź") || !strings.Contains(list.body, `value="0"`) || strings.Contains(list.body, "Handskfabriken") {
		t.Errorf("Halland's list:\n%s", trim(list.body))
	}
	if all := b.do("GET", "/assessments?region=all", nil); !strings.Contains(all.body, "Handskfabriken") {
		t.Errorf("every region's list lacks Skåne's follow-up")
	}
}
