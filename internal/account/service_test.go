package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// clock is a settable time for session expiry and throttling windows.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t *testing.T) (*account.Service, *clock) {
	c := &clock{time.Date(2026, 3, 2, 9, 1, 0, 0, time.UTC)}
	repo := storetest.New(t).Accounts()
	known := func(id string) bool { return id == "skane" || id == "national" }
	return account.NewService(repo, known, c.now), c
}

const goodPassword = "korrekt häst batteri häfta"

var cli = account.Actor{Name: "cli"}

func mustUser(t *testing.T, s *account.Service, email string, role account.Role) account.User {
	t.Helper()
	u, err := s.CreateUser(ctx, cli, account.NewUser{Email: email, Name: "Test Person", Role: role, Region: "skane", Password: goodPassword})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func code(err error) apperr.Code {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

func TestCreateUserRefusals(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)
	tests := []struct {
		name  string
		in    account.NewUser
		code  apperr.Code
		field string
	}{
		{"bad email", account.NewUser{Email: "anna", Name: "A", Role: "auditor", Region: "skane", Password: goodPassword}, apperr.Invalid, "email"},
		{"no name", account.NewUser{Email: "b@r.se", Role: "auditor", Region: "skane", Password: goodPassword}, apperr.Invalid, "name"},
		{"bad role", account.NewUser{Email: "b@r.se", Name: "B", Role: "supplier", Region: "skane", Password: goodPassword}, apperr.Invalid, "role"},
		{"unknown region", account.NewUser{Email: "b@r.se", Name: "B", Role: "auditor", Region: "atlantis", Password: goodPassword}, apperr.Invalid, "region"},
		{"short password", account.NewUser{Email: "b@r.se", Name: "B", Role: "auditor", Region: "skane", Password: "kort123"}, apperr.Invalid, "password"},
		{"common password", account.NewUser{Email: "b@r.se", Name: "B", Role: "auditor", Region: "skane", Password: "Password1234"}, apperr.Invalid, "password"},
		{"email taken, any case", account.NewUser{Email: " ANNA@region.se", Name: "A", Role: "auditor", Region: "skane", Password: goodPassword}, apperr.Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, cli, tt.in)
			e, ok := apperr.As(err)
			if !ok || e.Code != tt.code {
				t.Fatalf("error %v, want code %s", err, tt.code)
			}
			if tt.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Message["sv"] == "") {
				t.Errorf("fields %+v, want one on %s", e.Fields, tt.field)
			}
		})
	}
	users, _ := s.Users(ctx)
	if len(users) != 1 {
		t.Errorf("%d users after refusals, want 1", len(users))
	}
}

func TestSignInAndSession(t *testing.T) {
	s, c := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)

	cookie, sess, u, err := s.SignIn(ctx, "Anna@Region.se", goodPassword, "10.0.0.1")
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if len(cookie) < 43 || sess.ID == cookie || u.Role != account.Coordinator {
		t.Errorf("cookie %q session %+v", cookie, sess)
	}
	p, got, err := s.SessionPrincipal(ctx, cookie)
	if err != nil || p.Email != "anna@region.se" || p.Region != "skane" || got.CSRF == "" {
		t.Fatalf("principal %+v, %v", p, err)
	}

	c.t = c.t.Add(account.SessionLifetime)
	if _, _, err := s.SessionPrincipal(ctx, cookie); code(err) != apperr.Unauthorized {
		t.Errorf("expired session: %v", err)
	}

	for _, bad := range []struct{ email, pw string }{{"anna@region.se", "wrong password!"}, {"nobody@region.se", goodPassword}} {
		if _, _, _, err := s.SignIn(ctx, bad.email, bad.pw, "10.0.0.1"); code(err) != apperr.Unauthorized {
			t.Errorf("sign in %s: %v", bad.email, err)
		} else if !strings.Contains(err.Error(), "Wrong email address or password") {
			t.Errorf("message %q reveals more than it should", err)
		}
	}
}

