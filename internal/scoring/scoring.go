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
	// Contradicts is the earlier question whose answer says the opposite
	// of this "Ej tillämpligt" (Q1.5), for the reviewer to check.
	Contradicts string `json:"contradicts,omitempty"`
	// Moved is the requirement the answer raised the deviation on before a
	// reviewer moved it to Requirement; "" when not moved.
	Moved string `json:"moved,omitempty"`
}

// Review is what the reviewers have decided that the score reads besides
// the answers: the verdicts on the evidence, the deviations they moved to
// another requirement, and the deviations that stand by their word.
type Review struct {
	Verdicts map[string]Verdict // by requirement id
	// Moved is the requirement a reviewer moved an answer's deviation
	// to, by the question that raised it.
	Moved map[string]string
	// Standing are the deviations a reviewer made stand: items to verify
	// confirmed, and audit findings. They count like red flags: the
	// requirement is not met, its points are withdrawn, and a critical one
	// caps the total.
	Standing []Standing
}

// Standing is one deviation that stands by a reviewer's word.
type Standing struct {
	Requirement string
	Severity    questionnaire.Severity
	Question    string // the question whose item was confirmed; "" for an audit finding
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
	// Critical says a critical deviation stands: raised by an answer, or
	// made to stand by a reviewer.
	Critical bool `json:"critical,omitempty"`
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
	return Assess(q, level, answers, Review{})
}

// Judged is Score with the desk audit's verdicts on the evidence, by
// requirement id: a question's points count as verified in the share its
// requirements' verdicts allow (Weight), the least of them.
func Judged(q *questionnaire.Questionnaire, level questionnaire.Level, answers questionnaire.Answers, verdicts map[string]Verdict) Result {
	return Assess(q, level, answers, Review{Verdicts: verdicts})
}

// Assess is Score with everything the reviewers decided (Review).
func Assess(q *questionnaire.Questionnaire, level questionnaire.Level, answers questionnaire.Answers, rv Review) Result {
	verdicts := rv.Verdicts
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

	// What each answer raises, first: from format 3, a requirement with a
	// deviation standing, raised by an answer or made to stand by a
	// reviewer, earns no points from any of its questions.
	raisedBy := map[string][]Deviation{}
	notMet := map[string]bool{}
	for _, qu := range q.Questions() {
		a, answered := answers[qu.ID]
		if !shown[qu.ID] || !answered || a.Blank() || len(qu.Requirements) == 0 {
			continue
		}
		raisedBy[qu.ID] = raise(qu, a, answers, shown, req, rv.Moved[qu.ID])
		for _, d := range raisedBy[qu.ID] {
			if !d.Verify {
				notMet[d.Requirement] = true
			}
		}
	}
	for _, st := range rv.Standing {
		if _, ok := res.Requirements[st.Requirement]; ok {
			notMet[st.Requirement] = true
		}
	}
	withdrawn := map[string]bool{}
	if q.Format >= 3 {
		withdrawn = notMet
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
		raised := raisedBy[qu.ID]
		res.Deviations = append(res.Deviations, raised...)
		if !ok {
			continue
		}
		if c.points > 0 && slices.ContainsFunc(qu.Requirements, func(r string) bool { return withdrawn[r] }) {
			c.points, c.what = 0, c.what+" (no points: a deviation stands on "+strings.Join(qu.Requirements, ", ")+")"
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
	for r := range notMet {
		res.Requirements[r].Status = NotMet
	}
	for area := range res.Areas {
		res.Areas[area] = percent(areaPts[area], areaMax[area])
	}
	res.Total = percent(total, totalMax)
	critical := criticalCause(res.Deviations, rv.Standing)
	res.Critical = critical != ""
	if res.Total != nil && *res.Total > CriticalCap && critical != "" {
		capped := CriticalCap
		res.Uncapped, res.Total = res.Total, &capped
		res.Explanation = append(res.Explanation, fmt.Sprintf("Total capped at %.0f (from %.1f): a critical deviation stands, %s.", CriticalCap, *res.Uncapped, critical))
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
		if res.Verified != nil && res.Uncapped != nil && *res.Uncapped > 0 {
			// The cap scales the verified score too: it stays the share of
			// the (capped) claim the evidence bears out.
			*res.Verified = math.Round(10**res.Verified**res.Total / *res.Uncapped) / 10
		}
		if res.Verified != nil && res.Critical {
			*res.Verified = min(*res.Verified, CriticalCap)
		}
	}
	return res
}

// criticalCause says what makes a critical deviation stand, for the
// explanation: the first answer that raised one, or else the first one a
// reviewer made stand; "" if none stands.
func criticalCause(ds []Deviation, standing []Standing) string {
	for _, d := range ds {
		if d.Severity == questionnaire.Critical && !d.Verify {
			return "raised by " + d.Question
		}
	}
	for _, st := range standing {
		switch {
		case st.Severity != questionnaire.Critical:
		case st.Question != "":
			return "confirmed by the reviewer on " + st.Requirement + " (" + st.Question + ")"
		default:
			return "an audit finding on " + st.Requirement
		}
	}
	return ""
}

// raise is the deviation one answer raises, if any: a red flag on the
// question's requirement; an item to verify for a "Vet inte" (on the
// routine requirement it is a gap in, where the question names one) or a
// harm said to be remedied; and an item to verify for an "Ej tillämpligt"
// an earlier answer contradicts. A reviewer may have moved it to another
// requirement (moved), whose severity it then takes.
func raise(qu *questionnaire.Question, a questionnaire.Answer, answers questionnaire.Answers, shown map[string]bool,
	req map[string]*questionnaire.Requirement, moved string) []Deviation {
	r := qu.Requirements[0]
	var out []Deviation
	for _, id := range chosen(a) {
		o, ok := qu.Option(id)
		if !ok {
			continue
		}
		d := Deviation{Requirement: r, Question: qu.ID, Answer: id}
		switch {
		case o.RedFlag != "":
			d.Severity = o.RedFlag
		case o.Verify && o.Gap != "":
			d.Requirement, d.Verify = o.Gap, true
		case o.Verify:
			d.Verify = true
		case o.NotApplicable && contradicted(o.ContradictedBy, answers, shown):
			d.Verify, d.Contradicts = true, o.ContradictedBy.Question
		default:
			continue
		}
		if m, ok := req[moved]; ok && moved != d.Requirement {
			d.Moved, d.Requirement, d.Severity = d.Requirement, m.ID, ""
		}
		if d.Severity == "" {
			d.Severity = req[d.Requirement].Severity
		}
		out = append(out, d)
	}
	return out
}

// contradicted tells whether the answers chose what c names, on a question shown.
func contradicted(c *questionnaire.ShowIf, answers questionnaire.Answers, shown map[string]bool) bool {
	return c != nil && shown[c.Question] && slices.ContainsFunc(c.AnyOf, answers[c.Question].Chosen)
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
