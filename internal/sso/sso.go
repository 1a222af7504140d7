// Package sso signs staff in with their region's identity provider over
// OpenID Connect: the authorization code flow with PKCE, state and nonce,
// and an ID token verified against the provider's published keys (issuer,
// audience, expiry, signature), the provider found by discovery from its
// issuer URL. It knows nothing of HTTP routes or sessions: web asks it
// where to send the browser and what the provider vouched for.
package sso

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/secret"
)

// Provider is one identity provider as configured.
type Provider struct {
	ID           string // in the sign-in path, /login/sso/{ID}
	Name         string // on the button: "Logga in med {Name}"
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string   // {base}/login/sso/{ID}/callback, registered at the provider
	Scopes       []string // asked for besides openid; email and profile when none
	// EmailClaim is the claim that holds the address ("email" when empty).
	EmailClaim string
	// TrustEmail takes the address without an email_verified claim: only
	// for a provider whose tenant sets every address itself (Entra ID does
	// not send email_verified).
	TrustEmail bool
	// GroupsClaim holds the groups or roles the mapping reads ("groups"
	// when empty).
	GroupsClaim string
	// Provision maps a group or role to the account made on first
	// sign-in; the first rule whose value the claim holds wins.
	Provision []Rule
}

// Rule gives an account to whoever's groups claim holds Value.
type Rule struct {
	Value string
	account.Grant
}

// Attempt is a sign-in under way: what the callback must find again. The
// web layer keeps it in a short-lived cookie of its own.
type Attempt struct {
	Provider string    `json:"p"`
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"` // the PKCE code verifier
	Next     string    `json:"x"` // where to go once signed in
	Started  time.Time `json:"t"`
}

// AttemptLifetime is how long a sign-in may take at the provider.
const AttemptLifetime = 10 * time.Minute

// Reason says why a sign-in was refused, for the audit log and for the
// message the person reads.
type Reason string

const (
	Expired     Reason = "expired"     // no attempt under way, or too old
	StateWrong  Reason = "state"       // the callback is not this attempt's
	Cancelled   Reason = "cancelled"   // the provider sent an error back
	Unavailable Reason = "unavailable" // the provider did not answer
	BadToken    Reason = "token"       // audience, issuer, expiry or signature wrong
	NonceWrong  Reason = "nonce"       // the token was not made for this attempt
	NoEmail     Reason = "email"       // no address, or one the provider has not verified
	CodeRefused Reason = "code"        // the provider refused the code (used, expired)
)

// Refusal is a sign-in the provider's answer does not allow.
type Refusal struct {
	Reason Reason
	Err    error // what the library or the provider said, for the log
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return fmt.Sprintf("sign-in refused (%s): %v", r.Reason, r.Err)
	}
	return fmt.Sprintf("sign-in refused (%s)", r.Reason)
}

func refuse(reason Reason, err error) error { return &Refusal{reason, err} }

// Client signs in through one provider. Discovery happens on first use and
// is kept once it succeeds, so the service starts while a provider is down.
type Client struct {
	p    Provider
	http *http.Client
	now  func() time.Time

	mu         sync.Mutex
	provider   *oidc.Provider
	endSession string
}

// New returns the client of p; now is the clock tokens are checked by.
func New(p Provider, now func() time.Time) *Client {
	if now == nil {
		now = time.Now
	}
	return &Client{p: p, http: &http.Client{Timeout: 10 * time.Second}, now: now}
}

// Provider is the configuration the client was made with.
func (c *Client) Provider() Provider { return c.p }

func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.p.Issuer)
	if err != nil {
		return nil, refuse(Unavailable, fmt.Errorf("discover %s: %w", c.p.Issuer, err))
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra) // an absent endpoint leaves sign-out local
	c.provider, c.endSession = p, extra.EndSession
	return p, nil
}

func (c *Client) oauth(p *oidc.Provider) oauth2.Config {
	scopes := c.p.Scopes
	if len(scopes) == 0 {
		scopes = []string{"email", "profile"}
	}
	return oauth2.Config{ClientID: c.p.ClientID, ClientSecret: c.p.ClientSecret, RedirectURL: c.p.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, scopes...)}
}

