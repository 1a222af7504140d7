package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/i18n"
)

// The plan's forms on the supplier's page and the reviewer's page pass
// axe, and a proposal typed in the browser is saved.
func TestActionPlanInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	ctx := t.Context()
	a, err := s.reviews.StartReview(ctx, adminPrincipal, "127.0.0.1", s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Deviations {
		if _, err := s.reviews.Decide(ctx, adminPrincipal, "127.0.0.1", s.sampleID, d.ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.reviews.RequestPlan(ctx, adminPrincipal, "127.0.0.1", s.sampleID, "Föreslå åtgärder."); err != nil {
		t.Fatal(err)
	}
	// The whole plan is one form: text typed for the second deviation
	// survives a save, an incomplete plan sent is refused with each
	// problem linked to its field, and the completed plan is sent.
	first, second := a.Deviations[0].ID, a.Deviations[1].ID
	tab, base := browse(t, s)
	field := func(dev, name string) string { return "#f-" + dev + "-" + strings.ReplaceAll(name, ".", "-") }
	fill := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/s/" + s.sampleToken + "?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-plan`))}
	for name, text := range map[string]string{"description": "Skriftliga lönebesked", "rootCause": "Ingen rutin", "immediate": "Lönebesked delas ut",
		"remedy": "Ingen drabbad", "prevention": "Rutinen granskas", "owner": "HR-chef", "milestones.1.what": "Lönebesked utdelade"} {
		fill = append(fill, chromedp.SendKeys(chromedp.CSS(field(first, name)), text))
	}
	fill = append(fill, chromedp.SendKeys(chromedp.CSS(field(second, "description")), "Utbildning av arbetsledare"),
		chromedp.SetValue(chromedp.CSS(field(first, "dueDate")), s.clock.t.AddDate(0, 0, 28).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS(field(first, "milestones.1.date")), s.clock.t.AddDate(0, 0, 14).Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`form.plan button[value=save]`)), chromedp.WaitVisible(chromedp.CSS(`#plan p.notice[role=status]`)))
	run(t, tab, "save the plan", fill...)
	if due := eval[string](t, tab, `document.getElementById("plan-due").innerText`); due != "Skicka planen senast "+i18n.Day("sv", s.clock.t.AddDate(0, 0, 30).Format(time.DateOnly))+"." {
		t.Errorf("the plan's due date reads %q", due)
	}
	checkA11y(t, tab, "the saved plan")
	screenshot(t, tab, "plan-form", 1280, "#plan")
	// Typed and left alone, the plan saves itself.
	run(t, tab, "type and wait", chromedp.SendKeys(chromedp.CSS(field(second, "owner")), "Produktionschef"))
	waitFor(t, "the plan's autosave", func() bool {
		got, _ := s.assessments.ForSupplier(ctx, s.sampleToken)
		return got.Deviations[1].Action != nil && got.Deviations[1].Action.Owner == "Produktionschef"
	})
	if said := eval[string](t, tab, `document.querySelector("form.plan [data-autosave-status]").innerText`); !strings.HasPrefix(said, "Sparat automatiskt") {
		t.Errorf("the autosave says %q", said)
	}
	run(t, tab, "send it incomplete", chromedp.Click(chromedp.CSS(`form.plan button[value=send]`)), chromedp.WaitVisible(chromedp.CSS(`#plan-errors`)))
	kept, _ := chromedp.Run(tab, chromedp.Value(chromedp.CSS(field(second, "description"))))
	problems, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`#plan-errors`)))
	checkA11y(t, tab, "the refused plan")
	screenshot(t, tab, "plan-refused", 390, "#plan-errors")
	if kept != "Utbildning av arbetsledare" || !strings.Contains(problems, "Beskriv grundorsaken") {
		t.Fatalf("kept %q; problems %q", kept, problems)
	}
	run(t, tab, "follow a problem's link", chromedp.Click(chromedp.CSS(`#plan-errors a[href="`+field(second, "rootCause")+`"]`)))
	if focused := eval[string](t, tab, `"#" + document.activeElement.id`); focused != field(second, "rootCause") {
		t.Errorf("the problem's link leads to %q", focused)
	}
	got, _ := s.assessments.ForSupplier(ctx, s.sampleToken)
	if act := got.Deviations[0].Action; act == nil || act.RootCause != "Ingen rutin" || len(act.Milestones) != 1 || act.ProposedAt.IsZero() {
		t.Fatalf("saved in the browser: %+v", act)
	}
	for _, d := range got.PlanDeviations()[1:] {
		for name, text := range map[string]string{"rootCause": "Ingen rutin", "immediate": "Arbetet stoppas i dag", "remedy": "Ingen drabbad",
			"prevention": "Rutinen granskas", "owner": "HR-chef", "milestones.1.what": "Lägesrapport"} {
			run(t, tab, "complete "+name, chromedp.SendKeys(chromedp.CSS(field(d.ID, name)), text))
		}
		run(t, tab, "its dates", chromedp.SetValue(chromedp.CSS(field(d.ID, "dueDate")), s.clock.t.AddDate(0, 0, 28).Format(time.DateOnly)),
			chromedp.SetValue(chromedp.CSS(field(d.ID, "milestones.1.date")), s.clock.t.AddDate(0, 0, 14).Format(time.DateOnly)))
		if d.ID != second {
			run(t, tab, "its action", chromedp.SendKeys(chromedp.CSS(field(d.ID, "description")), "Åtgärd"))
		}
	}
	run(t, tab, "send the plan", chromedp.Click(chromedp.CSS(`form.plan button[value=send]`)), chromedp.WaitVisible(chromedp.CSS(`#plan-sent`)))
	checkA11y(t, tab, "the plan sent")
	if got, _ = s.assessments.ForSupplier(ctx, s.sampleToken); got.PlanState != "proposed" {
		t.Fatalf("the plan sent from the browser: %s", got.PlanState)
	}
	// The reviewer's side: the proposed plan is agreed in the browser, the
	// page says so, and the supplier's page then asks for progress reports.
	signInBrowser(t, tab, base, "coord@skane.se")
	run(t, tab, "the reviewer agrees the plan", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/assessments/"+s.sampleID+"?lang=sv"),
		chromedp.WaitVisible(chromedp.CSS(`#h-judge`)),
		chromedp.Click(chromedp.CSS(`form[action$="/plan"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if done := eval[string](t, tab, `document.getElementById("done").innerText`); done != "Tid- och åtgärdsplanen är godkänd." {
		t.Errorf("after agreeing the plan the page says %q", done)
	}
	checkA11y(t, tab, "the plan agreed, the reviewer's page")
	if got, _ = s.assessments.ForSupplier(ctx, s.sampleToken); got.Status != "corrective_actions" {
		t.Fatalf("agreed in the browser: %s", got.Status)
	}
	run(t, tab, "the supplier's page after", chromedp.Navigate(base+"/s/"+s.sampleToken+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(`#h-actions`)))
	checkA11y(t, tab, "the plan agreed, the supplier's page")
}

// TestOverdueInBrowser: an overdue follow-up's page says until when the
// supplier can still answer, in both languages, and passes axe.
func TestOverdueInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	a, err := s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := time.Parse(time.DateOnly, a.DueDate)
	s.clock.t = due.AddDate(0, 0, 3)
	tab, base := browse(t, s)
	signInBrowser(t, tab, base, "coord@skane.se")
	for lang, want := range map[string]string{"sv": "Leverantören kan fortfarande svara till och med", "en": "The supplier can still answer until"} {
		run(t, tab, "the overdue follow-up in "+lang, chromedp.Navigate(base+"/assessments/"+s.sampleID+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`#overdue-note`)))
		if note := eval[string](t, tab, `document.getElementById("overdue-note").innerText`); !strings.Contains(note, want) {
			t.Errorf("%s: the note says %q", lang, note)
		}
		checkA11y(t, tab, "the overdue follow-up in "+lang)
	}
}
