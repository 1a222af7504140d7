package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/questionnaire"
)

// TestCarryForwardInBrowser: a returning supplier sees its last answers
// marked, confirms one by ticking it (saved by the page's script), the
// rest page by page with the button, and submits.
func TestCarryForwardInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	id, token := reissueSample(t, s, b)
	ctx, base := browse(t, s)
	link := base + "/s/" + token

	run(t, ctx, "the first page", chromedp.Navigate(link+"?lang=en"), chromedp.WaitReady(chromedp.CSS(`main`)))
	if text := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(text, "We have filled in") {
		t.Errorf("the first page does not say answers were filled in:\n%s", text)
	}
	run(t, ctx, "section 1", chromedp.Navigate(link+"/section/1"), chromedp.WaitVisible(chromedp.CSS(`#k-Q1\.3`)))
	if mark := eval[string](t, ctx, `document.querySelector("#q-Q1\\.3 .carried").innerText`); !strings.Contains(mark, "From your answer of") {
		t.Errorf("Q1.3 is not marked as carried: %q", mark)
	}
	screenshot(t, ctx, "carried", 1280, "#q-Q1\\.3")
	screenshot(t, ctx, "carried", 390, "#q-Q1\\.3")

	// Ticking is saved by the script, as any change is.
	run(t, ctx, "confirm Q1.3", chromedp.Click(chromedp.CSS(`#k-Q1\.3`)))
	// The page knows once the save is answered: it then leaves without asking.
	waitFor(t, "the page to take the confirmation as saved", func() bool {
		return eval[bool](t, ctx, `document.querySelector('[name="o.Q1.3"]').value.endsWith("\u001d")`)
	})
	if a, err := s.assessments.ForSupplier(t.Context(), token); err != nil || a.Answers["Q1.3"].Carry == nil || a.Answers["Q1.3"].Carry.State != questionnaire.Confirmed {
		t.Fatalf("the confirmation of Q1.3 is not stored: %v", err)
	}
	run(t, ctx, "section 1 again", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#q-Q1\.3 .carried-confirmed`)))

	// The rest, page by page, with the button that confirms a whole page.
	for n := range len(mustQuestionnaire(t, s, token).Sections) {
		run(t, ctx, fmt.Sprintf("section %d", n+1), chromedp.Navigate(fmt.Sprintf("%s/section/%d", link, n+1)), chromedp.WaitReady(chromedp.CSS(`main h1`)))
		if eval[int](t, ctx, `document.querySelectorAll('button[value="confirm-all"]').length`) == 0 {
			continue
		}
		run(t, ctx, fmt.Sprintf("confirm section %d", n+1), chromedp.Click(chromedp.CSS(`button[value="confirm-all"]`)),
			chromedp.WaitVisible(chromedp.CSS(`p.notice[role=status]`)))
		if left := eval[int](t, ctx, `document.querySelectorAll('button[value="confirm-all"]').length`); left != 0 {
			t.Errorf("section %d still offers to confirm after confirming", n+1)
		}
	}
	run(t, ctx, "review", chromedp.Navigate(link+"/review"), chromedp.WaitReady(chromedp.CSS(`main form`)))
	if text := eval[string](t, ctx, `document.querySelector("main").innerText`); strings.Contains(text, "to confirm") {
		t.Fatalf("answers left to confirm:\n%s", text)
	}
	run(t, ctx, "submit", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#h-next`)))
	var a, err = s.assessments.ForSupplier(t.Context(), token)
	if err != nil || a.SubmittedAt.IsZero() || a.ID != id {
		t.Fatalf("not submitted: %v", err)
	}
	if n := len(questionnaire.Unconfirmed(mustQuestionnaire(t, s, token), a.Level, a.Answers)); n != 0 {
		t.Errorf("%d carried answers submitted unconfirmed", n)
	}
}

func mustQuestionnaire(t *testing.T, s *site, token string) *questionnaire.Questionnaire {
	t.Helper()
	a, err := s.assessments.ForSupplier(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
