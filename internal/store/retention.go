package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// How long what is kept only for a while is kept (see README, "Retention").
const (
	// keepFailures outlasts every window a failure counter counts in.
	keepFailures = 24 * time.Hour
	// keepSentMail is how long a delivered message stays in the outbox,
	// where coordinators check what was sent. Failed ones stay until the
	// follow-up is erased: someone has to see them.
	keepSentMail = 90 * 24 * time.Hour
	// keepClaims is how long the record of who ran a job stays.
	keepClaims = 7 * 24 * time.Hour
)

// Purged counts what one Purge deleted, by what it was.
type Purged map[string]int64

// Purge deletes sessions past their expiry, failure counters of windows
// that ended long ago, messages delivered more than keepSentMail ago and
// old job claims. Each is a range filter the engines answer by scanning the
// collection: it runs once an hour, not per request.
func (s *Store) Purge(ctx context.Context, now time.Time) (Purged, error) {
	out := Purged{}
	for _, p := range []struct {
		what, coll string
		filter     bson.D
	}{
		{"sessions", collSessions, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}}},
		{"sign-in failures", collFailures, bson.D{{Key: "since", Value: bson.D{{Key: "$lt", Value: now.Add(-keepFailures)}}}}},
		{"sent mail", collOutbox, bson.D{{Key: "error", Value: ""},
			{Key: "sentAt", Value: bson.D{{Key: "$gt", Value: time.Time{}}, {Key: "$lt", Value: now.Add(-keepSentMail)}}}}},
		{"job claims", collClaims, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: now.Add(-keepClaims)}}}}},
	} {
		res, err := s.db.Collection(p.coll).DeleteMany(ctx, p.filter)
		if err != nil {
			return out, fmt.Errorf("purge %s: %w", p.what, mapError(err))
		}
		out[p.what] = res.DeletedCount
	}
	return out, nil
}

// Claim tells whether this instance is the one to run job for the period
// that starts at period: the first to insert the claim wins, on every
// engine and however many instances ask at once.
func (s *Store) Claim(ctx context.Context, job string, period time.Time) (bool, error) {
	id := job + "@" + period.UTC().Format(time.RFC3339)
	err := insertOne(ctx, s.db.Collection(collClaims), bson.D{{Key: "_id", Value: id}, {Key: "at", Value: period}})
	if errors.Is(err, ErrDuplicateKey) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", id, err)
	}
	return true, nil
}
