package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHeaderAndChartsInBrowser: the menu fits one line at 1280 px in both
// languages, folds behind a button at 390 px; the dashboard's charts are
// drawn, and a bar leads to its list.
func TestHeaderAndChartsInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	issueMore(t, s, "textiles", "gloves", "ict")
	if err := s.lists.RecordDay(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, base := browse(t, s)
	signInBrowser(t, ctx, base, "admin@saq.se") // the longest menu

	for _, lang := range []string{"en", "sv"} {
		run(t, ctx, "the dashboard at 1280 px in "+lang, chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(base+"/dashboard?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`figure.chart svg`)))
		// One line: every item of the menu, and the name, share a top.
		tops := eval[[]float64](t, ctx, `[document.querySelector("header .brand"), ...document.querySelectorAll("#main-nav > a, #main-nav > .who, #main-nav > form")].map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))`)
		for _, top := range tops[1:] {
			if d := top - tops[0]; d > 4 || d < -4 {
				t.Errorf("%s: the menu wraps at 1280 px: centres %v", lang, tops)
				break
			}
		}
		// ...and within the page: nothing pushed past its edge.
		if right := eval[float64](t, ctx, `Math.max(...[...document.querySelectorAll("#main-nav > *")].map(e => e.getBoundingClientRect().right))`); right > 1280 {
			t.Errorf("%s: the menu reaches %.0f px at 1280", lang, right)
		}
		if shown := eval[bool](t, ctx, `getComputedStyle(document.querySelector(".menu-toggle")).display !== "none"`); shown {
			t.Errorf("%s: the menu button shows at 1280 px", lang)
		}
	}
	screenshot(t, ctx, "dashboard", 1280, "")

	// The charts are drawn: bars with width, a line per series.
	if n := eval[int](t, ctx, `[...document.querySelectorAll("figure.chart svg rect")].filter(r => r.getBoundingClientRect().width > 0).length`); n < 8 {
		t.Errorf("%d bars drawn", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#chart-trend polyline").length`); n != 2 {
		t.Errorf("%d lines in the trend", n)
	}
	// A bar of the funnel leads to the list of that status.
	label := eval[string](t, ctx, `document.querySelector("#chart-status svg a[aria-label*=', ']").getAttribute("aria-label")`)
	run(t, ctx, "follow a bar", chromedp.Click(chromedp.CSS(`#chart-status svg a[aria-label*=", "] rect`)), chromedp.WaitVisible(chromedp.CSS(`form.filters`)))
	want := label[strings.LastIndex(label, ": ")+2:]
	if status := eval[string](t, ctx, `new URLSearchParams(location.search).get("status")`); status == "" {
		t.Errorf("the bar %q led to %s", label, eval[string](t, ctx, `location.href`))
	}
	if text := eval[string](t, ctx, `document.querySelector("main p[role=status]").innerText`); !strings.HasPrefix(text, want+" ") {
		t.Errorf("the bar %q led to a list of %q", label, text)
	}

	// At 390 px the menu folds behind its button, and opens with it.
	run(t, ctx, "the dashboard at 390 px", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/dashboard?lang=en"), chromedp.WaitVisible(chromedp.CSS(`.menu-toggle`)))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the dashboard is %d px wide at 390", w)
	}
	if visible := eval[bool](t, ctx, `document.getElementById("main-nav").getBoundingClientRect().height > 0`); visible {
		t.Error("the menu is open before the button is pressed")
	}
	screenshot(t, ctx, "dashboard", 390, "")
	run(t, ctx, "open the menu", chromedp.Click(chromedp.CSS(`.menu-toggle`)), chromedp.WaitVisible(chromedp.CSS(`#main-nav a[href="/assessments"]`)))
	if got := eval[string](t, ctx, `document.querySelector(".menu-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("aria-expanded %q after opening", got)
	}
	checkA11y(t, ctx, "dashboard at 390 px with the menu open")
	screenshot(t, ctx, "menu", 390, "")
}

// TestListOnPhoneAndDesktop: at 390 px the list is cards that fit the
// screen, each naming the supplier, the region, the status, the score and
// the due date, with links of at least 24 px; at 1280 px it uses the
// screen and a score takes no more than three lines. The sections of a
// questionnaire are one line on a phone.
func TestListOnPhoneAndDesktop(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	issueMore(t, s, "textiles", "gloves", "ict", "food")
	ctx, base := browse(t, s)
	signInBrowser(t, ctx, base, "coord@skane.se")
	for _, lang := range []string{"sv", "en"} {
		run(t, ctx, "the list at 390 px in "+lang, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(base+"/assessments?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s: the list is %d px wide at 390", lang, w)
		}
		// The filters fold away on a phone: the first card is on the first screen.
		if top := eval[float64](t, ctx, `document.querySelector("table.list tbody tr").getBoundingClientRect().top`); top > 844 {
			t.Errorf("%s: the first card starts %.0f px down at 390", lang, top)
		}
		// What a card shows: its text and each value's label (drawn by CSS).
		cards := eval[[]string](t, ctx, `[...document.querySelectorAll("table.list tbody tr")].map(tr => tr.innerText + " " + [...tr.querySelectorAll("td")].map(td => getComputedStyle(td, "::before").content).join(" "))`)
		for _, card := range cards {
			for _, want := range map[string][]string{"sv": {"Region Skåne", "Status", "Poäng", "Sista svarsdag"}, "en": {"Region Skåne", "Status", "Score", "Due date"}}[lang] {
				if !strings.Contains(card, want) {
					t.Errorf("%s: a card lacks %q:\n%s", lang, want, card)
				}
			}
		}
		if h := eval[float64](t, ctx, `Math.max(...[...document.querySelectorAll("table.list tbody tr")].map(tr => tr.getBoundingClientRect().height))`); h > 500 {
			t.Errorf("%s: a card is %.0f px tall", lang, h)
		}
		if small := eval[float64](t, ctx, `Math.min(...[...document.querySelectorAll("table.list tbody a")].map(a => a.getBoundingClientRect().height))`); small < 24 {
			t.Errorf("%s: a link in the list is %.0f px tall", lang, small)
		}
		checkA11y(t, ctx, "the list at 390 px in "+lang)
	}
	screenshot(t, ctx, "list", 390, "")
	run(t, ctx, "the list at 1280 px", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/assessments?lang=sv"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	if w := eval[float64](t, ctx, `document.querySelector("table.list").getBoundingClientRect().width`); w < 1100 {
		t.Errorf("the list is %.0f px wide at 1280", w)
	}
	lines := eval[float64](t, ctx, `Math.max(...[...document.querySelectorAll("table.list td.score")].map(td => { var r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight) }))`)
	if lines > 3.6 {
		t.Errorf("a score takes %.1f lines at 1280 px: %s", lines, eval[string](t, ctx, `[...document.querySelectorAll("table.list td.score")].map(td => td.getBoundingClientRect().width + " " + getComputedStyle(td).lineHeight + " " + JSON.stringify(td.innerText)).join("\n")`))
	}
	screenshot(t, ctx, "list", 1280, "")

	// The supplier's sections: one line at 390 px, the current one in view.
	_, open := s.issueSample(t)
	run(t, ctx, "section 4 at 390 px", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/s/"+open+"/section/4"), chromedp.WaitVisible(chromedp.CSS(`ol.steps`)))
	if h := eval[float64](t, ctx, `document.querySelector("ol.steps").getBoundingClientRect().height`); h > 70 {
		t.Errorf("the sections take %.0f px at 390", h)
	}
	if in := eval[bool](t, ctx, `(function(){ var c = document.querySelector("ol.steps .current").getBoundingClientRect(); return c.left >= 0 && c.right <= 390 })()`); !in {
		t.Error("the current section is out of view at 390 px")
	}
	if small := eval[float64](t, ctx, `Math.min(...[...document.querySelectorAll("ol.steps button, ol.steps a")].map(a => a.getBoundingClientRect().height))`); small < 24 {
		t.Errorf("a section's button is %.0f px tall", small)
	}
	checkA11y(t, ctx, "section 4 at 390 px")
}
