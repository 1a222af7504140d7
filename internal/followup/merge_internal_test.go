package followup

import (
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

func TestMergeSAQ(t *testing.T) {
	q := &questionnaire.Questionnaire{Requirements: []questionnaire.Requirement{{ID: "R1", Area: "a"}, {ID: "R2", Area: "b"}}}
	at := time.Now()
	existing := []assessment.Deviation{
		{ID: "keep", Requirement: "R1", Source: assessment.FromSAQ, Question: "Q1", Status: assessment.DevConfirmed},
		{ID: "gone", Requirement: "R2", Source: assessment.FromSAQ, Question: "Q2", Status: assessment.DevOpen},
		{ID: "judged", Requirement: "R2", Source: assessment.FromSAQ, Question: "Q3", Status: assessment.DevDismissed},
		{ID: "audit", Requirement: "R2", Source: assessment.DeskAudit, Status: assessment.DevConfirmed},
	}
	raised := []scoring.Deviation{{Requirement: "R1", Question: "Q1", Severity: "major"}, {Requirement: "R2", Question: "Q4", Severity: "minor"}}
	got := mergeSAQ(existing, raised, q, at)
	ids := map[string]bool{}
	for _, d := range got {
		ids[d.ID] = true
		if d.Question == "Q4" && (d.Status != assessment.DevOpen || d.Area != "b") {
			t.Errorf("new one %+v", d)
		}
	}
	if len(got) != 4 || !ids["keep"] || ids["gone"] || !ids["judged"] || !ids["audit"] {
		t.Errorf("merged %+v", got)
	}
}
