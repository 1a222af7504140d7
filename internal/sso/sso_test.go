package sso_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/internal/sso/ssotest"
)

// The relying party's checks, each against tokens the real provider
// issued: the flow that succeeds, and each way one must be refused.
func TestSignInAgainstRealProvider(t *testing.T) {
	t.Parallel()
	idp := ssotest.Start(t, []ssotest.User{
		{Username: "kim", Password: "pass-kim-1", Email: "Kim.Coord@Skane.se", EmailVerified: true, First: "Kim", Last: "Skåne",
			Groups: []string{"staff", "saq-coordinators-halland"}},
		{Username: "eve", Password: "pass-eve-1", Email: "eve@skane.se", EmailVerified: false},
	}, []ssotest.Client{
		{ID: "saq", Secret: "saq-secret", RedirectURL: "http://127.0.0.1:9/login/sso/skane/callback"},
		{ID: "other-app", Secret: "other-secret", RedirectURL: "http://127.0.0.1:9/other/callback"},
	})
	mine := sso.Provider{ID: "skane", Name: "Region Skåne", Issuer: idp.Issuer, ClientID: "saq", ClientSecret: "saq-secret",
		RedirectURL: "http://127.0.0.1:9/login/sso/skane/callback",
		Provision:   []sso.Rule{{Value: "saq-coordinators-halland", Grant: account.Grant{Role: account.Coordinator, Region: "halland"}}}}
	other := mine
	other.ClientID, other.ClientSecret, other.RedirectURL = "other-app", "other-secret", "http://127.0.0.1:9/other/callback"
	c := sso.New(mine, nil)

	// signIn goes through the provider's login page and returns the
	// attempt with what the provider sent back to the callback.
	signIn := func(t *testing.T, c *sso.Client, user, pass string) (sso.Attempt, url.Values) {
		t.Helper()
		at, to, err := c.Begin(t.Context(), "/dashboard")
		if err != nil {
			t.Fatal(err)
		}
		back := ssotest.SignIn(t, &http.Client{Timeout: 10 * time.Second}, to, idp.Issuer, user, pass)
		return at, back.Query()
	}
	reason := func(err error) sso.Reason {
		var r *sso.Refusal
		if errors.As(err, &r) {
			return r.Reason
		}
		return ""
	}

	t.Run("signed in", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		ext, err := c.Finish(t.Context(), at, q)
		if err != nil {
			t.Fatal(err)
		}
		if ext.Email != "Kim.Coord@Skane.se" || ext.Provider != "skane" || ext.Subject == "" || ext.Name != "Kim Skåne" {
			t.Errorf("identity %+v", ext)
		}
		if ext.Grant == nil || *ext.Grant != (account.Grant{Role: account.Coordinator, Region: "halland"}) {
			t.Errorf("grant %+v from groups", ext.Grant)
		}
		// The code is good once: the provider refuses it again.
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.CodeRefused {
			t.Errorf("replayed code: %v", err)
		}
	})
	t.Run("another audience", func(t *testing.T) {
		at, q := signIn(t, sso.New(other, nil), "kim", "pass-kim-1")
		raw := idToken(t, other, at, q)
		if _, err := c.Verify(t.Context(), raw, at.Nonce); reason(err) != sso.BadToken {
			t.Errorf("a token for another client: %v", err)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		at.Nonce = "not-the-nonce-the-provider-signed"
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.NonceWrong {
			t.Errorf("wrong nonce: %v", err)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		raw := idToken(t, mine, at, q)
		later := sso.New(mine, func() time.Time { return time.Now().Add(25 * time.Hour) })
		if _, err := later.Verify(t.Context(), raw, at.Nonce); reason(err) != sso.BadToken {
			t.Errorf("a token a day old: %v", err)
		}
		if _, err := c.Verify(t.Context(), raw, at.Nonce); err != nil {
			t.Errorf("the same token now: %v", err)
		}
	})
	t.Run("forged signature", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		raw := idToken(t, mine, at, q)
		forged := raw[:len(raw)-4] + "AAAA"
		if _, err := c.Verify(t.Context(), forged, at.Nonce); reason(err) != sso.BadToken {
			t.Errorf("a forged signature: %v", err)
		}
	})
	t.Run("wrong state", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		q.Set("state", "someone-elses-state")
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.StateWrong {
			t.Errorf("wrong state: %v", err)
		}
	})
	t.Run("attempt too old", func(t *testing.T) {
		at, q := signIn(t, c, "kim", "pass-kim-1")
		at.Started = at.Started.Add(-sso.AttemptLifetime - time.Minute)
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.Expired {
			t.Errorf("an attempt begun long ago: %v", err)
		}
	})
	t.Run("unverified address", func(t *testing.T) {
		at, q := signIn(t, c, "eve", "pass-eve-1")
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.NoEmail {
			t.Errorf("an address the provider has not verified: %v", err)
		}
	})
	t.Run("cancelled at the provider", func(t *testing.T) {
		at, _, err := c.Begin(t.Context(), "/")
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"state": {at.State}, "error": {"access_denied"}, "error_description": {"the user said no"}}
		if _, err := c.Finish(t.Context(), at, q); reason(err) != sso.Cancelled {
			t.Errorf("cancelled: %v", err)
		}
	})
}

// idToken exchanges the code as the client of p would and returns the raw
// ID token, to hand to another check.
func idToken(t *testing.T, p sso.Provider, at sso.Attempt, q url.Values) string {
	t.Helper()
	prov, err := oidc.NewProvider(context.Background(), p.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	cfg := oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: p.RedirectURL, Endpoint: prov.Endpoint(),
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	tok, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(at.Verifier))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id_token")
	}
	return raw
}

// A provider nobody can reach refuses as unavailable, without waiting on
// anything but the refused connection.
func TestProviderUnavailable(t *testing.T) {
	t.Parallel()
	c := sso.New(sso.Provider{ID: "gone", Name: "Gone", Issuer: "http://127.0.0.1:1", ClientID: "saq", RedirectURL: "http://127.0.0.1:9/cb"}, nil)
	_, _, err := c.Begin(t.Context(), "/")
	var r *sso.Refusal
	if !errors.As(err, &r) || r.Reason != sso.Unavailable {
		t.Errorf("Begin against nothing: %v", err)
	}
}
