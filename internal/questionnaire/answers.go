package questionnaire

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Answer is the supplier's answer to one question. Which value field is used
// depends on the question's type.
type Answer struct {
	Choice  string   `json:"choice,omitempty"`  // yes_no, single
	Choices []string `json:"choices,omitempty"` // multi
	Number  *float64 `json:"number,omitempty"`
	Text    string   `json:"text,omitempty"`
	Date    string   `json:"date,omitempty"`  // YYYY-MM-DD
	Files   []string `json:"files,omitempty"` // evidence ids
	Comment string   `json:"comment,omitempty"`
	// Rev is the follow-up's version that last changed this answer, so a
	// save can tell whether someone else changed it since the writer read it.
	Rev int64 `json:"rev,omitempty"`
	// Carry is set on an answer carried forward from the supplier's
	// earlier submission; nil on one given in this follow-up.
	Carry *Carry `json:"carry,omitempty"`
}

// Carry says where a carried answer came from and what the supplier has
// done with it since. A carry is never changed in place: a new state is a
// new Carry, as answers are copied by value.
type Carry struct {
	From      string    `json:"from"`      // the follow-up whose submission it came from
	Submitted time.Time `json:"submitted"` // when that was submitted
	State     string    `json:"state"`     // Carried, Confirmed or Changed
}

// The states of a carried answer.
const (
	Carried   = "carried"   // as carried: the supplier has to confirm or change it
	Confirmed = "confirmed" // the supplier confirmed it still holds
	Changed   = "changed"   // the supplier changed it
)

// Unconfirmed tells whether the answer was carried forward and the
// supplier has neither confirmed nor changed it.
func (a Answer) Unconfirmed() bool { return a.Carry != nil && a.Carry.State == Carried }

// Touched is a carried answer after the supplier acted on it: confirmed
// when it holds the same as before, else changed. Other answers are
// returned as they are.
func (a Answer) Touched(before Answer) Answer {
	if before.Carry == nil {
		return a
	}
	c := *before.Carry
	if c.State != Changed {
		c.State = Confirmed
		if !a.Same(before) {
			c.State = Changed
		}
	}
	a.Carry = &c
	return a
}

// Same tells whether two answers hold the same value and comment, whatever
// their revisions.
func (a Answer) Same(b Answer) bool {
	numEq := (a.Number == nil) == (b.Number == nil) && (a.Number == nil || *a.Number == *b.Number)
	return a.Choice == b.Choice && slices.Equal(a.Choices, b.Choices) && numEq && a.Text == b.Text &&
		a.Date == b.Date && slices.Equal(a.Files, b.Files) && a.Comment == b.Comment
}

// Empty tells whether the answer holds no value (a comment alone is no answer).
func (a Answer) Empty() bool {
	return a.Choice == "" && len(a.Choices) == 0 && a.Number == nil && a.Text == "" && a.Date == "" && len(a.Files) == 0
}

// Blank tells whether the answer holds nothing at all: an answer the
// supplier cleared, kept only for its revision.
func (a Answer) Blank() bool { return a.Empty() && a.Comment == "" }

// Chosen tells whether the answer picks option id.
func (a Answer) Chosen(id string) bool { return a.Choice == id || slices.Contains(a.Choices, id) }

// Answers are the answers by question id.
type Answers map[string]Answer

// Visible tells which questions are shown, given the answers: a question with
// show_if appears only when its earlier question is shown and answered with
// one of the named options. Questions above the issued level never appear.
func Visible(q *Questionnaire, level Level, answers Answers) map[string]bool {
	shown := map[string]bool{}
	for _, qu := range q.Questions() {
		if !level.Includes(qu.Level) {
			continue
		}
		if si := qu.ShowIf; si != nil {
			if !shown[si.Question] {
				continue
			}
			a := answers[si.Question]
			if !slices.ContainsFunc(si.AnyOf, a.Chosen) {
				continue
			}
		}
		shown[qu.ID] = true
	}
	return shown
}

// Missing returns the ids of required questions shown but not answered, in order.
func Missing(q *Questionnaire, level Level, answers Answers) []string {
	shown := Visible(q, level, answers)
	var missing []string
	for _, qu := range q.Questions() {
		if shown[qu.ID] && !qu.Optional && answers[qu.ID].Empty() {
			missing = append(missing, qu.ID)
		}
	}
	return missing
}

// Unconfirmed returns the ids of shown questions whose answer was carried
// forward and is not yet confirmed or changed, in order.
func Unconfirmed(q *Questionnaire, level Level, answers Answers) []string {
	shown := Visible(q, level, answers)
	var out []string
	for _, qu := range q.Questions() {
		if shown[qu.ID] && answers[qu.ID].Unconfirmed() {
			out = append(out, qu.ID)
		}
	}
	return out
}

// Progress counts shown questions and those answered.
type Progress struct {
	Answered int `json:"answered"`
	Total    int `json:"total"`
}

// ProgressOf counts what is shown and what of it is answered.
func ProgressOf(q *Questionnaire, level Level, answers Answers) Progress {
	var p Progress
	for id := range Visible(q, level, answers) {
		p.Total++
		// An answer carried forward counts once the supplier confirms or
		// changes it: until then it is last year's, not theirs.
		if a := answers[id]; !a.Empty() && !a.Unconfirmed() {
			p.Answered++
		}
	}
	return p
}

// InWords is answer a to question q as a reader sees it, in lang: option
// labels, the number, text or date, or the count of files; "" when empty.
func (q *Question) InWords(a Answer, lang string) string {
	label := func(id string) string {
		if o, ok := q.Option(id); ok {
			return o.Label.In(lang)
		}
		return id
	}
	switch {
	case a.Choice != "":
		return label(a.Choice)
	case len(a.Choices) > 0:
		out := make([]string, len(a.Choices))
		for i, id := range a.Choices {
			out[i] = label(id)
		}
		return strings.Join(out, "; ")
	case a.Number != nil:
		return strconv.FormatFloat(*a.Number, 'f', -1, 64)
	case a.Text != "":
		return a.Text
	case a.Date != "":
		return a.Date
	case len(a.Files) > 0:
		return strconv.Itoa(len(a.Files))
	}
	return ""
}
