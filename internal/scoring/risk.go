package scoring

import "github.com/regionerna/saq/internal/questionnaire"

// RiskInputs are what the risk rating is made from, shown beside it.
type RiskInputs struct {
	RiskArea string `json:"riskArea"` // the risk area's inherent risk: low, medium, high
	Country  string `json:"country"`  // the riskiest production country's inherent risk
	// Countries are the production countries the answers name ("MY, TH");
	// empty when they name none and the supplier's own country stood in.
	Countries string   `json:"countries"`
	Total     *float64 `json:"total"` // the SAQ score claimed, nil when nothing applied
	// Verified is the score the desk audit verified, nil before it judged.
	Verified *float64 `json:"verified,omitempty"`
	Critical bool     `json:"critical"` // a critical deviation stands
	Majors   int      `json:"majors"`   // major deviations that stand
	// Reviewed says the desk audit has judged the answers; until then the
	// score is the supplier's own claim.
	Reviewed bool `json:"reviewed"`
}

// Risk is a follow-up's risk rating with its inputs.
type Risk struct {
	Rating string     `json:"rating"` // low, medium, high
	Inputs RiskInputs `json:"inputs"`
}

// RiskRule says the rule Rate applies, for the UI to show beside the rating.
const RiskRule = "Start from the higher of the risk area's and the country's inherent risk; " +
	"a score under 50 or no score raises it one step, and so do two or more major deviations; " +
	"a score of 80 or more lowers it one step only once the answers have been reviewed, never on the supplier's word alone, " +
	"and the verified score counts once the evidence has been judged; " +
	"a critical deviation makes it high."

// MajorsThatRaise is how many standing major deviations raise the risk a step.
const MajorsThatRaise = 2

var riskLevels = []string{"low", "medium", "high"}

// Rate is the one risk rule (RiskRule).
func Rate(in RiskInputs) Risk {
	level := max(levelOf(in.RiskArea), levelOf(in.Country))
	switch {
	case in.Total == nil || *in.Total < 50:
		level++
	case in.Reviewed && *in.lowering() >= 80:
		level--
	}
	if in.Majors >= MajorsThatRaise {
		level++
	}
	if in.Critical {
		level = 2
	}
	level = min(max(level, 0), 2)
	return Risk{Rating: riskLevels[level], Inputs: in}
}

// lowering is the score that may lower the risk: the verified one once
// the evidence has been judged, else the claimed one.
func (in RiskInputs) lowering() *float64 {
	if in.Verified != nil {
		return in.Verified
	}
	return in.Total
}

func levelOf(s string) int {
	for i, l := range riskLevels {
		if l == s {
			return i
		}
	}
	return 1 // unknown counts as medium
}

// HasCritical tells whether a result raised a critical deviation.
func (r Result) HasCritical() bool {
	for _, d := range r.Deviations {
		if d.Severity == questionnaire.Critical && !d.Verify {
			return true
		}
	}
	return false
}
