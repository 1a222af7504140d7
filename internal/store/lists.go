package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/store/listquery"
)

// summaryDoc is what a list shows of an assessment, stored in the
// assessment's own document (field "list") and written by the same write,
// so a list never disagrees with its follow-up. Its fields match
// assessment.Summary one for one.
type summaryDoc struct {
	ID                   string                        `bson:"_id"`
	Region               string                        `bson:"region"`
	RiskArea             string                        `bson:"riskArea"`
	SupplierName         string                        `bson:"supplierName"`
	OrgNumber            string                        `bson:"orgNumber"`
	Country              string                        `bson:"country"`
	ContractRef          string                        `bson:"contractRef"`
	Questionnaire        string                        `bson:"questionnaire"`
	QuestionnaireVersion int                           `bson:"questionnaireVersion"`
	Level                questionnaire.Level           `bson:"level"`
	Status               assessment.Status             `bson:"status"`
	DueDate              string                        `bson:"dueDate"`
	IssuedAt             time.Time                     `bson:"issuedAt"`
	SubmittedAt          time.Time                     `bson:"submittedAt"`
	ClosedAt             time.Time                     `bson:"closedAt"`
	Progress             int                           `bson:"progress"`
	Total                *float64                      `bson:"total"`
	Verified             *float64                      `bson:"verified,omitempty"`
	Judged               int                           `bson:"judged,omitempty"`
	Judgeable            int                           `bson:"judgeable,omitempty"`
	Areas                map[string]*float64           `bson:"areas,omitempty"`
	Risk                 string                        `bson:"risk,omitempty"`
	ReusedFrom           string                        `bson:"reusedFrom,omitempty"`
	CarriedFrom          string                        `bson:"carriedFrom,omitempty"`
	Deviations           []assessment.DeviationSummary `bson:"deviations,omitempty"`
	ContactErased        bool                          `bson:"contactErased,omitempty"`
	Invitation           string                        `bson:"invitation,omitempty"`
}

// listProjection reads only what lists show; listFields finds with it.
var (
	listProjection = bson.D{{Key: "list", Value: 1}, {Key: "version", Value: 1}}
	listFields     = options.Find().SetProjection(listProjection)
)

// listed is an assessment document as a list reads it.
type listed struct {
	Version int64      `bson:"version"`
	List    summaryDoc `bson:"list"`
}

// List returns one page of the summaries that match q on day today, and
// how many match in all: on the server path filtered, counted, sorted and
// paged by the database from its indexes (Build); on the embedded
// engine from this process's index.
func (r *Assessments) List(ctx context.Context, q listing.Query, today string) (listing.Page, error) {
	if r.s.local != nil {
		c, err := r.localCatalog(ctx)
		if err != nil {
			return listing.Page{}, err
		}
		return c.Select(q, today), nil
	}
	page, per := q.Window()
	p := listing.Page{Page: page, PerPage: per}
	filter, sort := listquery.Build(q, today)
	total, err := r.coll().CountDocuments(ctx, filter)
	if err != nil {
		return p, fmt.Errorf("count the list: %w", mapError(err))
	}
	p.Total = int(total)
	opts := options.Find().SetProjection(listProjection).SetSort(sort).SetLimit(int64(per))
	switch skip := int64(page-1) * int64(per); {
	case q.Before != nil: // the last rows before the cursor: the first ones read backwards
		opts.SetSort(reversed(sort))
	case q.After == nil && skip >= total:
		return p, nil
	case q.After == nil:
		opts.SetSkip(skip)
	}
	items, err := r.readSummariesWith(ctx, listquery.Page(filter, q), opts)
	if err != nil {
		return p, err
	}
	if q.Before != nil {
		slices.Reverse(items)
	}
	for _, s := range items {
		p.Items = append(p.Items, *s)
	}
	return p, nil
}

// reversed is a sort read backwards.
func reversed(sort bson.D) bson.D {
	out := make(bson.D, len(sort))
	for i, f := range sort {
		out[i] = bson.E{Key: f.Key, Value: -f.Value.(int)}
	}
	return out
}

// Summaries returns the summaries that match f: on the server path
// those the database finds by f's fields.
func (r *Assessments) Summaries(ctx context.Context, f assessment.Filter) ([]assessment.Summary, error) {
	if r.s.local != nil {
		c, err := r.localCatalog(ctx)
		if err != nil {
			return nil, err
		}
		return c.Summaries(f), nil
	}
	found, err := r.readSummaries(ctx, listquery.All(listquery.Filter(f)))
	if err != nil {
		return nil, err
	}
	out := make([]assessment.Summary, len(found))
	for i, s := range found {
		out[i] = *s
	}
	return out, nil
}

// Catalog returns every summary as of the call.
func (r *Assessments) Catalog(ctx context.Context) (*listing.Catalog, error) {
	if r.s.local != nil {
		return r.localCatalog(ctx)
	}
	every, err := r.readSummaries(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	return listing.NewCatalog(every), nil
}

// localCatalog is this process's index of every summary, on the embedded
// engine, loaded on first use.
func (r *Assessments) localCatalog(ctx context.Context) (*listing.Catalog, error) {
	if err := r.s.local.index.load(ctx, r); err != nil {
		return nil, err
	}
	return r.s.local.index.catalog(), nil
}

// readSummaries reads the list fields of the assessments that match filter.
func (r *Assessments) readSummaries(ctx context.Context, filter bson.D) ([]*assessment.Summary, error) {
	return r.readSummariesWith(ctx, filter, listFields)
}

func (r *Assessments) readSummariesWith(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*assessment.Summary, error) {
	cur, err := r.coll().Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("read summaries: %w", mapError(err))
	}
	defer cur.Close(ctx)
	var all []*assessment.Summary
	for cur.Next(ctx) {
		var d listed
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("read summaries: %w", err)
		}
		s := assessment.Summary(d.List)
		all = append(all, &s)
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read summaries: %w", mapError(err))
	}
	return all, nil
}

