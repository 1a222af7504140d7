package org

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/questionnaire"
)

// codeRe is a country code written in capitals as a word of its own ("MY").
var codeRe = regexp.MustCompile(`\b[A-Z]{2}\b`)

// CountriesIn returns the countries a free text names, as ISO codes in the
// order they first appear: by their Swedish or English names, in any case,
// or by their codes in capitals ("Malaysia och Kina", "MY, CN"). A longer
// name wins over one it contains ("Papua New Guinea" is not Guinea). It is
// how the production countries are read from an answer written as text.
func (d *Directory) CountriesIn(text string) []string {
	lower := strings.ToLower(text)
	type hit struct {
		at   int
		code string
	}
	var hits []hit
	taken := make([]bool, len(lower))
	for _, name := range d.countryNamesLongestFirst() {
		for from := 0; ; {
			i := strings.Index(lower[from:], name.text)
			if i < 0 {
				break
			}
			at, end := from+i, from+i+len(name.text)
			from = end
			if !wordEdge(lower, at, end) || slices.Contains(taken[at:end], true) {
				continue
			}
			for k := at; k < end; k++ {
				taken[k] = true
			}
			hits = append(hits, hit{at, name.code})
		}
	}
	for _, m := range codeRe.FindAllStringIndex(text, -1) {
		if code := text[m[0]:m[1]]; d.KnownCountry(code) && !slices.Contains(taken[m[0]:m[1]], true) {
			hits = append(hits, hit{m[0], code})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.at - b.at })
	var out []string
	for _, h := range hits {
		if !slices.Contains(out, h.code) {
			out = append(out, h.code)
		}
	}
	return out
}

type countryName struct{ text, code string }

// countryNamesLongestFirst are every country's names, lower-cased, longest
// first; made once.
func (d *Directory) countryNamesLongestFirst() []countryName {
	d.namesOnce.Do(func() {
		for code, n := range d.CountryNames {
			for _, s := range []string{n["sv"], n["en"]} {
				if s = strings.ToLower(strings.TrimSpace(s)); utf8.RuneCountInString(s) >= 3 {
					d.names = append(d.names, countryName{s, code})
				}
			}
		}
		slices.SortFunc(d.names, func(a, b countryName) int {
			if len(a.text) != len(b.text) {
				return len(b.text) - len(a.text)
			}
			return strings.Compare(a.text, b.text)
		})
	})
	return d.names
}

// wordEdge tells whether s[at:end] stands as words of its own.
func wordEdge(s string, at, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:at])
	after, _ := utf8.DecodeRuneInString(s[end:])
	letter := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return (at == 0 || !letter(before)) && (end == len(s) || !letter(after))
}

// CountryOptions are the countries as the options of a question that lists
// them (options_from: countries): by code, labelled with their names, in
// Swedish alphabetical order.
func (d *Directory) CountryOptions() []questionnaire.Option {
	out := make([]questionnaire.Option, 0, len(d.CountryNames))
	for code, n := range d.CountryNames {
		out = append(out, questionnaire.Option{ID: code, Label: questionnaire.Text{"sv": n["sv"], "en": n["en"]}})
	}
	slices.SortFunc(out, func(a, b questionnaire.Option) int { return strings.Compare(a.Label["sv"], b.Label["sv"]) })
	return out
}
