// Package orgnr checks and normalises the number a supplier is known by:
// a Swedish organisation number, or a foreign registration or VAT number.
// Reuse across regions, duplicate checks and the supplier register match on
// the normalised number, so 5566778899 and 556677-8899 are one company.
package orgnr

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Problem says, in Swedish and English, why a number was refused.
type Problem struct{ SV, EN string }

// Normalise returns the number a supplier in country (ISO 3166-1 alpha-2)
// is known by, in its one stored form:
//   - Swedish suppliers: NNNNNN-NNNN, from ten digits, the twelve-digit form
//     with a century (16, 19 or 20) or the VAT number SE…01, with the Luhn
//     check digit checked;
//   - foreign suppliers whose number starts with their country's VAT prefix:
//     the VAT number in capitals without spaces or punctuation, its format
//     checked;
//   - any other foreign number: as given, with runs of spaces made one.
func Normalise(country, number string) (string, *Problem) {
	number = strings.Join(strings.Fields(number), " ")
	if number == "" {
		return "", &Problem{"Ange organisationsnumret.", "Give the organisation number."}
	}
	if country == "SE" {
		return swedish(number)
	}
	if v := compact(number); vatPrefix[country] != "" && strings.HasPrefix(v, vatPrefix[country]) {
		return vat(country, v)
	}
	if len([]rune(number)) > 32 || !printable(number) || !hasAlnum(number) {
		return "", &Problem{"Ange leverantörens registrerings- eller momsnummer, högst 32 tecken.",
			"Give the supplier's registration or VAT number, at most 32 characters."}
	}
	return number, nil
}

// Forms are the stored forms a number written in any accepted way may have,
// most likely first, for looking a supplier up without knowing its country:
// the Swedish organisation number it writes, the number as given, and the
// number as a VAT number. An empty number has none.
func Forms(number string) []string {
	number = strings.Join(strings.Fields(number), " ")
	if number == "" {
		return nil
	}
	var out []string
	if n, p := swedish(number); p == nil {
		out = append(out, n)
	}
	for _, f := range []string{number, compact(number)} {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// compact drops the spaces, dots and dashes people write numbers with.
func compact(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' || r == '+' {
			return -1
		}
		return r
	}, s))
}

var swedishForms = regexp.MustCompile(`^(?:(16|19|20)?(\d{6})[-+]?(\d{4})|SE(\d{10})01)$`)

func swedish(number string) (string, *Problem) {
	m := swedishForms.FindStringSubmatch(strings.ToUpper(strings.ReplaceAll(number, " ", "")))
	if m == nil {
		return "", &Problem{"Organisationsnumret har tio siffror, t.ex. 556677-8899.",
			"A Swedish organisation number has ten digits, e.g. 556677-8899."}
	}
	digits := m[2] + m[3]
	if m[4] != "" {
		digits = m[4]
	}
	if !luhn(digits) {
		return "", &Problem{"Organisationsnumret stämmer inte: kontrollsiffran (den sista) är fel. Kontrollera numret.",
			"The organisation number does not add up: its check digit (the last one) is wrong. Check the number."}
	}
	return digits[:6] + "-" + digits[6:], nil
}

