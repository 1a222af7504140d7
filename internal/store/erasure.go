package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
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
	coll := o.s.db.Collection(collOutbox)
	var docs []messageDoc
	if err := findAll(ctx, coll, bson.D{{Key: "assessmentId", Value: bson.D{{Key: "$in", Value: ids}}}}, options.Find(), &docs); err != nil {
		return fmt.Errorf("find messages to erase: %w", err)
	}
	r := replacer(p)
	for _, d := range docs {
		to, body := r.Replace(d.To), r.Replace(d.Body)
		if to == d.To && body == d.Body {
			continue
		}
		if err := updateByID(ctx, coll, d.ID, bson.D{{Key: "$set", Value: bson.D{{Key: "to", Value: to}, {Key: "body", Value: body}}}}); err != nil {
			return fmt.Errorf("erase message %s: %w", d.ID, err)
		}
	}
	return nil
}

// EraseEvents replaces the erased names and addresses in the audit log:
// events the contact made, and events about the follow-ups ids. It is the
// one change the log ever takes; the events themselves stay.
func (a *Accounts) EraseEvents(ctx context.Context, ids []string, p assessment.Pseudonyms) error {
	coll := a.coll(collEvents)
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "subject", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "actor", Value: bson.D{{Key: "$in", Value: slices.Collect(maps.Keys(p))}}}},
	}}}
	var docs []eventDoc
	if err := findAll(ctx, coll, filter, options.Find(), &docs); err != nil {
		return fmt.Errorf("find events to erase: %w", err)
	}
	r := replacer(p)
	for _, d := range docs {
		actor, detail := r.Replace(d.Actor), r.Replace(d.Detail)
		if actor == d.Actor && detail == d.Detail {
			continue
		}
		if err := updateByID(ctx, coll, d.ID, bson.D{{Key: "$set", Value: bson.D{{Key: "actor", Value: actor}, {Key: "detail", Value: detail}}}}); err != nil {
			return fmt.Errorf("erase event %s: %w", d.ID, err)
		}
	}
	return nil
}
