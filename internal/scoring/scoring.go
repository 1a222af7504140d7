// Package scoring turns a questionnaire version and a supplier's answers
// into a score against the harmonised requirements: per requirement met,
// partly met, not met or not applicable; per area and in total the share of
// the points that applied; the deviations red-flag answers raise; and a line
// explaining every number. It is pure: no I/O, no clock.
package scoring

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/regionerna/saq/internal/questionnaire"
)

// Status of one requirement.
type Status string

const (
	Met           Status = "met"
	PartlyMet     Status = "partly_met"
	NotMet        Status = "not_met"
	NotApplicable Status = "not_applicable"
)

// Requirement is how the answers stand on one requirement.
type Requirement struct {
	ID        string   `json:"id"`
	Area      string   `json:"area"`
	Status    Status   `json:"status"`
	Points    int      `json:"points"`
	Max       int      `json:"max"`
	Questions []string `json:"questions"` // the questions that counted
	// Verdict is the desk audit's judgement of the evidence; "" until judged.
	Verdict Verdict `json:"verdict,omitempty"`
}

// Deviation is a requirement not met, raised by a red-flag answer, or,
// with Verify, an answer the reviewer has to check before it is known
// whether the requirement is met.
type Deviation struct {
	Requirement string                 `json:"requirement"`
	Severity    questionnaire.Severity `json:"severity"` // the flag's; for an item to verify, the requirement's
	Question    string                 `json:"question"`
	Answer      string                 `json:"answer"` // option id
	Verify      bool                   `json:"verify,omitempty"`
}

// Result is the score of one set of answers.
type Result struct {
	Total        *float64                `json:"total"` // 0–100; nil when nothing applied
	Areas        map[string]*float64     `json:"areas"` // area id → 0–100, nil when nothing applied
	Requirements map[string]*Requirement `json:"requirements"`
	Deviations   []Deviation             `json:"deviations"`
	Explanation  []string                `json:"explanation"` // in English; one line per question that counted
	// Uncapped is the total before CriticalCap, set only when a critical
	// deviation capped it, so that the cap shows.
	Uncapped *float64 `json:"uncapped,omitempty"`
	// Verified is the total counting only the points whose evidence the
	// desk audit accepted (Total is what the supplier claims); nil until
	// the desk audit has judged a requirement.
	Verified      *float64            `json:"verified,omitempty"`
	VerifiedAreas map[string]*float64 `json:"verifiedAreas,omitempty"`
}

// Judged counts the requirements that counted (some points were at stake)
// in area ("" for all), and how many of them the desk audit has judged: a
// verified score speaks only for those.
func (r *Result) Judged(area string) (judged, counted int) {
	if r == nil {
		return 0, 0
	}
	for _, q := range r.Requirements {
		if q.Max == 0 || area != "" && q.Area != area {
			continue
		}
		counted++
		if q.Verdict != "" {
			judged++
		}
	}
	return judged, counted
}

// CriticalCap is the most a total may be when a critical deviation is
// raised: under 50, the low band, however well the rest was answered, so
// that forced or child labour is never hidden in a good average.
const CriticalCap = 49.0

// counted is one question's contribution.
type counted struct {
	q      *questionnaire.Question
	points int
	max    int
	what   string // the answer in words, for the explanation
}

// Score computes the result for the answers shown at the level. Hidden
// questions never count; a question answered "not applicable", an optional
// question left unanswered, and a question that gives no points do not
// count either.
func Score(q *questionnaire.Questionnaire, level questionnaire.Level, answers questionnaire.Answers) Result {
	return Judged(q, level, answers, nil)
}

