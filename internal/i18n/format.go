package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Stockholm time on machines and images without a zone database
)

// Stockholm is the time every page, mail and report shows: the regions' own.
var Stockholm = mustZone("Europe/Stockholm")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

var monthsSV = [...]string{"jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."}

// Time is a moment as a reader writes it, in Swedish time with the zone:
// "23 nov. 2026 05:28 CET" or "23 Nov 2026, 05:28 CET"; "" for the zero time.
func Time(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Stockholm)
	if lang == EN {
		return t.Format("2 Jan 2006, 15:04 MST")
	}
	return fmt.Sprintf("%d %s %d %s", t.Day(), monthsSV[t.Month()-1], t.Year(), t.Format("15:04 MST"))
}

// Day is a calendar date (YYYY-MM-DD, as stored) as a reader writes it:
// "28 feb. 2027" or "28 Feb 2027"; anything unreadable comes back as it is.
func Day(lang, date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	if lang == EN {
		return d.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d %s %d", d.Day(), monthsSV[d.Month()-1], d.Year())
}

// DayOf is the calendar day of moment t in Swedish time, as a reader
// writes it: "23 nov. 2026" or "23 Nov 2026"; "" for the zero time.
func DayOf(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Day(lang, t.In(Stockholm).Format(time.DateOnly))
}

// Percent is a share in per cent with one decimal, a decimal comma in
// Swedish: "91,1 %"; "–" for nil, where nothing applied.
func Percent(lang string, v *float64) string {
	if v == nil {
		return "–"
	}
	return Decimal(lang, *v, 1) + " %"
}

// Decimal is a number with the given decimals and the reader's decimal mark.
func Decimal(lang string, v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if lang != EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Size is a file size as people read it: "840 B", "12,5 kB", "3,1 MB".
func Size(lang string, n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1000*1000:
		return Decimal(lang, float64(n)/1000, 1) + " kB"
	}
	return Decimal(lang, float64(n)/1e6, 1) + " MB"
}

// Plural is the message key's singular (key+".one") or plural (key+".many")
// text for n, with n filled in: "1 ny", "2 nya".
func Plural(lang, key string, n int) string {
	if n == 1 {
		return fmt.Sprintf(T(lang, key+".one"), n)
	}
	return fmt.Sprintf(T(lang, key+".many"), n)
}
