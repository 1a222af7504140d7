package scoring

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

func TestScoreExamples(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	forced := questionnaire.Answers{"Q1.4": {Choice: "own"}, "Q2.1": {Choice: "yes"}, "Q2.2": {Files: []string{"f1"}}, "Q5.2": {Choice: "yes"}, "Q5.1": {Choice: "yes"}}
	tests := []struct {
		name     string
		answers  questionnaire.Answers
		total    string // formatted, or "n/a"
		req      map[string]Status
		devs     int
		explains string
	}{
		{"nothing answered", questionnaire.Answers{}, "n/a", map[string]Status{"DD-POLICY": NotApplicable}, 0, ""},
		{"policy yes, no file", questionnaire.Answers{"Q2.1": {Choice: "yes"}}, "66.7", map[string]Status{"DD-POLICY": PartlyMet}, 0,
			"Q2.1 answered 'Yes' → 4 of 4 points"},
		{"policy no raises a major deviation", questionnaire.Answers{"Q2.1": {Choice: "no"}}, "0", map[string]Status{"DD-POLICY": NotMet}, 1,
			"Q2.1 answered 'No' → 0 of 4 points; raises a major deviation on DD-POLICY"},
		{"forced labour critical", forced, "49", map[string]Status{"LR-FORCED": NotMet}, 1,
			"raises a critical deviation on LR-FORCED"},
		{"a requirement with a deviation earns nothing", forced, "49", map[string]Status{"LR-FORCED": NotMet}, 1,
			"Q5.1 answered 'Yes' (no points: a deviation stands on LR-FORCED) → 0 of 3 points"},
		{"a critical deviation caps the total", forced, "49", map[string]Status{"LR-FORCED": NotMet}, 1,
			"Total capped at 49 (from 50.0): a critical deviation stands, raised by Q5.2."},
		{"the factories are not asked of a distributor", questionnaire.Answers{"Q1.4": {Choice: "bought"}, "Q5.2": {Choice: "yes"}}, "n/a", map[string]Status{"LR-FORCED": NotApplicable}, 0, ""},
		{"multi sums its options", questionnaire.Answers{"Q2.1": {Choice: "yes"}, "Q2.2": {Files: []string{"f1"}}, "Q2.4": {Choices: []string{"environment", "human-rights"}}}, "80",
			map[string]Status{"DD-POLICY": PartlyMet, "HR-RESPECT": NotApplicable}, 0, "Q2.4 answered 'Human rights', 'Environment' → 2 of 4 points"},
		{"all of it", questionnaire.Answers{"Q2.1": {Choice: "yes"}, "Q2.2": {Files: []string{"f1"}}, "Q2.4": {Choices: []string{"environment", "human-rights", "labour-rights", "anti-corruption"}}}, "100",
			map[string]Status{"DD-POLICY": Met}, 0, "Q2.2: 1 file(s) attached → 2 of 2 points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Score(q, questionnaire.Basic, tt.answers)
			if got := fmtPct(r.Total); got != tt.total {
				t.Errorf("total %s, want %s", got, tt.total)
			}
			for id, want := range tt.req {
				if got := r.Requirements[id].Status; got != want {
					t.Errorf("%s %s, want %s", id, got, want)
				}
			}
			if len(r.Deviations) != tt.devs {
				t.Errorf("deviations %+v", r.Deviations)
			}
			if tt.explains != "" && !strings.Contains(strings.Join(r.Explanation, "\n"), tt.explains) {
				t.Errorf("explanation %q lacks %q", r.Explanation, tt.explains)
			}
		})
	}
}

func TestAreaNotApplicableIsNull(t *testing.T) {
	r := Score(questionnairetest.CodeOfConduct(t), questionnaire.Basic, questionnaire.Answers{"Q1.4": {Choice: "own"}, "Q6.1": {Choice: "yes"}})
	if r.Areas["environment"] == nil || *r.Areas["environment"] != 100 {
		t.Errorf("environment = %s", fmtPct(r.Areas["environment"]))
	}
	if r.Areas["labour-rights"] != nil {
		t.Errorf("labour rights with nothing applied = %s, want null", fmtPct(r.Areas["labour-rights"]))
	}
}