// Judged is Score with the desk audit's verdicts on the evidence, by
// requirement id: a question's points count as verified in the share its
// requirements' verdicts allow (Weight), the least of them.
func Judged(q *questionnaire.Questionnaire, level questionnaire.Level, answers questionnaire.Answers, verdicts map[string]Verdict) Result {
	shown := questionnaire.Visible(q, level, answers)
	req := map[string]*questionnaire.Requirement{}
	for i := range q.Requirements {
		req[q.Requirements[i].ID] = &q.Requirements[i]
	}
	res := Result{Areas: map[string]*float64{}, Requirements: map[string]*Requirement{}, Deviations: []Deviation{}, Explanation: []string{}}
	for _, r := range q.Requirements {
		res.Requirements[r.ID] = &Requirement{ID: r.ID, Area: r.Area, Status: NotApplicable, Questions: []string{}}
		if _, ok := res.Areas[r.Area]; !ok {
			res.Areas[r.Area] = nil
		}
	}

	areaPts, areaMax := map[string]int{}, map[string]int{}
	total, totalMax := 0, 0
	areaVer, verified := map[string]float64{}, 0.0
	for _, qu := range q.Questions() {
		if !shown[qu.ID] {
			continue
		}
		a, answered := answers[qu.ID]
		answered = answered && !a.Blank()
		c, ok := count(qu, a, answered)
		var raised []Deviation
		if answered && len(qu.Requirements) > 0 {
			// One answer raises one deviation, on the first requirement the
			// question names (format 2 questions name only one).
			r := qu.Requirements[0]
			for _, id := range chosen(a) {
				o, ok := qu.Option(id)
				switch {
				case ok && o.RedFlag != "":
					raised = append(raised, Deviation{Requirement: r, Severity: o.RedFlag, Question: qu.ID, Answer: id})
				case ok && o.Verify:
					raised = append(raised, Deviation{Requirement: r, Severity: req[r].Severity, Question: qu.ID, Answer: id, Verify: true})
				}
			}
		}
		res.Deviations = append(res.Deviations, raised...)
		if !ok {
			continue
		}
		total += c.points
		totalMax += c.max
		ver := float64(c.points) * weightOf(qu.Requirements, verdicts)
		verified += ver
		areas := map[string]bool{}
		for _, rid := range qu.Requirements {
			r := res.Requirements[rid]
			r.Points += c.points
			r.Max += c.max
			r.Questions = append(r.Questions, qu.ID)
			areas[req[rid].Area] = true
		}
		for area := range areas {
			areaPts[area] += c.points
			areaMax[area] += c.max
			areaVer[area] += ver
		}
		res.Explanation = append(res.Explanation, explain(c, raised))
	}

	for _, r := range res.Requirements {
		switch {
		case r.Max == 0:
			r.Status = NotApplicable
		case r.Points >= r.Max:
			r.Status = Met
		case r.Points == 0:
			r.Status = NotMet
		default:
			r.Status = PartlyMet
		}
	}
	for _, d := range res.Deviations {
		if !d.Verify {
			res.Requirements[d.Requirement].Status = NotMet // a red flag is a deviation whatever the points
		}
	}
	for area := range res.Areas {
		res.Areas[area] = percent(areaPts[area], areaMax[area])
	}
	res.Total = percent(total, totalMax)
	critical := criticalQuestion(res.Deviations)
	if res.Total != nil && *res.Total > CriticalCap && critical != "" {
		capped := CriticalCap
		res.Uncapped, res.Total = res.Total, &capped
		res.Explanation = append(res.Explanation, fmt.Sprintf("Total capped at %.0f (from %.1f): a critical deviation was raised by %s.", CriticalCap, *res.Uncapped, critical))
	}
	if len(verdicts) > 0 {
		for id, r := range res.Requirements {
			r.Verdict = verdicts[id]
		}
		res.VerifiedAreas = map[string]*float64{}
		for area := range res.Areas {
			res.VerifiedAreas[area] = percentOf(areaVer[area], areaMax[area])
		}
		res.Verified = percentOf(verified, totalMax)
		if res.Verified != nil && critical != "" {
			*res.Verified = min(*res.Verified, CriticalCap)
		}
	}
	return res
}

// criticalQuestion is the first question that raised a critical deviation, "" if none did.
func criticalQuestion(ds []Deviation) string {
	for _, d := range ds {
		if d.Severity == questionnaire.Critical && !d.Verify {
			return d.Question
		}
	}
	return ""
}

// Points is what one shown question gives: points of max; ok is false when
// it does not count (not applicable, optional and unanswered, or pointless).
func Points(qu *questionnaire.Question, answers questionnaire.Answers) (points, max int, ok bool) {
	a, answered := answers[qu.ID]
	c, ok := count(qu, a, answered && !a.Blank())
	return c.points, c.max, ok
}

// count is a shown question's points and maximum; ok is false when it does not count.
func count(qu *questionnaire.Question, a questionnaire.Answer, answered bool) (counted, bool) {
	c := counted{q: qu, max: qu.MaxPoints}
	if qu.MaxPoints == 0 {
		return c, false
	}
	switch qu.Type {
	case questionnaire.File:
		if len(a.Files) > 0 {
			c.points, c.what = qu.Points, fmt.Sprintf("%d file(s) attached", len(a.Files))
		} else if qu.Optional {
			return c, false
		} else {
			c.what = "no file attached"
		}
	case questionnaire.YesNo, questionnaire.Single, questionnaire.Multi:
		ids := chosen(a)
		// Unanswered counts for nothing either way; submitting needs every
		// required one answered, so this only matters for optional questions.
		if !answered || len(ids) == 0 && qu.Type != questionnaire.Multi {
			return c, false
		}
		var labels []string
		for i := range qu.Options { // in the questionnaire's order, for the explanation
			o := &qu.Options[i]
			if !slices.Contains(ids, o.ID) {
				continue
			}
			if o.NotApplicable {
				return c, false
			}
			c.points += o.Points
			labels = append(labels, "'"+o.Label.In("en")+"'")
		}
		c.points = min(c.points, qu.MaxPoints)
		c.what = strings.Join(labels, ", ")
		if c.what == "" {
			c.what = "nothing chosen"
		}
	default:
		return c, false
	}
	return c, true
}

func chosen(a questionnaire.Answer) []string {
	if a.Choice != "" {
		return []string{a.Choice}
	}
	out := slices.Clone(a.Choices)
	slices.Sort(out)
	return out
}

func explain(c counted, raised []Deviation) string {
	line := fmt.Sprintf("%s answered %s → %d of %d points", c.q.ID, c.what, c.points, c.max)
	if c.q.Type == questionnaire.File {
		line = fmt.Sprintf("%s: %s → %d of %d points", c.q.ID, c.what, c.points, c.max)
	}
	for _, d := range raised {
		if d.Verify {
			line += fmt.Sprintf("; to be verified against %s", d.Requirement)
		} else {
			line += fmt.Sprintf("; raises a %s deviation on %s", d.Severity, d.Requirement)
		}
	}
	return line
}

// percent is pts of max as a percentage with one decimal, nil when max is 0:
// an area where nothing applied is not applicable, never 0 or 100.
func percent(pts, max int) *float64 { return percentOf(float64(pts), max) }

func percentOf(pts float64, max int) *float64 {
	if max == 0 {
		return nil
	}
	p := math.Round(1000*pts/float64(max)) / 10
	return &p
}
