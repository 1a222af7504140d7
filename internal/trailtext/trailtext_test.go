package trailtext_test

import (
	"testing"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/trailtext"
)

func TestWords(t *testing.T) {
	tests := []struct {
		change               assessment.Change
		lang                 string
		field, before, after string
	}{
		{assessment.Change{Field: "status", Before: "submitted", After: "in_review"}, "sv", "Status", "inskickad", "under granskning"},
		{assessment.Change{Field: "dueDate", Before: "2026-03-01", After: "2026-04-01"}, "en", "Due date", "1 Mar 2026", "1 Apr 2026"},
		{assessment.Change{Field: "planDueDate", After: "2026-04-01"}, "sv", "Planen senast", "", "1 apr. 2026"},
		{assessment.Change{Field: "deviation d1", Before: "open", After: "confirmed"}, "sv", "Avvikelse d1", "open", "confirmed"},
	}
	for _, tt := range tests {
		f, b, a := trailtext.Words(tt.change, tt.lang)
		if f != tt.field || b != tt.before || a != tt.after {
			t.Errorf("%+v in %s: %q %q %q, want %q %q %q", tt.change, tt.lang, f, b, a, tt.field, tt.before, tt.after)
		}
	}
}
