package store_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

type thing struct {
	ID    string `bson:"_id"`
	Name  string `bson:"name"`
	Count int    `bson:"count"`
}

func TestInsertFindUpdate(t *testing.T) {
	s := storetest.New(t)
	if err := s.InsertRaw(ctx, "things", thing{ID: "a", Name: "Åsa", Count: 1}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	if err := s.UpdateRaw(ctx, "things", "a", bson.D{{Key: "$inc", Value: bson.D{{Key: "count", Value: 2}}}}); err != nil {
		t.Fatalf("update: %v", err)
	}
	var got thing
	if err := s.FindRaw(ctx, "things", "a", &got); err != nil {
		t.Fatalf("find: %v", err)
	}
	if want := (thing{ID: "a", Name: "Åsa", Count: 3}); got != want {
		t.Errorf("found %+v, want %+v", got, want)
	}
}

func TestTypedErrors(t *testing.T) {
	s := storetest.New(t)
	if err := s.InsertRaw(ctx, "things", thing{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"insert existing _id", func() error { return s.InsertRaw(ctx, "things", thing{ID: "a"}) }, store.ErrDuplicateKey},
		{"find missing", func() error { var v thing; return s.FindRaw(ctx, "things", "zz", &v) }, store.ErrNotFound},
		{"update missing", func() error {
			return s.UpdateRaw(ctx, "things", "zz", bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: "x"}}}})
		}, store.ErrNotFound},
		{"publication missing", func() error { _, err := s.Publication(ctx, "nope", 1); return err }, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.op(); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPublishKeepsFirstRecord(t *testing.T) {
	s := storetest.New(t)
	first := store.Publication{QuestionnaireID: "coc", Version: 1, Hash: "h1", Definition: `{"id":"coc"}`, PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	got, err := s.Publish(ctx, first)
	if err != nil || got != first {
		t.Fatalf("first publish = %+v, %v; want %+v", got, err, first)
	}
	changed := first
	changed.Hash, changed.PublishedAt = "h2", first.PublishedAt.Add(time.Hour)
	got, err = s.Publish(ctx, changed)
	if err != nil {
		t.Fatalf("second publish: %v", err)
	}
	if got.Hash != "h1" || !got.PublishedAt.Equal(first.PublishedAt) {
		t.Errorf("second publish returned %+v, want the first record", got)
	}
	other := first
	other.Version = 2
	if got, err := s.Publish(ctx, other); err != nil || got.Version != 2 {
		t.Errorf("publish version 2 = %+v, %v", got, err)
	}
}

func TestEnsureSchemaIsIdempotent(t *testing.T) {
	s := storetest.New(t)
	for i := range 2 {
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	names, err := s.CollectionNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "questionnaire_versions") {
		t.Errorf("collections %v lack questionnaire_versions", names)
	}
	for coll, want := range map[string]string{
		"questionnaire_versions": "_id_",
		"users":                  "_id_,email_1",
		"events":                 "_id_,action_1_at_-1,at_-1",
	} {
		idx, err := s.IndexNames(ctx, coll)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(idx)
		if got := strings.Join(idx, ","); got != want {
			t.Errorf("indexes on %s = %s, want %s", coll, got, want)
		}
	}
	if !s.Embedded() {
		return
	}
	sqliteIdx, err := s.SQLiteIndexes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var expr int
	for _, n := range sqliteIdx {
		if strings.HasSuffix(n, "_saq_id_expr") {
			expr++
		}
	}
	if expr != len(names) {
		t.Errorf("%d _id expression indexes for %d collections; indexes: %v", expr, len(names), sqliteIdx)
	}
}

// A second process on the same data directory must fail at once, and the
// data written before a clean stop must be there after a restart.
func TestDataDirLockAndRestart(t *testing.T) {
	if storetest.External() {
		t.Skip("embedded server only")
	}
	dir := t.TempDir()
	opts := store.Options{DataDir: dir, DBName: "locktest", Logger: slog.New(slog.DiscardHandler)}
	a, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.InsertRaw(ctx, "things", thing{ID: "kept", Name: "Öland"}); err != nil {
		t.Fatal(err)
	}

	b, err := store.Open(ctx, opts)
	if !errors.Is(err, store.ErrDataDirLocked) {
		if b != nil {
			b.Close(ctx)
		}
		t.Fatalf("second open = %v, want ErrDataDirLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("message %q does not name the directory", err)
	}

	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	defer c.Close(ctx)
	var got thing
	if err := c.FindRaw(ctx, "things", "kept", &got); err != nil || got.Name != "Öland" {
		t.Errorf("after restart found %+v, %v", got, err)
	}
}

// TestClaimAttemptUnderConcurrency: sign-in and link-guessing limits count
// every attempt however many requests (on however many instances) claim at
// once: each slot goes to exactly one of them.
func TestClaimAttemptUnderConcurrency(t *testing.T) {
	a := storetest.New(t)
	b := storetest.Instance(t, a)
	window := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	const n = 40
	var wg sync.WaitGroup
	var won [n + 1]atomic.Int32
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := []*store.Store{a, b}[i%2].Accounts()
			for slot := 1; slot <= n; slot++ {
				err := acc.ClaimAttempt(ctx, "link-ip:192.0.2.1", window, slot, window)
				if err == nil {
					won[slot].Add(1)
					return
				}
				if !errors.Is(err, apperr.ErrDuplicate) {
					t.Errorf("claim: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for slot := 1; slot <= n; slot++ {
		if got := won[slot].Load(); got != 1 {
			t.Errorf("slot %d taken %d times", slot, got)
		}
	}
	if got, _, err := a.Accounts().Attempts(ctx, "link-ip:192.0.2.1", window); err != nil || got != n {
		t.Errorf("%d attempts counted (%v), want %d", got, err, n)
	}
	// A released slot is free again, and the count finds the top past it.
	if err := b.Accounts().ReleaseAttempt(ctx, "link-ip:192.0.2.1", window, n); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Accounts().Attempts(ctx, "link-ip:192.0.2.1", window); got != n-1 {
		t.Errorf("%d attempts after a release, want %d", got, n-1)
	}
}
