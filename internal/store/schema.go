package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
	collMeta                  = "saq_meta"     // what shape of stored data the database holds
	collClaims                = "job_claims"   // which instance runs a scheduled job for a period
	collDaily                 = "daily_counts" // the dashboard's trend: counts a day and region
)

// retired are collections earlier versions kept: the summaries apart from
// their assessments, their change log, and the revisions of each version.
// They are dropped once the list lives in the assessment (see upgradeLists):
// the revisions held contact persons' names an erasure must not leave.
var retired = []string{"assessment_summaries", "summary_changes", "assessment_revisions"}

// listIndexes are what lists filter and sort on, in the database on the
// server path. The embedded engine keeps its lists in memory instead (its
// indexes would cost every write and serve no query).
var listIndexes = []mongo.IndexModel{
	// One per sort, in its descending order (an ascending sort reads it
	// backwards): a page is the first rows of an index, read in order where
	// the server can (DocumentDB's ordered index method, see
	// docs/STORE.md). A region's default page has its own, the page most
	// asked for; other filters are checked on the rows as they are read.
	index("list_issued", "list.issuedAt", -1, "_id", 1),
	index("list_region_issued", "list.region", 1, "list.issuedAt", -1, "_id", 1),
	index("list_due_issued", "list.dueDate", -1, "list.issuedAt", -1, "_id", 1),
	index("list_supplier", "keys.name", -1, "list.issuedAt", -1, "_id", 1),
	index("list_score", "keys.score", -1, "list.issuedAt", -1, "_id", 1),
	index("list_submitted", "list.submittedAt", -1, "list.issuedAt", -1, "_id", 1),
	index("list_orgNumber", "list.orgNumber", 1),
	// A search is a regular expression on the keys' text: the database
	// matches it against the index's terms (one a follow-up) instead of
	// reading every document (20 ms against 250 ms at 100,000).
	index("keys_search", "keys.search", 1),
}

// retiredIndexes are list indexes earlier versions made. They are dropped
// at start: an index whose first fields a filter names but whose order no
// sort asks for makes DocumentDB's planner sort whole documents instead
// of reading an index in order.
var retiredIndexes = []string{"list_status_issued", "list_riskArea_issued", "list_region_status_issued", "list_due"}

// collections lists every collection with its secondary indexes. Each is
// created at start, so the embedded server's tables exist to be indexed.
var collections = []struct {
	name    string
	indexes []mongo.IndexModel
}{
	{name: collQuestionnaireVersions},
	// An address has one account by its id (account.UserID), not by a
	// unique index: DocumentDB's ordered index method cannot build unique
	// ones. Databases made before keep their "email_unique" as well.
	{name: collUsers, indexes: []mongo.IndexModel{index("email_1", "email", 1)}},
	{name: collSessions, indexes: []mongo.IndexModel{index("userId_1", "userId", 1)}},
	{name: collTokens, indexes: []mongo.IndexModel{index("userId_1", "userId", 1)}},
	{name: collEvents, indexes: []mongo.IndexModel{
		index("at_-1", "at", -1),
		index("action_1_at_-1", "action", 1, "at", -1),
	}},
	{name: collFailures},
	{name: collAssessments}, // written by _id (and version); lists read its "list" (listIndexes)
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
			if err := retryTwin(ctx, func() error { return s.db.CreateCollection(ctx, c.name) }); err != nil {
				return fmt.Errorf("create collection %s: %w", c.name, err)
			}
		}
		if err := s.ensureIndexes(ctx, c.name, c.indexes); err != nil {
			return err
		}
	}
	if s.embedded == nil {
		if err := s.dropIndexes(ctx, collAssessments, retiredIndexes); err != nil {
			return err
		}
		if err := s.ensureIndexes(ctx, collAssessments, listIndexes); err != nil {
			return err
		}
	}
	if err := s.upgradeLists(ctx, slices.Contains(existing, collAssessments)); err != nil {
		return err
	}
	if s.embedded != nil {
		if err := s.embedded.IndexIDs(ctx, s.db.Name()); err != nil {
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

// ensureIndexes creates the indexes not yet there, by name, one at a time:
// asking for an existing index again is harmless on MongoDB but makes
// FerretDB v1 fail on compound and descending keys, and an instance
// starting beside this one may create the same index at the same moment,
// which is success too.
func (s *Store) ensureIndexes(ctx context.Context, coll string, models []mongo.IndexModel) error {
	if len(models) == 0 {
		return nil
	}
	view := s.db.Collection(coll).Indexes()
	specs, err := view.ListSpecifications(ctx)
	if err != nil {
		return fmt.Errorf("list indexes on %s: %w", coll, err)
	}
	for _, m := range models {
		var opts options.IndexOptions
		for _, set := range m.Options.List() {
			_ = set(&opts)
		}
		if slices.ContainsFunc(specs, func(sp mongo.IndexSpecification) bool { return opts.Name != nil && sp.Name == *opts.Name }) {
			continue
		}
		if err := retryTwin(ctx, func() error { _, err := view.CreateOne(ctx, m); return err }); err != nil {
			return fmt.Errorf("create index %s on %s: %w", *opts.Name, coll, err)
		}
	}
	return nil
}

// dropIndexes drops the named indexes that are there; one a twin dropped
// first is gone too.
func (s *Store) dropIndexes(ctx context.Context, coll string, names []string) error {
	view := s.db.Collection(coll).Indexes()
	specs, err := view.ListSpecifications(ctx)
	if err != nil {
		return fmt.Errorf("list indexes on %s: %w", coll, err)
	}
	for _, sp := range specs {
		if !slices.Contains(names, sp.Name) {
			continue
		}
		if err := view.DropOne(ctx, sp.Name); err != nil && !indexGone(err) {
			return fmt.Errorf("drop index %s on %s: %w", sp.Name, coll, err)
		}
	}
	return nil
}

// indexGone tells whether a drop failed only because the index was gone.
func indexGone(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Name == "IndexNotFound" || ce.Code == 27)
}

// retryTwin runs create until it succeeds, fails because a twin created
// the same thing first (success too), or fails otherwise. A create that
// collided with a twin's (PostgreSQL under DocumentDB answers "deadlock
// detected" and undoes it) is tried again, a few times.
func retryTwin(ctx context.Context, create func() error) error {
	for attempt := 1; ; attempt++ {
		err := create()
		if err == nil || alreadyThere(err) {
			return nil
		}
		if attempt == 10 || !collided(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * 10 * time.Millisecond):
		}
	}
}

