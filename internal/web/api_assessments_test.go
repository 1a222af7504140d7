package web_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

func apiToken(t *testing.T, s *site, email string) string {
	t.Helper()
	plain, _, err := s.accounts.CreateToken(t.Context(), testActor, email)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

const issueBody = `{"supplier": {"name": "Textil Öst AB", "orgNumber": "559911-2233", "country": "PL",
  "contactName": "Jan Kowalski", "contactEmail": "jan@textil.pl"}, "contractRef": "HA-2026-7",
  "riskArea": "textiles", "questionnaire": "code-of-conduct", "language": "en", "dueDate": "%s"}`

func TestIssueOverAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@halland.se")
	due := s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")

	p := b.apiBody("POST", "/api/v1/assessments", tok, fmt.Sprintf(issueBody, due))
	var got struct {
		ID, Link, Status, Region string
		Version                  int
	}
	if err := json.Unmarshal([]byte(p.body), &got); err != nil || p.status != 201 {
		t.Fatalf("issue: %d %s", p.status, p.body)
	}
	if !strings.HasPrefix(got.Link, "https://saq.test/s/") || len(got.Link) != len("https://saq.test/s/")+43 || got.Region != "halland" || got.Status != "issued" {
		t.Errorf("issued %+v", got)
	}
	if p.header.Get("Location") != "/api/v1/assessments/"+got.ID {
		t.Errorf("Location %q", p.header.Get("Location"))
	}
	// The invitation is in Halland's outbox, not Skåne's, with a marker
	// where the link was: no live link at rest.
	hb := s.browser(t)
	hb.signIn("coord@halland.se")
	if ob := hb.do("GET", "/outbox", nil); strings.Contains(ob.body, got.Link) || !strings.Contains(ob.body, "[personal link: in the e-mail only]") ||
		!strings.Contains(ob.body, "jan@textil.pl") {
		t.Errorf("Halland's outbox:\n%s", trim(ob.body))
	}
	sb := s.browser(t)
	sb.signIn("coord@skane.se")
	if ob := sb.do("GET", "/outbox", nil); strings.Contains(ob.body, "jan@textil.pl") {
		t.Error("Skåne's outbox shows Halland's invitation")
	}
	one := b.api("GET", "/api/v1/assessments/"+got.ID, apiToken(t, s, "audit@saq.se"))
	if one.status != 200 || !strings.Contains(one.body, `"name":"Textil Öst AB"`) || strings.Contains(one.body, got.Link[len("https://saq.test/s/"):]) {
		t.Errorf("get by auditor: %d %s", one.status, one.body)
	}
	list := b.api("GET", "/api/v1/assessments?region=halland", tok)
	if list.status != 200 || strings.Count(list.body, `"id":`) != 1 || !strings.Contains(list.body, `"progress":0,`) || !strings.Contains(list.body, `"light":"green"`) {
		t.Errorf("list: %d %s", list.status, list.body)
	}
	if p := b.api("GET", "/api/v1/assessments/nope", tok); p.status != 404 || !strings.Contains(p.body, "does not exist") {
		t.Errorf("unknown id: %d %s", p.status, p.body)
	}
	for path, want := range map[string]string{"/api/v1/questionnaires": `"id":"code-of-conduct"`, "/api/v1/risk-areas": `"id":"gloves"`} {
		if p := b.api("GET", path, tok); p.status != 200 || !strings.Contains(p.body, want) {
			t.Errorf("%s: %d %s", path, p.status, p.body)
		}
	}

	bad := []struct {
		name, body string
		status     int
		want       []string
	}{
		{"fields", `{"supplier": {"name": "", "orgNumber": "1", "country": "Poland", "contactName": "J", "contactEmail": "nope"},
		  "contractRef": "x", "riskArea": "toys", "questionnaire": "code-of-conduct", "language": "de", "dueDate": "soon"}`, 422,
			// Every problem at once: the format checks and the service's own (riskArea).
			[]string{`"field":"supplier.name"`, `"field":"supplier.country"`, `"field":"supplier.contactEmail"`, `"field":"language"`, `"field":"dueDate"`, `"field":"riskArea"`}},
		{"no supplier", `{"contractRef": "x", "riskArea": "gloves", "questionnaire": "code-of-conduct", "language": "sv", "dueDate": "2099-01-01"}`, 422,
			[]string{`"field":"supplier.name"`, `"field":"supplier.orgNumber"`, `"field":"supplier.country"`, `"field":"supplier.contactName"`, `"field":"supplier.contactEmail"`}},
		{"domain checks", strings.Replace(fmt.Sprintf(issueBody, due), `"textiles"`, `"toys"`, 1), 422, []string{`"field":"riskArea"`, "Unknown risk area."}},
		{"unknown field", strings.Replace(fmt.Sprintf(issueBody, due), `"contractRef"`, `"contract"`, 1), 422, []string{"unknown field"}},
		{"wrong type", strings.Replace(fmt.Sprintf(issueBody, due), `"language": "en"`, `"language": 7`, 1), 422, []string{"language must be string"}},
		{"operator injection", strings.Replace(fmt.Sprintf(issueBody, due), `"riskArea": "textiles"`, `"riskArea": {"$gt": ""}`, 1), 422, []string{"riskArea must be string"}},
		{"not json", `supplier=x`, 422, []string{"syntax error"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := b.apiBody("POST", "/api/v1/assessments", tok, tt.body)
			if p.status != tt.status || p.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %s %s", p.status, p.header.Get("Content-Type"), p.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.body, w) {
					t.Errorf("body lacks %s: %s", w, p.body)
				}
			}
		})
	}
	after := b.api("GET", "/api/v1/assessments", tok)
	if n := strings.Count(after.body, `"id":`); n != 2 {
		t.Errorf("%d assessments after the refused ones, want 2", n)
	}
	if p := b.apiBody("POST", "/api/v1/assessments", apiToken(t, s, "audit@saq.se"), fmt.Sprintf(issueBody, due)); p.status != 403 {
		t.Errorf("auditor issuing: %d", p.status)
	}
}

func TestSupplierAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	base := "/api/v1/s/" + s.sampleToken

	get := b.api("GET", base, "")
	var view struct {
		Version int64
		Status  string
		Missing []string
		Visible []string
	}
	if err := json.Unmarshal([]byte(get.body), &view); err != nil || get.status != 200 || view.Version != 1 || view.Status != "issued" {
		t.Fatalf("get: %d %s", get.status, get.body)
	}
	if strings.Contains(get.body, "Q2.2") == false || slices.Contains(view.Visible, "Q2.2") {
		t.Errorf("Q2.2 should be in the questionnaire but not shown yet")
	}
	// A basic follow-up lists the basic questions only.
	var listed struct {
		Questionnaire struct {
			Sections []struct{ Questions []struct{ ID, Level string } }
		}
	}
	_ = json.Unmarshal([]byte(get.body), &listed)
	n := 0
	for _, sec := range listed.Questionnaire.Sections {
		for _, qu := range sec.Questions {
			n++
			if qu.Level != "basic" {
				t.Errorf("%s (%s) listed in a basic follow-up", qu.ID, qu.Level)
			}
		}
	}
	if n == 0 || strings.Contains(get.body, `"id":"Q4.7"`) {
		t.Errorf("%d questions listed; Q4.7 (advanced) listed: %v", n, strings.Contains(get.body, `"id":"Q4.7"`))
	}

	save := func(body string) page { return b.apiBody("PUT", base+"/answers", "", body) }
	p := save(`{"version": 1, "answers": {"Q2.1": "yes", "Q1.4": {"value": "both", "comment": "Två fabriker"}, "Q1.3": 120}}`)
	if p.status != 200 || !strings.Contains(p.body, `"version":2`) {
		t.Fatalf("save: %d %s", p.status, p.body)
	}

	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"answer changed since the version read", `{"version": 1, "answers": {"Q2.1": "no"}}`, 409, `"field":"Q2.1"`},
		{"answer changed since the revision read", `{"version": 2, "answers": {"Q2.1": {"value": "no", "base": 1}}}`, 409, "Someone else has changed"},
		{"unknown question", `{"version": 2, "answers": {"Q99": "yes"}}`, 422, `"field":"Q99"`},
		{"option not offered", `{"version": 2, "answers": {"Q2.1": "maybe"}}`, 422, `not one of the options`},
		{"operator as value", `{"version": 2, "answers": {"Q2.1": {"$gt": ""}}}`, 422, `must be one of the options`},
		{"operator with value key", `{"version": 2, "answers": {"Q2.1": {"value": {"$ne": null}}}}`, 422, `must be one of the options`},
		{"wrong type", `{"version": 2, "answers": {"Q1.3": "many"}}`, 422, "must be a number"},
		{"version as string", `{"version": "2", "answers": {}}`, 422, "version must be int64"},
		{"no version", `{"answers": {}}`, 422, "Give version and answers."},
		{"unknown top-level field", `{"version": 2, "answers": {}, "status": "closed"}`, 422, "unknown field"},
		{"text too long", `{"version": 2, "answers": {"Q1.7": "` + strings.Repeat("a", 10001) + `"}}`, 422, "at most 10000"},
		{"oversized body", `{"version": 2, "answers": {"Q1.7": "` + strings.Repeat("a", 3<<20) + `"}}`, 413, "too large"},
		{"advanced question at the basic level", `{"version": 2, "answers": {"Q4.7": "x"}}`, 422, "asked only at the advanced level"},
		{"hidden by an answer in the same save", `{"version": 2, "answers": {"Q2.1": "no", "Q2.3": "2026-01-01"}}`, 422, "asked only after another answer to question Q2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := save(tt.body)
			if p.status != tt.status || !strings.Contains(p.body, tt.want) {
				t.Errorf("%d %s, want %d with %q", p.status, trim(p.body), tt.status, tt.want)
			}
		})
	}
	if now := b.api("GET", base, ""); !strings.Contains(now.body, `"version":2`) || !strings.Contains(now.body, `"comment":"Två fabriker"`) {
		t.Errorf("refused saves changed the answers: %s", trim(now.body))
	}

	sub := b.apiBody("POST", base+"/submit", "", "")
	if sub.status != 422 || !strings.Contains(sub.body, "required questions are unanswered") || !strings.Contains(sub.body, `"field":"Q1.1"`) {
		t.Errorf("submit incomplete: %d %s", sub.status, trim(sub.body))
	}

	// Unknown and malformed tokens look alike and reveal nothing.
	for _, tok := range []string{strings.Repeat("x", 43), "short"} {
		p := b.api("GET", "/api/v1/s/"+tok, "")
		if p.status != 404 || strings.Contains(p.body, "Handskfabriken") {
			t.Errorf("token %q: %d %s", tok, p.status, p.body)
		}
	}
}

func TestSupplierSubmitOverAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	base := "/api/v1/s/" + s.sampleToken
	a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	answers := completeAnswers(t, s, a.ID)
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	if p := b.apiBody("PUT", base+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save all: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", base+"/submit", "", ""); p.status != 200 || !strings.Contains(p.body, `"status":"submitted"`) {
		t.Fatalf("submit: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", base+"/submit", "", ""); p.status != 409 {
		t.Errorf("submit twice: %d %s", p.status, p.body)
	}
	// The score is made on submit and shown with the deviations it raised.
	got := b.api("GET", "/api/v1/assessments/"+a.ID, apiToken(t, s, "audit@saq.se"))
	var scored struct {
		Score struct {
			Total *float64
			Areas map[string]*float64
			Risk  string
		}
		Deviations []struct{ Requirement, Severity, Question string }
	}
	if err := json.Unmarshal([]byte(got.body), &scored); err != nil || scored.Score.Total == nil || len(scored.Score.Areas) != 5 || len(scored.Deviations) == 0 {
		t.Errorf("scored assessment: %v %s", err, trim(got.body))
	} else if *scored.Score.Total < 0 || *scored.Score.Total > 100 || !strings.Contains(got.body, `"explanation":["Q`) ||
		// Gloves (high) from Malaysia (high) with a critical red flag or a middling score: high.
		scored.Score.Risk != "high" || !strings.Contains(got.body, `"riskInputs":{"riskArea":"high","country":"high"`) {
		t.Errorf("score %v", *scored.Score.Total)
	}
	if p := b.apiBody("PUT", base+"/answers", "", `{"version": 3, "answers": {"Q2.1": "yes"}}`); p.status != 409 || !strings.Contains(p.body, "submitted") {
		t.Errorf("save after submit: %d %s", p.status, p.body)
	}
	events, _ := s.accounts.Events(t.Context(), account.EventFilter{Action: "assessment_submitted"})
	if len(events) != 1 || events[0].Subject != a.ID {
		t.Errorf("submit events %+v", events)
	}
}

