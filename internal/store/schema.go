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
	collAssessments           = "assessments"
	collLinks                 = "supplier_links"
	collFiles                 = "evidence_files"
	collChunks                = "evidence_chunks"
	collOutbox                = "outbox"
	collSummaries             = "assessment_summaries"
	collRevisions             = "assessment_revisions"
	collChanges               = "summary_changes" // the change log of the summaries (see summaryIndex)
	collMeta                  = "saq_meta"        // what version of each derived collection is stored
	collClaims                = "job_claims"      // which instance runs a scheduled job for a period
	collDaily                 = "daily_counts"    // the dashboard's trend: counts a day and region
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
	{name: collSessions, indexes: []mongo.IndexModel{index("userId_1", "userId", 1)}},
	{name: collTokens, indexes: []mongo.IndexModel{index("userId_1", "userId", 1)}},
	{name: collEvents, indexes: []mongo.IndexModel{
		index("at_-1", "at", -1),
		index("action_1_at_-1", "action", 1, "at", -1),
	}},
	{name: collFailures},
	{name: collAssessments}, // read by _id only; lists read the summaries
	{name: collSummaries},   // read whole into each process's index
	{name: collRevisions},   // read and written by _id only
	{name: collChanges},     // read, written and trimmed by _id only
	{name: collMeta},
	{name: collClaims}, // written by _id only; purged by age
	{name: collDaily},  // a document a day and region, read whole
	{name: collLinks},
	{name: collFiles},
	{name: collChunks},
	{name: collOutbox, indexes: []mongo.IndexModel{index("region_1_createdAt_-1", "region", 1, "createdAt", -1), index("state_1", "state", 1)}},
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
		if err := s.ensureIndexes(ctx, c.name, c.indexes); err != nil {
			return err
		}
	}
	if err := s.upgradeSummaries(ctx, slices.Contains(existing, collAssessments), slices.Contains(existing, collSummaries)); err != nil {
		return err
	}
	if s.embedded != nil {
		if err := s.embedded.indexIDs(ctx, s.db.Name()); err != nil {
			return fmt.Errorf("index embedded tables: %w", err)
		}
	}
	return nil
}

// index is an index model with its name, over keys given as field, order pairs.
func index(name string, keys ...any) mongo.IndexModel {
	var d bson.D
	for i := 0; i+1 < len(keys); i += 2 {
		d = append(d, bson.E{Key: keys[i].(string), Value: keys[i+1]})
	}
	return mongo.IndexModel{Keys: d, Options: options.Index().SetName(name)}
}

// ensureIndexes creates the indexes not yet there, by name. Asking for an
// existing index again is harmless on MongoDB but makes FerretDB v1 fail on
// compound and descending keys, so only missing ones are created.
func (s *Store) ensureIndexes(ctx context.Context, coll string, models []mongo.IndexModel) error {
	if len(models) == 0 {
		return nil
	}
	view := s.db.Collection(coll).Indexes()
	specs, err := view.ListSpecifications(ctx)
	if err != nil {
		return fmt.Errorf("list indexes on %s: %w", coll, err)
	}
	var missing []mongo.IndexModel
	for _, m := range models {
		var opts options.IndexOptions
		for _, set := range m.Options.List() {
			_ = set(&opts)
		}
		if !slices.ContainsFunc(specs, func(sp mongo.IndexSpecification) bool { return opts.Name != nil && sp.Name == *opts.Name }) {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := view.CreateMany(ctx, missing); err != nil {
		return fmt.Errorf("create indexes on %s: %w", coll, err)
	}
	return nil
}

// upgradeSummaries writes every summary again when the stored ones are of
// an older shape (or missing, in a database made before summaries), and
// records the version, so a start after that reads nothing more.
func (s *Store) upgradeSummaries(ctx context.Context, haveAssessments, haveSummaries bool) error {
	var meta struct {
		Version int `bson:"version"`
	}
	err := findByID(ctx, s.db.Collection(collMeta), "summaries", &meta)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("read the summaries' version: %w", err)
	}
	if meta.Version >= summariesVersion && haveSummaries {
		return nil
	}
	if haveAssessments {
		if err := s.backfillSummaries(ctx); err != nil {
			return err
		}
	}
	_, err = s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: "summaries"}},
		bson.D{{Key: "_id", Value: "summaries"}, {Key: "version", Value: summariesVersion}}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("record the summaries' version: %w", mapError(err))
	}
	return nil
}
