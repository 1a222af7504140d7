package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// The sign-in settings: what starts, and what is refused with what to fix.
func TestSignInConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		env       map[string]string
		passwords bool
		providers int
		err       string
	}{
		{"defaults", map[string]string{}, true, 0, ""},
		{"passphrases off", map[string]string{"SAQ_PASSWORD_SIGN_IN": "off"}, false, 0, ""},
		{"a word that is neither", map[string]string{"SAQ_PASSWORD_SIGN_IN": "no"}, false, 0, `SAQ_PASSWORD_SIGN_IN "no": give on or off`},
		{"a provider", map[string]string{"SAQ_BASE_URL": "https://saq.example.se", "SAQ_OIDC_ISSUER": "https://login.microsoftonline.com/t/v2.0",
			"SAQ_OIDC_CLIENT_ID": "app", "SAQ_OIDC_NAME": "Region Skåne", "SAQ_OIDC_PROVISION": "g1=coordinator:skane"}, true, 1, ""},
		{"a provider without a redirect", map[string]string{"SAQ_OIDC_ISSUER": "https://idp.example", "SAQ_OIDC_CLIENT_ID": "app", "SAQ_OIDC_NAME": "R"},
			true, 0, "give the redirect URL, or SAQ_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fset := flag.NewFlagSet("serve", flag.ContinueOnError)
			fset.SetOutput(io.Discard)
			c, err := parseConfig(fset, nil, func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.PasswordSignIn != tt.passwords || len(c.Providers) != tt.providers {
				t.Errorf("passwords %t, %d providers", c.PasswordSignIn, len(c.Providers))
			}
		})
	}
}
