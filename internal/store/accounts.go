package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/account"
)

// Accounts stores users, sessions, API tokens, audit events and failed
// sign-in counters. It implements account.Repo.
type Accounts struct{ s *Store }

// Accounts returns the account repository.
func (s *Store) Accounts() *Accounts { return &Accounts{s} }

var _ account.Repo = (*Accounts)(nil)

type userDoc struct {
	ID                string    `bson:"_id"`
	Email             string    `bson:"email"`
	Name              string    `bson:"name"`
	Role              string    `bson:"role"`
	Region            string    `bson:"region"`
	PasswordHash      string    `bson:"passwordHash"`
	PasswordOff       bool      `bson:"passwordOff,omitempty"`
	Provider          string    `bson:"provider,omitempty"`
	Disabled          bool      `bson:"disabled"`
	CreatedAt         time.Time `bson:"createdAt"`
	PasswordChangedAt time.Time `bson:"passwordChangedAt"`
}

func toUserDoc(u account.User) userDoc {
	return userDoc{u.ID, u.Email, u.Name, string(u.Role), u.Region, u.PasswordHash, u.PasswordOff, u.Provider, u.Disabled, u.CreatedAt, u.PasswordChangedAt}
}

func (d userDoc) user() account.User {
	return account.User{ID: d.ID, Email: d.Email, Name: d.Name, Role: account.Role(d.Role), Region: d.Region,
		PasswordHash: d.PasswordHash, PasswordOff: d.PasswordOff, Provider: d.Provider, Disabled: d.Disabled, CreatedAt: d.CreatedAt, PasswordChangedAt: d.PasswordChangedAt}
}

func (a *Accounts) coll(name string) *mongo.Collection { return a.s.db.Collection(name) }

func (a *Accounts) InsertUser(ctx context.Context, u account.User) error {
	return insertOne(ctx, a.coll(collUsers), toUserDoc(u))
}

func (a *Accounts) UpdateUser(ctx context.Context, u account.User) error {
	_, err := a.coll(collUsers).ReplaceOne(ctx, bson.D{{Key: "_id", Value: u.ID}}, toUserDoc(u))
	return mapError(err)
}

func (a *Accounts) UserByID(ctx context.Context, id string) (account.User, error) {
	var d userDoc
	err := findByID(ctx, a.coll(collUsers), id, &d)
	return d.user(), err
}

func (a *Accounts) UserByEmail(ctx context.Context, email string) (account.User, error) {
	var d userDoc
	err := mapError(a.coll(collUsers).FindOne(ctx, bson.D{{Key: "email", Value: email}}).Decode(&d))
	return d.user(), err
}

func (a *Accounts) Users(ctx context.Context) ([]account.User, error) {
	var docs []userDoc
	if err := findAll(ctx, a.coll(collUsers), bson.D{}, options.Find().SetSort(bson.D{{Key: "email", Value: 1}}), &docs); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users := make([]account.User, len(docs))
	for i, d := range docs {
		users[i] = d.user()
	}
	return users, nil
}

func (a *Accounts) CountUsers(ctx context.Context, role account.Role) (int, error) {
	n, err := a.coll(collUsers).CountDocuments(ctx, bson.D{{Key: "role", Value: string(role)}, {Key: "disabled", Value: false}})
	return int(n), mapError(err)
}

type sessionDoc struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"userId"`
	CSRF      string    `bson:"csrf"`
	Provider  string    `bson:"provider,omitempty"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

func (a *Accounts) InsertSession(ctx context.Context, s account.Session) error {
	return insertOne(ctx, a.coll(collSessions), sessionDoc(s))
}

func (a *Accounts) Session(ctx context.Context, id string) (account.Session, error) {
	var d sessionDoc
	err := findByID(ctx, a.coll(collSessions), id, &d)
	return account.Session(d), err
}

func (a *Accounts) DeleteSession(ctx context.Context, id string) error {
	_, err := a.coll(collSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return mapError(err)
}

func (a *Accounts) DeleteSessionsOf(ctx context.Context, userID string) error {
	_, err := a.coll(collSessions).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}})
	return mapError(err)
}

