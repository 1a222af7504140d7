package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// machineRe is a date or time as the API writes it.
var machineRe = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?`)

// Pages show dates as people write them ("23 Nov 2026, 05:28 CET"), never
// as the API and the exports do (2026-11-23T04:28:51Z).
func TestPagesShowHumanDates(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	coord := s.browser(t)
	coord.signIn("coord@skane.se")
	admin := s.browser(t)
	admin.signIn("admin@saq.se")
	for _, tt := range []struct {
		who  *browser
		path string
	}{
		{coord, "/dashboard"},
		{coord, "/assessments"},
		{coord, "/assessments/" + s.sampleID},
		{coord, "/outbox"},
		{coord, "/suppliers/556677-8899"},
		{admin, "/admin/events"},
		{admin, "/stats"},
		{b, "/s/" + s.sampleToken},
		{b, "/s/" + s.sampleToken + "/section/1"},
		{b, "/s/" + s.sampleToken + "/section/2"},
	} {
		for _, lang := range []string{"sv", "en"} {
			p := tt.who.do("GET", tt.path+"?lang="+lang, nil)
			if p.status != 200 {
				t.Errorf("%s: %d", tt.path, p.status)
				continue
			}
			text := visibleText(p.body, nil)
			if m := machineRe.FindAllString(text, 3); m != nil {
				i := strings.Index(text, m[0])
				t.Errorf("%s (%s) shows %q: …%s…", tt.path, lang, m, strings.Join(strings.Fields(text[max(0, i-80):min(len(text), i+40)]), " "))
			}
		}
	}
}
