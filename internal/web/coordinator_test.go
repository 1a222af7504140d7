package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestCoordinatorIssuesInBrowserForms(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.signIn("coord@halland.se")
	form := b.do("GET", "/assessments/new", nil)
	if form.status != 200 || !strings.Contains(form.body, `<option value="gloves"`) || !strings.Contains(form.body, `<option value="SE">Sweden</option>`) {
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
	bad.Set("contactName", "")
	p := b.do("POST", "/assessments", bad)
	// All three problems at once, each by its field.
	if p.status != 422 || !strings.Contains(p.body, "Sjukhustextil i Łódź") || !strings.Contains(p.body, `href="#f-country"`) ||
		!strings.Contains(p.body, `href="#f-dueDate"`) || !strings.Contains(p.body, `href="#f-contactName"`) {
		t.Errorf("bad issue form: %d\n%s", p.status, trim(p.body))
	}

	p = b.do("POST", "/assessments", v)
	link := regexp.MustCompile(`https://saq\.test/s/[A-Za-z0-9_-]{43}`).FindString(p.body)
	if p.status != 201 || link == "" {
		t.Fatalf("issue: %d\n%s", p.status, trim(p.body))
	}
	// The confirmation names the supplier, says the invitation is queued and leads to the follow-up.
	if !strings.Contains(p.body, "The follow-up of Sjukhustextil i Łódź Sp. z o.o. has been created. The invitation to Agnieszka (a@textil.pl) is queued") ||
		!regexp.MustCompile(`<a href="/assessments/[A-Za-z0-9_-]+">Open the follow-up of Sjukhustextil`).MatchString(p.body) {
		t.Errorf("confirmation page:\n%s", trim(p.body))
	}
	list := b.do("GET", "/assessments", nil)
	if !strings.Contains(list.body, "Sjukhustextil i Łódź") || !strings.Contains(list.body, "PL5250001009</a> · Poland") || !strings.Contains(list.body, `value="0"`) || strings.Contains(list.body, "Handskfabriken") {
		t.Errorf("Halland's list:\n%s", trim(list.body))
	}
	if all := b.do("GET", "/assessments?region=all", nil); !strings.Contains(all.body, "Handskfabriken") {
		t.Errorf("every region's list lacks Skåne's follow-up")
	}
}

// TestCoordinatorActions: replace and resend the link, extend the due date,
// correct the contact, withdraw with a message; each in the trail, and the
// supplier told of the withdrawal in its language.
func TestCoordinatorActions(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	csrf := b.signIn("coord@skane.se")
	path := "/assessments/" + s.sampleID
	post := func(op string, form url.Values) page {
		form.Set("_csrf", csrf)
		return b.do("POST", path+op, form)
	}
	today := s.clock.t

	tests := []struct {
		name   string
		op     string
		form   url.Values
		status int
		want   string
	}{
		{"due date earlier", "/due-date", url.Values{"dueDate": {today.AddDate(0, 1, 0).Format("2006-01-02")}}, 422, "Choose a later day"},
		{"due date passed", "/due-date", url.Values{"dueDate": {"2020-01-01"}}, 422, "already passed"},
		{"due date not a date", "/due-date", url.Values{"dueDate": {"1 mars"}}, 422, "YYYY-MM-DD"},
		{"contact with a header in the address", "/contact", url.Values{"contactName": {"Åsa"}, "contactEmail": {"asa@handsk.se\r\nBcc: x@evil.example"}}, 422, "valid e-mail address"},
		{"contact without a name", "/contact", url.Values{"contactName": {""}, "contactEmail": {"asa@handsk.se"}}, 422, "contact person"},
		{"due date later", "/due-date", url.Values{"dueDate": {today.AddDate(0, 4, 0).Format("2006-01-02")}}, 303, ""},
		{"contact corrected", "/contact", url.Values{"contactName": {"Åsa Öberg"}, "contactEmail": {"asa.oberg@handsk.se"}}, 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := post(tt.op, tt.form)
			if p.status != tt.status || !strings.Contains(p.body, tt.want) {
				t.Errorf("%d, want %d with %q\n%s", p.status, tt.status, tt.want, trim(p.body))
			}
			// After a change, the page says what was done.
			if p.status == 303 {
				done := b.do("GET", p.header.Get("Location"), nil)
				if !strings.Contains(done.body, `<p class="notice" role="status" id="done">`) {
					t.Errorf("no notice after %s:\n%s", tt.op, trim(done.body))
				}
			}
		})
	}
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	if a.DueDate != today.AddDate(0, 4, 0).Format("2006-01-02") || a.Supplier.ContactEmail != "asa.oberg@handsk.se" {
		t.Errorf("due %s, contact %s", a.DueDate, a.Supplier.ContactEmail)
	}

	// A new link: shown once, sent to the corrected address; the old one is gone.
	p := post("/link", url.Values{})
	link := regexp.MustCompile(`https://saq\.test/s/([A-Za-z0-9_-]{43})`).FindStringSubmatch(p.body)
	if p.status != 200 || link == nil || !strings.Contains(p.body, "queued to be mailed to the supplier") {
		t.Fatalf("new link: %d\n%s", p.status, trim(p.body))
	}
	if old := b.do("GET", "/s/"+s.sampleToken, nil); old.status != 410 {
		t.Errorf("the old link answers %d, want 410", old.status)
	}
	if ob := b.do("GET", "/outbox", nil); strings.Contains(ob.body, link[0]) || !strings.Contains(ob.body, "asa.oberg@handsk.se") {
		t.Errorf("the outbox lacks the new invitation:\n%s", trim(ob.body))
	}

	p = post("/withdraw", url.Values{"reason": {"Avtalet är uppsagt från 1 december."}})
	if p.status != 303 {
		t.Fatalf("withdraw: %d %s", p.status, trim(p.body))
	}
	d := getDetail(t, b, s.sampleID, apiToken(t, s, "coord@skane.se"))
	var actions []string
	for _, e := range d.Trail {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"due_date_changed", "contact_changed", "link_reissued", "follow_up_withdrawn"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("the trail lacks %s: %v", want, actions)
		}
	}
	if ob := b.do("GET", "/outbox", nil); !strings.Contains(ob.body, "Självutvärderingen för Handskfabriken Åström AB är återkallad") || !strings.Contains(ob.body, "Avtalet är uppsagt från 1 december.") {
		t.Errorf("the outbox lacks the withdrawal notice:\n%s", trim(ob.body))
	}
	if gone := b.do("GET", "/s/"+link[1], nil); gone.status != 410 {
		t.Errorf("the withdrawn follow-up's link answers %d", gone.status)
	}
}