func TestSignInLimits(t *testing.T) {
	s, c := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)
	for i := range account.MaxAccountAddressFailures {
		if _, _, _, err := s.SignIn(ctx, "anna@region.se", "not the password", "10.0.0.1"); code(err) != apperr.Unauthorized {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// That address waits, even with the right password, and the message
	// says when to come back.
	_, _, _, err := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.1")
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.TooMany || !strings.Contains(e.Message["sv"], "kl. 10:15") || e.RetryAt.IsZero() {
		t.Fatalf("after %d failures: %v (%+v)", account.MaxAccountAddressFailures, err, e)
	}
	// The account's owner, elsewhere, is not locked out by the stranger.
	if _, _, _, err := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.2"); err != nil {
		t.Errorf("the owner from another address: %v", err)
	}
	c.t = e.RetryAt
	if _, _, _, err := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.1"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// Successful sign-ins do not count: an office behind one address signs in all morning.
	for i := range account.MaxIPFailures + 1 {
		if _, _, _, err := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.3"); err != nil {
			t.Fatalf("sign-in %d from one address: %v", i+1, err)
		}
	}

	// Per IP: many accounts tried from one address.
	for i := range account.MaxIPFailures {
		s.SignIn(ctx, "guess"+string(rune('a'+i))+"@region.se", "whatever123456", "10.9.9.9")
	}
	if _, _, _, err := s.SignIn(ctx, "anna@region.se", goodPassword, "10.9.9.9"); code(err) != apperr.TooMany {
		t.Errorf("IP over its limit: %v", err)
	}
	events, _ := s.Events(ctx, account.EventFilter{Action: "sign_in_throttled"})
	if len(events) != 2 {
		t.Errorf("%d throttled events, want 2", len(events))
	}
}

// Guessing one account from many addresses slows it with growing delays
// rather than locking it: after the free tries each one waits twice as
// long as the one before.
func TestSignInDelaysGrow(t *testing.T) {
	s, c := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)
	for i := range account.FreeAccountFailures {
		if _, _, _, err := s.SignIn(ctx, "anna@region.se", "not the password", fmt.Sprintf("10.1.0.%d", i)); code(err) != apperr.Unauthorized {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var waits []time.Duration
	for i := range 4 {
		_, _, _, err := s.SignIn(ctx, "anna@region.se", "not the password", fmt.Sprintf("10.2.0.%d", i))
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.TooMany || !strings.Contains(e.Message["en"], "Try again in") {
			t.Fatalf("try %d past the free ones: %v", i+1, err)
		}
		waits = append(waits, e.RetryAt.Sub(c.t))
		c.t = e.RetryAt
		if _, _, _, err := s.SignIn(ctx, "anna@region.se", "not the password", fmt.Sprintf("10.2.0.%d", i)); code(err) != apperr.Unauthorized {
			t.Fatalf("try %d after its wait: %v", i+1, err)
		}
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			t.Errorf("waits %v do not double", waits)
		}
	}
}

// Parallel wrong passwords cannot pass the limit together: each attempt is
// claimed before the password is judged.
func TestSignInLimitHoldsInParallel(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)
	const n = 15
	var judged, refused atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch _, _, _, err := s.SignIn(ctx, "anna@region.se", "not the password", "10.0.0.1"); code(err) {
			case apperr.Unauthorized:
				judged.Add(1)
			case apperr.TooMany:
				refused.Add(1)
			default:
				t.Errorf("sign in: %v", err)
			}
		}()
	}
	wg.Wait()
	if judged.Load() != account.MaxAccountAddressFailures || refused.Load() != n-account.MaxAccountAddressFailures {
		t.Errorf("%d judged and %d refused of %d, want %d judged", judged.Load(), refused.Load(), n, account.MaxAccountAddressFailures)
	}
}

