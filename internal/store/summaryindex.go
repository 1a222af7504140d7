package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/assessment"
)

// Lists, the dashboard and the annual figures read every process's summary
// index: all summaries in memory, about a kilobyte each. FerretDB v1 sorts
// and limits in Go after decoding every matching document (0.55 s for
// 10 000 small ones), so a sorted page cannot be asked of it at national
// scale; MongoDB could, but one design that holds on every engine is
// simpler to trust.
//
// The index stays current across instances through the change log: each
// summary write appends a document whose _id is the next number. The
// unique _id makes the numbers a gapless sequence without a lock: a writer
// that loses a number to another tries the next. Before each read the index
// reads the log from where it stopped, by _id, so a change acknowledged by
// any instance is in the next list any instance answers.

// changeDoc is one entry of the change log. Its _id is its number as a
// string of fixed width (changeID): FerretDB finds a document by _id from
// an index only when the _id is a string, and the width keeps the order.
type changeDoc struct {
	ID      string    `bson:"_id"`
	Seq     int64     `bson:"seq"`
	At      time.Time `bson:"at"`
	Summary listDoc   `bson:"summary"`
}

func changeID(seq int64) string { return fmt.Sprintf("%016d", seq) }

const (
	// keepChanges is how long the log keeps an entry. An index that has not
	// read the log for half of it loads anew instead (see reloadAfter).
	keepChanges = 10 * time.Minute
	// reloadAfter is how old an index may grow before it is loaded anew: it
	// bounds how long a summary stays stale when an instance died between
	// writing it and logging it.
	reloadAfter = 30 * time.Minute
)

// summaryIndex is one process's copy of every summary.
type summaryIndex struct {
	syncMu   sync.Mutex  // one reader of the log at a time
	reloadMu sync.Mutex  // one reload at a time
	readFrom time.Time   // when the last successful read of the log began (under syncMu)
	loading  atomic.Bool // the first load is under way

	mu       sync.RWMutex
	byID     map[string]*indexed
	snapshot *assessment.Catalog // of byID, nil after a change
	seq      int64               // the last log entry applied
	loadedAt time.Time           // zero until loaded
	syncedAt time.Time
}

func newSummaryIndex() *summaryIndex { return &summaryIndex{} }

// indexed is a summary as the index holds it, never changed once made.
type indexed struct {
	s       assessment.Summary
	version int64
}

// put applies a summary unless the index holds a newer one.
func (x *summaryIndex) put(d listDoc) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byID != nil {
		if old, ok := x.byID[d.Summary.ID]; !ok || old.version <= d.Version {
			x.byID[d.Summary.ID] = &indexed{s: assessment.Summary(d.Summary), version: d.Version}
			x.snapshot = nil
		}
	}
}

// catalog is every summary held, made anew only after a change.
func (x *summaryIndex) catalog() *assessment.Catalog {
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
		x.snapshot = assessment.NewCatalog(all)
	}
	return x.snapshot
}

// sync reads the log entries made since the last one applied; an index
// never loaded, or one that has not read the log for long, loads whole.
func (x *summaryIndex) sync(ctx context.Context, s *Store) (err error) {
	arrived := time.Now()
	x.syncMu.Lock()
	defer x.syncMu.Unlock()
	// A read of the log that began after this call did saw every change
	// acknowledged before it: the requests that queued behind it need no
	// read of their own.
	if x.readFrom.After(arrived) {
		return nil
	}
	began := time.Now()
	defer func() {
		if err == nil {
			x.readFrom = began
		}
	}()
	x.mu.RLock()
	loadedAt, syncedAt, seq := x.loadedAt, x.syncedAt, x.seq
	x.mu.RUnlock()
	if loadedAt.IsZero() {
		x.loading.Store(true)
		defer x.loading.Store(false)
		return x.load(ctx, s)
	}
	if time.Since(syncedAt) > keepChanges/2 {
		return x.load(ctx, s)
	}
	return x.follow(ctx, s, seq)
}

