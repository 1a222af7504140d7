package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/notify"
)

// Outbox keeps every message the service sends. It implements notify.Outbox.
type Outbox struct{ s *Store }

var _ notify.Outbox = (*Outbox)(nil)

// Outbox returns the message store.
func (s *Store) Outbox() *Outbox { return &Outbox{s} }

type messageDoc struct {
	ID           string    `bson:"_id"`
	Kind         string    `bson:"kind"`
	AssessmentID string    `bson:"assessmentId"`
	Region       string    `bson:"region"`
	To           string    `bson:"to"`
	Subject      string    `bson:"subject"`
	Body         string    `bson:"body"`
	CreatedAt    time.Time `bson:"createdAt"`
	SentAt       time.Time `bson:"sentAt"`
	Error        string    `bson:"error"`
}

// Add keeps a message; an id already kept gives ErrDuplicateKey, which is
// how only one instance sends a given day's reminder.
func (o *Outbox) Add(ctx context.Context, m notify.Message) error {
	return insertOne(ctx, o.s.db.Collection(collOutbox), messageDoc(m))
}

func (o *Outbox) MarkSent(ctx context.Context, id string, at time.Time, failure string) error {
	return updateByID(ctx, o.s.db.Collection(collOutbox), id, bson.D{{Key: "$set", Value: bson.D{{Key: "sentAt", Value: at}, {Key: "error", Value: failure}}}})
}

func (o *Outbox) List(ctx context.Context, region string, limit int) ([]notify.Message, error) {
	filter := bson.D{}
	if region != "" {
		filter = append(filter, bson.E{Key: "region", Value: region})
	}
	var docs []messageDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit))
	if err := findAll(ctx, o.s.db.Collection(collOutbox), filter, opts, &docs); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out := make([]notify.Message, len(docs))
	for i, d := range docs {
		out[i] = notify.Message(d)
	}
	return out, nil
}