// localIndex is, on the embedded engine, every summary in this process's
// memory: FerretDB on SQLite cannot sort or page in the database, and one
// process owns that database, so its own writes are all there is to follow.
// It is loaded from the documents once, then fed by each write as it lands.
type localIndex struct {
	loadMu  sync.Mutex
	loaded  atomic.Bool
	loading atomic.Bool

	mu       sync.RWMutex
	byID     map[string]*indexed
	snapshot *listing.Catalog // of byID, nil after a change
}

// indexed is a summary as the index holds it, never changed once made.
type indexed struct {
	s       assessment.Summary
	version int64
}

// put applies a summary written at version, unless the index holds a newer
// one (a write that landed after it). Before the load it is kept for it.
func (x *localIndex) put(s summaryDoc, version int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byID == nil {
		x.byID = map[string]*indexed{}
	}
	if old, ok := x.byID[s.ID]; !ok || old.version <= version {
		x.byID[s.ID] = &indexed{s: assessment.Summary(s), version: version}
		x.snapshot = nil
	}
}

// indexLoadTimeout bounds the one read of every summary.
const indexLoadTimeout = 5 * time.Minute

// load reads every summary once, keeping what writes put meanwhile where
// it is newer.
func (x *localIndex) load(ctx context.Context, r *Assessments) error {
	if x.loaded.Load() {
		return nil
	}
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	if x.loaded.Load() {
		return nil
	}
	x.loading.Store(true)
	defer x.loading.Store(false)
	// The load outlives the deadline of the request that happened to start
	// it (10,000 follow-ups take longer than a page's 5 s on SQLite): cut
	// short, it would start again for every request and never finish.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), indexLoadTimeout)
	defer cancel()
	cur, err := r.coll().Find(ctx, bson.D{}, listFields)
	if err != nil {
		return fmt.Errorf("load summaries: %w", mapError(err))
	}
	defer cur.Close(ctx)
	var docs []listed
	for cur.Next(ctx) {
		var d listed
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("load summaries: %w", err)
		}
		docs = append(docs, d)
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("load summaries: %w", mapError(err))
	}
	for _, d := range docs {
		x.put(d.List, d.Version)
	}
	x.loaded.Store(true)
	return nil
}

// catalog is every summary held, made anew only after a change.
func (x *localIndex) catalog() *listing.Catalog {
	x.mu.RLock()
	c := x.snapshot
	x.mu.RUnlock()
	if c != nil {
		return c
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.snapshot == nil {
		all := make([]*assessment.Summary, 0, len(x.byID))
		for _, ix := range x.byID {
			all = append(all, &ix.s)
		}
		x.snapshot = listing.NewCatalog(all)
	}
	return x.snapshot
}

// docLocks serialise the writes of one document within this process: on
// the embedded engine, which one process owns, that makes a read and the
// replace after it one atomic step.
type docLocks struct {
	mu    sync.Mutex
	locks map[string]*docLock
}

type docLock struct {
	sync.Mutex
	users int
}

// lock takes the lock of key and returns its release.
func (l *docLocks) lock(key string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*docLock{}
	}
	d := l.locks[key]
	if d == nil {
		d = &docLock{}
		l.locks[key] = d
	}
	d.users++
	l.mu.Unlock()
	d.Lock()
	return func() {
		d.Unlock()
		l.mu.Lock()
		if d.users--; d.users == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
}

// local is what one process keeps of a database it alone writes (the
// embedded engine, or FerretDB 1.x, which makes no conditional write
// atomic): its index and its locks. Every Store in the process on that
// database shares the one kept under its server's address and name.
type local struct {
	index *localIndex
	locks *docLocks
	// written is, by id, the version this process last wrote and saw
	// acknowledged; a write that failed forgets it, since it may have
	// landed. UpdateFrom trusts a document read earlier only at that version.
	written sync.Map
}

var locals sync.Map // "uri/db" → *local

// forgetLocals drops what the process kept of the databases at uri (when
// it closes its connection: another process may write them next), or of
// one database (when it is dropped).
func forgetLocals(uri, db string) {
	locals.Range(func(k, _ any) bool {
		if key := k.(string); key == uri+"/"+db || db == "" && strings.HasPrefix(key, uri+"/") {
			locals.Delete(k)
		}
		return true
	})
}

// localFor is the process's local of database db at uri.
func localFor(uri, db string) *local {
	l, _ := locals.LoadOrStore(uri+"/"+db, &local{index: &localIndex{}, locks: &docLocks{}})
	return l.(*local)
}

// put gives the index an assessment just written (nothing on the server path).
func (l *local) put(d assessmentDoc) {
	if l != nil {
		l.index.put(d.List, d.Version)
		l.written.Store(d.ID, d.Version)
	}
}

// forgetWritten drops what this process knew of id's version after a
// write whose outcome it does not know.
func (l *local) forgetWritten(id string) {
	if l != nil {
		l.written.Delete(id)
	}
}

// Warm loads this process's index of summaries on the embedded engine, so
// the first list need not wait; on the server path there is none to load.
func (r *Assessments) Warm(ctx context.Context) error {
	if l := r.s.local; l != nil {
		return l.index.load(ctx, r)
	}
	return nil
}
