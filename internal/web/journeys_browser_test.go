package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/assessment"
)

// The journeys below are walked in headless Chromium as the people who use
// the service would, with axe-core checking every page state they reach.

// answerQ21 makes section 2 show its file question (Q2.2) and date (Q2.3).
func answerQ21(t *testing.T, s *site) {
	t.Helper()
	if _, err := s.assessments.SaveAnswers(t.Context(), s.sampleToken, 1, map[string]assessment.Input{"Q2.1": {Value: "yes", HasValue: true}}); err != nil {
		t.Fatal(err)
	}
}

// policyPDF writes a small PDF dated modDate (D:YYYYMMDDhhmmss) to a file.
func policyPDF(t *testing.T, name, modDate string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	data := "%PDF-1.4\n1 0 obj << /Title (Uppförandekod) /ModDate (D:" + modDate + ") >> endobj\n%%EOF\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func stored(t *testing.T, s *site) *assessment.Assessment {
	t.Helper()
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestUploadKeepsTypedAnswers: choosing a file and uploading it saves the
// answers typed on the page with it, with the page's script and without,
// and however soon after the last change.
func TestUploadKeepsTypedAnswers(t *testing.T) {
	t.Parallel()
	for _, script := range []bool{false, true} {
		name := map[bool]string{false: "without script", true: "with script"}[script]
		t.Run(name, func(t *testing.T) {
			s := newSite(t)
			answerQ21(t, s)
			ctx, base := browse(t, s)
			if !script {
				noScript(t, ctx)
			}
			file := policyPDF(t, "Uppförandekod 2025.pdf", "20250314090000")
			run(t, ctx, "answer section 2 and upload at once",
				chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/2"),
				chromedp.WaitVisible(chromedp.CSS(`#u-Q2\.2`)),
				chromedp.SetValue(chromedp.CSS(`#a-Q2\.3`), "2025-03-14"),
				chromedp.Click(chromedp.CSS(`input[name="a.Q2.5"][value="yes"]`)),
				chromedp.Click(chromedp.CSS(`input[name="a.Q2.7"][value="yes"]`)),
				chromedp.Click(chromedp.CSS(`input[name="a.Q2.8"][value="no"]`)),
				chromedp.SetUploadFiles(chromedp.CSS(`#u-Q2\.2`), []string{file}),
				chromedp.Click(chromedp.CSS(`button[value="upload:Q2.2"]`)),
				chromedp.WaitVisible(chromedp.CSS(`ul.files`)),
			)
			a := stored(t, s)
			if a.Answers["Q2.3"].Date != "2025-03-14" || a.Answers["Q2.5"].Choice != "yes" || a.Answers["Q2.7"].Choice != "yes" ||
				a.Answers["Q2.8"].Choice != "no" || len(a.Evidence) != 1 || a.Evidence[0].Name != "Uppförandekod 2025.pdf" {
				t.Errorf("after the upload: answers %+v, evidence %+v", a.Answers, a.Evidence)
			}
			text := eval[string](t, ctx, `document.querySelector("main").innerText`)
			if !strings.Contains(text, "Era svar är sparade.") || !strings.Contains(text, "Uppförandekod 2025.pdf") {
				t.Errorf("the page after the upload says:\n%s", text)
			}
			if script {
				checkA11y(t, ctx, "section 2 after an upload")
			}
		})
	}
}

// TestLeavingSavesFirst: text typed a moment before leaving by a link or
// another section is saved, with the script and without.
func TestLeavingSavesFirst(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	run(t, ctx, "type and leave by the link to the sections at once",
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/1"),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.7`)),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.7`), "Malaysia"),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Click(chromedp.CSS(`main p.muted button[value="goto:0"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a.button`)),
	)
	if got := stored(t, s).Answers["Q1.7"].Text; got != "Malaysia" {
		t.Errorf("left by a link 0.3 s after typing: Q1.7 = %q", got)
	}

	tab := newTab(t, ctx)
	noScript(t, tab)
	run(t, tab, "type and go to another section without script",
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/1"),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.2`)),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.2`), "Åsa Öberg"),
		chromedp.Click(chromedp.CSS(`.steps button[value="goto:3"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-Q3\.1`)),
	)
	if got := stored(t, s).Answers["Q1.2"].Text; got != "Åsa Öberg" {
		t.Errorf("went to section 3 without script: Q1.2 = %q", got)
	}
}

// firstRadio clicks the first choice of the first question the page shows
// and returns its question id.
func firstRadio(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `(function(){
		var el = document.querySelector('fieldset.question:not([disabled]) input[type=radio]');
		el.click();
		return el.name.slice(2);
	})()`)
}