// luhn checks the last digit of a Swedish organisation or personal number.
func luhn(digits string) bool {
	sum := 0
	for i, r := range digits {
		d := int(r - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// vatPrefix is the VAT prefix of each country whose VAT numbers are checked
// (the EU's, as VIES checks them, and Norway's and the United Kingdom's).
var vatPrefix = map[string]string{
	"AT": "AT", "BE": "BE", "BG": "BG", "CY": "CY", "CZ": "CZ", "DE": "DE", "DK": "DK", "EE": "EE",
	"GR": "EL", "ES": "ES", "FI": "FI", "FR": "FR", "HR": "HR", "HU": "HU", "IE": "IE", "IT": "IT",
	"LT": "LT", "LU": "LU", "LV": "LV", "MT": "MT", "NL": "NL", "PL": "PL", "PT": "PT", "RO": "RO",
	"SI": "SI", "SK": "SK", "GB": "GB", "NO": "NO",
}

// vatFormat is each VAT number's form after the prefix, and an example.
var vatFormat = map[string]struct {
	re      *regexp.Regexp
	example string
}{
	"AT": {regexp.MustCompile(`^U\d{8}$`), "ATU12345678"},
	"BE": {regexp.MustCompile(`^[01]\d{9}$`), "BE0123456789"},
	"BG": {regexp.MustCompile(`^\d{9,10}$`), "BG123456789"},
	"CY": {regexp.MustCompile(`^\d{8}[A-Z]$`), "CY12345678X"},
	"CZ": {regexp.MustCompile(`^\d{8,10}$`), "CZ12345678"},
	"DE": {regexp.MustCompile(`^\d{9}$`), "DE123456789"},
	"DK": {regexp.MustCompile(`^\d{8}$`), "DK12345678"},
	"EE": {regexp.MustCompile(`^\d{9}$`), "EE123456789"},
	"EL": {regexp.MustCompile(`^\d{9}$`), "EL123456789"},
	"ES": {regexp.MustCompile(`^[A-Z0-9]\d{7}[A-Z0-9]$`), "ESX1234567X"},
	"FI": {regexp.MustCompile(`^\d{8}$`), "FI12345678"},
	"FR": {regexp.MustCompile(`^[A-HJ-NP-Z0-9]{2}\d{9}$`), "FR12345678901"},
	"HR": {regexp.MustCompile(`^\d{11}$`), "HR12345678901"},
	"HU": {regexp.MustCompile(`^\d{8}$`), "HU12345678"},
	"IE": {regexp.MustCompile(`^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$`), "IE1234567WA"},
	"IT": {regexp.MustCompile(`^\d{11}$`), "IT12345678901"},
	"LT": {regexp.MustCompile(`^(\d{9}|\d{12})$`), "LT123456789"},
	"LU": {regexp.MustCompile(`^\d{8}$`), "LU12345678"},
	"LV": {regexp.MustCompile(`^\d{11}$`), "LV12345678901"},
	"MT": {regexp.MustCompile(`^\d{8}$`), "MT12345678"},
	"NL": {regexp.MustCompile(`^\d{9}B\d{2}$`), "NL123456789B01"},
	"PL": {regexp.MustCompile(`^\d{10}$`), "PL1234567890"},
	"PT": {regexp.MustCompile(`^\d{9}$`), "PT123456789"},
	"RO": {regexp.MustCompile(`^\d{2,10}$`), "RO1234567890"},
	"SI": {regexp.MustCompile(`^\d{8}$`), "SI12345678"},
	"SK": {regexp.MustCompile(`^\d{10}$`), "SK1234567890"},
	"GB": {regexp.MustCompile(`^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`), "GB123456789"},
	"NO": {regexp.MustCompile(`^\d{9}(MVA)?$`), "NO123456789MVA"},
}

func vat(country, v string) (string, *Problem) {
	prefix := vatPrefix[country]
	f := vatFormat[prefix]
	if !f.re.MatchString(v[len(prefix):]) {
		return "", &Problem{
			fmt.Sprintf("Momsregistreringsnumret har inte formen för %s, t.ex. %s. Ange det rätt eller ange ett annat registreringsnummer.", country, f.example),
			fmt.Sprintf("The VAT number does not have the form used in %s, e.g. %s. Correct it or give another registration number.", country, f.example)}
	}
	return v, nil
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Swedish makes the valid organisation number of a limited company (one
// starting 55) from a serial below ten million: for demonstration data,
// load tests and benchmarks.
func Swedish(serial int) string {
	nine := fmt.Sprintf("55%07d", serial%10_000_000)
	for d := '0'; d <= '9'; d++ {
		if luhn(nine + string(d)) {
			return nine[:6] + "-" + nine[6:] + string(d)
		}
	}
	panic("unreachable: one check digit always fits")
}
