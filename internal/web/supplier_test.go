package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

func formVersion(t *testing.T, p page) string {
	t.Helper()
	m := versionRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no version on the page:\n%s", trim(p.body))
	}
	return m[1]
}

func TestSupplierPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	base := "/s/" + s.sampleToken

	intro := b.do("GET", base, nil)
	// Issued in Swedish: the page is Swedish although the browser asks for English.
	if intro.status != 200 || !strings.Contains(intro.body, `<html lang="sv">`) || !strings.Contains(intro.body, "Handskfabriken Åström AB") || !strings.Contains(intro.body, "Sista svarsdag") {
		t.Fatalf("intro: %d\n%s", intro.status, trim(intro.body))
	}
	if intro.header.Get("Cache-Control") != "no-store" || intro.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("intro headers %v", intro.header)
	}
	en := b.do("GET", base+"?lang=en", nil)
	if !strings.Contains(en.body, `<html lang="en">`) || !strings.Contains(en.body, "Due date") {
		t.Errorf("English intro:\n%s", trim(en.body))
	}
	// The choice is remembered on the next page.
	sec1 := b.do("GET", base+"/section/1", nil)
	if !strings.Contains(sec1.body, `<html lang="en">`) || !strings.Contains(sec1.body, "<legend><span class=\"qid\">1.7</span>") {
		t.Fatalf("section 1:\n%s", trim(sec1.body))
	}

	form := url.Values{
		"_csrf": {sec1.csrf()}, "version": {formVersion(t, sec1)}, "action": {"next"},
		"m.Q1.7": {"1"}, "a.Q1.7": {"Malaysia, Thailand"},
		"m.Q1.2": {"1"}, "a.Q1.2": {"Åsa Öberg, hållbarhetschef"},
		"m.Q1.3": {"1"}, "a.Q1.3": {"1 250"},
		"m.Q1.4": {"1"}, "a.Q1.4": {"both"}, "c.Q1.4": {"Två egna fabriker"},
		"m.Q1.5": {"1"}, "a.Q1.5": {"migrant", "agency"},
	}
	saved := b.do("POST", base+"/section/1", form)
	if saved.status != 303 || !strings.HasSuffix(saved.header.Get("Location"), base+"/section/2") {
		t.Fatalf("save section 1: %d %s\n%s", saved.status, saved.header.Get("Location"), trim(saved.body))
	}
	// Show-if on the server: subcontractor questions now appear.
	sec2 := b.do("GET", base+"/section/2", nil)
	// Q2.2 depends on Q2.1 on the same page: laid out hidden and disabled
	// (not sent) for the script to show; Q4.5 (on Q1.5) belongs elsewhere.
	if !strings.Contains(sec2.body, `id="q-Q2.6"`) || !strings.Contains(sec2.body, `id="q-Q2.2" data-type="file" data-show-if="Q2.1:yes" hidden disabled`) {
		t.Errorf("section 2 shows the wrong questions:\n%s", trim(sec2.body))
	}
	if !strings.Contains(sec2.body, "5 of ") {
		t.Errorf("progress not shown:\n%s", trim(sec2.body))
	}

	// Two tabs on different questions: the second tab's save merges with
	// the first's instead of being refused.
	tabB := url.Values{"_csrf": {sec2.csrf()}, "version": {formVersion(t, sec2)}, "action": {"save"}, "m.Q2.1": {"1"}, "a.Q2.1": {"yes"}}
	if p := b.do("POST", base+"/section/2", tabB); p.status != 303 {
		t.Fatalf("tab B: %d", p.status)
	}
	tabA := url.Values{"_csrf": {sec2.csrf()}, "version": {formVersion(t, sec2)}, "action": {"save"},
		"m.Q2.5": {"1"}, "a.Q2.5": {"no"}, "c.Q2.5": {"Publiceras i vår hållbarhetsrapport 2027"}}
	if p := b.do("POST", base+"/section/2", tabA); p.status != 303 {
		t.Fatalf("tab A, another question: %d\n%s", p.status, trim(p.body))
	}
	// Tab A, reloaded, changes Q2.5's comment while tab B changes it too:
	// refused for that question alone, with both answers side by side and
	// what tab A typed kept.
	pageA := b.do("GET", base+"/section/2", nil)
	tabB = url.Values{"_csrf": {sec2.csrf()}, "version": {formVersion(t, pageA)}, "action": {"save"},
		"m.Q2.5": {"1"}, "a.Q2.5": {"no"}, "c.Q2.5": {"B:s text"}}
	if p := b.do("POST", base+"/section/2", tabB); p.status != 303 {
		t.Fatalf("tab B: %d", p.status)
	}
	formA := pageForm(t, pageA)
	formA.Set("c.Q2.5", "Publiceras i vår hållbarhetsrapport 2027 och på webben")
	formA.Set("action", "save")
	stale := b.do("POST", base+"/section/2", formA)
	if stale.status != 409 || !strings.Contains(stale.body, "Changed by someone else") || !strings.Contains(stale.body, "B:s text") ||
		!strings.Contains(stale.body, "Publiceras i vår hållbarhetsrapport 2027 och på webben") || !strings.Contains(stale.body, `name="pick.Q2.5"`) {
		t.Fatalf("conflicting save: %d\n%s", stale.status, trim(stale.body))
	}
	if a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken); a.Answers["Q2.5"].Comment != "B:s text" || a.Answers["Q2.1"].Choice != "yes" {
		t.Fatalf("after the conflict: %+v", a.Answers)
	}
	// Keeping the saved answer leaves it; choosing one's own saves it.
	if p := b.do("POST", base+"/section/2", conflictForm(t, stale, "theirs")); p.status != 303 {
		t.Fatalf("keep theirs: %d\n%s", p.status, trim(p.body))
	}
	if a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken); a.Answers["Q2.5"].Comment != "B:s text" {
		t.Fatalf("kept theirs, but Q2.5 is %+v", a.Answers["Q2.5"])
	}
	if p := b.do("POST", base+"/section/2", conflictForm(t, stale, "mine")); p.status != 303 {
		t.Fatalf("keep mine: %d\n%s", p.status, trim(p.body))
	}
	a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if a.Answers["Q2.5"].Comment != "Publiceras i vår hållbarhetsrapport 2027 och på webben" || a.Answers["Q2.1"].Choice != "yes" || *a.Answers["Q1.3"].Number != 1250 {
		t.Errorf("stored answers %+v", a.Answers)
	}

	// A bad value is explained next to its question and keeps what was typed.
	sec1 = b.do("GET", base+"/section/1", nil)
	bad := b.do("POST", base+"/section/1", url.Values{"_csrf": {sec1.csrf()}, "version": {formVersion(t, sec1)}, "m.Q1.3": {"1"}, "a.Q1.3": {"about forty"}})
	if bad.status != 422 || !strings.Contains(bad.body, "The answer must be a number.") || !strings.Contains(bad.body, `value="about forty"`) || !strings.Contains(bad.body, `href="#a-Q1.3"`) {
		t.Errorf("bad number: %d\n%s", bad.status, trim(bad.body))
	}

	review := b.do("GET", base+"/review", nil)
	if !strings.Contains(review.body, "Unanswered required questions") || !strings.Contains(review.body, base+"/section/2#q-Q2.2") {
		t.Errorf("review:\n%s", trim(review.body))
	}
	// A refused submission says so in the title and a heading, counts only
	// what there is, links to the lists below, which go by section, and
	// numbers the questions as the questionnaire does (1.3, not Q1.3).
	sub := b.do("POST", base+"/submit", url.Values{"_csrf": {review.csrf()}})
	for _, want := range []string{"<title>Error: ", `id="submit-errors-h">The questionnaire cannot be sent in yet</h2>`, "required questions are unanswered.",
		`href="#missing-h"`, "<h3>Section 2: ", ">2.2 "} {
		if sub.status != 422 || !strings.Contains(sub.body, want) {
			t.Errorf("submit incomplete: %d, lacks %q", sub.status, want)
		}
	}
	for _, not := range []string{"0 answers", "not confirmed", ">Q2.2 "} {
		if strings.Contains(sub.body, not) {
			t.Errorf("submit incomplete: says %q", not)
		}
	}
	if p := b.do("POST", base+"/submit", url.Values{}); p.status != 403 {
		t.Errorf("submit without CSRF token: %d", p.status)
	}
}

func TestBrokenLinkPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	unknown := b.do("GET", "/s/"+strings.Repeat("q", 43), nil)
	if unknown.status != 404 || !strings.Contains(unknown.body, "Länken finns inte") || !strings.Contains(unknown.body, "The link does not exist") || strings.Contains(unknown.body, "Handskfabriken") {
		t.Errorf("unknown link: %d\n%s", unknown.status, trim(unknown.body))
	}
	if _, err := s.assessments.Reissue(t.Context(), adminPrincipal, "ip", s.sampleID); err != nil {
		t.Fatal(err)
	}
	// An unanswered questionnaire's link expires 30 days after the due date.
	_, fresh := s.issueSample(t)
	saved := s.clock.t
	s.clock.t = s.clock.t.AddDate(0, 3, 31).Add(24 * time.Hour)
	if p := b.do("GET", "/s/"+fresh, nil); p.status != 410 || !strings.Contains(p.body, "no longer valid") {
		t.Errorf("expired link: %d", p.status)
	}
	if p := b.apiBody("PUT", "/api/v1/s/"+fresh+"/answers", "", `{"version": 1, "answers": {}}`); p.status != 410 {
		t.Errorf("saving through an expired link: %d", p.status)
	}
	s.clock.t = saved

	gone := b.do("GET", "/s/"+s.sampleToken+"/section/1", nil)
	if gone.status != 410 || !strings.Contains(gone.body, "Länken gäller inte längre") || !strings.Contains(gone.body, "no longer valid") || strings.Contains(gone.body, "Handskfabriken") {
		t.Errorf("replaced link: %d\n%s", gone.status, trim(gone.body))
	}
}