func trim(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

func TestReissuedLinkAndGuessing(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")
	p := b.api("POST", "/api/v1/assessments/"+s.sampleID+"/link", tok)
	var got struct{ Link string }
	if err := json.Unmarshal([]byte(p.body), &got); err != nil || p.status != 200 {
		t.Fatalf("reissue: %d %s", p.status, p.body)
	}
	newToken := strings.TrimPrefix(got.Link, "https://saq.test/s/")
	if old := b.api("GET", "/api/v1/s/"+s.sampleToken, ""); old.status != 410 || strings.Contains(old.body, "Handskfabriken") {
		t.Errorf("old link: %d %s", old.status, old.body)
	}
	if cur := b.api("GET", "/api/v1/s/"+newToken, ""); cur.status != 200 {
		t.Errorf("new link: %d", cur.status)
	}
	if p := b.api("POST", "/api/v1/assessments/"+s.sampleID+"/link", apiToken(t, s, "coord@halland.se")); p.status != 403 {
		t.Errorf("another region's coordinator reissuing: %d", p.status)
	}

	// Guessing links from one address is cut off; the right link from
	// another address still works.
	g := s.browser(t)
	g.ip = "203.0.113.66"
	for i := range 30 {
		if p := g.api("GET", "/api/v1/s/"+strings.Repeat(string(rune('a'+i%26)), 43), ""); p.status != 404 {
			t.Fatalf("guess %d: %d", i, p.status)
		}
	}
	if p := g.api("GET", "/api/v1/s/"+newToken, ""); p.status != 429 || p.header.Get("Retry-After") == "" {
		t.Errorf("after 30 guesses: %d", p.status)
	}
	if p := b.api("GET", "/api/v1/s/"+newToken, ""); p.status != 200 {
		t.Errorf("other address: %d", p.status)
	}
}

func TestIssueReusesRecentSubmission(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	// Submit the sample (org 556677-8899) with every shown required question answered.
	answers := completeAnswers(t, s, s.sampleID)
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body))
	if p := b.apiBody("POST", "/api/v1/s/"+s.sampleToken+"/submit", "", ""); p.status != 200 {
		t.Fatalf("submit: %d %s", p.status, trim(p.body))
	}

	tok := apiToken(t, s, "coord@halland.se")
	due := s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")
	// The same company, written without the dash: its identity is the same.
	req := strings.Replace(fmt.Sprintf(issueBody, due), `"559911-2233", "country": "PL"`, `"5566778899", "country": "SE"`, 1)
	// Dressings: no riskier than the sample's gloves, and no module of its own.
	req = strings.Replace(req, `"textiles"`, `"dressings"`, 1)
	// Not before a reviewer has judged the answers: until then they are
	// the supplier's word, carried forward for it to confirm.
	if p := b.apiBody("POST", "/api/v1/assessments", tok, req); p.status != 201 || strings.Contains(p.body, `"reusedFrom"`) {
		t.Errorf("reuse of an unreviewed submission: %d %s", p.status, trim(p.body))
	}
	reviewSample(t, s)
	req = strings.Replace(req, `"HA-2026-7"`, `"HA-2026-8"`, 1)
	p := b.apiBody("POST", "/api/v1/assessments", tok, req)
	if p.status != 200 || !strings.Contains(p.body, `"reusedFrom":"`+s.sampleID+`"`) || strings.Contains(p.body, `"link"`) {
		t.Errorf("reuse: %d %s", p.status, trim(p.body))
	}
	forced := strings.Replace(req, `"dueDate"`, `"forceNew": true, "dueDate"`, 1)
	if p := b.apiBody("POST", "/api/v1/assessments", tok, forced); p.status != 201 || !strings.Contains(p.body, `"link":"https://saq.test/s/`) {
		t.Errorf("forced new: %d %s", p.status, trim(p.body))
	}
}

