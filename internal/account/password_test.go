package account

import (
	"strings"
	"testing"
)

func TestPasswordProblem(t *testing.T) {
	tests := []struct {
		name, password, email string
		why                   string // part of the English reason; "" when accepted
	}{
		{"twelve spaces", strings.Repeat(" ", 12), "anna@region.se", "at least 12 characters"},
		{"padded short", "   kort123   ", "anna@region.se", "at least 12 characters"},
		{"repeated word", "weakweakweak", "anna@region.se", "repeats"},
		{"keyboard row", "qwertyuiopas", "anna@region.se", "easy to guess"},
		{"sequence", "bcdefghijklmn", "anna@region.se", "sequence"},
		{"on the list", "qwerty123456", "anna@region.se", "too common"},
		{"keyboard pattern", "zxcvbnmasdfg", "anna@region.se", "easy to guess"},
		{"Swedish word and year", "Lösenord2026", "anna@region.se", "easy to guess"},
		{"own address", "anna.andersson1", "anna.andersson@region.se", "email address"},
		{"too long", strings.Repeat("ord ", 65), "anna@region.se", "at most 256"},
		{"four words", "korrekt häst batteri häfta", "anna@region.se", ""},
		{"a sentence", "tre gröna äpplen i korgen", "anna@region.se", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := passwordProblem(tt.password, tt.email)
			switch {
			case tt.why == "" && got != nil:
				t.Errorf("refused: %s", got["en"])
			case tt.why != "" && got == nil:
				t.Errorf("accepted, want %q", tt.why)
			case got != nil && (!strings.Contains(got["en"], tt.why) || got["sv"] == ""):
				t.Errorf("reason %q (sv %q), want %q", got["en"], got["sv"], tt.why)
			}
		})
	}
}
