// Package trailtext words a follow-up's trail for its readers, on the
// page and in the audit report: the domain records what changed; this
// says it in Swedish or English.
package trailtext

import (
	"strings"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
)

// Words is the change as a reader reads it in lang: the field's name, and
// a status, a date or a new link in words; other values as recorded.
func Words(c assessment.Change, lang string) (field, before, after string) {
	value := func(v string) string {
		switch {
		case v == "":
			return ""
		case c.Field == "status":
			return assessment.Status(v).Label(lang)
		case c.Field == "dueDate" || c.Field == "planDueDate":
			return i18n.Day(lang, v)
		case c.Field == "link" && v == "new":
			return i18n.T(lang, "val.new")
		}
		return v
	}
	// A field may name what it is about: "deviation 1a2b", "verdict DD-POLICY".
	name, about, _ := strings.Cut(c.Field, " ")
	field = i18n.T(lang, "fld."+name)
	if about != "" {
		field += " " + about
	}
	return field, value(c.Before), value(c.After)
}
