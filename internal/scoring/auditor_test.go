package scoring

import (
	"maps"
	"slices"
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// The personas of the auditor's second review, through the real scoring
// code on the latest questionnaire. Each names what the rules before
// version 4 made of it.

// manufacturer answers every question with its best option for a supplier
// with its own factories, on top of the answers given.
func manufacturer(q *questionnaire.Questionnaire, given questionnaire.Answers) questionnaire.Answers {
	given = maps.Clone(given)
	if given == nil {
		given = questionnaire.Answers{}
	}
	if _, ok := given["Q1.4"]; !ok {
		given["Q1.4"] = questionnaire.Answer{Choice: "own"}
	}
	return bestAfter(q, questionnaire.Basic, given)
}

// rated is the risk of a result, as the service rates it: the standing
// majors counted by requirement.
func rated(r Result, area, country string, reviewed bool, standing ...Standing) Risk {
	majors := map[string]bool{}
	for _, d := range r.Deviations {
		if d.Severity == questionnaire.Major && !d.Verify {
			majors[d.Requirement] = true
		}
	}
	for _, st := range standing {
		if st.Severity == questionnaire.Major {
			majors[st.Requirement] = true
		}
	}
	judged, counted := r.Judged("")
	return Rate(RiskInputs{RiskArea: area, Country: country, Total: r.Total, Verified: r.Verified, Judged: judged, Counted: counted,
		Critical: r.HasCritical(), Majors: len(majors), Reviewed: reviewed})
}

// An all-"yes" supplier whose evidence backs nothing ends high after review
// in a medium-risk area (before: medium, as the claimed 100 stood).
func TestUnbackedClaimsEndHigh(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	yes := manufacturer(q, questionnaire.Answers{"Q1.1": {Choices: []string{"DE"}}})
	for name, verdicts := range map[string]map[string]Verdict{
		"every requirement not verified": allVerdicts(q, NotVerified),
		"nothing judged":                 nil,
	} {
		r := Judged(q, questionnaire.Basic, yes, verdicts)
		if *r.Total != 100 {
			t.Fatalf("%s: claimed %s, want 100", name, fmtPct(r.Total))
		}
		if got := rated(r, "medium", "low", true).Rating; got != "high" {
			t.Errorf("%s: rated %s after review, want high", name, got)
		}
		// Before review the claim stands, marked as claimed: no lowering.
		if got := rated(Score(q, questionnaire.Basic, yes), "medium", "low", false); got.Rating != "medium" {
			t.Errorf("%s: rated %s before review, want medium", name, got.Rating)
		}
		t.Logf("all yes, %s: claimed %s, verified %s, rated %s", name, fmtPct(r.Total), fmtPct(r.Verified), rated(r, "medium", "low", true).Rating)
	}
	// Fully verified, it may lower the risk; with a major standing it may not.
	r := Judged(q, questionnaire.Basic, yes, allVerdicts(q, Verified))
	if got := rated(r, "medium", "low", true).Rating; got != "low" {
		t.Errorf("all yes, all verified: rated %s, want low", got)
	}
	noRisk := manufacturer(q, questionnaire.Answers{"Q3.2": {Choice: "no"}})
	r = Judged(q, questionnaire.Basic, noRisk, allVerdicts(q, Verified))
	if got := rated(r, "medium", "low", true).Rating; got != "medium" {
		t.Errorf("no risk analysis, the rest verified (%s): rated %s, want medium (before: low)", fmtPct(r.Verified), got)
	}
}

// A supplier with no contracts, no payslips and no emission control raises
// a major deviation for each (before: 92.1, no deviation, low risk).
func TestNoContractsPayslipsOrEmissionControl(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	a := manufacturer(q, questionnaire.Answers{"Q5.9": {Choice: "no"}, "Q5.19": {Choice: "no"}, "Q6.5": {Choice: "no"}})
	r := Score(q, questionnaire.Basic, a)
	var raised []string
	for _, d := range r.Deviations {
		if d.Severity == questionnaire.Major && !d.Verify {
			raised = append(raised, d.Requirement)
		}
	}
	slices.Sort(raised)
	if want := []string{"ENV-EMISSIONS", "LR-LAW", "LR-WAGES"}; !slices.Equal(raised, want) {
		t.Errorf("raised %v, want %v", raised, want)
	}
	for _, id := range []string{"ENV-EMISSIONS", "LR-LAW", "LR-WAGES"} {
		if r.Requirements[id].Status != NotMet {
			t.Errorf("%s %s, want not met", id, r.Requirements[id].Status)
		}
	}
	if got := rated(r, "low", "low", false).Rating; got != "medium" {
		t.Errorf("three major requirements: rated %s, want medium", got)
	}
	t.Logf("no contracts, payslips or emission control: claimed %s, %d major deviations", fmtPct(r.Total), len(raised))
}

// A glove importer answering "Ej tillämpligt" on migrant workers while
// ticking them in Q1.5 gets an item to verify for each (before: 96.2, none).
func TestMigrantsNotApplicableContradicted(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t).For("gloves")
	for _, path := range []string{"subcontracted", "bought"} {
		given := questionnaire.Answers{"Q1.4": {Choice: path}, "Q1.5": {Choices: []string{"migrant"}},
			"Q4.5": {Choice: "na"}, "Q4.6": {Choice: "na"}, "M7.2": {Choice: "na"}}
		r := Score(q, questionnaire.Basic, manufacturer(q, given))
		var items []string
		for _, d := range r.Deviations {
			if d.Verify && d.Contradicts == "Q1.5" && d.Requirement == "HR-MIGRANT" {
				items = append(items, d.Question)
			}
		}
		want := map[string][]string{"subcontracted": {"Q4.5", "Q4.6", "M7.2"}, "bought": {"M7.2"}}[path]
		if !slices.Equal(items, want) {
			t.Errorf("%s: items to verify %v, want %v", path, items, want)
		}
		// Without migrant workers in Q1.5, "Ej tillämpligt" stands unchecked.
		given["Q1.5"] = questionnaire.Answer{Choices: []string{"agency"}}
		r = Score(q, questionnaire.Basic, manufacturer(q, given))
		for _, d := range r.Deviations {
			if d.Contradicts != "" {
				t.Errorf("%s without migrants: %+v", path, d)
			}
		}
	}
}