var (
	inputRe    = regexp.MustCompile(`<input [^>]*>`)
	attrRe     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	textareaRe = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// pageForm is what a browser would send from the page's answers form as
// drawn: hidden fields, checked choices, typed text; nothing disabled.
func pageForm(t *testing.T, p page) url.Values {
	t.Helper()
	out := url.Values{}
	for _, tag := range inputRe.FindAllString(p.body, -1) {
		attrs := map[string]string{}
		for _, m := range attrRe.FindAllStringSubmatch(tag[len("<input "):], -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		name, ok := attrs["name"]
		if _, off := attrs["disabled"]; !ok || off || attrs["type"] == "file" {
			continue
		}
		if _, on := attrs["checked"]; (attrs["type"] == "radio" || attrs["type"] == "checkbox") && !on {
			continue
		}
		out.Add(name, attrs["value"])
	}
	for _, m := range textareaRe.FindAllStringSubmatch(p.body, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(p.body, -1) { // as a browser sends a list box
		for _, o := range selectedRe.FindAllStringSubmatch(m[2], -1) {
			out.Add(m[1], html.UnescapeString(o[1]))
		}
	}
	return out
}

// conflictForm is the conflict page's form sent back with pick chosen for
// every conflicting answer.
func conflictForm(t *testing.T, p page, pick string) url.Values {
	f := pageForm(t, p)
	for name := range f {
		if strings.HasPrefix(name, "pick.") {
			f.Set(name, pick)
		}
	}
	f.Set("action", "save")
	return f
}

// Without script, every way off a page of answers saves what was typed:
// the list of sections and the language switch are buttons of the form.
func TestLeavingASectionSavesWithoutScript(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	base := "/s/" + s.sampleToken
	sec1 := b.do("GET", base+"/section/1?lang=sv", nil)
	for _, want := range []string{`form="answers" class="link" name="action" value="goto:0"`, `form="answers" class="link lang" name="action" value="lang:en"`} {
		if !strings.Contains(sec1.body, want) {
			t.Fatalf("section 1 lacks %q", want)
		}
	}
	for _, c := range []struct{ action, number, to string }{{"lang:en", "41", base + "/section/1?lang=en"}, {"goto:0", "42", base}} {
		p := b.do("POST", base+"/section/1", url.Values{"_csrf": {sec1.csrf()}, "version": {formVersion(t, sec1)}, "m.Q1.3": {"1"}, "a.Q1.3": {c.number}, "action": {c.action}})
		if p.status != 303 || p.header.Get("Location") != c.to {
			t.Errorf("%s: %d to %q", c.action, p.status, p.header.Get("Location"))
		}
		a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
		if n := a.Answers["Q1.3"].Number; n == nil || fmt.Sprint(*n) != c.number {
			t.Errorf("%s: the typed answer was not saved: %v", c.action, n)
		}
		sec1 = b.do("GET", base+"/section/1", nil)
	}
}