// collided tells whether a schema change failed for colliding with a
// concurrent one, and nothing of it was done.
func collided(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "deadlock detected") || strings.Contains(msg, "could not serialize") ||
		strings.Contains(msg, "concurrent") || strings.Contains(msg, "tuple concurrently updated")
}

// alreadyThere tells whether a create failed only because a twin created
// the same thing first.
func alreadyThere(err error) bool {
	var ce mongo.CommandError
	if errors.As(err, &ce) {
		switch ce.Name {
		case "NamespaceExists", "IndexAlreadyExists", "IndexOptionsConflict", "IndexKeySpecsConflict":
			return true
		}
		switch ce.Code {
		case 48, 68, 85, 86: // the same, by number
			return true
		}
	}
	return mongo.IsDuplicateKeyError(err)
}

// listsVersion marks a database whose assessments carry their list.
const listsVersion = 1

// upgradeLists writes the list into every assessment stored before it
// lived there, drops the collections that held it apart (retired), and
// records that it did, so a start after that reads nothing more. Each
// write is conditional on the version read, so an instance writing the
// same assessment meanwhile wins; instances starting together do the same
// work, harmlessly.
func (s *Store) upgradeLists(ctx context.Context, haveAssessments bool) error {
	var meta struct {
		Version int `bson:"version"`
	}
	err := findByID(ctx, s.db.Collection(collMeta), "lists", &meta)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("read the lists' version: %w", err)
	}
	if meta.Version >= listsVersion {
		return nil
	}
	if haveAssessments {
		if err := s.writeMissingLists(ctx); err != nil {
			return err
		}
	}
	for _, name := range retired {
		if err := retryTwin(ctx, func() error { return s.db.Collection(name).Drop(ctx) }); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
	}
	_, err = s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: "lists"}},
		bson.D{{Key: "_id", Value: "lists"}, {Key: "version", Value: listsVersion}}, options.Replace().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) { // a twin upserted it first
		return fmt.Errorf("record the lists' version: %w", mapError(err))
	}
	return nil
}

// writeMissingLists sets the list of each assessment that has none.
func (s *Store) writeMissingLists(ctx context.Context) error {
	coll := s.db.Collection(collAssessments)
	cur, err := coll.Find(ctx, bson.D{{Key: "list", Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return fmt.Errorf("find assessments without their list: %w", mapError(err))
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) {
		var d assessmentDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("read an assessment without its list: %w", err)
		}
		nd := toAssessmentDoc(d.assessment())
		if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "version", Value: d.Version}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "list", Value: nd.List}, {Key: "keys", Value: nd.Keys}}}, {Key: "$unset", Value: bson.D{{Key: "pending", Value: ""}}}}); err != nil {
			return fmt.Errorf("write the list of %s: %w", d.ID, mapError(err))
		}
		n++
	}
	if n > 0 {
		s.log.Info("lists written into existing assessments", "count", n)
	}
	return cur.Err()
}
