package followup_test

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
			wantAged(t, a.AgedEvidence(q, today), tt.want, tt.basis, tt.flagged)
		})
	}
}

// A certificate is judged by the expiry date the supplier gives (Q6.11 on
// the environmental certificate's requirement), never as a revision date.
func TestExpiredCertificate(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, fileDate, validUntil string
		want, basis                string
		flagged                    bool
	}{
		{"valid", "2026-01-10", "2027-06-30", "", "", false},
		{"expired yesterday", "2026-01-10", "2026-11-22", "2026-11-22", "expired", true},
		{"valid to the end of today", "2026-01-10", "2026-11-23", "", "", false},
		{"valid, but the document itself is old", "2025-02-01", "2028-01-01", "2025-02-01", "document", false},
		{"no expiry given", "2026-01-10", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &assessment.Assessment{Level: questionnaire.Basic, Answers: assessment.Answers{"Q6.2": {Choice: "certified"}},
				Evidence: []assessment.Evidence{{ID: "e1", Question: "Q6.3", Name: "ISO 14001.pdf", DocumentDate: tt.fileDate}}}
			if tt.validUntil != "" {
				a.Answers["Q6.11"] = assessment.Answer{Date: tt.validUntil}
			}
			wantAged(t, a.AgedEvidence(q, today), tt.want, tt.basis, tt.flagged)
		})
	}
}

// wantAged checks that got is the one aged document dated want, or none when want is "".
func wantAged(t *testing.T, got []assessment.AgedEvidence, want, basis string, flagged bool) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("aged: %+v", got)
		}
		return
	}
	if len(got) != 1 || got[0].Date != want || got[0].Basis != basis || got[0].Flagged != flagged {
		t.Errorf("got %+v, want %s (%s), flagged %t", got, want, basis, flagged)
	}
}