// refresh is sync, after loading whole when the index is older than
// reloadAfter. The reload does not hold up readers: they follow the log
// meanwhile, and the reload keeps what they applied when it is newer.
func (x *summaryIndex) refresh(ctx context.Context, s *Store) error {
	x.mu.RLock()
	old := !x.loadedAt.IsZero() && time.Since(x.loadedAt) > reloadAfter
	x.mu.RUnlock()
	if old && x.reloadMu.TryLock() {
		err := x.load(ctx, s)
		x.reloadMu.Unlock()
		if err != nil {
			return err
		}
	}
	return x.sync(ctx, s)
}

// follow applies the log entries after seq.
func (x *summaryIndex) follow(ctx context.Context, s *Store, seq int64) error {
	for {
		var c changeDoc
		err := findByID(ctx, s.db.Collection(collChanges), changeID(seq+1), &c)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return fmt.Errorf("read summary change %d: %w", seq+1, err)
		}
		x.put(c.Summary)
		seq = c.Seq
		x.mu.Lock()
		x.seq = seq
		x.mu.Unlock()
	}
	x.mu.Lock()
	x.syncedAt = time.Now()
	x.mu.Unlock()
	return nil
}

// load reads every summary, then the log entries made since the newest
// one before the read: a summary written during the read is then in one or
// the other, and the newer version wins.
func (x *summaryIndex) load(ctx context.Context, s *Store) error {
	head, err := s.lastChange(ctx)
	if err != nil {
		return err
	}
	cur, err := s.db.Collection(collSummaries).Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("read summaries: %w", mapError(err))
	}
	defer cur.Close(ctx)
	byID := make(map[string]*indexed)
	for cur.Next(ctx) {
		var d listDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("read summaries: %w", err)
		}
		byID[d.Summary.ID] = &indexed{s: assessment.Summary(d.Summary), version: d.Version}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read summaries: %w", mapError(err))
	}
	x.mu.Lock()
	// Keep what this process wrote or read from the log during the read
	// if it is newer.
	for id, ix := range x.byID {
		if old, ok := byID[id]; !ok || old.version < ix.version {
			byID[id] = ix
		}
	}
	x.byID, x.snapshot, x.loadedAt = byID, nil, time.Now()
	x.seq = max(x.seq, head)
	seq := x.seq
	x.mu.Unlock()
	return x.follow(ctx, s, seq)
}

// lastChange is the number of the newest log entry, 0 for none. It gallops
// from the oldest entry kept, which the last trim recorded, by _id; only
// when that entry is gone too does it sort the log, which FerretDB does by
// reading all of it.
func (s *Store) lastChange(ctx context.Context) (int64, error) {
	from, err := s.oldestKept(ctx)
	if err != nil {
		return 0, err
	}
	ok, err := s.changeExists(ctx, from)
	if err != nil {
		return 0, err
	}
	if ok {
		free, err := s.freeChange(ctx, from)
		return free - 1, err
	}
	var c struct {
		Seq int64 `bson:"seq"`
	}
	err = s.db.Collection(collChanges).FindOne(ctx, bson.D{},
		options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}}).SetProjection(bson.D{{Key: "seq", Value: 1}})).Decode(&c)
	if err = mapError(err); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("read the newest summary change: %w", err)
	}
	return c.Seq, nil
}

// oldestKept is the oldest log entry the last trim kept (1 before any trim).
func (s *Store) oldestKept(ctx context.Context) (int64, error) {
	var hint struct {
		Seq int64 `bson:"seq"`
	}
	if err := findByID(ctx, s.db.Collection(collMeta), "changes", &hint); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("read the oldest summary change kept: %w", err)
	}
	return max(hint.Seq, 1), nil
}

func (s *Store) changeExists(ctx context.Context, seq int64) (bool, error) {
	var c struct {
		ID string `bson:"_id"`
	}
	err := findByID(ctx, s.db.Collection(collChanges), changeID(seq), &c)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read summary change %d: %w", seq, err)
	}
	return true, nil
}

