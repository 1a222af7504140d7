package review_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
)

// A reporting date is missed when the action has fewer reports by it than
// dates up to it; the weeks begun count to the report, or to today.
func TestMissedReports(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(10 * time.Hour) }
	report := func(dates ...string) []assessment.ActionReport {
		var out []assessment.ActionReport
		for _, d := range dates {
			out = append(out, assessment.ActionReport{At: day(d), Text: "Rapport"})
		}
		return out
	}
	two := []assessment.Milestone{{Date: "2026-03-01", What: "Rutin antagen"}, {Date: "2026-04-01", What: "Utbildning klar"}}
	tests := []struct {
		name    string
		reports []assessment.ActionReport
		closed  string
		want    []string // "date weeks reported"
	}{
		{"both reported in time", report("2026-02-20", "2026-03-30"), "", nil},
		{"none reported: weeks begun to today", nil, "", []string{"2026-03-01 12 false", "2026-04-01 7 false"}},
		{"one early report covers the first date only", report("2026-02-01"), "", []string{"2026-04-01 7 false"}},
		{"first reported eight days late, second in time", report("2026-03-09", "2026-03-20"), "", []string{"2026-03-01 2 true"}},
		{"first reported late, second not at all", report("2026-03-09"), "", []string{"2026-03-01 2 true", "2026-04-01 7 false"}},
		{"closed before the second date", report("2026-02-20"), "2026-03-15", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act := &assessment.Action{Milestones: two, Reports: tt.reports}
			if tt.closed != "" {
				act.ClosedAt = day(tt.closed)
			}
			a := &assessment.Assessment{Deviations: []assessment.Deviation{{ID: "d1", Status: assessment.DevConfirmed, Action: act}}}
			var got []string
			for _, m := range a.MissedReports("2026-05-20") {
				got = append(got, m.Milestone.Date+" "+strconv.Itoa(m.WeeksLate)+" "+strconv.FormatBool(m.Reported))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("missed %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("missed %v, want %v", got, tt.want)
				}
			}
		})
	}
}
