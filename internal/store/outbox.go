package store

import (
	"context"
	"fmt"
	"slices"
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
	ReplyTo      string    `bson:"replyTo"`
	Lang         string    `bson:"lang"`
	Subject      string    `bson:"subject"`
	Body         string    `bson:"body"`
	Link         string    `bson:"-"`
	Sealed       string    `bson:"sealed,omitempty"`
	CreatedAt    time.Time `bson:"createdAt"`
	State        string    `bson:"state"`
	Attempts     int       `bson:"attempts"`
	NextAttempt  time.Time `bson:"nextAttempt"`
	SentAt       time.Time `bson:"sentAt"`
	Error        string    `bson:"error"`
}

// Add keeps a message; an id already kept gives ErrDuplicateKey, which is
// how only one instance sends a given day's reminder.
func (o *Outbox) Add(ctx context.Context, m notify.Message) error {
	return insertOne(ctx, o.s.db.Collection(collOutbox), messageDoc(m))
}

// Record sets a message's delivery.
// A sent or failed message's link is dropped: it is not needed again.
func (o *Outbox) Record(ctx context.Context, id string, d notify.Delivery) error {
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "state", Value: d.State}, {Key: "attempts", Value: d.Attempts}, {Key: "nextAttempt", Value: d.NextAttempt},
		{Key: "sentAt", Value: d.SentAt}, {Key: "error", Value: d.Error}}}}
	if d.State == notify.Sent || d.State == notify.Failed {
		update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "sealed", Value: ""}}})
	}
	return updateByID(ctx, o.s.db.Collection(collOutbox), id, update)
}

// Due returns up to limit queued or retrying messages due by now, oldest
// first. It asks by state alone, which FerretDB answers from the database
// (it filters other conditions in Go); few messages wait at any time.
func (o *Outbox) Due(ctx context.Context, now time.Time, limit int) ([]notify.Message, error) {
	var due []notify.Message
	for _, state := range []string{notify.Queued, notify.Retrying} {
		var docs []messageDoc
		if err := findAll(ctx, o.s.db.Collection(collOutbox), bson.D{{Key: "state", Value: state}}, options.Find(), &docs); err != nil {
			return nil, fmt.Errorf("due mail: %w", err)
		}
		for _, d := range docs {
			if !d.NextAttempt.After(now) {
				due = append(due, notify.Message(d))
			}
		}
	}
	slices.SortFunc(due, func(a, b notify.Message) int { return a.NextAttempt.Compare(b.NextAttempt) })
	return due[:min(limit, len(due))], nil
}

func (o *Outbox) Get(ctx context.Context, id string) (notify.Message, error) {
	var d messageDoc
	err := findByID(ctx, o.s.db.Collection(collOutbox), id, &d)
	return notify.Message(d), err
}

func (o *Outbox) List(ctx context.Context, region string, before *notify.Message, limit int) ([]notify.Message, error) {
	filter := bson.D{}
	if region != "" {
		filter = append(filter, bson.E{Key: "region", Value: region})
	}
	if before != nil { // after it in the order below: older, or as old and a later id
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before.CreatedAt}}}},
			bson.D{{Key: "createdAt", Value: before.CreatedAt}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: before.ID}}}},
		}})
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