// An honest distributor, "Vet inte" where it does not know, never scores
// below a supplier with a standing forced-labour flag, whether raised by
// an answer or by an audit, before or after review (before: a critical
// from an audit left 97.6 standing).
func TestHonestDistributorAboveForcedLabour(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	_, honest := distributor(q)
	forcedAnswer := manufacturer(q, questionnaire.Answers{"Q5.2": {Choice: "yes"}})
	best := manufacturer(q, nil)
	audit := []Standing{{Requirement: "LR-FORCED", Severity: questionnaire.Critical}}

	// Every item the honest answers open, confirmed by the reviewer.
	var confirmed []Standing
	for _, d := range Score(q, questionnaire.Basic, honest).Deviations {
		if d.Verify {
			confirmed = append(confirmed, Standing{Requirement: d.Requirement, Severity: d.Severity, Question: d.Question})
		}
	}
	if len(confirmed) == 0 {
		t.Fatal("the honest distributor opened no item to verify")
	}
	for _, v := range append([]Verdict{""}, Verdicts...) {
		verdicts := map[string]Verdict(nil)
		if v != "" {
			verdicts = allVerdicts(q, v)
		}
		for _, h := range [][]Standing{nil, confirmed} {
			hr := Assess(q, questionnaire.Basic, honest, Review{Verdicts: verdicts, Standing: h})
			for name, fr := range map[string]Result{
				"red flag":      Assess(q, questionnaire.Basic, forcedAnswer, Review{Verdicts: verdicts}),
				"audit finding": Assess(q, questionnaire.Basic, best, Review{Verdicts: verdicts, Standing: audit}),
			} {
				if *fr.Total != CriticalCap {
					t.Errorf("forced labour by %s, verdict %q: claimed %s, want capped at %v", name, v, fmtPct(fr.Total), CriticalCap)
				}
				if *hr.Total < *fr.Total {
					t.Errorf("verdict %q, %d items confirmed: honest %s below forced labour by %s %s", v, len(h), fmtPct(hr.Total), name, fmtPct(fr.Total))
				}
				if v != "" && *hr.Verified < *fr.Verified {
					t.Errorf("verdict %q, %d items confirmed: honest verified %s below forced labour by %s %s", v, len(h), fmtPct(hr.Verified), name, fmtPct(fr.Verified))
				}
			}
			if v == "" {
				t.Logf("honest distributor, %d items confirmed: claimed %s", len(h), fmtPct(hr.Total))
			}
		}
	}
}

