package assessment

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Limits on what one answer may hold.
const (
	MaxTextLength    = 10000
	MaxCommentLength = 2000
)

// Answer and Answers are the questionnaire's: what an answer is does not
// depend on the follow-up it belongs to.
type (
	Answer  = questionnaire.Answer
	Answers = questionnaire.Answers
)

// Input is one answer as a client sends it: a value whose type depends on
// the question, and a comment. A nil Value clears the answer.
type Input struct {
	Value      any
	Comment    *string
	HasValue   bool // the value was given (possibly null)
	HasComment bool
	// Base is the answer's revision the writer read (Answer.Rev); nil means
	// the version the whole save is based on.
	Base *int64
	// Confirm says that an answer carried forward from an earlier
	// submission still holds.
	Confirm bool
}

// Problem builds a per-question error in both languages.
func Problem(qid, sv, en string) apperr.Field {
	return apperr.Field{Field: qid, Message: map[string]string{"sv": sv, "en": en}}
}

// ReadInput checks an input against its question and returns the answer it
// makes, merged over the previous one, or the problem with it.
func ReadInput(q *questionnaire.Question, prev Answer, in Input) (Answer, *apperr.Field) {
	a := prev
	if in.HasComment {
		c := ""
		if in.Comment != nil {
			c = strings.TrimSpace(*in.Comment)
		}
		if utf8.RuneCountInString(c) > MaxCommentLength {
			p := Problem(q.ID, fmt.Sprintf("Kommentaren får ha högst %d tecken.", MaxCommentLength), fmt.Sprintf("The comment may have at most %d characters.", MaxCommentLength))
			return a, &p
		}
		if !Printable(c) {
			p := Problem(q.ID, textProblemSV, textProblemEN)
			return a, &p
		}
		a.Comment = c
	}
	if !in.HasValue {
		return a, nil
	}
	files := a.Files
	a = Answer{Comment: a.Comment, Files: files}
	if in.Value == nil {
		return a, nil
	}
	wrong := func(sv, en string) (Answer, *apperr.Field) { p := Problem(q.ID, sv, en); return prev, &p }

	switch q.Type {
	case questionnaire.YesNo, questionnaire.Single:
		s, ok := in.Value.(string)
		if !ok {
			return wrong("Svaret ska vara ett av alternativen.", "The answer must be one of the options.")
		}
		if _, ok := q.Option(s); !ok {
			return wrong(fmt.Sprintf("%q är inte ett av alternativen.", s), fmt.Sprintf("%q is not one of the options.", s))
		}
		a.Choice = s
	case questionnaire.Multi:
		list, ok := in.Value.([]any)
		if !ok {
			return wrong("Svaret ska vara en lista med alternativ.", "The answer must be a list of options.")
		}
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				return wrong("Svaret ska vara en lista med alternativ.", "The answer must be a list of options.")
			}
			if _, ok := q.Option(s); !ok {
				return wrong(fmt.Sprintf("%q är inte ett av alternativen.", s), fmt.Sprintf("%q is not one of the options.", s))
			}
			if !slices.Contains(a.Choices, s) {
				a.Choices = append(a.Choices, s)
			}
		}
		slices.Sort(a.Choices) // order never matters
	case questionnaire.Number:
		var f float64
		switch v := in.Value.(type) {
		case float64:
			f = v
		case json.Number:
			var err error
			if f, err = v.Float64(); err != nil {
				return wrong("Svaret ska vara ett tal.", "The answer must be a number.")
			}
		case string: // what an HTML form sends
			var err error
			if f, err = parseNumber(v); err != nil {
				return wrong("Svaret ska vara ett tal.", "The answer must be a number.")
			}
		default:
			return wrong("Svaret ska vara ett tal.", "The answer must be a number.")
		}
		lo, hi := q.Range()
		switch {
		case math.IsNaN(f) || math.Abs(f) > questionnaire.MaxNumber:
			return wrong("Talet är för stort.", "The number is too large.")
		case f < lo:
			return wrong(fmt.Sprintf("Talet får inte vara mindre än %s.", bound(lo, ",")), fmt.Sprintf("The number must not be less than %s.", bound(lo, ".")))
		case f > hi:
			return wrong(fmt.Sprintf("Talet får inte vara större än %s.", bound(hi, ",")), fmt.Sprintf("The number must not be greater than %s.", bound(hi, ".")))
		}
		a.Number = &f
	case questionnaire.Free:
		s, ok := in.Value.(string)
		if !ok {
			return wrong("Svaret ska vara text.", "The answer must be text.")
		}
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) > MaxTextLength {
			return wrong(fmt.Sprintf("Svaret får ha högst %d tecken.", MaxTextLength), fmt.Sprintf("The answer may have at most %d characters.", MaxTextLength))
		}
		if !Printable(s) {
			return wrong(textProblemSV, textProblemEN)
		}
		a.Text = s
	case questionnaire.Date:
		s, ok := in.Value.(string)
		if !ok {
			return wrong("Svaret ska vara ett datum (ÅÅÅÅ-MM-DD).", "The answer must be a date (YYYY-MM-DD).")
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return wrong("Svaret ska vara ett datum (ÅÅÅÅ-MM-DD).", "The answer must be a date (YYYY-MM-DD).")
		}
		a.Date = s
	case questionnaire.File:
		return wrong("Bifoga filer med uppladdningen, inte som svar.", "Attach files with the upload, not as an answer.")
	}
	return a, nil
}

const (
	textProblemSV = "Texten innehåller tecken som inte är text (styrtecken eller trasig teckenkodning). Skriv eller klistra in den igen."
	textProblemEN = "The text holds characters that are not text (control characters or broken encoding). Type or paste it again."
)

// Printable tells whether text is free of control characters but line
// breaks and tabs, and of U+FFFD, which stands in for bytes that were not
// UTF-8 (JSON decoding puts it there). Such characters break exports,
// mail headers and PDFs, and no one types them.
func Printable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r >= 0x7f && r < 0xa0 || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// OneLine is Printable text without line breaks or tabs: a name, an address.
func OneLine(s string) bool { return Printable(s) && !strings.ContainsAny(s, "\r\n\t") }

// parseNumber reads a number as people write it, with a decimal comma or point.
func parseNumber(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	return strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
}

// Visible, Missing and ProgressOf are the questionnaire's rules for answers.
var (
	Visible = questionnaire.Visible
	Missing = questionnaire.Missing
	// Unconfirmed are the carried answers still to confirm or change.
	Unconfirmed = questionnaire.Unconfirmed
	ProgressOf  = questionnaire.ProgressOf
)

// Progress counts shown questions and those answered.
type Progress = questionnaire.Progress

// bound writes a question's bound with the reader's decimal mark.
func bound(v float64, mark string) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", mark, 1)
}
