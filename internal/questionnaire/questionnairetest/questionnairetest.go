// Package questionnairetest gives tests the questionnaires the service
// ships, loaded and checked as the service loads them. Only tests import it.
package questionnairetest

import (
	"slices"
	"testing"

	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/questionnaires"
)

// Set loads the shipped catalogue and questionnaires, with the countries
// filled in as the service fills them.
func Set(t testing.TB) *questionnaire.Set {
	t.Helper()
	set, err := questionnaire.LoadFS(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	set.FillOptions(questionnaire.Countries, dir.CountryOptions())
	return set
}

// CodeOfConduct is the latest shipped version of the code-of-conduct questionnaire.
func CodeOfConduct(t testing.TB) *questionnaire.Questionnaire {
	t.Helper()
	q, ok := Set(t).Latest("code-of-conduct")
	if !ok {
		t.Fatal("no code-of-conduct questionnaire is shipped")
	}
	return q
}

// Answers are values (question id → an answer's value as a client sends
// it) as answers, for the choices among them: what decides visibility.
func Answers(values map[string]any) questionnaire.Answers {
	answers := questionnaire.Answers{}
	for id, v := range values {
		switch v := v.(type) {
		case string:
			answers[id] = questionnaire.Answer{Choice: v}
		case []string:
			answers[id] = questionnaire.Answer{Choices: v}
		case []any:
			var ids []string
			for _, c := range v {
				if s, ok := c.(string); ok {
					ids = append(ids, s)
				}
			}
			answers[id] = questionnaire.Answer{Choices: ids}
		}
	}
	return answers
}

// Shown keeps of values those to the questions the choices among them
// show at level: the service refuses an answer to a question kept hidden.
func Shown(q *questionnaire.Questionnaire, level questionnaire.Level, values map[string]any) map[string]any {
	shown := questionnaire.Visible(q, level, Answers(values))
	out := map[string]any{}
	for id, v := range values {
		if shown[id] {
			out[id] = v
		}
	}
	return out
}

// Pick is preferred as the answer to choice question qu, unless choosing
// it would show a required file question: then the first option that
// shows none.
// Tests that answer without uploading use it to keep files hidden.
func Pick(q *questionnaire.Questionnaire, qu *questionnaire.Question, preferred string) string {
	shows := func(option string) bool {
		for _, f := range q.Questions() {
			if f.Type == questionnaire.File && !f.Optional && f.ShowIf != nil && f.ShowIf.Question == qu.ID && slices.Contains(f.ShowIf.AnyOf, option) {
				return true
			}
		}
		return false
	}
	if !shows(preferred) {
		return preferred
	}
	for _, o := range qu.Options {
		if !shows(o.ID) {
			return o.ID
		}
	}
	return preferred
}