type tokenDoc struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"userId"`
	Hint      string    `bson:"hint"`
	CreatedAt time.Time `bson:"createdAt"`
	RevokedAt time.Time `bson:"revokedAt"`
}

func (a *Accounts) InsertToken(ctx context.Context, t account.Token) error {
	return insertOne(ctx, a.coll(collTokens), tokenDoc(t))
}

func (a *Accounts) Token(ctx context.Context, id string) (account.Token, error) {
	var d tokenDoc
	err := findByID(ctx, a.coll(collTokens), id, &d)
	return account.Token(d), err
}

func (a *Accounts) UpdateToken(ctx context.Context, t account.Token) error {
	_, err := a.coll(collTokens).ReplaceOne(ctx, bson.D{{Key: "_id", Value: t.ID}}, tokenDoc(t))
	return mapError(err)
}

func (a *Accounts) TokensOf(ctx context.Context, userID string) ([]account.Token, error) {
	var docs []tokenDoc
	if err := findAll(ctx, a.coll(collTokens), bson.D{{Key: "userId", Value: userID}}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}), &docs); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	tokens := make([]account.Token, len(docs))
	for i, d := range docs {
		tokens[i] = account.Token(d)
	}
	return tokens, nil
}

type eventDoc struct {
	ID      string    `bson:"_id"`
	At      time.Time `bson:"at"`
	Actor   string    `bson:"actor"`
	IP      string    `bson:"ip"`
	Action  string    `bson:"action"`
	Subject string    `bson:"subject"`
	Detail  string    `bson:"detail"`
}

// AddEvent appends an audit event. Events are never deleted, and changed
// only to erase personal data (EraseEvents).
func (a *Accounts) AddEvent(ctx context.Context, e account.Event) error {
	if err := insertOne(ctx, a.coll(collEvents), eventDoc(e)); err != nil {
		a.s.log.ErrorContext(ctx, "audit event lost", "action", e.Action, "subject", e.Subject, "err", err)
		return fmt.Errorf("record %s: %w", e.Action, err)
	}
	return nil
}

func (a *Accounts) Events(ctx context.Context, f account.EventFilter) ([]account.Event, error) {
	filter := bson.D{}
	for _, kv := range []struct{ k, v string }{{"action", f.Action}, {"actor", f.Actor}, {"subject", f.Subject}} {
		if kv.v != "" {
			filter = append(filter, bson.E{Key: kv.k, Value: kv.v})
		}
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From})
	}
	if !f.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: f.To})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	var docs []eventDoc
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(f.Limit))
	if err := findAll(ctx, a.coll(collEvents), filter, opts, &docs); err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	events := make([]account.Event, len(docs))
	for i, d := range docs {
		events[i] = account.Event(d)
	}
	return events, nil
}

// attemptDoc is one claimed attempt: the n-th of its key and window holds
// the slot "<key>|<window>#<n>". Inserting into the first free slot is the
// counter: a unique _id is atomic on every engine, where an upserted $inc
// is not (concurrent upserts lost counts on FerretDB, and some failed).
type attemptDoc struct {
	ID    string    `bson:"_id"`
	Since time.Time `bson:"since"` // the window, for the purge
	At    time.Time `bson:"at"`    // when the slot was claimed, for delays
}

// maxAttemptSlots caps what a counter counts: more than any limit uses.
const maxAttemptSlots = account.MaxAttemptSlots

func attemptID(key string, window time.Time, n int) string {
	return fmt.Sprintf("%s|%d#%d", key, window.Unix(), n)
}

// ClaimAttempt takes slot n of key in window. It returns
// apperr.ErrDuplicate when another request, on any instance, took it first.
func (a *Accounts) ClaimAttempt(ctx context.Context, key string, window time.Time, n int, at time.Time) error {
	if n < 1 || n > maxAttemptSlots {
		return fmt.Errorf("claim attempt %d of %s: out of range", n, key)
	}
	err := insertOne(ctx, a.coll(collFailures), attemptDoc{ID: attemptID(key, window, n), Since: window, At: at})
	if err != nil && !errors.Is(err, ErrDuplicateKey) {
		return fmt.Errorf("claim attempt of %s: %w", key, err)
	}
	return err
}

// ReleaseAttempt frees slot n of key in window (an attempt that turned out
// not to count). A gap it leaves is filled by the next claim.
func (a *Accounts) ReleaseAttempt(ctx context.Context, key string, window time.Time, n int) error {
	if _, err := a.coll(collFailures).DeleteOne(ctx, bson.D{{Key: "_id", Value: attemptID(key, window, n)}}); err != nil {
		return fmt.Errorf("release attempt of %s: %w", key, err)
	}
	return nil
}

// Attempts is how many attempts key has claimed in window, and when the
// last was claimed: slots fill from 1 up, so a binary search over them
// finds the top in a few lookups by _id.
func (a *Accounts) AttemptTaken(ctx context.Context, key string, window time.Time, n int) (bool, error) {
	var d attemptDoc
	err := findByID(ctx, a.coll(collFailures), attemptID(key, window, n), &d)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (a *Accounts) Attempts(ctx context.Context, key string, window time.Time) (int, time.Time, error) {
	lo, hi := 0, maxAttemptSlots // slot lo is taken (0 always), hi+1 is free
	var last time.Time
	for lo < hi {
		mid := (lo + hi + 1) / 2
		var d attemptDoc
		err := findByID(ctx, a.coll(collFailures), attemptID(key, window, mid), &d)
		switch {
		case err == nil:
			lo, last = mid, d.At
		case errors.Is(err, ErrNotFound):
			hi = mid - 1
		default:
			return 0, time.Time{}, fmt.Errorf("count attempts of %s: %w", key, err)
		}
	}
	return lo, last, nil
}
