package assessment_test

import (
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// A document's age is counted from today: pointed out after one year,
// flagged after two. The supplier's revision date (Q2.3, on the policy's
// requirement) stands instead of the file's own date only when older.
func TestAgedEvidence(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		fileDate  string // the date the document carries
		answered  string // Q2.3, the policy's last revision as answered
		submitted time.Time
		want      string // "" none, else the date that counts
		basis     string
		flagged   bool
	}{
		{"recent", "2026-03-01", "", time.Time{}, "", "", false},
		{"over a year", "2025-06-01", "", time.Time{}, "2025-06-01", "document", false},
		{"over two years", "2024-06-01", "", time.Time{}, "2024-06-01", "document", true},
		{"just under a year", "2025-11-24", "", time.Time{}, "", "", false},
		{"an older answer stands", "2026-03-01", "2023-05-01", time.Time{}, "2023-05-01", "answer", true},
		{"a newer answer does not make it younger", "2023-05-01", "2026-10-01", time.Time{}, "2023-05-01", "document", true},
		{"no date in the file: the answer", "", "2025-01-10", time.Time{}, "2025-01-10", "answer", false},
		{"no date at all", "", "", time.Time{}, "", "", false},
		{"counted from today, not from the submission", "2025-06-01", "", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), "2025-06-01", "document", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &assessment.Assessment{Level: questionnaire.Basic, SubmittedAt: tt.submitted, Answers: assessment.Answers{"Q2.1": {Choice: "yes"}},
				Evidence: []assessment.Evidence{{ID: "e1", Question: "Q2.2", Name: "Policy.pdf", DocumentDate: tt.fileDate}}}
			if tt.answered != "" {
				a.Answers["Q2.3"] = assessment.Answer{Date: tt.answered}
			}
			got := a.AgedEvidence(q, today)
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("aged: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Date != tt.want || got[0].Basis != tt.basis || got[0].Flagged != tt.flagged {
				t.Errorf("got %+v, want %s (%s), flagged %t", got, tt.want, tt.basis, tt.flagged)
			}
		})
	}
}
