package store

import (
	"context"
	"fmt"

	"github.com/regionerna/saq/internal/assessment"
)

// seedBatch is how many documents Seed inserts in one command.
const seedBatch = 1000

// Seed inserts many new assessments with their links, a thousand to a
// command instead of a few round trips each: for benchmarks and
// demonstration data.
func (r *Assessments) Seed(ctx context.Context, all []*assessment.Assessment) error {
	for len(all) > 0 {
		batch := all[:min(seedBatch, len(all))]
		all = all[len(batch):]
		var docs, links []any
		for _, a := range batch {
			docs = append(docs, toAssessmentDoc(a))
			links = append(links, linkDoc{a.TokenHash, a.ID, a.IssuedAt})
		}
		for _, c := range []struct {
			coll string
			docs []any
		}{{collLinks, links}, {collAssessments, docs}} {
			if _, err := r.s.db.Collection(c.coll).InsertMany(ctx, c.docs); err != nil {
				return fmt.Errorf("seed %d assessments from %s: %w", len(batch), batch[0].ID, mapError(err))
			}
		}
		for _, d := range docs {
			r.s.local.put(d.(assessmentDoc))
		}
	}
	return nil
}
