package web_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's headless Chromium. Without it the browser tests
// skip, except where SAQ_REQUIRE_BROWSER is set (CI installs Chromium and
// sets it), so they cannot quietly stop running there.
func chromium(t *testing.T) string {
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
	return ctx, "http://" + ln.Addr().String()
}

// TestSupplierInBrowser answers a section in a real browser, with no script
// on the page: type, choose, save and continue, and see the questions that
// the answers reveal.
func TestSupplierInBrowser(t *testing.T) {
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
	if lang.Value != "en" || !strings.Contains(title, "Code of conduct self-assessment") {
		t.Errorf("lang %q, title %q", lang.Value, title)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.button")),
		chromedp.WaitVisible(chromedp.CSS(`#a-Q1\.1`)),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.1`), "Malaysia, Thailand"),
		chromedp.SendKeys(chromedp.CSS(`#a-Q1\.3`), "1250"),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.4"][value="both"]`)),
		chromedp.Click(chromedp.CSS(`input[name="a.Q1.5"][value="migrant"]`)),
		chromedp.Click(chromedp.CSS(`button[value="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-Q2\.6`)),
	)
	if err != nil {
		t.Fatalf("answer section 1: %v", err)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	progress, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".progress")))
	if heading != "Policy and responsibility" || !strings.HasPrefix(progress, "4 of ") {
		t.Errorf("after saving: heading %q, progress %q", heading, progress)
	}
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	if a.Answers["Q1.1"].Text != "Malaysia, Thailand" || a.Answers["Q1.4"].Choice != "both" || a.Answers["Q1.3"].Number == nil || *a.Answers["Q1.3"].Number != 1250 {
		t.Errorf("saved from the browser: %+v", a.Answers)
	}
}

// TestAutosaveAndLiveShowIf: with the page's script, choosing an answer shows
// the questions it reveals at once, and answers are saved without a click.
func TestAutosaveAndLiveShowIf(t *testing.T) {
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
