package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/report/pdfcheck"
)

// The second review's rules, walked in a browser in both languages: a
// "Vet inte" shown as a gap in knowledge and moved, with a reason, to the
// requirement it turns out to concern; an "Ej tillämpligt" contradicted by
// Q1.5; a finding refused at another severity until the reviewer says
// why; a plan asked for by a day, one action remedying every deviation,
// and a close on a recorded verification; the mail, the pages and the PDF
// say so, and axe finds nothing on any of them.
func TestReviewRulesInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	answers := completeAnswers(t, s, s.sampleID)
	answers["Q1.5"], answers["Q4.5"], answers["Q5.2"] = []string{"migrant"}, "na", "unknown"
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", "/api/v1/s/"+s.sampleToken+"/submit", "", ""); p.status != 200 {
		t.Fatalf("submit: %d %s", p.status, trim(p.body))
	}
	a, err := s.reviews.StartReview(t.Context(), adminPrincipal, "127.0.0.1", s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	var gap, contradicted string
	for _, d := range a.Deviations {
		switch d.Question {
		case "Q5.2":
			gap = d.ID
		case "Q4.5":
			contradicted = d.ID
		}
	}
	if gap == "" || contradicted == "" {
		t.Fatalf("no item for Q5.2 or Q4.5: %+v", a.Deviations)
	}
	tab, base := browse(t, s)
	signInBrowser(t, tab, base, "coord@skane.se")
	detail := base + "/assessments/" + s.sampleID
	article := func(id string) string {
		return eval[string](t, tab, `document.getElementById("d-`+id+`").innerText`)
	}

	run(t, tab, "the items to verify", chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)))
	if got := article(gap); !strings.Contains(got, "Rutinkrav 5: Uppföljning") || !strings.Contains(got, "kunskapslucka") || !strings.Contains(got, "Fråga 5.2 besvarad ”Vet inte”") {
		t.Errorf("the gap in knowledge reads:\n%s", got)
	}
	if got := article(contradicted); !strings.Contains(got, "”Ej tillämpligt” motsägs av svaret på fråga 1.5") {
		t.Errorf("the contradicted answer reads:\n%s", got)
	}
	checkA11y(t, tab, "items to verify")

	// Confirmed, then moved to forced labour with a reason.
	run(t, tab, "confirm the gap", chromedp.Click(chromedp.CSS(`#d-`+gap+` button[value=confirm]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	run(t, tab, "move it without a reason", chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)),
		chromedp.Click(chromedp.CSS(`#d-`+gap+` details:has(form[action$="/move"]) > summary`)))
	eval[bool](t, tab, `(function(){ document.getElementById("f-`+gap+`-move-reason").removeAttribute("required"); return true })()`)
	run(t, tab, "send the move", chromedp.Click(chromedp.CSS(`#d-`+gap+` form[action$="/move"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	run(t, tab, "follow the problem's link", chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-`+gap+`-move-reason"]`)))
	if focused := eval[string](t, tab, `document.activeElement.id`); focused != "f-"+gap+"-move-reason" {
		t.Errorf("the refused move's problem leads to %q", focused)
	}
	checkA11y(t, tab, "a move refused")
	run(t, tab, "move it", chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)), chromedp.Click(chromedp.CSS(`#d-`+gap+` details:has(form[action$="/move"]) > summary`)),
		chromedp.SetValue(chromedp.CSS(`#f-`+gap+`-move-requirement`), "LR-FORCED"),
		chromedp.SendKeys(chromedp.CSS(`#f-`+gap+`-move-reason`), "Intervjuerna visar att arbetarnas pass hålls kvar."),
		chromedp.Click(chromedp.CSS(`#d-`+gap+` form[action$="/move"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if done := eval[string](t, tab, `document.getElementById("done").innerText`); done != "Avvikelsen är flyttad till ett annat krav." {
		t.Errorf("after the move the page says %q", done)
	}
	if got := article(gap); !strings.Contains(got, "Förbud mot tvångsarbete") || !strings.Contains(got, "kritisk") ||
		!strings.Contains(got, "Flyttad från DD-FOLLOW-UP – Rutinkrav 5: Uppföljning: Intervjuerna visar att arbetarnas pass hålls kvar.") || strings.Contains(got, "kunskapslucka") {
		t.Errorf("the moved deviation reads:\n%s", got)
	}
	if risk := eval[string](t, tab, `document.querySelector("#h-dev").closest("main").innerText`); !strings.Contains(risk, "kritisk avvikelse") || !strings.Contains(risk, "uppgiven, inte verifierad") {
		t.Errorf("the risk line after the move lacks the critical or the basis:\n%s", risk)
	}
	checkA11y(t, tab, "a deviation moved")
	screenshot(t, tab, "deviation-moved", 1280, "#d-"+gap)

	// A finding at another severity than the catalogue's needs a reason.
	finding := func(what, reason string) {
		run(t, tab, what, chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)))
		eval[bool](t, tab, `(function(){ document.querySelector('form[action$="/deviations"]').closest("details").open = true; return true })()`)
		run(t, tab, what+": the form",
			chromedp.SetValue(chromedp.CSS(`#f-requirement`), "LR-HOURS"), chromedp.SetValue(chromedp.CSS(`#f-severity`), "minor"),
			chromedp.SetValue(chromedp.CSS(`#f-contradicts`), "Q5.10"),
			chromedp.SendKeys(chromedp.CSS(`#f-finding`), "Stämpelkorten visar 66 timmar i veckan under mars."))
		if reason != "" {
			run(t, tab, what+": the reason", chromedp.SendKeys(chromedp.CSS(`#f-severityReason`), reason))
		}
		run(t, tab, what+": send", chromedp.Click(chromedp.CSS(`form[action$="/deviations"] button[type=submit]`)))
	}
	finding("a finding at another severity, no reason", "")
	run(t, tab, "refused", chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	if got := eval[string](t, tab, `document.querySelector(".error-summary").innerText`); !strings.Contains(got, "skriv varför fyndet får en annan allvarlighetsgrad") {
		t.Errorf("the refused finding says:\n%s", got)
	}
	checkA11y(t, tab, "a finding refused")
	finding("the finding with its reason", "Gäller en vecka med inventering.")
	run(t, tab, "recorded", chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if got := eval[string](t, tab, `document.querySelector("#h-dev").parentElement.innerText`); !strings.Contains(got, "Fyndet motsäger svaret på fråga 5.10.") ||
		!strings.Contains(got, "Gäller en vecka med inventering.") {
		t.Errorf("the finding reads:\n%s", got)
	}

	// In English too.
	run(t, tab, "in English", chromedp.Navigate(detail+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)))
	for id, want := range map[string]string{gap: "Moved from DD-FOLLOW-UP – Routine requirement 5: Follow-up", contradicted: "“Not applicable” is contradicted by the answer to question 1.5"} {
		if got := article(id); !strings.Contains(got, want) {
			t.Errorf("in English, %s lacks %q:\n%s", id, want, got)
		}
	}
	checkA11y(t, tab, "the rules in English")

	// The plan, asked for by a day, with one action for every deviation.
	a, _ = s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	for _, d := range a.Deviations {
		if d.Status == assessment.DevOpen {
			if _, err := s.reviews.Decide(t.Context(), adminPrincipal, "127.0.0.1", s.sampleID, d.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(t, tab, "ask for the plan", chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#h-dev`)),
		chromedp.Click(chromedp.CSS(`details:has(form[action$="/plan/request"]) > summary`)),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/plan/request"] textarea`), "En grundorsak: ingen ansvarig för leverantörskedjan."),
		chromedp.Click(chromedp.CSS(`form[action$="/plan/request"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	due := s.clock.t.AddDate(0, 0, 30).Format(time.DateOnly)
	if got := eval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(got, "planen ska komma in senast "+i18n.Day("sv", due)) {
		t.Errorf("the reviewer's page does not say when the plan is due")
	}
	msgs, _ := s.store.Outbox().List(t.Context(), "skane", nil, 100)
	var mail string
	for _, m := range msgs {
		if m.Kind == notify.PlanRequested {
			mail = m.Body
		}
	}
	if !strings.Contains(mail, "Skicka planen senast "+i18n.Day("sv", due)) || !strings.Contains(mail, "Förbud mot tvångsarbete: svaret på fråga 5.2") || strings.Contains(mail, "LR-FORCED") {
		t.Errorf("the plan's mail:\n%s", mail)
	}

	a, _ = s.assessments.Get(t.Context(), adminPrincipal, s.sampleID)
	plan := a.PlanDeviations()
	first := plan[0].ID
	field := func(dev, name string) string { return "#f-" + dev + "-" + strings.ReplaceAll(name, ".", "-") }
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/s/" + s.sampleToken + "?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#plan-due`))}
	for name, text := range map[string]string{"description": "Utse en ansvarig för leverantörskedjan och inför rutiner", "rootCause": "Ingen ansvarig",
		"immediate": "Passen lämnas tillbaka i dag", "remedy": "Avgifterna betalas tillbaka", "prevention": "Rutinen följs upp varje kvartal",
		"owner": "VD", "milestones.1.what": "Ansvarig utsedd"} {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(field(first, name)), text))
	}
	steps = append(steps, chromedp.SetValue(chromedp.CSS(field(first, "dueDate")), s.clock.t.AddDate(0, 0, 30).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS(field(first, "milestones.1.date")), s.clock.t.AddDate(0, 0, 10).Format(time.DateOnly)))
	run(t, tab, "the first action", steps...)
	for _, d := range plan[1:] {
		eval[bool](t, tab, `(function(){ var s = document.querySelector("`+field(d.ID, "sameAs")+`"); s.value = "`+first+`"; s.dispatchEvent(new Event("change")); return true })()`)
	}
	if hidden := eval[bool](t, tab, `document.querySelector("#p-`+plan[1].ID+` .own-action").hidden`); !hidden {
		t.Error("the fields of a deviation remedied by another's action are still shown")
	}
	checkA11y(t, tab, "the plan with one action for all")
	run(t, tab, "save it", chromedp.Click(chromedp.CSS(`form.plan button[value=save]`)), chromedp.WaitVisible(chromedp.CSS(`#plan p.notice[role=status]`)))
	run(t, tab, "the plan in English", chromedp.Navigate(base+"/s/"+s.sampleToken+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(`#plan-due`)))
	if got := eval[string](t, tab, `document.getElementById("plan-due").innerText + "|" + document.querySelector("#p-`+plan[1].ID+`").innerText`); !strings.Contains(got, "Please send the plan by "+i18n.Day("en", due)) ||
		!strings.Contains(got, "The same root cause as another deviation?") || !strings.Contains(got, "The action is to be done by") {
		t.Errorf("the plan in English reads:\n%s", got)
	}
	if hidden := eval[bool](t, tab, `document.querySelector("#p-`+plan[1].ID+` .own-action").hidden`); !hidden {
		t.Error("in English, the saved choice of another deviation's action does not hide the fields")
	}
	checkA11y(t, tab, "the plan in English")
	screenshot(t, tab, "plan-same-action", 390, "#p-"+plan[1].ID)
	run(t, tab, "send it", chromedp.Click(chromedp.CSS(`form.plan button[value=send]`)), chromedp.WaitVisible(chromedp.CSS(`#plan-sent`)))
	if _, err := s.reviews.AgreePlan(t.Context(), adminPrincipal, "127.0.0.1", s.sampleID); err != nil {
		t.Fatal(err)
	}

	// Closed on a verification on site: every deviation it remedies with it.
	run(t, tab, "verify on site", chromedp.Navigate(detail+"?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`#d-`+first)),
		chromedp.Click(chromedp.CSS(`#d-`+first+` input[name=method][value=on_site]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-`+first+`-settle-verifiedBy`), "Kim Berg, Region Skåne"),
		chromedp.SetValue(chromedp.CSS(`#f-`+first+`-settle-verifiedOn`), s.clock.t.Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`#d-`+first+` button[value=closed]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if got := article(first); !strings.Contains(got, "verifierad på plats av Kim Berg, Region Skåne den "+i18n.Day("sv", s.clock.t.Format(time.DateOnly))) {
		t.Errorf("the verified action reads:\n%s", got)
	}
	if got := article(plan[1].ID); !strings.Contains(got, "åtgärdad") || !strings.Contains(got, "Åtgärdas med en annan avvikelses åtgärd") {
		t.Errorf("a deviation remedied by that action reads:\n%s", got)
	}
	checkA11y(t, tab, "closed on a verification")
	screenshot(t, tab, "closed-on-verification", 1280, "#d-"+first)

	// The audit report says the same.
	reader := s.browser(t)
	reader.signIn("coord@skane.se")
	for lang, wants := range map[string][]string{
		"sv": {"Flyttad från Rutinkrav 5: Uppföljning", "Motsägs av svaret på fråga 1.5", "Samma åtgärd som för avvikelsen mot", "verifierad på plats av", "Motsäger svaret på fråga 5.10"},
		"en": {"Moved from Routine requirement 5: Follow-up", "Contradicted by the answer to question 1.5", "The same action as", "verified on site by"},
	} {
		p := reader.do("GET", "/assessments/"+s.sampleID+"/report.pdf?lang="+lang, nil)
		text := strings.Join(strings.Fields(pdfcheck.Text(t, []byte(p.body))), " ")
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("the %s report lacks %q", lang, want)
			}
		}
	}
}
