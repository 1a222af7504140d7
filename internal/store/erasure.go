package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/assessment"
)

// replacer replaces every erased name and address in a text by its pseudonym.
func replacer(p assessment.Pseudonyms) *strings.Replacer {
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		pairs = append(pairs, k, p[k])
	}
	return strings.NewReplacer(pairs...)
}

// Erase replaces the erased names and addresses in the messages of the
// follow-ups ids: the recipient and the text.
func (o *Outbox) Erase(ctx context.Context, ids []string, p assessment.Pseudonyms) error {
	return replaceIn(ctx, o.s.db.Collection(collOutbox), bson.D{{Key: "assessmentId", Value: bson.D{{Key: "$in", Value: ids}}}}, p, "to", "body")
}

// EraseEvents replaces the erased names and addresses in the audit log:
// events the contact made, and events about the follow-ups ids. It is the
// one change the log ever takes; the events themselves stay.
func (a *Accounts) EraseEvents(ctx context.Context, ids []string, p assessment.Pseudonyms) error {
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "subject", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "actor", Value: bson.D{{Key: "$in", Value: slices.Collect(maps.Keys(p))}}}},
	}}}
	return replaceIn(ctx, a.coll(collEvents), filter, p, "actor", "detail")
}

// replaceIn replaces the erased names and addresses in the text fields of
// every document of coll that matches filter, writing only those it changes.
func replaceIn(ctx context.Context, coll *mongo.Collection, filter bson.D, p assessment.Pseudonyms, fields ...string) error {
	var docs []bson.M
	if err := findAll(ctx, coll, filter, options.Find(), &docs); err != nil {
		return fmt.Errorf("find in %s to erase: %w", coll.Name(), err)
	}
	r := replacer(p)
	for _, d := range docs {
		set := bson.D{}
		for _, f := range fields {
			if v, ok := d[f].(string); ok && r.Replace(v) != v {
				set = append(set, bson.E{Key: f, Value: r.Replace(v)})
			}
		}
		if len(set) == 0 {
			continue
		}
		if err := updateByID(ctx, coll, d["_id"], bson.D{{Key: "$set", Value: set}}); err != nil {
			return fmt.Errorf("erase in %s %v: %w", coll.Name(), d["_id"], err)
		}
	}
	return nil
}