// completeAnswers answers every basic question but the files, with answers
// that keep the file questions hidden: enough to submit.
func completeAnswers(t *testing.T, s *site, id string) map[string]any {
	t.Helper()
	a, err := s.assessments.Get(t.Context(), adminPrincipal, id)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.assessments.Questionnaire(a)
	answers := map[string]any{}
	for _, qu := range q.Questions() {
		if qu.Level != "basic" || qu.Type == "file" {
			continue
		}
		switch qu.Type {
		case "yes_no":
			answers[qu.ID] = "no"
		case "single":
			answers[qu.ID] = qu.Options[len(qu.Options)-1].ID
		case "multi":
			answers[qu.ID] = []string{}
			if qu.OptionsFrom != "" { // the production countries, required
				answers[qu.ID] = []string{"MY", "TH"}
			}
		case "number":
			answers[qu.ID] = 1
		case "text":
			answers[qu.ID] = "Svar med åäö"
		case "date":
			answers[qu.ID] = "2026-01-15"
		}
	}
	answers["Q1.4"] = "own"
	return questionnairetest.Shown(q, a.Level, answers)
}

// The organisation number and country are checked and normalised, so that
// one company is one supplier however its number is written.
func TestSupplierIdentityOverAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@halland.se")
	body := func(org, country string) string {
		return strings.Replace(fmt.Sprintf(issueBody, s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")),
			`"559911-2233", "country": "PL"`, fmt.Sprintf("%q, \"country\": %q", org, country), 1)
	}
	for _, c := range []struct{ org, country, want string }{
		{"abc", "SE", "ten digits"},
		{"556677-8890", "SE", "check digit"},
		{"556677-8899", "XX", "two-letter code"},
		{"DE12345", "DE", "DE123456789"},
	} {
		p := b.apiBody("POST", "/api/v1/assessments", tok, body(c.org, c.country))
		if p.status != 422 || !strings.Contains(p.body, c.want) {
			t.Errorf("%s %s: %d %s", c.org, c.country, p.status, p.body)
		}
	}
	for _, c := range []struct{ org, country, want string }{
		{"5566778899", "SE", "556677-8899"},
		{"16556677-8899", "SE", "556677-8899"},
		{"de 123 456 789", "DE", "DE123456789"},
	} {
		p := b.apiBody("POST", "/api/v1/assessments", tok, strings.Replace(body(c.org, c.country), `"dueDate"`, `"forceNew": true, "dueDate"`, 1))
		if p.status != 201 || !strings.Contains(p.body, `"orgNumber":"`+c.want+`"`) {
			t.Errorf("%s %s: %d %s", c.org, c.country, p.status, p.body)
		}
	}
}

