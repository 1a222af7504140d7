package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/testsuite"
)

// chromium finds Debian's headless Chromium. Without it the browser tests
// skip, except where SAQ_REQUIRE_BROWSER is set (CI installs Chromium and
// sets it), so they cannot quietly stop running there.
func chromium(t *testing.T) string {
	testsuite.RequireFull(t, "the browser suite")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SAQ_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium found, and SAQ_REQUIRE_BROWSER is set")
	}
	t.Skip("no Chromium on this machine; install Debian's chromium to run the browser tests")
	return ""
}

// browse starts the site on loopback and a headless Chromium against it.
func browse(t *testing.T, s *site) (context.Context, string) {
	exe := chromium(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.srv.App().Listener(ln)
	t.Cleanup(func() { _ = s.srv.App().Shutdown() })
	return startChromium(t, exe), "http://" + ln.Addr().String()
}

// startChromium starts a headless Chromium of its own, ended with the test.
func startChromium(t *testing.T, exe string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// Start the browser now, on a context without a deadline (a deadline on
	// the first call would end the browser with it); steps then get one each.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// newTab opens another tab of the same browser: another person, or the
// same person in a second tab.
func newTab(t *testing.T, ctx context.Context) context.Context {
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// noScript turns JavaScript off in the tab, as for a supplier whose browser
// runs none: every page must work so.
func noScript(t *testing.T, ctx context.Context) {
	t.Helper()
	setScripts(t, ctx, false)
	scriptless.Store(ctx, true)
}

// scriptless are the tabs noScript turned scripts off in; axe-core turns
// them on while it checks a page, which runs none of the page's own.
var scriptless sync.Map

func setScripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
	if err != nil {
		t.Fatalf("turn scripts on %t: %v", on, err)
	}
}

// stepTimeout bounds one run of browser steps, so a selector that never
// matches fails the test instead of hanging it.
const stepTimeout = 45 * time.Second

// run does the steps, failing the test with what it was doing. When they
// leave the tab on a page not yet checked, axe-core checks it: every page
// a browser test reaches is checked for accessibility.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if url := eval[string](t, ctx, `location.href`); strings.HasPrefix(url, "http") && checked.last(ctx) != url {
		checkA11y(t, ctx, what)
	}
}

// checked remembers, for each tab, the last page axe-core checked.
var checked = &checkedPages{url: map[context.Context]string{}}

type checkedPages struct {
	mu  sync.Mutex
	url map[context.Context]string
}

func (c *checkedPages) last(tab context.Context) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url[tab]
}

func (c *checkedPages) set(tab context.Context, url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.url[tab] = url
}

// eval returns a JavaScript expression's value in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// signInBrowser signs in through the login page.
func signInBrowser(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	run(t, ctx, "sign in as "+email,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), pw),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`form.inline[action="/logout"]`)),
	)
}

// axeSource is axe-core's script from the npm package: SAQ_AXE_JS names
// it, and CI installs it. Without it the accessibility checks skip, except
// where SAQ_REQUIRE_BROWSER is set.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("SAQ_AXE_JS")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "saq-axe", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("SAQ_REQUIRE_BROWSER") != "" {
			t.Fatalf("axe-core not found at %s (npm install axe-core; SAQ_AXE_JS names the file): %v", path, err)
		}
		return ""
	}
	return string(src)
}

