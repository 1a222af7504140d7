package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/orgnr"
	"github.com/regionerna/saq/internal/questionnaire"
)

// BenchmarkIssue: issuing a follow-up and sending its invitation (kept in
// the outbox, its state recorded on the follow-up), for a new supplier and
// for a returning one whose last submission is carried forward; and, on
// the same database in the same run, the raw driver inserting the
// carried follow-up's document.
//
//	go test ./cmd/saq -run '^$' -bench Issue -benchtime 200x
func BenchmarkIssue(b *testing.B) {
	ctx := context.Background()
	svc, _ := serveLoopback(b, "issue")
	coord := &account.Principal{Email: "bench@skane.se", Role: account.Coordinator, Region: "skane"}
	issue := func(org string) *assessment.Assessment {
		a, token, err := svc.assessments.Issue(ctx, coord, "127.0.0.1", benchInput(org))
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.notifier.Invite(ctx, a, "http://127.0.0.1/s/"+token); err != nil {
			b.Fatal(err)
		}
		return a
	}

	// The returning supplier's submission: every basic question answered.
	returning := orgnr.Swedish(1)
	submitted(b, svc, coord, benchInput(returning))

	results := map[string]float64{}
	var carried *assessment.Assessment
	for _, bench := range []struct {
		name string
		op   func(n int)
	}{
		{"new-supplier", func(n int) { issue(orgnr.Swedish(1000 + n)) }},
		{"returning-supplier", func(int) {
			if carried = issue(returning); len(carried.Answers) == 0 {
				b.Fatal("nothing carried")
			}
		}},
		{"raw-driver", func(n int) {
			var m bson.M
			if err := svc.store.Database().Collection("assessments").FindOne(ctx, bson.D{{Key: "_id", Value: carried.ID}}).Decode(&m); err != nil {
				b.Fatal(err)
			}
			m["_id"] = fmt.Sprintf("raw-%d-%d", time.Now().UnixNano(), n)
			if _, err := svc.store.Database().Collection("assessments").InsertOne(ctx, m); err != nil {
				b.Fatal(err)
			}
		}},
	} {
		timed(b, results, bench.name, bench.op)
	}
	if results["raw-driver"] > 0 {
		b.Logf("µs per issue: new %.0f, returning %.0f; raw insert %.0f; returning/raw = %.1f",
			results["new-supplier"], results["returning-supplier"], results["raw-driver"], results["returning-supplier"]/results["raw-driver"])
	}
}

// benchInput is a follow-up to issue to the supplier with number org.
func benchInput(org string) followup.IssueInput {
	return followup.IssueInput{
		Supplier:    assessment.Supplier{Name: "Bänk AB", OrgNumber: org, Country: "SE", ContactName: "B", ContactEmail: "b@bank.se"},
		ContractRef: "BENCH", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv",
		DueDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly), ForceNew: true,
	}
}

// timed runs op as sub-benchmark name and keeps its µs per operation in
// results, for the ratios logged at the end.
func timed(b *testing.B, results map[string]float64, name string, op func(n int)) {
	b.Run(name, func(b *testing.B) {
		start := time.Now()
		for n := range b.N {
			op(n)
		}
		results[name] = float64(time.Since(start).Microseconds()) / float64(b.N)
	})
}

// submitted issues a follow-up for in and submits it with every question
// it asks answered, files too.
func submitted(b *testing.B, svc *service, coord *account.Principal, in followup.IssueInput) *assessment.Assessment {
	ctx := context.Background()
	first, token, err := svc.assessments.Issue(ctx, coord, "127.0.0.1", in)
	if err != nil {
		b.Fatal(err)
	}
	q, _ := svc.assessments.Questionnaire(first)
	// Answer what is missing until nothing is: answers show more questions.
	for a, round := first, 0; len(assessment.Missing(q, a.Level, a.Answers)) > 0; round++ {
		if round == 5 {
			b.Fatalf("still unanswered: %v", assessment.Missing(q, a.Level, a.Answers))
		}
		in := map[string]assessment.Input{}
		for _, id := range assessment.Missing(q, a.Level, a.Answers) {
			qu, _ := q.Question(id)
			if qu.Type == questionnaire.File {
				if a, _, err = svc.assessments.Attach(ctx, token, id, "Policy.pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
					b.Fatal(err)
				}
				continue
			}
			in[id] = assessment.Input{Value: benchValue(qu), HasValue: true}
		}
		if a, err = svc.assessments.SaveAnswers(ctx, token, a.Version, in); err != nil {
			b.Fatal(err)
		}
	}
	a, err := svc.assessments.Submit(ctx, token, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// benchValue is a plain answer to qu, nil for a file question.
func benchValue(qu *questionnaire.Question) any {
	switch qu.Type {
	case questionnaire.YesNo:
		return "no"
	case questionnaire.Single:
		return qu.Options[0].ID
	case questionnaire.Multi:
		return []any{qu.Options[0].ID}
	case questionnaire.Number:
		return 12.0
	case questionnaire.Free:
		return "Svar"
	case questionnaire.Date:
		return "2026-01-15"
	}
	return nil
}
