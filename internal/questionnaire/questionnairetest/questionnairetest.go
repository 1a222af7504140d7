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