// checkA11y runs axe-core on the page as it stands, for WCAG 2.1 A and AA,
// and fails the test with every violation.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	src := axeSource(t)
	if src == "" {
		return
	}
	checked.set(ctx, eval[string](t, ctx, `location.href`))
	if _, off := scriptless.Load(ctx); off {
		setScripts(t, ctx, true)
		defer setScripts(t, ctx, false)
	}
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){`+src+`;return true})()`)); err != nil {
		t.Fatalf("inject axe on %s: %v", page, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe on %s: %v", page, err)
	}
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("axe result on %s: %v", page, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe %s: %s at %v", page, v.ID, v.Help, v.Nodes)
	}
}

// screenshot saves what a screen of the given width shows, from the
// element at (or before) the top, into SAQ_SCREENSHOTS as PNG, when that
// names a folder (the pictures in docs/ are made so).
func screenshot(t *testing.T, ctx context.Context, name string, width int64, top string) {
	t.Helper()
	dir := os.Getenv("SAQ_SCREENSHOTS")
	if dir == "" {
		return
	}
	height := map[bool]int64{true: 844, false: 900}[width < 600]
	var png []byte
	err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, func(p1 *emulation.SetDeviceMetricsOverrideParams, p2 *emulation.SetTouchEmulationEnabledParams) {
		p1.Mobile = width < 600
	}), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if top != "" {
			if _, err := chromedp.Evaluate[bool](`(function(){ var el = document.querySelector(`+strconvQuote(top)+`); if (el) { el.scrollIntoView(); window.scrollBy(0, -60); } return true })()`)(ctx, tg); err != nil {
				return err
			}
		}
		var err error
		png, err = chromedp.CaptureScreenshot()(ctx, tg)
		return err
	}))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds, for at most ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 50 {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("gave up waiting: %s", what)
}

// TestSupplierInBrowser answers a section in a real browser, with no script
// on the page: type, choose, save and continue, and see the questions that
// the answers reveal.
func TestSupplierInBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	link := base + "/s/" + s.sampleToken

	if err := chromedp.Do(ctx, chromedp.Navigate(link+"?lang=en")); err != nil {
		t.Fatalf("open the link: %v", err)
	}
	lang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if lang.Value != "en" || !strings.Contains(title, "Self-assessment against the code of conduct") {
		t.Errorf("lang %q, title %q", lang.Value, title)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.button")),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.7`)),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.7`), "Malaysia, Thailand"),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.3`), "1250"),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.4"][value="both"]`)),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.5"][value="migrant"]`)),
	)
	if err != nil {
		t.Fatalf("answer section 1: %v", err)
	}
	// The production countries: found by the filter field (accents and
	// case aside), ticked, shown among the chosen on top, saved as their
	// codes by the page's script before anything is clicked.
	run(t, ctx, "find and tick two countries",
		chromedp.SendKeys(chromedp.CSS(`#pf-Q1\.1`), "malay"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="a.Q1.1"][value="MY"]`)),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.1"][value="MY"]`)),
	)
	eval[bool](t, ctx, `(() => { const f = document.getElementById("pf-Q1.1"); f.value = ""; f.dispatchEvent(new Event("input")); return true })()`)
	run(t, ctx, "find and tick another",
		chromedp.SendKeys(chromedp.CSS(`#pf-Q1\.1`), "THAI"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="a.Q1.1"][value="TH"]`)),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.1"][value="TH"]`)),
	)
	if chips := eval[string](t, ctx, `document.querySelector("#a-Q1\\.1 [data-chips]").innerText`); !strings.Contains(chips, "Malaysia") || !strings.Contains(chips, "Thailand") {
		t.Errorf("the chosen countries on top: %q", chips)
	}
	if found := eval[string](t, ctx, `document.getElementById("pf-Q1.1-n").innerText`); found != "1 country matches" {
		t.Errorf("the filter's count: %q", found)
	}
	waitFor(t, "the countries' autosave", func() bool {
		a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
		return strings.Join(a.Answers["Q1.1"].Choices, " ") == "MY TH"
	})
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[value="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-Q2\.6`)),
	)
	if err != nil {
		t.Fatalf("go on to section 2: %v", err)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	progress, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".progress")))
	if heading != "Policy and responsibility" || !strings.HasPrefix(progress, "5 of ") {
		t.Errorf("after saving: heading %q, progress %q", heading, progress)
	}
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	if a.Answers["Q1.7"].Text != "Malaysia, Thailand" || strings.Join(a.Answers["Q1.1"].Choices, " ") != "MY TH" || a.Answers["Q1.4"].Choice != "both" || a.Answers["Q1.3"].Number == nil || *a.Answers["Q1.3"].Number != 1250 {
		t.Errorf("saved from the browser: %+v", a.Answers)
	}
}

// TestAutosaveAndLiveShowIf: with the page's script, choosing an answer shows
// the questions it reveals at once, and answers are saved without a click.
func TestAutosaveAndLiveShowIf(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, base := browse(t, s)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/s/"+s.sampleToken+"/section/2?lang=en"),
		chromedp.WaitReady(chromedp.CSS(`#q-Q2\.1`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	hidden := func() bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("q-Q2.2").hidden`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if !hidden() {
		t.Fatal("Q2.2 shown before Q2.1 is answered")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[name="a.Q2.1"][value="yes"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-Q2\.2`)),
		chromedp.Click(chromedp.CSS(`#q-Q2\.5 summary`)),
		chromedp.SendKeys(chromedp.CSS(`#c-Q2\.5`), "På vår webbplats sedan 2024"),
	)
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	// Wait for the autosave, bounded, by polling the database.
	var saved bool
	for range 50 {
		a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
		if err != nil {
			t.Fatal(err)
		}
		if a.Answers["Q2.1"].Choice == "yes" && a.Answers["Q2.5"].Comment == "På vår webbplats sedan 2024" {
			saved = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !saved {
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#autosave-status")))
		t.Fatalf("not saved automatically; status %q", status)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="a.Q2.1"][value="no"]`))); err != nil {
		t.Fatal(err)
	}
	if !hidden() {
		t.Error("Q2.2 still shown after answering no")
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
