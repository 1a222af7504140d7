package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/regionerna/saq/internal/web"
)

// A person signs in through the provider's own login page in a real
// browser, and lands on the dashboard with their role and region; the
// refusal and the page without passphrases are walked in both languages,
// and axe checks every page of the service on the way (the provider's own
// page is not ours to check).
func TestSSOInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	s := newSSOSite(t, nil)
	ctx := startChromium(t, exe)

	// atProvider clicks the service's button and signs in on the
	// provider's page; the steps end on the service again.
	atProvider := func(tab context.Context, user, pass, landing string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(tab, stepTimeout)
		defer cancel()
		if err := chromedp.Do(sctx,
			chromedp.Click(chromedp.CSS(`main a.button[href^="/login/sso/testidp"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#username`)),
			chromedp.SendKeys(chromedp.CSS(`#username`), user),
			chromedp.SendKeys(chromedp.CSS(`#password`), pass),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(landing)),
		); err != nil {
			t.Fatalf("sign in at the provider as %s: %v (at %s: %.300s)", user, err,
				eval[string](t, tab, `location.href`), eval[string](t, tab, `document.body.innerText`))
		}
	}
	text := func(tab context.Context) string {
		return eval[string](t, tab, `document.querySelector("main").innerText + " " + document.querySelector("header").innerText`)
	}

	for _, tc := range []struct{ lang, button, refused, role string }{
		{"sv", "Logga in med Testregionen", "inte kopplat till något konto", "samordnare"},
		{"en", "Sign in with Testregionen", "not linked to an account", "coordinator"},
	} {
		tab := newTab(t, ctx)
		run(t, tab, tc.lang+" sign-in page with the provider's button",
			chromedp.Navigate(s.base+"/login?lang="+tc.lang),
			chromedp.WaitVisible(chromedp.CSS(`main a.button[href^="/login/sso/testidp"]`)))
		if got := text(tab); !strings.Contains(got, tc.button) {
			t.Errorf("%s sign-in page: %q", tc.lang, got)
		}
		if tc.lang == "sv" {
			screenshot(t, tab, "sign-in", 1280, "")
		}
		atProvider(tab, "stranger", "stranger-at-the-idp", `.error-summary`)
		run(t, tab, tc.lang+" refusal", chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
		if got := text(tab); !strings.Contains(got, tc.refused) {
			t.Errorf("%s refusal: %q", tc.lang, got)
		}
		atProvider(tab, "hal", "hal-at-the-idp", `form.inline[action="/logout"]`)
		run(t, tab, tc.lang+" dashboard after sign-in", chromedp.WaitVisible(chromedp.CSS(`form.inline[action="/logout"]`)))
		if got, path := text(tab), eval[string](t, tab, `location.pathname`); path != "/dashboard" || !strings.Contains(got, "Hal Halland") || !strings.Contains(strings.ToLower(got), tc.role) {
			t.Errorf("%s after sign-in at %s: %q", tc.lang, path, got)
		}
		if region := eval[string](t, tab, `document.getElementById("f-region").value`); region != "halland" {
			t.Errorf("%s: the dashboard opens on region %q, want Halland's", tc.lang, region)
		}
		// Signing out goes by the provider's end-session endpoint and back
		// to the start page, signed out of both.
		func() {
			sctx, cancel := context.WithTimeout(tab, 8*time.Second)
			defer cancel()
			err := chromedp.Do(sctx, chromedp.Submit(chromedp.CSS(`form.inline[action="/logout"]`)), chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))
			if err != nil {
				t.Fatalf("sign out: %v at %s: %.400s", err, eval[string](t, tab, `location.href`), eval[string](t, tab, `document.body.innerText`))
			}
		}()
		if at := eval[string](t, tab, `location.href`); at != s.base+"/" {
			t.Errorf("%s after sign-out at %s", tc.lang, at)
		}
	}

	// The newcomer's group makes the account; the admin's page says how
	// each account signs in, and offers the switch.
	tab := newTab(t, ctx)
	run(t, tab, "sign-in page", chromedp.Navigate(s.base+"/login?lang=sv"))
	atProvider(tab, "new", "new-at-the-idp", `form.inline[action="/logout"]`)
	run(t, tab, "sign out the newcomer", chromedp.Submit(chromedp.CSS(`form.inline[action="/logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))
	admin := tab
	signInBrowser(t, admin, s.base, "admin@saq.se")
	for _, tc := range []struct{ lang, only, made string }{
		{"sv", "Endast identitetstjänst", "Skapat vid första inloggningen via testidp"},
		{"en", "Identity provider only", "Made at first sign-in through testidp"},
	} {
		run(t, admin, tc.lang+" accounts with one made by the provider",
			chromedp.Navigate(s.base+"/admin/users?lang="+tc.lang), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/users/password-on"]`)))
		if got := text(admin); !strings.Contains(got, tc.only) || !strings.Contains(got, tc.made) {
			t.Errorf("%s accounts page: %q", tc.lang, got)
		}
	}

	// Where the region requires its provider, the page has the button only.
	off := newSSOSite(t, func(c *web.Config) { c.PasswordsOff = true })
	for _, lang := range []string{"sv", "en"} {
		tab := newTab(t, ctx)
		run(t, tab, lang+" sign-in page without passphrases",
			chromedp.Navigate(off.base+"/login?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`main a.button[href^="/login/sso/testidp"]`)))
		if n := eval[int](t, tab, `document.querySelectorAll("#f-password").length`); n != 0 {
			t.Errorf("%s: the passphrase form is still there", lang)
		}
	}
}
