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
	// Judged and Counted are how many of the requirements at stake the
	// desk audit has judged: the verified score speaks for those only.
	Judged   int  `json:"judged,omitempty"`
	Counted  int  `json:"counted,omitempty"`
	Critical bool `json:"critical"` // a critical deviation stands
	// Majors counts the requirements with a major deviation standing: one
	// gap found by two questions counts once.
	Majors int `json:"majors"`
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
const RiskRule = "Start from the higher of the risk area's and the country's inherent risk. " +
	"The score read is the supplier's claimed score until the evidence is judged or the answers reviewed, and from then on the verified score " +
	"(what is not judged is not verified). " +
	"A score under 50 or no score raises the risk one step, and so do major deviations on two or more requirements; " +
	"a verified score of 80 or more lowers it one step once the answers are reviewed, if no major deviation stands; " +
	"a critical deviation makes it high."

// MajorsThatRaise is how many standing major deviations raise the risk a step.
const MajorsThatRaise = 2

var riskLevels = []string{"low", "medium", "high"}

// Rate is the one risk rule (RiskRule).
func Rate(in RiskInputs) Risk {
	level := max(levelOf(in.RiskArea), levelOf(in.Country))
	score, verified := in.Read()
	switch {
	case score == nil || *score < 50:
		level++
	case verified && in.Reviewed && *score >= 80 && in.Majors == 0:
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

// Basis says which score the rule read: "verified" or "claimed".
func (in RiskInputs) Basis() string {
	if _, verified := in.Read(); verified {
		return "verified"
	}
	return "claimed"
}

// Score is the score the rule read (Read).
func (in RiskInputs) Score() *float64 {
	s, _ := in.Read()
	return s
}

// Read is the score the rule reads, and whether it is the verified one:
// the claimed score until the evidence is judged or the answers are
// reviewed; from then on the verified score, and nothing verified (0)
// where nothing was judged, so that unbacked claims never keep a risk low.
func (in RiskInputs) Read() (score *float64, verified bool) {
	switch {
	case in.Verified != nil:
		return in.Verified, true
	case in.Reviewed && in.Total != nil:
		zero := 0.0
		return &zero, true
	}
	return in.Total, false
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
	if r.Critical {
		return true
	}
	for _, d := range r.Deviations {
		if d.Severity == questionnaire.Critical && !d.Verify {
			return true
		}
	}
	return false
}
