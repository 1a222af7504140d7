package orgnr

import (
	"strings"
	"testing"
)

func TestNormalise(t *testing.T) {
	for _, c := range []struct {
		country, in, want string // want "" means refused
	}{
		{"SE", "556677-8899", "556677-8899"},
		{"SE", "5566778899", "556677-8899"},
		{"SE", " 556677 8899 ", "556677-8899"},
		{"SE", "16556677-8899", "556677-8899"},
		{"SE", "165566778899", "556677-8899"},
		{"SE", "SE556677889901", "556677-8899"},
		{"SE", "se 5566778899 01", "556677-8899"},
		{"SE", "19121212-1212", "121212-1212"}, // a sole trader's personal number
		{"SE", "121212+1212", "121212-1212"},
		{"SE", "556677-8890", ""}, // wrong check digit
		{"SE", "abc", ""},
		{"SE", "556677-889", ""},
		{"SE", "17556677-8899", ""}, // no such century
		{"SE", "", ""},
		{"DE", "DE 123 456 789", "DE123456789"},
		{"DE", "de123456789", "DE123456789"},
		{"DE", "DE12345", ""},
		{"DE", "HRB 12345 B", "HRB 12345 B"}, // a commercial register number, kept as given
		{"GR", "EL123456789", "EL123456789"},
		{"GR", "EL12345678", ""},
		{"NL", "NL123456789B01", "NL123456789B01"},
		{"NL", "NL123456789", ""},
		{"AT", "ATU12345678", "ATU12345678"},
		{"NO", "NO 123 456 789 MVA", "NO123456789MVA"},
		{"CN", "91310000  MA1FL1234X", "91310000 MA1FL1234X"},
		{"MY", "199901012345 (123456-A)", "199901012345 (123456-A)"},
		{"CN", "--", ""},
		{"CN", "123456789012345678901234567890123", ""},
		{"US", "12-3456789\x00", ""},
	} {
		got, p := Normalise(c.country, c.in)
		if c.want == "" {
			if p == nil {
				t.Errorf("%s %q: accepted as %q, want refused", c.country, c.in, got)
			} else if p.SV == "" || p.EN == "" {
				t.Errorf("%s %q: refusal without a message in both languages: %+v", c.country, c.in, p)
			}
			continue
		}
		if p != nil || got != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.country, c.in, got, p, c.want)
		}
	}
}

// Normalising a normalised number changes nothing, so stored numbers can be
// normalised again at any time.
func TestNormaliseTwice(t *testing.T) {
	for _, c := range [][2]string{{"SE", "5566778899"}, {"DE", "de 123456789"}, {"CN", "a  b"}, {"SE", "SE556677889901"}} {
		once, p := Normalise(c[0], c[1])
		if p != nil {
			t.Fatalf("%v: %v", c, p)
		}
		if twice, p := Normalise(c[0], once); p != nil || twice != once {
			t.Errorf("%v: %q then %q, %v", c, once, twice, p)
		}
	}
}

func TestSwedish(t *testing.T) {
	seen := map[string]bool{}
	for _, serial := range []int{0, 1, 42, 9_999_999, 123_456} {
		n := Swedish(serial)
		if got, p := Normalise("SE", n); p != nil || got != n || seen[n] {
			t.Errorf("Swedish(%d) = %q: %q, %v", serial, n, got, p)
		}
		seen[n] = true
	}
}

func TestForms(t *testing.T) {
	for in, want := range map[string]string{
		"5566778899":     "556677-8899|5566778899",
		"556677-8899":    "556677-8899|5566778899",
		"de 123 456 789": "de 123 456 789|DE123456789",
		"HRB 12345 B":    "HRB 12345 B|HRB12345B",
		"  ":             "",
		"NO998877665MVA": "NO998877665MVA",
	} {
		if got := strings.Join(Forms(in), "|"); got != want {
			t.Errorf("Forms(%q) = %q, want %q", in, got, want)
		}
	}
}
