package assessment

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
)

// FuzzParseAnswer: whatever JSON a supplier sends as an answer and a
// comment, to every question of the shipped questionnaire, parse either
// refuses it with a message or keeps an answer that holds what the
// question allows: an option of its own, a finite number in range, a date,
// or text of valid UTF-8 without control characters, within its length.
// The seeds run with go test ./...; go test -fuzz FuzzParseAnswer explores.
func FuzzParseAnswer(f *testing.F) {
	for _, seed := range []string{
		`"yes"`, `"no"`, `["agency", "agency"]`, `42`, `"1 234,5"`, `1e309`, `"NaN"`, `"2026-02-30"`, `"2026-11-23"`,
		`{"$gt": ""}`, `{"$where": "sleep(1000)"}`, `null`, `"a\u0000b"`, `"\u0007bell"`, `"rad 1\nrad 2\ttab"`,
		`"` + strings.Repeat("å", MaxTextLength+1) + `"`, `[[[[[]]]]]`, `"\ud800"`, `"<script>alert(1)</script>"`,
	} {
		f.Add([]byte(seed), []byte(`"en kommentar"`))
	}
	f.Add([]byte(`"yes"`), []byte(`"=HYPERLINK(\"http://evil.example\")"`))
	f.Add([]byte("\"\xff\xfe\""), []byte("\"\xff\""))
	qs := questionnairetest.CodeOfConduct(f).Questions()
	f.Fuzz(func(t *testing.T, value, comment []byte) {
		var v any
		if decode(value, &v) != nil {
			return
		}
		var c string
		in := Input{HasValue: true, Value: v}
		if json.Unmarshal(comment, &c) == nil {
			in.HasComment, in.Comment = true, &c
		}
		for _, q := range qs {
			a, problem := ReadInput(q, Answer{}, in)
			if problem != nil {
				if problem.Message["sv"] == "" || problem.Message["en"] == "" {
					t.Fatalf("%s: a refusal without a message in both languages: %+v", q.ID, problem)
				}
				continue
			}
			if msg := holds(q, a); msg != "" {
				t.Fatalf("%s (%s) kept %q as %+v: %s", q.ID, q.Type, value, a, msg)
			}
		}
	})
}

// decode reads JSON as the API does (numbers kept as written).
func decode(data []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// holds says what is wrong with an answer parse kept, or "".
func holds(q *questionnaire.Question, a Answer) string {
	if !cleanText(a.Comment) || utf8.RuneCountInString(a.Comment) > MaxCommentLength {
		return "the comment"
	}
	switch q.Type {
	case questionnaire.YesNo, questionnaire.Single:
		if _, ok := q.Option(a.Choice); a.Choice != "" && !ok {
			return "not an option"
		}
	case questionnaire.Multi:
		if !slices.IsSorted(a.Choices) || len(slices.Compact(slices.Clone(a.Choices))) != len(a.Choices) {
			return "choices not sorted and unique"
		}
		for _, c := range a.Choices {
			if _, ok := q.Option(c); !ok {
				return "not an option"
			}
		}
	case questionnaire.Number:
		lo, hi := q.Range()
		if a.Number != nil && (math.IsNaN(*a.Number) || math.IsInf(*a.Number, 0) || *a.Number < lo || *a.Number > hi) {
			return "the number"
		}
	case questionnaire.Free:
		if !cleanText(a.Text) || utf8.RuneCountInString(a.Text) > MaxTextLength || strings.TrimSpace(a.Text) != a.Text {
			return "the text"
		}
	case questionnaire.Date:
		if _, err := time.Parse(time.DateOnly, a.Date); a.Date != "" && err != nil {
			return "the date"
		}
	case questionnaire.File:
		if a.Choice != "" || a.Text != "" || a.Number != nil {
			return "a value for a file question"
		}
	}
	return ""
}

// cleanText is valid UTF-8 with no control character but line breaks and tabs.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f || r == utf8.RuneError {
			return false
		}
	}
	return true
}