func fmtPct(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// randomAnswers answers every question at random, choices by option.
func randomAnswers(q *questionnaire.Questionnaire, rng *rand.Rand) questionnaire.Answers {
	out := questionnaire.Answers{}
	for _, qu := range q.Questions() {
		switch qu.Type {
		case questionnaire.YesNo, questionnaire.Single:
			out[qu.ID] = questionnaire.Answer{Choice: qu.Options[rng.IntN(len(qu.Options))].ID}
		case questionnaire.Multi:
			var ids []string
			for _, o := range qu.Options {
				if rng.IntN(2) == 0 {
					ids = append(ids, o.ID)
				}
			}
			out[qu.ID] = questionnaire.Answer{Choices: ids}
		case questionnaire.File:
			if rng.IntN(2) == 0 {
				out[qu.ID] = questionnaire.Answer{Files: []string{"f"}}
			}
		}
	}
	return out
}

func scores(r Result) map[string]*float64 {
	m := map[string]*float64{"total": r.Total}
	for a, p := range r.Areas {
		m[a] = p
	}
	return m
}

// Properties over many random answer sets, at both levels.
func TestProperties(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		level := questionnaire.Basic
		if i%2 == 1 {
			level = questionnaire.Advanced
		}
		answers := randomAnswers(q, rng)
		base := Score(q, level, answers)

		for name, p := range scores(base) {
			if p != nil && (*p < 0 || *p > 100) {
				t.Fatalf("%s = %v, outside 0–100", name, *p)
			}
		}

		// The order of a multi answer's choices never matters.
		shuffled := questionnaire.Answers{}
		for id, a := range answers {
			c := a
			c.Choices = append([]string(nil), a.Choices...)
			rng.Shuffle(len(c.Choices), func(i, j int) { c.Choices[i], c.Choices[j] = c.Choices[j], c.Choices[i] })
			shuffled[id] = c
		}
		if !same(scores(base), scores(Score(q, level, shuffled))) {
			t.Fatal("shuffling choices changed a score")
		}

		// Hidden questions never count: changing their answers changes nothing.
		shown := questionnaire.Visible(q, level, answers)
		hiddenChanged := questionnaire.Answers{}
		for id, a := range answers {
			hiddenChanged[id] = a
		}
		for _, qu := range q.Questions() {
			if !shown[qu.ID] && qu.Type.HasOptions() {
				hiddenChanged[qu.ID] = questionnaire.Answer{Choice: qu.Options[0].ID}
			}
		}
		if after := Score(q, level, hiddenChanged); !same(scores(base), scores(after)) {
			// Only allowed if a hidden answer changed visibility — it cannot, being hidden.
			t.Fatal("answers to hidden questions changed a score")
		}

		// A better-scoring option for one question never lowers any score,
		// when it shows or hides no other question.
		for _, qu := range q.Questions() {
			if qu.Type != questionnaire.YesNo && qu.Type != questionnaire.Single || !shown[qu.ID] {
				continue
			}
			cur, _ := qu.Option(answers[qu.ID].Choice)
			for _, o := range qu.Options {
				if o.Points <= cur.Points || o.NotApplicable || cur.NotApplicable {
					continue
				}
				better := questionnaire.Answers{}
				for id, a := range answers {
					better[id] = a
				}
				better[qu.ID] = questionnaire.Answer{Choice: o.ID}
				if !sameVisible(questionnaire.Visible(q, level, better), shown) {
					continue
				}
				after := scores(Score(q, level, better))
				for name, p := range scores(base) {
					if p != nil && (after[name] == nil || *after[name] < *p) {
						t.Fatalf("choosing %s on %s lowered %s from %v", o.ID, qu.ID, name, *p)
					}
				}
			}
		}
	}
}

func same(a, b map[string]*float64) bool {
	for k, v := range a {
		w := b[k]
		if (v == nil) != (w == nil) || v != nil && *v != *w {
			return false
		}
	}
	return len(a) == len(b)
}

func sameVisible(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func BenchmarkScore(b *testing.B) {
	q := questionnairetest.CodeOfConduct(b)
	answers := randomAnswers(q, rand.New(rand.NewPCG(3, 4)))
	for b.Loop() {
		Score(q, questionnaire.Advanced, answers)
	}
}

// A critical deviation dominates the total: the best answers to everything
// else and "yes" to forced labour (Q5.2) score under 50, with the uncapped
// total kept beside it.
func TestCriticalDominates(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	best := bestAnswers(q, questionnaire.Advanced)
	clean := Score(q, questionnaire.Advanced, best)
	if clean.Total == nil || *clean.Total < 90 || clean.Uncapped != nil {
		t.Fatalf("the best answers score %v (uncapped %v)", fmtPct(clean.Total), clean.Uncapped)
	}
	best["Q5.2"] = questionnaire.Answer{Choice: "yes"}
	r := Score(q, questionnaire.Advanced, best)
	if r.Total == nil || *r.Total != CriticalCap || r.Uncapped == nil || *r.Uncapped < 85 {
		t.Errorf("forced labour among the best answers: total %s, uncapped %v", fmtPct(r.Total), fmtPct(r.Uncapped))
	}
}

// BenchmarkJudged is BenchmarkScore with a verdict on every requirement:
// what the verified score adds to a score made on each verdict saved.
func BenchmarkJudged(b *testing.B) {
	q := questionnairetest.CodeOfConduct(b)
	answers := randomAnswers(q, rand.New(rand.NewPCG(3, 4)))
	verdicts := allVerdicts(q, PartlyVerified)
	for b.Loop() {
		Judged(q, questionnaire.Advanced, answers, verdicts)
	}
}
