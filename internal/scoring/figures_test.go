package scoring

import (
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// TestPersonaFigures logs the personas' figures the README's worked
// examples quote, so that they are measured, not typed.
func TestPersonaFigures(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	yes := manufacturer(q, nil)
	r := Judged(q, questionnaire.Basic, yes, allVerdicts(q, NotVerified))
	t.Logf("all yes, nothing verified: claimed %s, verified %s, rated %s after review (medium area, low country)", fmtPct(r.Total), fmtPct(r.Verified), rated(r, "medium", "low", true).Rating)
	a := manufacturer(q, questionnaire.Answers{"Q5.9": {Choice: "no"}, "Q5.19": {Choice: "no"}, "Q6.5": {Choice: "no"}})
	r = Judged(q, questionnaire.Basic, a, allVerdicts(q, Verified))
	t.Logf("no contracts, payslips or emission control, all verified: claimed %s, verified %s, rated %s", fmtPct(r.Total), fmtPct(r.Verified), rated(r, "medium", "low", true).Rating)
	a = manufacturer(q, questionnaire.Answers{"Q3.2": {Choice: "no"}})
	r = Judged(q, questionnaire.Basic, a, allVerdicts(q, Verified))
	t.Logf("no risk analysis, the rest verified: claimed %s, verified %s, rated %s", fmtPct(r.Total), fmtPct(r.Verified), rated(r, "medium", "low", true).Rating)
	g := q.For("gloves")
	a = manufacturer(g, questionnaire.Answers{"Q1.4": {Choice: "subcontracted"}, "Q1.5": {Choices: []string{"migrant"}}, "Q4.5": {Choice: "na"}, "Q4.6": {Choice: "na"}, "M7.2": {Choice: "na"}})
	r = Score(g, questionnaire.Basic, a)
	t.Logf("glove importer, migrants ticked and \"Ej tillämpligt\": claimed %s, %d items to verify", fmtPct(r.Total), len(r.Deviations))
	_, honest := distributor(q)
	r = Score(q, questionnaire.Basic, honest)
	var confirmed []Standing
	for _, d := range r.Deviations {
		if d.Verify {
			confirmed = append(confirmed, Standing{Requirement: d.Requirement, Severity: d.Severity, Question: d.Question})
		}
	}
	c := Assess(q, questionnaire.Basic, honest, Review{Standing: confirmed})
	t.Logf("honest distributor: claimed %s with %d items, %s with all confirmed; partly verified %s", fmtPct(r.Total), len(confirmed), fmtPct(c.Total),
		fmtPct(Assess(q, questionnaire.Basic, honest, Review{Verdicts: allVerdicts(q, PartlyVerified), Standing: confirmed}).Verified))
	f := Assess(q, questionnaire.Basic, manufacturer(q, questionnaire.Answers{"Q5.2": {Choice: "yes"}}), Review{Verdicts: allVerdicts(q, PartlyVerified)})
	t.Logf("forced labour flag: claimed %s, partly verified %s", fmtPct(f.Total), fmtPct(f.Verified))
	a = manufacturer(q, questionnaire.Answers{"Q5.2": {Choice: "unknown"}})
	r = Assess(q, questionnaire.Basic, a, Review{Standing: []Standing{{Requirement: "DD-FOLLOW-UP", Severity: questionnaire.Major, Question: "Q5.2"}}})
	t.Logf("Q5.2 \"Vet inte\" confirmed: claimed %s, critical %v, DD-FOLLOW-UP %s", fmtPct(r.Total), r.Critical, r.Requirements["DD-FOLLOW-UP"].Status)
	r = Assess(q, questionnaire.Basic, yes, Review{Standing: []Standing{{Requirement: "LR-HEALTH-SAFETY", Severity: questionnaire.Critical}}})
	t.Logf("best answers, critical audit finding: claimed %s (uncapped %s)", fmtPct(r.Total), fmtPct(r.Uncapped))
}
