// Package i18n picks the user's language (Swedish or English) and holds the
// interface texts of the service in both.
package i18n

import (
	"strconv"
	"strings"
)

// The languages the service speaks; Default when nothing else is asked for.
const (
	SV      = "sv"
	EN      = "en"
	Default = SV
)

// Supported tells whether lang is one of the service's languages.
func Supported(lang string) bool { return lang == SV || lang == EN }

// Negotiate picks sv or en from an Accept-Language header, by quality
// weight; it returns Default when neither is acceptable.
func Negotiate(header string) string {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		switch primary {
		case "sv", "en":
		case "nb", "nn", "no", "da": // Scandinavian readers read Swedish more easily than English
			primary, q = SV, q*0.9
		default:
			continue
		}
		if q > bestQ && q > 0 {
			best, bestQ = primary, q
		}
	}
	return best
}

// Has tells whether the catalogue has key in lang itself.
func Has(lang, key string) bool {
	_, ok := messages[key][lang]
	return ok
}

// T returns the text for key in lang; an unknown key comes back as itself, so
// a missing text shows up on the page instead of vanishing.
func T(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m[Default]
}
