package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", SV},
		{"en", EN},
		{"en-GB,en;q=0.9", EN},
		{"sv-SE,sv;q=0.9,en;q=0.8", SV},
		{"de-DE,de;q=0.9,en;q=0.5", EN},
		{"en;q=0.2,sv;q=0.8", SV},
		{"fr", SV},
		{"nb-NO,en;q=0.5", SV},
		{"en;q=0", SV},
		{"EN-us", EN},
		{"en;q=abc", EN},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := Negotiate(tt.header); got != tt.want {
				t.Errorf("Negotiate(%q) = %s, want %s", tt.header, got, tt.want)
			}
		})
	}
}

func TestEveryMessageInBothLanguages(t *testing.T) {
	for key, m := range messages {
		for _, lang := range []string{SV, EN} {
			if m[lang] == "" {
				t.Errorf("%s has no %s text", key, lang)
			}
		}
	}
	if T(EN, "no.such.key") != "no.such.key" {
		t.Error("unknown key should come back as itself")
	}
}
