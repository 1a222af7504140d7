package assessment

import (
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Verdict is the desk audit's judgement of the evidence for one
// requirement: until it is given, the requirement's points are claimed,
// not verified.
type Verdict struct {
	Requirement string
	Verdict     scoring.Verdict
	Note        string // what is missing, or what the documents show
	At          time.Time
	By          string
}

// verdicts are the verdicts by requirement, as scoring takes them.
func (a *Assessment) verdicts() map[string]scoring.Verdict {
	m := map[string]scoring.Verdict{}
	for _, v := range a.Verdicts {
		m[v.Requirement] = v.Verdict
	}
	return m
}

// VerdictOn returns the verdict on requirement id, if one was given.
func (a *Assessment) VerdictOn(id string) (Verdict, bool) {
	for _, v := range a.Verdicts {
		if v.Requirement == id {
			return v, true
		}
	}
	return Verdict{}, false
}

// Rescore scores the answers with what the reviewers have decided so far.
func (a *Assessment) Rescore(q *questionnaire.Questionnaire) scoring.Result {
	return scoring.Assess(q, a.Level, a.Answers, a.scoringReview())
}

// SetVerdict puts v in place of the requirement's verdict; an empty one clears it.
func (a *Assessment) SetVerdict(v Verdict) {
	kept := a.Verdicts[:0]
	for _, old := range a.Verdicts {
		if old.Requirement != v.Requirement {
			kept = append(kept, old)
		}
	}
	a.Verdicts = kept
	if v.Verdict != "" {
		a.Verdicts = append(a.Verdicts, v)
	}
}
