package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// issueMore issues a Skåne follow-up of a new Polish supplier in each of
// the risk areas given, for figures with more than the sample in them.
func issueMore(t *testing.T, s *site, riskAreas ...string) {
	t.Helper()
	for i, ra := range riskAreas {
		org := fmt.Sprintf("PL%010d", 5260000000+i)
		if _, _, err := s.assessments.Issue(t.Context(), &account.Principal{Email: "coord@skane.se", Role: account.Coordinator, Region: "skane"}, "ip", followup.IssueInput{
			Supplier:    assessment.Supplier{Name: "Textil Öst " + org, OrgNumber: org, Country: "PL", ContactName: "J", ContactEmail: "j@textil.pl"},
			ContractRef: "RS-" + org, RiskArea: ra, Questionnaire: "code-of-conduct", Language: "sv", DueDate: s.clock.t.AddDate(0, 1, 0).Format("2006-01-02"),
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// segmentRe finds the parts of the charts' bars: their list and count.
var segmentRe = regexp.MustCompile(`<a href="([^"]+)" aria-label="[^"]*, [^"]*: (\d+)">`)

// Every part of every bar on the dashboard leads to a list that holds as
// many follow-ups as the part counts.
func TestDashboardChartsLeadToTheirLists(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b) // scored, rated and with deviations
	issueMore(t, s, "textiles", "textiles")
	b.signIn("coord@skane.se")
	dash := b.do("GET", "/dashboard", nil)
	for _, id := range []string{"chart-status", "chart-risk-area", "chart-risk-region", "chart-scores", "chart-trend"} {
		if !strings.Contains(dash.body, `<figure class="chart" id="`+id+`">`) {
			t.Errorf("the dashboard lacks the chart %s", id)
		}
	}
	segments := segmentRe.FindAllStringSubmatch(dash.body, -1)
	if len(segments) < 6 {
		t.Fatalf("%d parts of bars on the dashboard:\n%s", len(segments), trim(dash.body))
	}
	for _, m := range segments {
		href, want := html.UnescapeString(m[1]), m[2]
		list := b.do("GET", href, nil)
		n, _ := strconv.Atoi(want)
		if list.status != 200 || !strings.Contains(list.body, fmt.Sprintf(map[bool]string{true: "%d follow-up ·", false: "%d follow-ups ·"}[n == 1], n)) {
			t.Errorf("%s counts %s; the list says otherwise (%d)", href, want, list.status)
		}
	}
	// The scores chart leads to a band of one area's score.
	if !strings.Contains(dash.body, "area=human-rights&amp;region=skane&amp;scoreBand=") && !strings.Contains(dash.body, "&amp;scoreBand=") {
		t.Error("the scores chart does not lead to an area's band")
	}
}

// The list's filters behind the charts: risk rating and an area's band;
// bad values are refused with a message.
func TestRiskAndAreaFilters(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	tok := apiToken(t, s, "audit@saq.se")
	var d struct {
		Score struct {
			Risk  string
			Areas map[string]*float64
		}
	}
	if p := b.api("GET", "/api/v1/assessments/"+s.sampleID, tok); json.Unmarshal([]byte(p.body), &d) != nil || d.Score.Risk == "" {
		t.Fatalf("detail: %s", p.body)
	}
	count := func(query string) int {
		p := b.api("GET", "/api/v1/assessments?"+query, tok)
		var out struct{ Total int }
		if err := json.Unmarshal([]byte(p.body), &out); err != nil || p.status != 200 {
			t.Fatalf("%s: %d %s", query, p.status, p.body)
		}
		return out.Total
	}
	rating := d.Score.Risk
	for _, level := range listing.RiskLevels {
		if got, want := count("risk="+level), map[bool]int{true: 1, false: 0}[level == rating]; got != want {
			t.Errorf("risk=%s: %d, want %d", level, got, want)
		}
	}
	for area, v := range d.Score.Areas {
		if v == nil {
			continue
		}
		band := map[bool]string{true: "low", false: map[bool]string{true: "mid", false: "high"}[*v < 80]}[*v < 50]
		if got := count("area=" + area + "&scoreBand=" + band); got != 1 {
			t.Errorf("area %s (%.1f) in band %s: %d", area, *v, band, got)
		}
		other := map[string]string{"low": "high", "mid": "low", "high": "low"}[band]
		if got := count("area=" + area + "&scoreBand=" + other); got != 0 {
			t.Errorf("area %s (%.1f) in band %s: %d", area, *v, other, got)
		}
	}
	for _, bad := range []string{"risk=extreme", "area=astrology&scoreBand=low"} {
		if p := b.api("GET", "/api/v1/assessments?"+bad, tok); p.status != 422 || !strings.Contains(p.body, map[bool]string{true: "The risk is low", false: "Unknown area"}[strings.HasPrefix(bad, "risk")]) {
			t.Errorf("%s: %d %s", bad, p.status, p.body)
		}
	}
}

// The trend counts each day the job ran; the dashboard draws it and the
// API lists it, oldest first.
func TestTrend(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "coord@skane.se")
	a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err := s.assessments.TrackInvitation(t.Context(), a.ID, assessment.Invitation{MessageID: assessment.InvitationID(a.ID, a.TokenHash), State: "failed", At: s.clock.t}); err != nil {
		t.Fatal(err)
	}
	start := s.clock.t
	for day := range 3 {
		s.clock.t = start.AddDate(0, 0, day)
		if err := s.lists.RecordDay(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := s.lists.RecordDay(t.Context()); err != nil { // the next hour's run replaces it
			t.Fatal(err)
		}
	}
	p := b.api("GET", "/api/v1/dashboard?region=skane", tok)
	var d struct {
		Trend []struct {
			Day                  string
			Overdue, Undelivered int
		}
	}
	if err := json.Unmarshal([]byte(p.body), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Trend) != 3 || d.Trend[0].Day != start.Format("2006-01-02") || d.Trend[2].Undelivered != 1 || d.Trend[0].Overdue != 0 {
		t.Errorf("trend: %+v", d.Trend)
	}
	if p := b.api("GET", "/api/v1/dashboard?region=halland", tok); !strings.Contains(p.body, `"trend":[{"day":`) || !strings.Contains(p.body, `"undelivered":0}`) {
		t.Errorf("another region's trend: %s", p.body)
	}
	b.signIn("coord@skane.se")
	dash := b.do("GET", "/dashboard", nil)
	if got := strings.Count(dash.body, `<circle class="c-red s0"`); got != 3 {
		t.Errorf("%d days drawn of overdue, want 3", got)
	}
}

// A critical deviation caps the score under 50, and the page, the API and
// the list say so.
func TestCriticalCapShown(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	answers := completeAnswers(t, s, s.sampleID)
	q := mustQuestionnaire(t, s, s.sampleToken)
	for id := range answers { // the best answer to each that shows no further question
		qu, _ := q.Question(id)
		if qu.Type != "yes_no" {
			continue
		}
		best := qu.Options[0]
		for _, o := range qu.Options {
			if o.Points > best.Points {
				best = o
			}
		}
		before := questionnaire.Visible(q, "basic", questionnairetest.Answers(answers))
		was := answers[id]
		answers[id] = best.ID
		if len(questionnaire.Visible(q, "basic", questionnairetest.Answers(answers))) != len(before) {
			answers[id] = was
		}
	}
	answers["Q5.2"] = "yes" // forced labour
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	if p := b.apiBody("POST", "/api/v1/s/"+s.sampleToken+"/submit", "", ""); p.status != 200 {
		t.Fatalf("submit: %d %s", p.status, p.body)
	}
	tok := apiToken(t, s, "coord@skane.se")
	var d struct {
		Score struct {
			Total, Uncapped *float64
			Risk            string
		}
	}
	if p := b.api("GET", "/api/v1/assessments/"+s.sampleID, tok); json.Unmarshal([]byte(p.body), &d) != nil {
		t.Fatalf("detail: %s", p.body)
	}
	if d.Score.Total == nil || *d.Score.Total != 49 || d.Score.Uncapped == nil || *d.Score.Uncapped <= 49 || d.Score.Risk != "high" {
		t.Fatalf("score %+v", d.Score)
	}
	b.signIn("coord@skane.se")
	if p := b.do("GET", "/assessments/"+s.sampleID, nil); !strings.Contains(p.body, "A critical deviation caps the score under 50; without it the score would be") {
		t.Errorf("the page does not say the score is capped")
	}
	if n := strings.Count(b.do("GET", "/assessments?scoreBand=low", nil).body, `href="/assessments/`+s.sampleID+`"`); n != 1 {
		t.Errorf("the capped follow-up is not in the low band of the list")
	}
}

// Every number in the dashboard's chart tables leads to a list of as many
// follow-ups: each part's cell, and each row's label to the row's total.
func TestDashboardLinksMatchTheirNumbers(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b) // scored, with a risk rating
	s.issueSample(t)      // issued: no score, no rating
	s.issueSample(t)
	tok := apiToken(t, s, "coord@skane.se")
	b.signIn("coord@skane.se")
	dash := b.do("GET", "/dashboard?region=skane", nil)
	row := regexp.MustCompile(`<tr><th scope="row"><a href="([^"]+)">[^<]*</a></th>((?:<td><a href="[^"]+">\d+</a></td>)+)</tr>`)
	cell := regexp.MustCompile(`<td><a href="([^"]+)">(\d+)</a></td>`)
	rows := row.FindAllStringSubmatch(dash.body, -1)
	if len(rows) < 4 {
		t.Fatalf("%d chart rows on the dashboard", len(rows))
	}
	total := func(href string) int {
		href = strings.ReplaceAll(href, "&amp;", "&")
		path, query, _ := strings.Cut(href, "?")
		if path != "/assessments" {
			t.Fatalf("a chart links to %s", href)
		}
		var page struct{ Total int }
		p := b.api("GET", "/api/v1/assessments?"+query, tok)
		if p.status != 200 || json.Unmarshal([]byte(p.body), &page) != nil {
			t.Fatalf("%s: %d %s", href, p.status, trim(p.body))
		}
		return page.Total
	}
	for _, r := range rows {
		sum := 0
		for _, c := range cell.FindAllStringSubmatch(r[2], -1) {
			n, _ := strconv.Atoi(c[2])
			sum += n
			if got := total(c[1]); got != n {
				t.Errorf("the cell %s shows %d, its list has %d", c[1], n, got)
			}
		}
		if got := total(r[1]); got != sum {
			t.Errorf("the row %s adds up to %d, its list has %d", r[1], sum, got)
		}
	}
}
