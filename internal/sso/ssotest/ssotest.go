// Package ssotest starts a real OpenID provider on loopback for tests: the
// example provider of github.com/zitadel/oidc (discovery, keys, the
// authorization code flow with PKCE, its own login page), with the users
// and clients a test gives it. Nothing in it is a stand-in for the
// protocol; it only chooses who exists.
package ssotest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person the provider knows. Username and Password are what its
// login page takes.
type User struct {
	Username, Password string
	Email              string
	EmailVerified      bool
	First, Last        string
	Groups             []string // sent as the "groups" claim
}

// Client is a relying party the provider knows.
type Client struct {
	ID, Secret  string
	RedirectURL string
	// SignedOutURL is where the provider may send the browser back to
	// after signing out.
	SignedOutURL string
}

// Provider is the running provider.
type Provider struct {
	Issuer string
}

// Start runs a provider on 127.0.0.1 until the test ends.
func Start(t *testing.T, users []User, clients []Client) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()

	stored := map[string]*storage.User{}
	groups := map[string][]string{}
	for i, u := range users {
		id := fmt.Sprintf("u%d", i+1)
		stored[id] = &storage.User{ID: id, Username: u.Username, Password: u.Password, FirstName: u.First, LastName: u.Last,
			Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.Swedish}
		groups[id] = u.Groups
	}
	path := filepath.Join(t.TempDir(), "users.json")
	data, err := json.Marshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	userStore, err := storage.StoreFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]*storage.Client{}
	signedOut := map[string][]string{}
	for _, c := range clients {
		registered[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURL)
		if c.SignedOutURL != "" {
			signedOut[c.ID] = []string{c.SignedOutURL}
		}
	}
	st := &withClaims{Storage: storage.NewStorageWithClients(userStore, registered), groups: groups, signedOut: signedOut}
	srv := httptest.NewUnstartedServer(exampleop.SetupServer(issuer, st, nil, false))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{Issuer: issuer}
}

// withClaims puts the person's address, name and groups in the ID token,
// as Entra ID and most providers do, rather than only behind the userinfo
// endpoint as the example's clients are set up to.
type withClaims struct {
	*storage.Storage
	groups    map[string][]string
	signedOut map[string][]string
}

func (s *withClaims) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return claimsInIDToken{c, s.signedOut[id]}, nil
}

type claimsInIDToken struct {
	op.Client
	signedOut []string
}

func (claimsInIDToken) IDTokenUserinfoClaimsAssertion() bool { return true }

func (c claimsInIDToken) PostLogoutRedirectURIs() []string { return c.signedOut }

func (s *withClaims) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	if g := s.groups[req.GetSubject()]; len(g) > 0 {
		info.AppendClaims("groups", g)
	}
	return nil
}

var formID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// SignIn goes through the provider's login page as a person with a browser
// would, from start (a URL that leads there) to the first address outside
// the provider, which it returns without following; the client keeps the
// cookies of both sites.
func SignIn(t *testing.T, client *http.Client, start, issuer, username, password string) *url.URL {
	t.Helper()
	if client.Jar == nil {
		client.Jar, _ = cookiejar.New(nil)
	}
	at, err := url.Parse(issuer)
	if err != nil {
		t.Fatal(err)
	}
	stop := *client
	stop.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != at.Host {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := stop.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formID.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no login form at %s (%d): %.300s", resp.Request.URL, resp.StatusCode, body)
	}
	resp, err = stop.PostForm(issuer+"/login/username", url.Values{"id": {string(m[1])}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("the provider did not send the browser back (%d)", resp.StatusCode)
	}
	return loc
}
