package main

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/orgnr"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/scoring"
)

// BenchmarkJudge: the desk audit changing a verdict on a submitted
// follow-up whose every requirement has one (the verified score and risk
// made again, the trail written, in one conditional write); and, on the
// same database in the same run, the raw driver reading and replacing
// that document.
//
//	go test ./cmd/saq -run '^$' -bench Judge -benchtime 100x
func BenchmarkJudge(b *testing.B) {
	ctx := context.Background()
	svc, _ := serveLoopback(b, "judge")
	coord := &account.Principal{Email: "bench@skane.se", Role: account.Coordinator, Region: "skane"}
	a := submitted(b, svc, coord, benchInput(orgnr.Swedish(7)))
	verdicts := func(v scoring.Verdict) []review.VerdictInput {
		var in []review.VerdictInput
		for id, r := range a.Score.Requirements {
			if r.Max > 0 {
				in = append(in, review.VerdictInput{Requirement: id, Verdict: v})
			}
		}
		return in
	}
	// Every requirement judged once; then each call changes one verdict, as
	// a reviewer does while going through the documents, so each is a real
	// write and the trail grows as it would.
	all := verdicts(scoring.Verified)
	if _, err := svc.reviews.Judge(ctx, coord, "127.0.0.1", a.ID, all); err != nil {
		b.Fatal(err)
	}
	each := [][]review.VerdictInput{{{Requirement: all[0].Requirement, Verdict: scoring.PartlyVerified}}, all[:1]}
	coll := svc.store.Database().Collection("assessments")
	results := map[string]float64{}
	for _, bench := range []struct {
		name string
		op   func(n int)
	}{
		{"judge", func(n int) {
			if _, err := svc.reviews.Judge(ctx, coord, "127.0.0.1", a.ID, each[n%2]); err != nil {
				b.Fatal(err)
			}
		}},
		{"raw-driver", func(int) {
			var m bson.M
			if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: a.ID}}).Decode(&m); err != nil {
				b.Fatal(err)
			}
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "version", Value: m["version"]}}, m); err != nil {
				b.Fatal(err)
			}
		}},
	} {
		timed(b, results, bench.name, bench.op)
	}
	if results["raw-driver"] > 0 {
		b.Logf("µs per verdict saved (of %d judged): judge %.0f; raw read and replace %.0f; judge/raw = %.1f",
			len(all), results["judge"], results["raw-driver"], results["judge"]/results["raw-driver"])
	}
}
