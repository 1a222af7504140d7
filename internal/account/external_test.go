package account_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/regionerna/saq/internal/account"
)

// Who comes in through an identity provider, and what the audit log keeps.
func TestSignInExternal(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "kim@skane.se", account.Coordinator)
	mustUser(t, s, "gone@skane.se", account.Coordinator)
	if err := s.DisableUser(ctx, cli, "gone@skane.se"); err != nil {
		t.Fatal(err)
	}
	coordSkane := &account.Grant{Role: account.Coordinator, Region: "skane"}
	tests := []struct {
		name   string
		ext    account.External
		err    error
		role   account.Role
		event  string // the audit action it leaves
		detail string
	}{
		{"an account, in another case", account.External{Provider: "skane", Email: "Kim@Skane.SE"}, nil, account.Coordinator, "sign_in", "via skane"},
		{"a disabled account", account.External{Provider: "skane", Email: "gone@skane.se", Grant: coordSkane}, account.ErrAccountDisabled, "", "sign_in_refused", "account disabled via skane"},
		{"nobody, no mapping", account.External{Provider: "skane", Email: "new@skane.se"}, account.ErrNoAccount, "", "sign_in_refused", "no account, no mapping via skane"},
		{"a mapping to a region that is none", account.External{Provider: "skane", Email: "x@skane.se", Grant: &account.Grant{Role: account.Coordinator, Region: "atlantis"}},
			account.ErrNoAccount, "", "sign_in_refused", "mapping gives coordinator, atlantis"},
		{"a mapping", account.External{Provider: "skane", Email: "New.Person@Skane.se", Name: "Ny Person", Grant: coordSkane, Because: `groups "saq" via skane`},
			nil, account.Coordinator, "sign_in", "via skane"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cookie, _, u, err := s.SignInExternal(ctx, tt.ext, "192.0.2.1")
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil {
				p, sess, err := s.SessionPrincipal(ctx, cookie)
				if err != nil || p.Role != tt.role || sess.Provider != tt.ext.Provider || p.Email != strings.ToLower(tt.ext.Email) {
					t.Errorf("session %+v %+v %v", p, sess, err)
				}
				if u.Email != strings.ToLower(tt.ext.Email) {
					t.Errorf("user %+v", u)
				}
			}
			events, _ := s.Events(ctx, account.EventFilter{Action: tt.event, Subject: strings.ToLower(tt.ext.Email)})
			if len(events) == 0 || !strings.Contains(events[0].Detail, tt.detail) {
				t.Errorf("audit %s: %+v", tt.event, events)
			}
		})
	}
	// The mapped account was made once, as the mapping says, without a
	// passphrase; signing in again makes nothing more.
	if _, _, _, err := s.SignInExternal(ctx, account.External{Provider: "skane", Email: "new.person@skane.se", Grant: coordSkane}, "ip"); err != nil {
		t.Fatal(err)
	}
	users, _ := s.Users(ctx)
	if len(users) != 3 {
		t.Errorf("%d accounts, want kim, gone and the one made", len(users))
	}
	made, _ := s.Events(ctx, account.EventFilter{Action: "user_provisioned"})
	if len(made) != 1 || made[0].Subject != "new.person@skane.se" || made[0].Detail != `coordinator, skane, from groups "saq" via skane` {
		t.Errorf("provisioned %+v", made)
	}
	for _, u := range users {
		if u.Email == "new.person@skane.se" && (!u.PasswordOff || u.PasswordHash != "" || u.Provider != "skane" || u.Name != "Ny Person") {
			t.Errorf("made %+v", u)
		}
	}
	if _, _, _, err := s.SignIn(ctx, "new.person@skane.se", "", "ip"); err == nil {
		t.Error("a made account signed in with an empty passphrase")
	}
}

// Two instances making the same account at once make one.
func TestProvisionAtOnce(t *testing.T) {
	s, _ := newService(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, _, _, errs[i] = s.SignInExternal(ctx, account.External{Provider: "skane", Email: "same@skane.se",
				Grant: &account.Grant{Role: account.Auditor, Region: "national"}}, "ip")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if users, _ := s.Users(ctx); len(users) != 1 {
		t.Errorf("%d accounts", len(users))
	}
}

// An admin turns passphrases off for one account: it signs in through its
// provider only, and has no passphrase to change.
func TestPasswordSignInOff(t *testing.T) {
	s, _ := newService(t)
	mustUser(t, s, "kim@skane.se", account.Coordinator)
	cookie, _, _, err := s.SignIn(ctx, "kim@skane.se", goodPassword, "ip")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPasswordSignIn(ctx, cli, "kim@skane.se", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionPrincipal(ctx, cookie); err == nil {
		t.Error("the passphrase's session outlived turning passphrases off")
	}
	if _, _, _, err := s.SignIn(ctx, "kim@skane.se", goodPassword, "ip"); code(err) != "unauthorized" {
		t.Errorf("passphrase sign-in when off: %v", err)
	}
	cookie, _, _, err = s.SignInExternal(ctx, account.External{Provider: "skane", Email: "kim@skane.se"}, "ip")
	if err != nil {
		t.Fatal(err)
	}
	p, _, _ := s.SessionPrincipal(ctx, cookie)
	if _, _, err := s.ChangePassword(ctx, p, goodPassword, goodPassword+" ny", "ip"); !errors.Is(err, account.ErrNoPassword) {
		t.Errorf("change of a passphrase that is off: %v", err)
	}
	if err := s.SetPasswordSignIn(ctx, cli, "kim@skane.se", true); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.SignIn(ctx, "kim@skane.se", goodPassword, "ip"); err != nil {
		t.Errorf("passphrase sign-in when on again: %v", err)
	}
	for _, action := range []string{"password_sign_in_off", "password_sign_in_on"} {
		if ev, _ := s.Events(ctx, account.EventFilter{Action: action}); len(ev) != 1 {
			t.Errorf("%s: %+v", action, ev)
		}
	}
}