// A confirmed "Vet inte" on Q5.2 is a gap in the follow-up of the supply
// chain (major), not forced labour found (before: a critical on LR-FORCED,
// capping the total at 49); a reviewer who finds forced labour moves it.
func TestConfirmedDontKnowIsAGap(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	a := manufacturer(q, questionnaire.Answers{"Q5.2": {Choice: "unknown"}})
	open := Score(q, questionnaire.Basic, a)
	var item *Deviation
	for i, d := range open.Deviations {
		if d.Question == "Q5.2" {
			item = &open.Deviations[i]
		}
	}
	if item == nil || !item.Verify || item.Requirement != "DD-FOLLOW-UP" || item.Severity != questionnaire.Major {
		t.Fatalf("Q5.2 \"Vet inte\" raised %+v, want an item to verify on DD-FOLLOW-UP, major", item)
	}
	confirmed := Assess(q, questionnaire.Basic, a, Review{Standing: []Standing{{Requirement: item.Requirement, Severity: item.Severity, Question: "Q5.2"}}})
	if confirmed.Critical || *confirmed.Total <= CriticalCap {
		t.Errorf("confirmed gap capped the total: %s", fmtPct(confirmed.Total))
	}
	if s := confirmed.Requirements["LR-FORCED"].Status; s == NotMet {
		t.Errorf("LR-FORCED %s after a confirmed gap in knowledge", s)
	}
	if s := confirmed.Requirements["DD-FOLLOW-UP"].Status; s != NotMet {
		t.Errorf("DD-FOLLOW-UP %s, want not met", s)
	}
	if *confirmed.Total >= *open.Total {
		t.Errorf("confirming the gap left the total at %s (open %s): its points stand", fmtPct(confirmed.Total), fmtPct(open.Total))
	}
	t.Logf("Q5.2 \"Vet inte\": open %s, confirmed %s", fmtPct(open.Total), fmtPct(confirmed.Total))

	moved := Assess(q, questionnaire.Basic, a, Review{
		Moved:    map[string]string{"Q5.2": "LR-FORCED"},
		Standing: []Standing{{Requirement: "LR-FORCED", Severity: questionnaire.Critical, Question: "Q5.2"}},
	})
	var d Deviation
	for _, x := range moved.Deviations {
		if x.Question == "Q5.2" {
			d = x
		}
	}
	if d.Requirement != "LR-FORCED" || d.Moved != "DD-FOLLOW-UP" || d.Severity != questionnaire.Critical || *moved.Total != CriticalCap {
		t.Errorf("moved to LR-FORCED: %+v, total %s", d, fmtPct(moved.Total))
	}
}

