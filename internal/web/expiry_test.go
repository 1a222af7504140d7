package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// A follow-up the supplier did not answer: past its due date the page says
// it is overdue and until when the link stays open; once the link has
// closed the hourly job marks it expired (förfallen), the page says so and
// how to reopen it, in both languages; a later due date opens the same
// link again.
func TestOverdueAndExpired(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	a, err := s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := time.Parse(time.DateOnly, a.DueDate)

	s.clock.t = due.AddDate(0, 0, 3)
	b.signIn("coord@skane.se") // sessions last hours, not days
	for lang, want := range map[string]string{"sv": "Leverantören kan fortfarande svara till och med", "en": "The supplier can still answer until"} {
		if p := b.do("GET", "/assessments/"+s.sampleID+"?lang="+lang, nil); !strings.Contains(p.body, want) || !strings.Contains(p.body, `id="overdue-note"`) {
			t.Errorf("overdue page (%s) lacks %q", lang, want)
		}
	}
	if n, err := s.assessments.ExpireLapsed(t.Context()); err != nil || n != 0 {
		t.Errorf("expired while the link is open: %d, %v", n, err)
	}

	s.clock.t = due.AddDate(0, 0, 32)
	csrf := b.signIn("coord@skane.se")
	for run, want := range []int{1, 0} {
		if n, err := s.assessments.ExpireLapsed(t.Context()); err != nil || n != want {
			t.Errorf("run %d: %d expired, %v; want %d", run+1, n, err, want)
		}
	}
	for lang, want := range map[string][]string{
		"sv": {"förfallen", "Leverantören svarade inte.", "Förfallen: leverantörens länk stängd", "<details open><summary>Förläng sista svarsdag"},
		"en": {"expired", "The supplier did not answer.", "Expired: the supplier&#39;s link closed", "<details open><summary>Extend the due date"},
	} {
		p := b.do("GET", "/assessments/"+s.sampleID+"?lang="+lang, nil)
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("expired page (%s) lacks %q", lang, w)
			}
		}
	}
	if p := b.do("GET", "/s/"+s.sampleToken, nil); p.status != 410 {
		t.Errorf("the expired link: %d, want 410", p.status)
	}
	later := s.clock.t.AddDate(0, 0, 14).Format(time.DateOnly)
	if p := b.do("POST", "/assessments/"+s.sampleID+"/due-date", url.Values{"_csrf": {csrf}, "dueDate": {later}}); p.status != 303 {
		t.Fatalf("extend: %d %s", p.status, trim(p.body))
	}
	if p := b.do("GET", "/s/"+s.sampleToken, nil); p.status != 200 {
		t.Errorf("the link after a later due date: %d, want 200", p.status)
	}
	if p := b.do("GET", "/assessments/"+s.sampleID+"?lang=en", nil); strings.Contains(p.body, `id="expired-note"`) || !strings.Contains(p.body, "in progress") {
		t.Errorf("reopened page:\n%s", trim(p.body))
	}
}