func TestDisabledAndPasswordChange(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "anna@region.se", account.Coordinator)
	cookie1, _, _, _ := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.1")
	cookie2, _, _, _ := s.SignIn(ctx, "anna@region.se", goodPassword, "10.0.0.1")
	p, _, _ := s.SessionPrincipal(ctx, cookie1)

	if _, _, err := s.ChangePassword(ctx, p, "wrong current pw", "ett helt nytt lösenord", "ip"); code(err) != apperr.Invalid {
		t.Errorf("wrong current password: %v", err)
	}
	if _, _, err := s.ChangePassword(ctx, p, goodPassword, "qwerty123456", "ip"); code(err) != apperr.Invalid {
		t.Errorf("common new password: %v", err)
	}
	cookie3, _, err := s.ChangePassword(ctx, p, goodPassword, "ett helt nytt lösenord", "ip")
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{cookie1, cookie2} {
		if _, _, err := s.SessionPrincipal(ctx, old); err == nil {
			t.Error("a session from before the password change still works")
		}
	}
	if _, _, err := s.SessionPrincipal(ctx, cookie3); err != nil {
		t.Errorf("the new session: %v", err)
	}
	if _, _, _, err := s.SignIn(ctx, "anna@region.se", "ett helt nytt lösenord", "ip"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}

	if err := s.DisableUser(ctx, cli, "anna@region.se"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionPrincipal(ctx, cookie3); err == nil {
		t.Error("a disabled account's session still works")
	}
	if _, _, _, err := s.SignIn(ctx, "anna@region.se", "ett helt nytt lösenord", "ip"); code(err) != apperr.Unauthorized {
		t.Errorf("disabled sign in: %v", err)
	}
}

func TestTokens(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "api@region.se", account.Auditor)
	plain, tok, err := s.CreateToken(ctx, cli, "api@region.se")
	if err != nil || !strings.HasPrefix(plain, account.TokenPrefix) || tok.ID == plain {
		t.Fatalf("token %q %+v %v", plain, tok, err)
	}
	p, err := s.TokenPrincipal(ctx, plain)
	if err != nil || p.Role != account.Auditor {
		t.Fatalf("token principal %+v %v", p, err)
	}
	for _, bad := range []string{"", "saq_nope", plain + "x", "Bearer " + plain} {
		if _, err := s.TokenPrincipal(ctx, bad); code(err) != apperr.Unauthorized {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	if err := s.RevokeToken(ctx, cli, "api@region.se", tok.Hint); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenPrincipal(ctx, plain); code(err) != apperr.Unauthorized {
		t.Errorf("revoked token: %v", err)
	}
	if err := s.RevokeToken(ctx, cli, "api@region.se", tok.Hint); code(err) != apperr.NotFound {
		t.Errorf("revoke twice: %v", err)
	}
	events, _ := s.Events(ctx, account.EventFilter{Subject: "api@region.se"})
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "token_revoked,token_created,user_created" {
		t.Errorf("events newest first = %s", got)
	}
}

func TestPolicy(t *testing.T) {
	coord := &account.Principal{Role: account.Coordinator, Region: "skane"}
	tests := []struct {
		name   string
		p      *account.Principal
		a      account.Action
		region string
		want   bool
	}{
		{"anyone public", nil, account.Public, "", true},
		{"anonymous read", nil, account.ReadAssessments, "", false},
		{"coordinator reads other region", coord, account.ReadAssessments, "halland", true},
		{"coordinator writes own region", coord, account.WriteAssessment, "skane", true},
		{"coordinator writes other region", coord, account.WriteAssessment, "halland", false},
		{"auditor writes", &account.Principal{Role: account.Auditor}, account.WriteAssessment, "skane", false},
		{"auditor records finding", &account.Principal{Role: account.Auditor, Region: "x"}, account.RecordFinding, "skane", true},
		{"coordinator manages accounts", coord, account.ManageAccounts, "", false},
		{"admin manages accounts", &account.Principal{Role: account.Admin}, account.ManageAccounts, "", true},
		{"supplier reads assessments", &account.Principal{Supplier: true, AssessmentID: "a1"}, account.ReadAssessments, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := account.Allowed(tt.p, tt.a, tt.region, ""); got != tt.want {
				t.Errorf("Allowed = %v, want %v", got, tt.want)
			}
		})
	}
	sup := &account.Principal{Supplier: true, AssessmentID: "a1"}
	if !account.Allowed(sup, account.SupplierResponse, "", "a1") || account.Allowed(sup, account.SupplierResponse, "", "a2") {
		t.Error("a supplier link reaches its own assessment only")
	}
}
