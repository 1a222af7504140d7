package followup_test

import (
	"slices"
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

func val(v any) assessment.Input { return assessment.Input{Value: v, HasValue: true} }

func based(v any, base int64) assessment.Input {
	in := val(v)
	in.Base = &base
	return in
}

// TestSaveMerges: two writers who read the same version. The second's
// answers to other questions are merged in; a change to a question the first
// changed since is refused for that question alone, unless both wrote the same.
func TestSaveMerges(t *testing.T) {
	tests := []struct {
		name      string
		second    map[string]assessment.Input
		conflicts []string
		want      map[string]string // Q1.7 text and Q1.2 text afterwards
	}{
		{"other question merges", map[string]assessment.Input{"Q1.2": val("Åsa Öberg")}, nil,
			map[string]string{"Q1.7": "Malaysia", "Q1.2": "Åsa Öberg"}},
		{"same question, same value", map[string]assessment.Input{"Q1.7": val("Malaysia")}, nil,
			map[string]string{"Q1.7": "Malaysia", "Q1.2": ""}},
		{"same question, other value", map[string]assessment.Input{"Q1.7": val("Thailand"), "Q1.2": val("Åsa Öberg")}, []string{"Q1.7"},
			map[string]string{"Q1.7": "Malaysia", "Q1.2": "Åsa Öberg"}},
		{"based on the newer revision", map[string]assessment.Input{"Q1.7": based("Thailand", 2)}, nil,
			map[string]string{"Q1.7": "Thailand", "Q1.2": ""}},
		{"based on an older revision", map[string]assessment.Input{"Q1.7": based("Thailand", 1)}, []string{"Q1.7"},
			map[string]string{"Q1.7": "Malaysia", "Q1.2": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			_, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SaveAnswers(ctx, token, 1, map[string]assessment.Input{"Q1.7": val("Malaysia")}); err != nil {
				t.Fatal(err)
			}
			// The page's save: merges what it can and reports the rest.
			res, err := s.SaveValidAnswers(ctx, token, 1, tt.second)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Conflicts, tt.conflicts) {
				t.Errorf("conflicts %v, want %v", res.Conflicts, tt.conflicts)
			}
			for q, want := range tt.want {
				if got := res.A.Answers[q].Text; got != want {
					t.Errorf("%s = %q, want %q", q, got, want)
				}
			}
			// The API's save is all or nothing: a conflict refuses it whole.
			a, _ := s.ForSupplier(ctx, token)
			_, err = s.SaveAnswers(ctx, token, 1, tt.second)
			if len(tt.conflicts) > 0 {
				after, _ := s.ForSupplier(ctx, token)
				if codeOf(err) != apperr.Conflict || after.Version != a.Version {
					t.Errorf("API save with a conflict: %v, version %d → %d", err, a.Version, after.Version)
				}
			} else if err != nil {
				t.Errorf("API save: %v", err)
			}
		})
	}
}

// TestSaveKeepsValidAnswers: the page's save keeps the good answers of a
// form with one bad number; the API's refuses the whole body.
func TestSaveKeepsValidAnswers(t *testing.T) {
	s := newService(t)
	_, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]assessment.Input{"Q1.7": val("Malaysia"), "Q1.3": val("about forty")}
	if _, err := s.SaveAnswers(ctx, token, 1, in); codeOf(err) != apperr.Invalid {
		t.Fatalf("API save with a bad number: %v", err)
	}
	res, err := s.SaveValidAnswers(ctx, token, 1, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invalid) != 1 || res.Invalid[0].Field != "Q1.3" || res.A.Answers["Q1.7"].Text != "Malaysia" || res.A.Status != assessment.InProgress {
		t.Errorf("invalid %v, answers %+v, status %s", res.Invalid, res.A.Answers, res.A.Status)
	}
	// Clearing an answer keeps its revision, so a writer who read the old
	// value meets a conflict instead of bringing it back.
	if _, err := s.SaveAnswers(ctx, token, 2, map[string]assessment.Input{"Q1.7": val(nil)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswers(ctx, token, 2, map[string]assessment.Input{"Q1.7": val("Malaysia, Thailand")}); codeOf(err) != apperr.Conflict {
		t.Errorf("overwrote a cleared answer unseen: %v", err)
	}
}
