package assessment

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

func TestParseAnswer(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	long := strings.Repeat("å", MaxTextLength+1)
	tests := []struct {
		name    string
		qid     string
		value   any
		want    Answer
		problem string
	}{
		{"yes", "Q2.1", "yes", Answer{Choice: "yes"}, ""},
		{"option not offered", "Q2.1", "maybe", Answer{}, `"maybe" is not one of the options`},
		{"operator injection", "Q2.1", map[string]any{"$gt": ""}, Answer{}, "must be one of the options"},
		{"number for choice", "Q2.1", 1.0, Answer{}, "must be one of the options"},
		{"multi sorted", "Q1.5", []any{"migrant", "agency", "migrant"}, Answer{Choices: []string{"agency", "migrant"}}, ""},
		{"multi with bad option", "Q1.5", []any{"agency", "pirates"}, Answer{}, `"pirates"`},
		{"multi not a list", "Q1.5", "agency", Answer{}, "list of options"},
		{"number", "Q1.3", json.Number("250"), Answer{Number: ptr(250)}, ""},
		{"number with comma", "Q1.3", "12,5", Answer{Number: ptr(12.5)}, ""},
		{"number text", "Q1.3", "many", Answer{}, "must be a number"},
		{"number too large", "Q1.3", 1e300, Answer{}, "too large"},
		{"negative number", "Q1.3", json.Number("-5"), Answer{}, "must not be less than 0"},
		{"negative number from a form", "Q1.3", "-1", Answer{}, "must not be less than 0"},
		{"text trimmed", "Q1.7", "  Sverige, Polen ", Answer{Text: "Sverige, Polen"}, ""},
		{"text too long", "Q1.7", long, Answer{}, "at most 10000 characters"},
		{"text as number", "Q1.7", 5.0, Answer{}, "must be text"},
		{"date", "Q2.3", "2025-06-30", Answer{Date: "2025-06-30"}, ""},
		{"bad date", "Q2.3", "30/06/2025", Answer{}, "YYYY-MM-DD"},
		{"file as value", "Q2.2", "policy.pdf", Answer{}, "upload"},
		{"null clears", "Q2.1", nil, Answer{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qu, ok := q.Question(tt.qid)
			if !ok {
				t.Fatalf("no question %s", tt.qid)
			}
			got, bad := ReadInput(qu, Answer{Choice: "no"}, Input{Value: tt.value, HasValue: true})
			if tt.problem != "" {
				if bad == nil || !strings.Contains(bad.Message["en"], tt.problem) || bad.Message["sv"] == "" || bad.Field != tt.qid {
					t.Fatalf("problem %+v, want one with %q", bad, tt.problem)
				}
				if got.Choice != "no" {
					t.Errorf("a refused answer changed the previous one: %+v", got)
				}
				return
			}
			if bad != nil {
				t.Fatalf("refused: %v", bad.Message["en"])
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(tt.want)
			if string(gj) != string(wj) {
				t.Errorf("got %s, want %s", gj, wj)
			}
		})
	}
}

func TestCommentKeepsValue(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	qu, _ := q.Question("Q2.1")
	c := "Antagen av styrelsen 2024."
	got, bad := ReadInput(qu, Answer{Choice: "yes"}, Input{Comment: &c, HasComment: true})
	if bad != nil || got.Choice != "yes" || got.Comment != c {
		t.Errorf("got %+v %v", got, bad)
	}
	tooLong := strings.Repeat("x", MaxCommentLength+1)
	if _, bad := ReadInput(qu, Answer{}, Input{Comment: &tooLong, HasComment: true}); bad == nil {
		t.Error("over-long comment accepted")
	}
}

func ptr(f float64) *float64 { return &f }

func TestVisibilityAndMissing(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	basic := questionnaire.Basic
	none := Answers{}
	shown := Visible(q, basic, none)
	for _, id := range []string{"Q2.2", "Q2.6", "Q4.8", "Q3.5"} {
		if shown[id] {
			t.Errorf("%s shown before the answer it depends on", id)
		}
	}
	if shown["Q4.7"] || shown["Q8.1"] {
		t.Error("advanced questions shown at the basic level")
	}
	if adv := Visible(q, questionnaire.Advanced, none); !adv["Q4.7"] || !adv["Q8.1"] {
		t.Error("advanced questions hidden at the advanced level")
	}

	a := Answers{"Q1.4": {Choice: "both"}, "Q1.5": {Choices: []string{"migrant"}}, "Q2.1": {Choice: "yes"}}
	shown = Visible(q, basic, a)
	for _, id := range []string{"Q2.2", "Q2.6", "Q4.5", "Q4.6", "Q3.5", "Q6.9"} {
		if !shown[id] {
			t.Errorf("%s hidden after the answer that shows it", id)
		}
	}
	// A hidden question's stale answer does not count, and it is not required.
	a["Q1.4"] = Answer{Choice: "own"}
	a["Q2.6"] = Answer{Choice: "no"}
	if Visible(q, basic, a)["Q2.6"] {
		t.Error("Q2.6 still shown after 'own factories'")
	}
	missing := Missing(q, basic, a)
	if slices.Contains(missing, "Q2.6") || slices.Contains(missing, "Q1.5") || !slices.Contains(missing, "Q2.2") {
		t.Errorf("missing = %v", missing)
	}
	p := ProgressOf(q, basic, a)
	if p.Answered != 3 || p.Total != len(Visible(q, basic, a)) {
		t.Errorf("progress %+v", p)
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{Issued, InProgress, true},
		{InProgress, Submitted, true},
		{Submitted, Submitted, false},
		{Submitted, InReview, true},
		{InReview, Returned, true},
		{Returned, InProgress, true},
		{Closed, InProgress, false},
		{Withdrawn, Issued, false},
		{CorrectiveActions, Closed, true},
		{Issued, Closed, false},
	}
	for _, tt := range tests {
		err := tt.from.MoveTo(tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s → %s: %v, want allowed=%v", tt.from, tt.to, err, tt.ok)
		}
	}
	for _, s := range Statuses {
		if _, ok := transitions[s]; !ok || s.Label("sv") == "" || s.Label("en") == "" {
			t.Errorf("status %s lacks a table row or a label", s)
		}
	}
}