// The list is paged by cursor: following next gives every follow-up once,
// in the order of one long page, and prev leads back; the page's links do
// the same; a broken cursor is refused with a message, in both languages.
func TestListPagesByCursor(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")
	for range 7 {
		s.issueSample(t)
	}
	var whole struct{ Items []struct{ ID string } }
	json.Unmarshal([]byte(b.api("GET", "/api/v1/assessments?region=skane&sort=supplier&perPage=50", tok).body), &whole)
	var walked []string
	next := ""
	for n := 1; n <= 4; n++ {
		var p struct {
			Items      []struct{ ID string }
			Next, Prev string
			Total      int
		}
		path := fmt.Sprintf("/api/v1/assessments?region=skane&sort=supplier&perPage=3&page=%d", n)
		if next != "" {
			path += "&after=" + next
		}
		r := b.api("GET", path, tok)
		if r.status != 200 || json.Unmarshal([]byte(r.body), &p) != nil || p.Total != len(whole.Items) {
			t.Fatalf("page %d: %d %s", n, r.status, trim(r.body))
		}
		for _, it := range p.Items {
			walked = append(walked, it.ID)
		}
		if n > 1 && p.Prev == "" || n < 3 && p.Next == "" || n == 3 && p.Next != "" {
			t.Errorf("page %d: next %q, prev %q", n, p.Next, p.Prev)
		}
		if next = p.Next; next == "" {
			break
		}
	}
	var want []string
	for _, it := range whole.Items {
		want = append(want, it.ID)
	}
	if len(want) != 8 || !slices.Equal(walked, want) {
		t.Errorf("walked %v, want %v", walked, want)
	}
	for _, l := range [][2]string{{"sv", "Länken till sidan är trasig"}, {"en", "The link to the page is broken"}} {
		if p := b.api("GET", "/api/v1/assessments?after=nope&lang="+l[0], tok); p.status != 422 || !strings.Contains(p.body, l[1]) {
			t.Errorf("a broken cursor (%s): %d %s", l[0], p.status, trim(p.body))
		}
	}
	// On the page: the second page's link carries the first page's last row.
	b.signIn("coord@skane.se")
	first := b.do("GET", "/assessments?region=skane&sort=supplier&perPage=3", nil)
	link := regexp.MustCompile(`href="\?([^"]*after=[^"]*)" rel="next"`).FindStringSubmatch(first.body)
	if link == nil {
		t.Fatalf("no next link with a cursor:\n%s", trim(first.body))
	}
	second := b.do("GET", "/assessments?"+strings.ReplaceAll(link[1], "&amp;", "&"), nil)
	if second.status != 200 || !strings.Contains(second.body, `rel="prev"`) || !strings.Contains(second.body, "2 av 3") && !strings.Contains(second.body, "2 of 3") {
		t.Errorf("the second page: %d\n%s", second.status, trim(second.body))
	}
}

// The outbox is read a page at a time, newest first, each message linked
// to its follow-up and its text folded away.
func TestOutboxPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@halland.se")
	due := s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")
	for i := range 27 {
		body := strings.Replace(fmt.Sprintf(issueBody, due), `"HA-2026-7"`, fmt.Sprintf(`"HA-2026-%d"`, 100+i), 1)
		if p := b.apiBody("POST", "/api/v1/assessments", tok, body); p.status != 201 {
			t.Fatalf("issue %d: %d %s", i, p.status, trim(p.body))
		}
	}
	hb := s.browser(t)
	hb.signIn("coord@halland.se")
	first := hb.do("GET", "/outbox?lang=en", nil)
	older := regexp.MustCompile(`href="(/outbox\?before=[^"]+)" rel="next"`).FindStringSubmatch(first.body)
	if n := strings.Count(first.body, `<article class="message">`); n != 25 || older == nil {
		t.Fatalf("the first page: %d messages, link to older %v", n, older)
	}
	if !strings.Contains(first.body, `<a href="/assessments/`) || !strings.Contains(first.body, "<details><summary>The message</summary>") {
		t.Errorf("a message lacks its follow-up's link or folded text")
	}
	second := hb.do("GET", strings.ReplaceAll(older[1], "&amp;", "&"), nil)
	if n := strings.Count(second.body, `<article class="message">`); n != 2 || strings.Contains(second.body, `rel="next"`) || !strings.Contains(second.body, `href="/outbox"`) {
		t.Errorf("the second page: %d messages\n%s", n, trim(second.body))
	}
	ids := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<a href="/assessments/([0-9a-f]+)">`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	for _, id := range ids(second.body) {
		if slices.Contains(ids(first.body), id) {
			t.Errorf("%s is on both pages", id)
		}
	}
}
