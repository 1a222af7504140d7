package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection names.
const (
	collQuestionnaireVersions = "questionnaire_versions"
	collUsers                 = "users"
	collSessions              = "sessions"
	collTokens                = "api_tokens"
	collEvents                = "events"
	collFailures              = "sign_in_failures"
)

// collections lists every collection with its secondary indexes. Each is
// created at start, so the embedded server's tables exist to be indexed.
var collections = []struct {
	name    string
	indexes []mongo.IndexModel
}{
	{name: collQuestionnaireVersions},
	{name: collUsers, indexes: []mongo.IndexModel{
		{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true).SetName("email_unique")},
	}},
	{name: collSessions, indexes: []mongo.IndexModel{{Keys: bson.D{{Key: "userId", Value: 1}}}}},
	{name: collTokens, indexes: []mongo.IndexModel{{Keys: bson.D{{Key: "userId", Value: 1}}}}},
	{name: collEvents, indexes: []mongo.IndexModel{
		{Keys: bson.D{{Key: "at", Value: -1}}},
		{Keys: bson.D{{Key: "action", Value: 1}, {Key: "at", Value: -1}}},
	}},
	{name: collFailures},
}

// ensureSchema creates missing collections and indexes. It is idempotent and
// safe to run from several instances at once.
func (s *Store) ensureSchema(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, c := range collections {
		if !slices.Contains(existing, c.name) {
			err := s.db.CreateCollection(ctx, c.name)
			var ce mongo.CommandError
			if err != nil && !(errors.As(err, &ce) && ce.Name == "NamespaceExists") {
				return fmt.Errorf("create collection %s: %w", c.name, err)
			}
		}
		if len(c.indexes) > 0 {
			if _, err := s.db.Collection(c.name).Indexes().CreateMany(ctx, c.indexes); err != nil {
				return fmt.Errorf("create indexes on %s: %w", c.name, err)
			}
		}
	}
	if s.embedded != nil {
		if err := s.embedded.indexIDs(ctx, s.db.Name()); err != nil {
			return fmt.Errorf("index embedded tables: %w", err)
		}
	}
	return nil
}