// maxChangeAttempts bounds how often a writer loses a number to another;
// it takes that many writers at once to run out.
const maxChangeAttempts = 100

// recordChange appends a summary to the change log under the first free
// number, found from the last one this process knows of.
func (s *Store) recordChange(ctx context.Context, d listDoc) error {
	known, err := s.knownChange(ctx)
	if err != nil {
		return err
	}
	for range maxChangeAttempts {
		next, err := s.freeChange(ctx, known+1)
		if err != nil {
			return err
		}
		err = insertOne(ctx, s.db.Collection(collChanges), changeDoc{ID: changeID(next), Seq: next, At: time.Now().UTC(), Summary: d})
		if err == nil {
			s.written.Store(next)
			s.writtenAt.Store(time.Now().UnixNano())
			return nil
		}
		if !errors.Is(err, ErrDuplicateKey) {
			return fmt.Errorf("record the summary change of %s: %w", d.Summary.ID, err)
		}
		known = next
	}
	return fmt.Errorf("record the summary change of %s: no free number after %d tries", d.Summary.ID, maxChangeAttempts)
}

// knownChange is a log entry that exists, as new as this process knows
// cheaply: the last it read or wrote, or else the newest there is.
func (s *Store) knownChange(ctx context.Context) (int64, error) {
	x := s.index
	x.mu.RLock()
	seq, fresh := x.seq, !x.loadedAt.IsZero() && time.Since(x.syncedAt) < keepChanges/2
	x.mu.RUnlock()
	if w := s.written.Load(); w > seq && time.Since(time.Unix(0, s.writtenAt.Load())) < keepChanges/2 {
		seq, fresh = w, true
	}
	if fresh {
		return seq, nil
	}
	return s.lastChange(ctx)
}

// freeChange is the first number from n on with no log entry. The entries
// are numbered without gaps, so it gallops ahead by existence and halves back.
func (s *Store) freeChange(ctx context.Context, n int64) (int64, error) {
	lo, step := n, int64(1) // every number below lo is taken
	for {
		ok, err := s.changeExists(ctx, lo)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, step = lo+step, step*2
	}
	// lo is free; the free one we want lies after lo-step/2 (taken) and at most lo.
	hi := lo
	lo = max(n, lo-step/2+1)
	for lo < hi {
		mid := lo + (hi-lo)/2
		ok, err := s.changeExists(ctx, mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return hi, nil
}

// trimChanges deletes the oldest log entries, those every instance has had
// time to read, and records the oldest kept for lastChange. It deletes a
// run from the bottom, one by one by _id, so the numbers kept have no gap
// even where the instances' clocks differ a little, and always keeps the
// newest this process knows, so numbering goes on.
func (s *Store) trimChanges(ctx context.Context) error {
	s.index.mu.RLock()
	keep := s.index.seq
	s.index.mu.RUnlock()
	oldest, err := s.oldestKept(ctx)
	if err != nil {
		return err
	}
	// The first entry from the oldest kept on that is young enough to keep.
	cutoff := time.Now().UTC().Add(-keepChanges)
	lo, hi := oldest, keep
	for lo < hi {
		mid := lo + (hi-lo)/2
		var c changeDoc
		err := findByID(ctx, s.db.Collection(collChanges), changeID(mid), &c)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("read summary change %d: %w", mid, err)
		}
		if err == nil && !c.At.Before(cutoff) {
			hi = mid
		} else {
			lo = mid + 1 // old, or deleted by another instance's trim
		}
	}
	if hi <= oldest {
		return nil
	}
	for n := oldest; n < hi; n++ {
		if _, err := s.db.Collection(collChanges).DeleteOne(ctx, bson.D{{Key: "_id", Value: changeID(n)}}); err != nil {
			return fmt.Errorf("trim summary change %d: %w", n, mapError(err))
		}
	}
	_, err = s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: "changes"}},
		bson.D{{Key: "_id", Value: "changes"}, {Key: "seq", Value: hi}}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("record the oldest summary change kept: %w", mapError(err))
	}
	return nil
}
