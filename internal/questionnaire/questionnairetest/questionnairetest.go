// Package questionnairetest gives tests the questionnaires the service
// ships, loaded and checked as the service loads them. Only tests import it.
package questionnairetest

import (
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/questionnaires"
)

// Set loads the shipped catalogue and questionnaires.
func Set(t testing.TB) *questionnaire.Set {
	t.Helper()
	set, err := questionnaire.LoadFS(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
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

// Shown keeps of values (question id → an answer's value as a client sends
// it) those to the questions the choices among them show at level: the
// service refuses an answer to a question kept hidden.
func Shown(q *questionnaire.Questionnaire, level questionnaire.Level, values map[string]any) map[string]any {
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
	shown := questionnaire.Visible(q, level, answers)
	out := map[string]any{}
	for id, v := range values {
		if shown[id] {
			out[id] = v
		}
	}
	return out
}