// TestTwoPeopleOnOneFollowUp: two people (or tabs) answer the same
// follow-up at once. Answers to different questions all stand; a change to
// an answer the other changed meanwhile is shown side by side, not lost and
// not silently overwritten.
func TestTwoPeopleOnOneFollowUp(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctxA, base := browse(t, s)
	link := base + "/s/" + s.sampleToken

	// Different sections, both saving automatically.
	run(t, ctxA, "A opens section 6", chromedp.Navigate(link+"/section/6"), chromedp.WaitReady(chromedp.CSS(`fieldset.question`)))
	ctxB := newTab(t, ctxA)
	run(t, ctxB, "B opens section 5", chromedp.Navigate(link+"/section/5"), chromedp.WaitReady(chromedp.CSS(`fieldset.question`)))
	qa := firstRadio(t, ctxA)
	time.Sleep(200 * time.Millisecond)
	qb := firstRadio(t, ctxB)
	waitFor(t, "both autosaves", func() bool {
		a := stored(t, s)
		return !a.Answers[qa].Empty() && !a.Answers[qb].Empty()
	})

	// The same section: A's autosaved answer survives B's Save, though B's
	// page never showed it.
	run(t, ctxA, "A opens section 1", chromedp.Navigate(link+"/section/1"), chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.7`)))
	run(t, ctxB, "B opens section 1", chromedp.Navigate(link+"/section/1"), chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.7`)))
	run(t, ctxA, "A types Q1.7", chromedp.SendKeys(chromedp.CSS(`#a-Q1\.7`), "Malaysia, Thailand"))
	waitFor(t, "A's autosave", func() bool { return stored(t, s).Answers["Q1.7"].Text == "Malaysia, Thailand" })
	run(t, ctxB, "B types Q1.2 and saves",
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.2`), "Åsa Öberg, hållbarhetschef"),
		chromedp.Click(chromedp.CSS(`.actions button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	)
	a := stored(t, s)
	if a.Answers["Q1.7"].Text != "Malaysia, Thailand" || a.Answers["Q1.2"].Text != "Åsa Öberg, hållbarhetschef" {
		t.Fatalf("after both saved: Q1.7 %q, Q1.2 %q", a.Answers["Q1.7"].Text, a.Answers["Q1.2"].Text)
	}

	// Both change Q1.3: B's change meets A's, and B sees both.
	run(t, ctxA, "A answers Q1.3", chromedp.SendKeys(chromedp.CSS(`#a-Q1\.3`), "1250"))
	waitFor(t, "A's autosave of Q1.3", func() bool { n := stored(t, s).Answers["Q1.3"].Number; return n != nil && *n == 1250 })
	run(t, ctxB, "B answers Q1.3 differently and saves",
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.3`), "1300"),
		chromedp.Click(chromedp.CSS(`.actions button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.conflict-box`)),
	)
	box := eval[string](t, ctxB, `document.querySelector(".conflict-box").innerText`)
	if !strings.Contains(box, "1250") || !strings.Contains(box, "1300") {
		t.Errorf("the conflict shows %q, want both 1250 and 1300", box)
	}
	if n := stored(t, s).Answers["Q1.3"].Number; n == nil || *n != 1250 {
		t.Errorf("B's conflicting answer overwrote A's: %v", n)
	}
	checkA11y(t, ctxB, "conflict page")
	screenshot(t, ctxB, "conflict", 1280, "#error-summary")
	screenshot(t, ctxB, "conflict", 390, "#q-Q1\\.3")
	run(t, ctxB, "B keeps its own answer",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS(`.actions button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	)
	if n := stored(t, s).Answers["Q1.3"].Number; n == nil || *n != 1300 {
		t.Errorf("B chose its own answer, stored %v", n)
	}
}

