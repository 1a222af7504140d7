package store_test

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/assessment"

	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

// BenchmarkByID shows lookups and updates by _id staying flat as a collection
// grows from 1 000 to 20 000 documents. On the embedded engine the "noindex"
// runs show what the _id expression index saves (see DESIGN.md, Storage).
//
//	go test ./internal/store -run '^$' -bench ByID -benchtime 2s
func BenchmarkByID(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		for _, indexed := range []bool{true, false} {
			s := storetest.New(b)
			if s.Embedded() == false && !indexed {
				continue
			}
			fill(b, s, n)
			if indexed {
				if err := s.EnsureSchema(ctx); err != nil { // indexes the new table
					b.Fatal(err)
				}
			}
			label := map[bool]string{true: "indexed", false: "noindex"}[indexed]
			b.Run(fmt.Sprintf("find/%s/n=%d", label, n), func(b *testing.B) {
				var got thing
				for i := 0; b.Loop(); i++ {
					if err := s.FindRaw(ctx, "bench", docID(i%n), &got); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("update/%s/n=%d", label, n), func(b *testing.B) {
				inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "count", Value: 1}}}}
				for i := 0; b.Loop(); i++ {
					if err := s.UpdateRaw(ctx, "bench", docID(i%n), inc); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func fill(b *testing.B, s *store.Store, n int) {
	b.Helper()
	const batch = 1000
	for start := 0; start < n; start += batch {
		docs := make([]any, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			docs = append(docs, thing{ID: docID(i), Name: fmt.Sprintf("Leverantör %d AB", i)})
		}
		if err := s.InsertManyRaw(ctx, "bench", docs); err != nil {
			b.Fatalf("fill %d: %v", n, err)
		}
	}
}

func docID(i int) string { return fmt.Sprintf("doc-%06d", i) }

// BenchmarkSave is the cost of one change to an assessment through
// Assessments.Update (read, roll forward, claim the version with a revision,
// replace the document, write the summary) against the raw driver reading
// and replacing the same document by _id, on the same database in one run.
// SAQ_TEST_POSTGRES_URL runs it on FerretDB with PostgreSQL.
//
//	go test ./internal/store -run '^$' -bench Save -benchtime 500x
func BenchmarkSave(b *testing.B) {
	s := storetest.New(b)
	repo := s.Assessments()
	for i := range 200 {
		if err := repo.Insert(ctx, sampleAssessment(fmt.Sprintf("bg%03d", i))); err != nil {
			b.Fatal(err)
		}
	}
	if err := repo.Insert(ctx, sampleAssessment("bench")); err != nil {
		b.Fatal(err)
	}
	b.Run("update", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := repo.Update(ctx, "bench", func(a *assessment.Assessment) error {
				a.Answers["Q1.3"] = assessment.Answer{Text: fmt.Sprint(i)}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-find-replace", func(b *testing.B) {
		coll := s.Database().Collection("assessments")
		for i := 0; b.Loop(); i++ {
			var doc bson.M
			if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "bench"}}).Decode(&doc); err != nil {
				b.Fatal(err)
			}
			doc["updatedAt"] = fmt.Sprint(i)
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "bench"}}, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