// Begin starts a sign-in: the attempt to keep, and the provider's page to
// send the browser to.
func (c *Client) Begin(ctx context.Context, next string) (Attempt, string, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return Attempt{}, "", err
	}
	at := Attempt{Provider: c.p.ID, State: secret.Token(), Nonce: secret.Token(), Verifier: oauth2.GenerateVerifier(),
		Next: next, Started: c.now().UTC()}
	cfg := c.oauth(p)
	return at, cfg.AuthCodeURL(at.State, oidc.Nonce(at.Nonce), oauth2.S256ChallengeOption(at.Verifier)), nil
}

// Finish completes the attempt with what the provider sent back to the
// callback: the code is exchanged (with the PKCE verifier) for an ID token,
// which must be the provider's, for this client, unexpired, and carry the
// attempt's nonce and a verified address.
func (c *Client) Finish(ctx context.Context, at Attempt, query url.Values) (account.External, error) {
	if at.State == "" || c.now().Sub(at.Started) > AttemptLifetime {
		return account.External{}, refuse(Expired, nil)
	}
	if subtle.ConstantTimeCompare([]byte(query.Get("state")), []byte(at.State)) != 1 {
		return account.External{}, refuse(StateWrong, nil)
	}
	if e := query.Get("error"); e != "" {
		return account.External{}, refuse(Cancelled, fmt.Errorf("%s: %s", e, query.Get("error_description")))
	}
	p, err := c.discover(ctx)
	if err != nil {
		return account.External{}, err
	}
	cfg := c.oauth(p)
	tok, err := cfg.Exchange(oidc.ClientContext(ctx, c.http), query.Get("code"), oauth2.VerifierOption(at.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return account.External{}, refuse(CodeRefused, err)
		}
		return account.External{}, refuse(Unavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return account.External{}, refuse(BadToken, errors.New("no id_token in the token response"))
	}
	return c.Verify(ctx, raw, at.Nonce)
}

// Verify checks an ID token (signature by the provider's published keys,
// issuer, audience, expiry) and its nonce, and reads who it vouches for.
func (c *Client) Verify(ctx context.Context, rawIDToken, nonce string) (account.External, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return account.External{}, err
	}
	v := p.Verifier(&oidc.Config{ClientID: c.p.ClientID, Now: c.now})
	idt, err := v.Verify(oidc.ClientContext(ctx, c.http), rawIDToken)
	if err != nil {
		return account.External{}, refuse(BadToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return account.External{}, refuse(NonceWrong, nil)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return account.External{}, refuse(BadToken, err)
	}
	return c.identity(idt.Subject, claims)
}

// identity reads the address, the name and the grant from the claims.
func (c *Client) identity(subject string, claims map[string]any) (account.External, error) {
	emailClaim := c.p.EmailClaim
	if emailClaim == "" {
		emailClaim = "email"
	}
	email, _ := claims[emailClaim].(string)
	if email == "" || !strings.Contains(email, "@") {
		return account.External{}, refuse(NoEmail, fmt.Errorf("no address in claim %q", emailClaim))
	}
	if !c.p.TrustEmail && !truth(claims["email_verified"]) {
		return account.External{}, refuse(NoEmail, fmt.Errorf("%s is not verified by the provider", email))
	}
	name, _ := claims["name"].(string)
	ext := account.External{Provider: c.p.ID, Subject: subject, Email: email, Name: name}
	groupsClaim := c.p.GroupsClaim
	if groupsClaim == "" {
		groupsClaim = "groups"
	}
	groups := claimStrings(claims[groupsClaim])
	for _, r := range c.p.Provision {
		if slices.Contains(groups, r.Value) {
			g := r.Grant
			ext.Grant, ext.Because = &g, fmt.Sprintf("%s %q via %s", groupsClaim, r.Value, c.p.ID)
			break
		}
	}
	return ext, nil
}

// truth reads a boolean claim, which some providers send as a string.
func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// claimStrings reads a claim of one string or a list of them.
func claimStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// EndSessionURL is where to send the browser to sign out at the provider
// too, coming back to back; "" when the provider offers no such endpoint.
func (c *Client) EndSessionURL(ctx context.Context, back string) string {
	if _, err := c.discover(ctx); err != nil || c.endSession == "" {
		return ""
	}
	u, err := url.Parse(c.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", c.p.ClientID)
	q.Set("post_logout_redirect_uri", back)
	u.RawQuery = q.Encode()
	return u.String()
}