// TestErrorSummaryLeadsToTheField: a bad number is named in a summary that
// takes focus, whose link moves focus to the field; the field is marked
// for assistive technology and the rest of the page is saved.
func TestErrorSummaryLeadsToTheField(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	run(t, ctx, "answer with one bad number",
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/1"),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.7`)),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.7`), "Malaysia"),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.3`), "ungefär fyrtio"),
		chromedp.Click(chromedp.CSS(`.actions button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#error-summary`)),
	)
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "error-summary" {
		t.Errorf("focus on %q after the page loaded, want the error summary", got)
	}
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Fel: ") {
		t.Errorf("title %q does not say there is an error", title)
	}
	summary := eval[string](t, ctx, `document.getElementById("error-summary").innerText`)
	if !strings.Contains(summary, "1.3 Hur många anställda") || !strings.Contains(summary, "Svaret ska vara ett tal.") {
		t.Errorf("the summary does not name the question: %q", summary)
	}
	if got := eval[string](t, ctx, `document.getElementById("a-Q1.3").getAttribute("aria-invalid") + " " + document.getElementById("a-Q1.3").getAttribute("aria-describedby")`); !strings.Contains(got, "true") || !strings.Contains(got, "e-Q1.3") {
		t.Errorf("Q1.3's aria-invalid and aria-describedby: %q", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("a-Q1.3").value`); got != "ungefär fyrtio" {
		t.Errorf("the bad value is not kept as typed: %q", got)
	}
	if got := stored(t, s).Answers["Q1.7"].Text; got != "Malaysia" {
		t.Errorf("one bad number held back Q1.7: %q", got)
	}
	checkA11y(t, ctx, "section 1 with an error")
	run(t, ctx, "follow the summary's link", chromedp.Click(chromedp.CSS(`#error-summary a`)))
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "a-Q1.3" {
		t.Errorf("the summary's link moved focus to %q, want a-Q1.3", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("a.skip[href='#a-Q1.1']") ? "yes" : "no"`); got != "yes" {
		t.Error("no skip link to the first question")
	}
}

// TestCoordinatorPagesInBrowser: the detail page flags only aged files;
// auditors and coordinators land where their work is.
func TestCoordinatorPagesInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	answerQ21(t, s)
	recent, old := policyPDF(t, "Policy 2025.pdf", "20250314090000"), policyPDF(t, "Policy 2021.pdf", "20210105120000")
	for _, path := range []string{recent, old} {
		data, _ := os.ReadFile(path)
		if _, _, err := s.assessments.Attach(t.Context(), s.sampleToken, "Q2.2", filepath.Base(path), data); err != nil {
			t.Fatal(err)
		}
	}
	ctx, base := browse(t, s)

	signInBrowser(t, ctx, base, "audit@saq.se")
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/dashboard" {
		t.Errorf("the auditor landed on %s, want the dashboard", loc)
	}
	run(t, ctx, "the auditor's list", chromedp.Navigate(base+"/assessments?lang=sv"), chromedp.WaitReady(chromedp.CSS(`main`)))
	if list := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(list, "Handskfabriken Åström AB") {
		t.Errorf("the auditor's list does not show the Skåne follow-up:\n%s", list)
	}
	checkA11y(t, ctx, "list as auditor")

	run(t, ctx, "the detail page", chromedp.Navigate(base+"/assessments/"+s.sampleID), chromedp.WaitReady(chromedp.CSS(`#h-answers`)))
	row := eval[string](t, ctx, `document.querySelector("#h-answers").parentElement.innerText`)
	if strings.Count(row, "äldre än två år") != 1 || !strings.Contains(row, "Policy 2021.pdf äldre än två år: 5 jan. 2021") {
		t.Errorf("aged flags on the detail page:\n%s", row)
	}
	checkA11y(t, ctx, "detail page")
	screenshot(t, ctx, "detail", 1280, "")
	screenshot(t, ctx, "detail", 390, "")
}

// TestSupplierAfterSubmission: once submitted, the link's page reads as a
// receipt that says what happens next, not as an open invitation.
func TestSupplierAfterSubmission(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": completeAnswers(t, s, s.sampleID)})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save: %d %s", p.status, trim(p.body))
	}
	ctx, base := browse(t, s)
	run(t, ctx, "review and submit",
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/review"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#h-next`)),
	)
	text := eval[string](t, ctx, `document.querySelector("main").innerText`)
	for _, want := range []string{"Era svar är inskickade", "Inskickade", "Referens", assessment.Reference(s.sampleID), "Vad händer nu?", "Ni behöver inte göra något just nu", "Ladda ner kvitto"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt page lacks %q:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{"Börja svara", "Fortsätt", "Sista svarsdag", "Granska och skicka in"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("the receipt page still invites answering: %q", unwanted)
		}
	}
	checkA11y(t, ctx, "supplier's page after submission")
}

// TestSmallScreens: at 390 px the supplier's pages fit without sideways
// scrolling, choices are at least 24 px, and on a long section the due date
// and save state stay in view while the supplier scrolls.
func TestSmallScreens(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	link := base + "/s/" + s.sampleToken
	run(t, ctx, "a phone's width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, path := range []string{"", "/section/1", "/section/5", "/review"} {
		run(t, ctx, "open "+path, chromedp.Navigate(link+path), chromedp.WaitReady(chromedp.CSS(`main`)))
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide at 390", path, w)
		}
	}
	// Section 5 is the longest, for a supplier whose products are made by subcontractors.
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.assessments.SaveAnswers(t.Context(), s.sampleToken, a.Version, map[string]assessment.Input{"Q1.4": {Value: "subcontracted", HasValue: true}}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "open section 5", chromedp.Navigate(link+"/section/5"), chromedp.WaitReady(chromedp.CSS(`fieldset.question`)))
	if size := eval[float64](t, ctx, `Math.min(...[...document.querySelectorAll("fieldset.question:not([disabled]) input[type=radio]")].map(r => Math.min(r.getBoundingClientRect().width, r.getBoundingClientRect().height)))`); size < 24 {
		t.Errorf("choices are %.0f px, want at least 24", size)
	}
	if pos := eval[string](t, ctx, `(function(){ window.scrollTo(0, document.body.scrollHeight / 2); var r = document.querySelector(".status-bar").getBoundingClientRect(); return r.top + " " + document.querySelector(".status-bar").innerText; })()`); !strings.HasPrefix(pos, "0 ") || !strings.Contains(pos, "Sista svarsdag") {
		t.Errorf("halfway down section 5 the status bar is at %q", pos)
	}
	if got := eval[string](t, ctx, `document.querySelector("fieldset.question .pos").innerText`); !strings.HasPrefix(got, "fråga 1 av ") {
		t.Errorf("no place within the section: %q", got)
	}
	checkA11y(t, ctx, "section 5 at 390 px")
	screenshot(t, ctx, "supplier-section", 390, "#q-Q5\\.2")
	screenshot(t, ctx, "supplier-section", 1280, "#q-Q5\\.2")
	run(t, ctx, "the first page", chromedp.Navigate(link), chromedp.WaitReady(chromedp.CSS(`main`)))
	screenshot(t, ctx, "supplier-intro", 390, "")
}

