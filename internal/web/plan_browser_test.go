package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The plan's forms on the supplier's page and the reviewer's page pass
// axe, and a proposal typed in the browser is saved.
func TestActionPlanInBrowser(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	ctx := t.Context()
	a, err := s.assessments.StartReview(ctx, adminPrincipal, "127.0.0.1", s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Deviations {
		if _, err := s.assessments.Decide(ctx, adminPrincipal, "127.0.0.1", s.sampleID, d.ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.assessments.RequestPlan(ctx, adminPrincipal, "127.0.0.1", s.sampleID, "Föreslå åtgärder."); err != nil {
		t.Fatal(err)
	}
	dev := a.Deviations[0].ID
	tab, base := browse(t, s)
	fill := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/s/" + s.sampleToken + "?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-plan`))}
	for id, text := range map[string]string{"pd": "Skriftliga lönebesked", "pr": "Ingen rutin", "pi": "Lönebesked delas ut", "pm": "Ingen drabbad",
		"pp": "Rutinen granskas", "po": "HR-chef", "pms": s.clock.t.AddDate(0, 0, 14).Format(time.DateOnly) + " Lönebesked utdelade"} {
		fill = append(fill, chromedp.SendKeys(chromedp.CSS("#"+id+"-"+dev), text))
	}
	fill = append(fill, chromedp.SetValue(chromedp.CSS("#pdue-"+dev), s.clock.t.AddDate(0, 1, 0).Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`#p-`+dev+` button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#h-plan`)))
	run(t, tab, "propose an action", fill...)
	// The old page's heading may still be the one shown: wait for the save
	// to land (the form posts and the page is served again).
	got, _ := s.assessments.ForSupplier(ctx, s.sampleToken)
	for i := 0; i < 100 && got.Deviations[0].Action == nil; i++ {
		time.Sleep(50 * time.Millisecond)
		got, _ = s.assessments.ForSupplier(ctx, s.sampleToken)
	}
	if act := got.Deviations[0].Action; act == nil || act.RootCause != "Ingen rutin" || len(act.Milestones) != 1 || act.ProposedAt.IsZero() {
		t.Fatalf("proposed in the browser: %+v", act)
	}
	signInBrowser(t, tab, base, "coord@skane.se")
	run(t, tab, "the reviewer's page", chromedp.Navigate(base+"/assessments/"+s.sampleID), chromedp.WaitVisible(chromedp.CSS(`#h-judge`)))
}