// A critical audit finding caps the total like a red flag (before: the
// best answers with a standing critical from an audit showed 97.6).
func TestAuditFindingCaps(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	best := manufacturer(q, nil)
	r := Assess(q, questionnaire.Basic, best, Review{Standing: []Standing{{Requirement: "LR-HEALTH-SAFETY", Severity: questionnaire.Critical}}})
	if *r.Total != CriticalCap || !r.Critical || r.Requirements["LR-HEALTH-SAFETY"].Status != NotMet {
		t.Errorf("critical finding: total %s, critical %v, %s", fmtPct(r.Total), r.Critical, r.Requirements["LR-HEALTH-SAFETY"].Status)
	}
	// A major finding withdraws its requirement's points, and caps nothing.
	r = Assess(q, questionnaire.Basic, best, Review{Standing: []Standing{{Requirement: "LR-HOURS", Severity: questionnaire.Major}}})
	if r.Critical || *r.Total >= 100 || *r.Total < 90 || r.Requirements["LR-HOURS"].Status != NotMet {
		t.Errorf("major finding: total %s, critical %v, %s", fmtPct(r.Total), r.Critical, r.Requirements["LR-HOURS"].Status)
	}
}

// A distributor that buys everything is asked at most 45 questions and at
// most 4 required uploads at the basic level, in every risk area.
func TestDistributorBurden(t *testing.T) {
	full := questionnairetest.CodeOfConduct(t)
	areas := []string{""}
	for _, sec := range full.Sections {
		for _, ra := range sec.RiskAreas {
			if !slices.Contains(areas, ra) {
				areas = append(areas, ra)
			}
		}
	}
	for _, area := range areas {
		q := full.For(area)
		a := bestAfter(q, questionnaire.Basic, questionnaire.Answers{"Q1.4": {Choice: "bought"}})
		shown := questionnaire.Visible(q, questionnaire.Basic, a)
		uploads := 0
		for _, qu := range q.Questions() {
			if shown[qu.ID] && qu.Type == questionnaire.File && !qu.Optional {
				uploads++
			}
		}
		if len(shown) > 45 || uploads > 4 {
			t.Errorf("risk area %q: %d questions shown, %d required uploads; want ≤ 45 and ≤ 4", area, len(shown), uploads)
		}
		t.Logf("distributor, risk area %q: %d questions, %d required uploads", area, len(shown), uploads)
	}
}

// Every major and critical requirement the version asks about can be
// raised by some answer at the basic level, and every question that can
// raise a critical, and those the auditor named, offer "Vet inte".
func TestEveryRequirementCanBeRaised(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t)
	raisable := map[string]bool{}
	for _, qu := range q.Questions() {
		critical := false
		for _, o := range qu.Options {
			if o.RedFlag != "" && qu.Level == questionnaire.Basic {
				raisable[qu.Requirements[0]] = true
			}
			critical = critical || o.RedFlag == questionnaire.Critical
		}
		if _, ok := qu.Option("unknown"); critical && !ok {
			t.Errorf("%s can raise a critical deviation but offers no \"Vet inte\"", qu.ID)
		}
	}
	for _, r := range q.Requirements {
		if (r.Severity == questionnaire.Major || r.Severity == questionnaire.Critical) && !raisable[r.ID] {
			t.Errorf("%s (%s) can be raised by no answer at the basic level", r.ID, r.Severity)
		}
	}
	for _, id := range []string{"Q5.1", "Q5.8", "Q5.11", "Q5.13", "Q5.18", "Q6.1", "Q6.4"} {
		qu, _ := q.Question(id)
		if o, ok := qu.Option("unknown"); !ok || !o.Verify || o.Gap == "" {
			t.Errorf("%s offers no \"Vet inte\" naming its gap", id)
		}
	}
	// The "Vet ni…?" questions: "Nej" means not knowing; no second answer says it.
	for _, id := range []string{"M1.1", "M4.1", "M4.3", "M5.1", "M6.1", "M7.1"} {
		qu, _ := q.Question(id)
		if _, ok := qu.Option("unknown"); ok {
			t.Errorf("%s asks whether the supplier knows, and offers \"Vet inte\" beside \"Nej\"", id)
		}
	}
}
