package i18n

import (
	"testing"
	"time"
)

// inBoth checks what got writes in Swedish and in English.
func inBoth(t *testing.T, got func(lang string) string, sv, en string) {
	t.Helper()
	if g := got(SV); g != sv {
		t.Errorf("sv: %q, want %q", g, sv)
	}
	if g := got(EN); g != en {
		t.Errorf("en: %q, want %q", g, en)
	}
}

func TestTime(t *testing.T) {
	tests := []struct {
		name   string
		at     time.Time
		sv, en string
	}{
		{"winter, CET", time.Date(2026, 11, 23, 4, 28, 51, 0, time.UTC), "23 nov. 2026 05:28 CET", "23 Nov 2026, 05:28 CET"},
		{"summer, CEST", time.Date(2026, 6, 30, 22, 5, 0, 0, time.UTC), "1 juli 2026 00:05 CEST", "1 Jul 2026, 00:05 CEST"},
		{"the last day of the year in Sweden", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "1 jan. 2027 00:30 CET", "1 Jan 2027, 00:30 CET"},
		{"May has no abbreviation", time.Date(2027, 5, 3, 8, 0, 0, 0, time.UTC), "3 maj 2027 10:00 CEST", "3 May 2027, 10:00 CEST"},
		{"already in another zone", time.Date(2026, 3, 29, 3, 0, 0, 0, time.FixedZone("EST", -5*3600)), "29 mars 2026 10:00 CEST", "29 Mar 2026, 10:00 CEST"},
		{"zero", time.Time{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inBoth(t, func(l string) string { return Time(l, tt.at) }, tt.sv, tt.en)
		})
	}
}

func TestDay(t *testing.T) {
	tests := []struct{ in, sv, en string }{
		{"2027-02-28", "28 feb. 2027", "28 Feb 2027"},
		{"2026-09-01", "1 sep. 2026", "1 Sep 2026"},
		{"2026-06-15", "15 juni 2026", "15 Jun 2026"},
		{"not a date", "not a date", "not a date"},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			inBoth(t, func(l string) string { return Day(l, tt.in) }, tt.sv, tt.en)
		})
	}
	// DayOf is the Swedish calendar day: 23:30 UTC on 31 December is New Year's Day.
	if got := DayOf(SV, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got != "1 jan. 2027" {
		t.Errorf("DayOf: %q", got)
	}
	if got := DayOf(EN, time.Time{}); got != "" {
		t.Errorf("DayOf zero: %q", got)
	}
}

func TestNumbers(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		got    func(lang string) string
		sv, en string
	}{
		{"percent", func(l string) string { return Percent(l, f(91.06)) }, "91,1 %", "91.1 %"},
		{"percent of nothing", func(l string) string { return Percent(l, nil) }, "–", "–"},
		{"percent, whole", func(l string) string { return Percent(l, f(100)) }, "100,0 %", "100.0 %"},
		{"decimal", func(l string) string { return Decimal(l, 3.25, 2) }, "3,25", "3.25"},
		{"negative", func(l string) string { return Decimal(l, -0.5, 1) }, "-0,5", "-0.5"},
		{"bytes", func(l string) string { return Size(l, 840) }, "840 B", "840 B"},
		{"kilobytes", func(l string) string { return Size(l, 12_500) }, "12,5 kB", "12.5 kB"},
		{"megabytes", func(l string) string { return Size(l, 3_140_000) }, "3,1 MB", "3.1 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inBoth(t, tt.got, tt.sv, tt.en)
		})
	}
}
