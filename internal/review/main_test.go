package review_test

import (
	"context"
	"testing"

	"github.com/regionerna/saq/internal/followup/followuptest"
	"github.com/regionerna/saq/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The reviewers' operations are tested on follow-ups the supplier's side
// has issued and submitted, with the helpers the follow-up tests use.
var (
	ctx            = context.Background()
	coordinator    = followuptest.Coordinator
	validIssue     = followuptest.ValidIssue
	codeOf         = followuptest.CodeOf
	answerAll      = followuptest.AnswerAll
	issueAndSubmit = followuptest.IssueAndSubmit
)

type services = followuptest.Services

func newService(t *testing.T) services {
	s, _ := followuptest.New(t)
	return s
}
