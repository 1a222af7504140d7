package scoring

import (
	"maps"
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// bestAnswers answers every question shown at level with its best option,
// every choice that gives points, and a file: a mature manufacturer.
func bestAnswers(q *questionnaire.Questionnaire, level questionnaire.Level) questionnaire.Answers {
	return bestAfter(q, level, questionnaire.Answers{})
}

// bestAfter is bestAnswers around the answers given, which it keeps.
func bestAfter(q *questionnaire.Questionnaire, level questionnaire.Level, given questionnaire.Answers) questionnaire.Answers {
	best := maps.Clone(given)
	for range 3 { // answers show more questions
		shown := questionnaire.Visible(q, level, best)
		for _, qu := range q.Questions() {
			if _, ok := given[qu.ID]; !shown[qu.ID] || ok {
				continue
			}
			switch qu.Type {
			case questionnaire.YesNo, questionnaire.Single:
				top := qu.Options[0]
				for _, o := range qu.Options {
					if o.Points > top.Points || o.Points == top.Points && top.Verify {
						top = o
					}
				}
				best[qu.ID] = questionnaire.Answer{Choice: top.ID}
			case questionnaire.Multi:
				var all []string
				for _, o := range qu.Options {
					if o.Points > 0 {
						all = append(all, o.ID)
					}
				}
				best[qu.ID] = questionnaire.Answer{Choices: all}
			case questionnaire.File:
				best[qu.ID] = questionnaire.Answer{Files: []string{"f"}}
			}
		}
	}
	return best
}

// distributor is the persona: a Swedish distributor buying finished
// goods made in CN, MY and PK, with no risk analysis and no documents,
// answering "yes" (or the best option) to what it cannot know. honest is
// the same supplier answering "Vet inte" wherever the question offers it.
func distributor(q *questionnaire.Questionnaire) (optimist, honest questionnaire.Answers) {
	optimist = bestAfter(q, questionnaire.Basic, questionnaire.Answers{
		"Q1.1": {Choices: []string{"CN", "MY", "PK"}},
		"Q1.4": {Choice: "bought"},
		"Q3.2": {Choice: "no"},
	})
	for id, a := range optimist {
		if len(a.Files) > 0 {
			delete(optimist, id) // no documents to show
		}
	}
	honest = maps.Clone(optimist)
	for _, qu := range q.Questions() {
		if _, ok := qu.Option("unknown"); ok && questionnaire.Visible(q, questionnaire.Basic, honest)[qu.ID] {
			honest[qu.ID] = questionnaire.Answer{Choice: "unknown"}
		}
	}
	return optimist, honest
}

// notVerified is the desk audit's verdict on every requirement of q when
// no document backs anything: nothing is verified.
func allVerdicts(q *questionnaire.Questionnaire, v Verdict) map[string]Verdict {
	m := map[string]Verdict{}
	for _, r := range q.Requirements {
		m[r.ID] = v
	}
	return m
}

func redFlags(r Result) (n int) {
	for _, d := range r.Deviations {
		if !d.Verify {
			n++
		}
	}
	return n
}

// Honesty never costs once the desk audit has judged the evidence: a
// "Vet inte" is an item to verify, not a red flag, and it never scores
// below an unbacked "yes", whichever verdict the evidence gets.
func TestHonestyNeverCosts(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	optimist, honest := distributor(q)
	o, h := Score(q, questionnaire.Basic, optimist), Score(q, questionnaire.Basic, honest)
	if redFlags(h) != redFlags(o) {
		t.Errorf("\"Vet inte\" raised red flags: honest %d, optimist %d", redFlags(h), redFlags(o))
	}
	verify := len(h.Deviations) - redFlags(h)
	unknowns := 0
	for _, a := range honest {
		if a.Choice == "unknown" {
			unknowns++
		}
	}
	if verify != unknowns || verify < 3 {
		t.Errorf("%d items to verify for the honest distributor's %d \"Vet inte\", want one each", verify, unknowns)
	}
	t.Logf("claimed: optimist %s, honest %s with %d items to verify", fmtPct(o.Total), fmtPct(h.Total), verify)

	// Question by question: one honest answer among optimistic ones.
	for _, qu := range q.Questions() {
		if h := honest[qu.ID]; h.Choice != "unknown" || optimist[qu.ID].Choice == "unknown" {
			continue
		}
		one := maps.Clone(optimist)
		one[qu.ID] = questionnaire.Answer{Choice: "unknown"}
		for _, v := range append(Verdicts, "") {
			verdicts := allVerdicts(q, v)
			// The unbacked "yes" is not borne out by documents it lacks.
			verdicts[qu.Requirements[0]] = NotVerified
			ov, hv := Judged(q, questionnaire.Basic, optimist, verdicts), Judged(q, questionnaire.Basic, one, verdicts)
			if *hv.Verified < *ov.Verified {
				t.Errorf("%s \"Vet inte\", other evidence %q: verified %s below the unbacked claim's %s", qu.ID, v, fmtPct(hv.Verified), fmtPct(ov.Verified))
			}
			if redFlags(hv) != redFlags(ov) {
				t.Errorf("%s \"Vet inte\" raised a red flag", qu.ID)
			}
		}
	}
}

// Remedied child labour scores as well as none found, and opens an item to
// verify instead of a deviation; unremedied child labour is critical.
func TestRemediedChildLabour(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	base := bestAnswers(q, questionnaire.Basic)
	score := func(choice string, verdict Verdict) Result {
		a := maps.Clone(base)
		a["Q4.3"] = questionnaire.Answer{Choice: choice}
		a["Q4.8"] = questionnaire.Answer{Files: []string{"plan"}}
		return Judged(q, questionnaire.Basic, a, allVerdicts(q, verdict))
	}
	for _, v := range Verdicts {
		no, remedied, open := score("no", v), score("remedied", v), score("open", v)
		if *remedied.Total < *no.Total || *remedied.Verified < *no.Verified {
			t.Errorf("verdict %s: remedied %s/%s below no %s/%s", v, fmtPct(remedied.Total), fmtPct(remedied.Verified), fmtPct(no.Total), fmtPct(no.Verified))
		}
		if redFlags(remedied) != 0 || len(remedied.Deviations) != 1 || !remedied.Deviations[0].Verify || remedied.Deviations[0].Requirement != "HR-CHILD" {
			t.Errorf("remedied raised %+v, want one item to verify on HR-CHILD", remedied.Deviations)
		}
		if *open.Total != CriticalCap || open.Deviations[0].Severity != questionnaire.Critical {
			t.Errorf("unremedied: %s %+v", fmtPct(open.Total), open.Deviations)
		}
	}
	// The evidence is asked for: the file question shows only for "remedied".
	for choice, want := range map[string]bool{"no": false, "remedied": true, "unknown": false} {
		a := maps.Clone(base)
		a["Q4.3"] = questionnaire.Answer{Choice: choice}
		if got := questionnaire.Visible(q, questionnaire.Basic, a)["Q4.8"]; got != want {
			t.Errorf("Q4.8 shown after %s: %v", choice, got)
		}
	}
}

// One answer raises one deviation, with its requirement's severity; the
// verified score never exceeds the claimed one.
func TestOneDeviationPerAnswer(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	base := bestAnswers(q, questionnaire.Advanced)
	for _, qu := range q.Questions() {
		for _, o := range qu.Options {
			if o.RedFlag == "" && !o.Verify {
				continue
			}
			a := maps.Clone(base)
			if qu.Type == questionnaire.Multi {
				a[qu.ID] = questionnaire.Answer{Choices: []string{o.ID}}
			} else {
				a[qu.ID] = questionnaire.Answer{Choice: o.ID}
			}
			if !questionnaire.Visible(q, questionnaire.Advanced, a)[qu.ID] {
				continue
			}
			r := Judged(q, questionnaire.Advanced, a, allVerdicts(q, PartlyVerified))
			var raised []Deviation
			for _, d := range r.Deviations {
				if d.Question == qu.ID {
					raised = append(raised, d)
				}
			}
			want := qu.Requirements[0]
			if o.Gap != "" {
				want = o.Gap // a "Vet inte" is a gap in the routine requirement that should have known
			}
			if len(raised) != 1 || raised[0].Verify != o.Verify || raised[0].Requirement != want {
				t.Errorf("%s %s raised %+v", qu.ID, o.ID, raised)
			}
			if *r.Verified > *r.Total {
				t.Errorf("%s %s: verified %s above claimed %s", qu.ID, o.ID, fmtPct(r.Verified), fmtPct(r.Total))
			}
		}
	}
}

// Claimed points count as verified in the share the desk audit's verdicts
// allow; before any verdict there is no verified score.
func TestVerifiedScore(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	best := bestAnswers(q, questionnaire.Basic)
	if r := Score(q, questionnaire.Basic, best); r.Verified != nil || r.VerifiedAreas != nil {
		t.Errorf("verified before any verdict: %v", fmtPct(r.Verified))
	}
	tests := []struct {
		verdict Verdict
		want    float64
	}{
		{Verified, 100},
		{PartlyVerified, 50},
		{NotVerified, 0},
	}
	for _, tt := range tests {
		r := Judged(q, questionnaire.Basic, best, allVerdicts(q, tt.verdict))
		if *r.Total != 100 || r.Verified == nil || *r.Verified != tt.want || *r.VerifiedAreas["due-diligence"] != tt.want {
			t.Errorf("%s: claimed %s, verified %s, want %v", tt.verdict, fmtPct(r.Total), fmtPct(r.Verified), tt.want)
		}
		if got := r.Requirements["DD-POLICY"].Verdict; got != tt.verdict {
			t.Errorf("DD-POLICY verdict %q", got)
		}
	}
	// One requirement verified: only the points of questions it alone evidences.
	r := Judged(q, questionnaire.Basic, best, map[string]Verdict{"DD-POLICY": Verified})
	if *r.Verified <= 0 || *r.Verified >= 20 {
		t.Errorf("DD-POLICY alone verified: %s", fmtPct(r.Verified))
	}
}
