package sso_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/sso"
)

func TestProvidersFromEnv(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "providers.yaml")
	if err := os.WriteFile(file, []byte(`
- id: halland
  name: Region Halland
  issuer: https://login.microsoftonline.com/tenant/v2.0
  client_id: saq-halland
  client_secret: s3cret
  trust_email: true
  provision:
    - {value: saq-coordinators, role: coordinator, region: halland}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string // the providers' ids and redirect URLs, or the error's start
	}{
		{"none", map[string]string{}, ""},
		{"one from the environment", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "Region Skåne", "SAQ_OIDC_ID": "skane"},
			"skane https://saq.example.se/login/sso/skane/callback"},
		{"one per region", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "Region Skåne", "SAQ_OIDC_ID": "skane", "SAQ_OIDC_PROVIDERS": file},
			"skane https://saq.example.se/login/sso/skane/callback; halland https://saq.example.se/login/sso/halland/callback"},
		{"the same id twice", map[string]string{"SAQ_OIDC_ISSUER": "https://idp", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "H", "SAQ_OIDC_ID": "halland", "SAQ_OIDC_PROVIDERS": file},
			"error: identity provider \"halland\" is configured twice"},
		{"plain http", map[string]string{"SAQ_OIDC_ISSUER": "http://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "S"}, "error: identity provider \"idp\": issuer"},
		{"no name", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq"}, "error: identity provider \"idp\": give a name"},
		{"a role that is none", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "S", "SAQ_OIDC_PROVISION": "g=boss:skane"},
			"error: identity provider \"idp\": provision \"g\": role \"boss\""},
		{"a mapping that does not read", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.skane.se", "SAQ_OIDC_CLIENT_ID": "saq", "SAQ_OIDC_NAME": "S", "SAQ_OIDC_PROVISION": "coordinator"},
			"error: SAQ_OIDC_PROVISION: \"coordinator\": write value=role:region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ps, err := sso.FromEnv(func(k string) string { return tt.env[k] }, "https://saq.example.se/")
			var got []string
			for _, p := range ps {
				got = append(got, p.ID+" "+p.RedirectURL)
			}
			s := strings.Join(got, "; ")
			if err != nil {
				s = "error: " + err.Error()
			}
			if !strings.HasPrefix(s, tt.want) || (tt.want == "" && s != "") {
				t.Errorf("got %q, want %q…", s, tt.want)
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	t.Parallel()
	rules, err := sso.ParseRules(" saq-coord-halland = coordinator:halland ; saq-audit=auditor:national;")
	if err != nil {
		t.Fatal(err)
	}
	want := []sso.Rule{{Value: "saq-coord-halland", Grant: account.Grant{Role: account.Coordinator, Region: "halland"}},
		{Value: "saq-audit", Grant: account.Grant{Role: account.Auditor, Region: "national"}}}
	if len(rules) != 2 || rules[0] != want[0] || rules[1] != want[1] {
		t.Errorf("rules %+v", rules)
	}
}