// TestIssueFormErrors: a coordinator's refused form, too, focuses its error
// summary, whose link moves focus to the field, marked invalid.
func TestIssueFormErrors(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	signInBrowser(t, ctx, base, "coord@skane.se")
	run(t, ctx, "issue with a bad country",
		chromedp.Navigate(base+"/assessments/new?lang=sv"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Textil Öst AB"),
		chromedp.SendKeys(chromedp.CSS(`#f-country`), "1"),
		chromedp.Click(chromedp.CSS(`main form[action="/assessments"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)),
	)
	if got := eval[string](t, ctx, `document.activeElement.className`); got != "error-summary" {
		t.Errorf("focus on %q after the page loaded, want the error summary", got)
	}
	if got := eval[string](t, ctx, `String(document.getElementById("f-country").getAttribute("aria-invalid"))`); got != "true" {
		t.Errorf("the country field's aria-invalid is %q in %s", got, eval[string](t, ctx, `document.getElementById("f-country").parentElement.outerHTML`))
	}
	checkA11y(t, ctx, "issue form with errors")
	run(t, ctx, "follow the link to the country", chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-country"]`)))
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "f-country" {
		t.Errorf("the link moved focus to %q", got)
	}
}

// TestCountryPickerWithoutScript: without script the countries are found
// under their first letter, ticked and saved; the chosen ones are then on
// top, every one in view, where a carried answer is confirmed.
func TestCountryPickerWithoutScript(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	tab := newTab(t, ctx)
	noScript(t, tab)
	run(t, tab, "tick two countries under their letters",
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/1?lang=sv"),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.1`)),
		chromedp.Click(chromedp.CSS(`#q-Q1\.1 details.pick-group:has(input[value="MY"]) summary`)),
		chromedp.Click(chromedp.CSS(`#q-Q1\.1 input[value="MY"]`)),
		chromedp.Click(chromedp.CSS(`#q-Q1\.1 details.pick-group:has(input[value="TH"]) summary`)),
		chromedp.Click(chromedp.CSS(`#q-Q1\.1 input[value="TH"]`)),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.1 [data-chips] li`)),
	)
	if got := strings.Join(stored(t, s).Answers["Q1.1"].Choices, " "); got != "MY TH" {
		t.Errorf("saved without script: %q", got)
	}
	chips := eval[string](t, tab, `[...document.querySelectorAll("#a-Q1\\.1 [data-chips] input:checked")].map(i => i.value + ":" + (i.getBoundingClientRect().height > 0)).join(" ")`)
	if chips != "MY:true TH:true" {
		t.Errorf("the chosen countries on top: %q", chips)
	}
	if hidden := eval[bool](t, tab, `document.querySelector("#q-Q1\\.1 .pick-filter").hidden`); !hidden {
		t.Error("the filter field shows without script")
	}
	checkA11y(t, tab, "the country picker without script")
}
