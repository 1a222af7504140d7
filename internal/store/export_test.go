package store

import (
	"context"
	"database/sql"
	"path/filepath"
)

// Test hooks onto the unexported document helpers, for the external tests.

func (s *Store) InsertRaw(ctx context.Context, coll string, doc any) error {
	return insertOne(ctx, s.db.Collection(coll), doc)
}

func (s *Store) FindRaw(ctx context.Context, coll string, id, out any) error {
	return findByID(ctx, s.db.Collection(coll), id, out)
}

func (s *Store) UpdateRaw(ctx context.Context, coll string, id, update any) error {
	return updateByID(ctx, s.db.Collection(coll), id, update)
}

func (s *Store) EnsureSchema(ctx context.Context) error { return s.ensureSchema(ctx) }

func (s *Store) CollectionNames(ctx context.Context) ([]string, error) {
	return s.db.ListCollectionNames(ctx, map[string]any{})
}

func (s *Store) IndexNames(ctx context.Context, coll string) ([]string, error) {
	specs, err := s.db.Collection(coll).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, sp := range specs {
		names = append(names, sp.Name)
	}
	return names, nil
}

// SQLiteIndexes lists the SQLite indexes of the embedded database, for
// checking that the _id expression index is in place.
func (s *Store) SQLiteIndexes(ctx context.Context) ([]string, error) {
	file := filepath.Join(s.embedded.Dir(), s.db.Name()+".sqlite")
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func (s *Store) InsertManyRaw(ctx context.Context, coll string, docs []any) error {
	_, err := s.db.Collection(coll).InsertMany(ctx, docs)
	return mapError(err)
}

// ForgetSummaries empties this process's summary index, as a restart does.
func (s *Store) ForgetSummaries() {
	if s.local != nil {
		s.local.index = &localIndex{}
	}
}

func (s *Store) DropCollection(ctx context.Context, name string) error {
	return s.db.Collection(name).Drop(ctx)
}

func (s *Store) DeleteRaw(ctx context.Context, coll string, id any) error {
	_, err := s.db.Collection(coll).DeleteOne(ctx, map[string]any{"_id": id})
	return err
}
