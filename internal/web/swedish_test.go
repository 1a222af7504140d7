package web_test

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/questionnaires"
)

// englishWords are words a Swedish page has no business showing: English
// interface words, and the ids of statuses, levels, roles, sources and
// outbox kinds. None of them is also a Swedish word.
var englishWords = strings.Fields(`the and of to with for from by is are was were answered answer points point yes none
	not open confirmed dismissed closed review reviewed issued submitted returned withdrawn expired file files raises
	deviation deviations major minor critical country area score total met partly applicable invitation reminder green
	yellow red page next previous all answer question questions attached sent queued failed desk audit site action
	actions owner due overdue light advanced basic reused comment comments trail changed link new old before after
	supplier contact email national admin coordinator auditor high low medium saq notice plan agreed`)

var (
	tagRe      = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<td class="record">.*?</td>|<[^>]*>`)
	emailRe    = regexp.MustCompile(`[\w.+-]+@[\w.-]+`)
	urlRe      = regexp.MustCompile(`https?://\S+`)
	wordRe     = regexp.MustCompile(`[\p{L}_]+`)
	decimalRe  = regexp.MustCompile(`\d\.\d+ ?%`)
	isoTimeRe  = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d|\bUTC\b`)
	oneMany    = regexp.MustCompile(`\b1 (nya|filer|frågor|bifogade|avvikelser|uppföljningar|rader)\b`)
	codeOnlyRe = regexp.MustCompile(`\b[A-Z]{2,4}(-[A-Z]+)+\b`)
)

// visibleText is what a reader sees of a page: its text without markup,
// e-mail addresses, links and what the people using it typed (given).
func visibleText(body string, given []string) string {
	text := html.UnescapeString(tagRe.ReplaceAllString(body, " "))
	for _, g := range given {
		text = strings.ReplaceAll(text, g, " ")
	}
	return urlRe.ReplaceAllString(emailRe.ReplaceAllString(text, " "), " ")
}

// swedishProblems lists what on a Swedish page is not Swedish: English
// words, raw ids, an English decimal point, UTC times, "1 nya", and a
// requirement code without its title.
func swedishProblems(text string, ids []string, titles map[string]string) []string {
	var out []string
	for _, loc := range wordRe.FindAllStringIndex(text, -1) {
		w := text[loc[0]:loc[1]]
		lw := strings.ToLower(w)
		around := strings.Join(strings.Fields(text[max(0, loc[0]-30):min(len(text), loc[1]+30)]), " ")
		switch {
		case w == lw && slices.Contains(englishWords, lw):
			out = append(out, "English word "+w+" in «"+around+"»")
		case strings.Contains(w, "_"), w == lw && slices.Contains(ids, w):
			out = append(out, "id "+w+" in «"+around+"»")
		}
	}
	for _, re := range []*regexp.Regexp{decimalRe, isoTimeRe, oneMany} {
		for _, m := range re.FindAllString(text, -1) {
			out = append(out, "format "+m)
		}
	}
	for _, code := range codeOnlyRe.FindAllString(text, -1) {
		if title, ok := titles[code]; ok && !strings.Contains(text, title) {
			out = append(out, "code without its title "+code)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestSwedishPagesSpeakSwedish walks every page a Swedish session reaches,
// through a follow-up's whole life, and reports English words and raw ids.
func TestSwedishPagesSpeakSwedish(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range dir.Regions {
		ids = append(ids, r.ID)
	}
	for _, a := range dir.RiskAreas {
		ids = append(ids, a.ID)
	}
	set := questionnairetest.Set(t)
	titles := map[string]string{}
	for _, r := range set.Catalogue.Requirements {
		titles[r.ID] = r.Title.In("sv")
	}
	given := []string{"Handskfabriken Åström AB", "Åsa", "RS-2026-114", s.sampleID}

	sup := s.browser(t)
	coord := s.browser(t)
	admin := s.browser(t)
	for _, b := range []*browser{sup, coord, admin} {
		b.cookies["saq_lang"] = "sv"
	}
	check := func(b *browser, path string) {
		t.Helper()
		p := b.do("GET", path, nil)
		if p.status >= 400 {
			t.Errorf("GET %s: %d", path, p.status)
			return
		}
		if probs := swedishProblems(visibleText(p.body, given), ids, titles); len(probs) > 0 {
			t.Errorf("GET %s, in Swedish, shows: %s", path, strings.Join(probs, "; "))
		}
	}
	link := "/s/" + s.sampleToken
	check(sup, link)
	for n := 1; n <= 8; n++ {
		check(sup, link+"/section/"+string(rune('0'+n)))
	}
	check(sup, link+"/review")

	submitSample(t, s, sup)
	check(sup, link)
	csrf := coord.signIn("coord@skane.se")
	admin.signIn("admin@saq.se")

	// The pages a coordinator's work leads to: an issued follow-up and its
	// invitation, a campaign with refused rows, a review under way.
	form := url.Values{"_csrf": {csrf}, "name": {"Textil Öst AB"}, "orgNumber": {"559911-2233"}, "country": {"PL"},
		"contactName": {"Jan"}, "contactEmail": {"jan@textil.pl"}, "contractRef": {"RS-2026-7"}, "riskArea": {"textiles"},
		"questionnaire": {"code-of-conduct"}, "level": {"basic"}, "language": {"sv"}, "dueDate": {s.clock.t.AddDate(0, 2, 0).Format("2006-01-02")}}
	given = append(given, "Textil Öst AB", "Jan", "RS-2026-7")
	if p := coord.do("POST", "/assessments", form); p.status != 201 {
		t.Fatalf("issue: %d", p.status)
	} else if probs := swedishProblems(visibleText(p.body, given), ids, titles); len(probs) > 0 {
		t.Errorf("the issue confirmation, in Swedish, shows: %s", strings.Join(probs, "; "))
	}
	fields := url.Values{"_csrf": {csrf}, "riskArea": {"gloves"}, "questionnaire": {"code-of-conduct"}, "language": {"sv"}, "dueDate": {s.clock.t.AddDate(0, 3, 0).Format("2006-01-02")}}
	if p := coord.upload("/assessments/campaign", "lev.csv", []byte(campaignCSV), fields); p.status != 200 {
		t.Fatalf("campaign: %d", p.status)
	} else if probs := swedishProblems(visibleText(p.body, append(given, campaignGiven...)), ids, titles); len(probs) > 0 {
		t.Errorf("the campaign's result, in Swedish, shows: %s", strings.Join(probs, "; "))
	}
	if p := coord.do("POST", "/assessments/"+s.sampleID+"/review", url.Values{"_csrf": {csrf}}); p.status != 303 {
		t.Fatalf("start the review: %d", p.status)
	}
	for _, path := range []string{"/dashboard", "/assessments", "/assessments?region=all", "/assessments/" + s.sampleID, "/outbox", "/assessments/new"} {
		check(coord, path)
	}
	for _, path := range []string{"/dashboard", "/assessments", "/stats", "/admin/users", "/admin/events", "/outbox"} {
		check(admin, path)
	}
}

// campaignGiven is what the campaign file's people typed.
var campaignGiven = []string{"Handskar i Kedah Sdn Bhd", "Nur Aisyah", "Textil Öst AB", "Jan Öst", "Fel Land AB", "Sweden", "Ingen Post AB", "inte-en-adress", "Per", "Eva"}
