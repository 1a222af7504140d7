package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// indexPostgresIDs adds, on every collection table of database dbName
// (FerretDB's schema of that name) in the PostgreSQL behind FerretDB, a GIN
// index on the expression FerretDB v1.24 looks documents up by:
// `_jsonb->'_id' @> '"…"'`. Its own unique index on `_jsonb->'_id'` is a
// btree, which that operator cannot use, so without this every lookup by
// _id scans the table: a second a lookup at 100 000 follow-ups. Instances
// that start at once take turns by an advisory lock.
func indexPostgresIDs(ctx context.Context, postgresURL, dbName string) error {
	conn, err := pgx.Connect(ctx, postgresURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL to index it: %w", err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("index PostgreSQL tables: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('saq: index _id'))`); err != nil {
		return fmt.Errorf("index PostgreSQL tables: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\_ferretdb%'`, dbName)
	if err != nil {
		return fmt.Errorf("list the tables of schema %s: %w", dbName, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list the tables of schema %s: %w", dbName, err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((_jsonb->'_id') jsonb_path_ops)`,
			pgx.Identifier{t + "_saq_id_gin"}.Sanitize(), pgx.Identifier{dbName, t}.Sanitize())
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("index _id of table %s.%s: %w", dbName, t, err)
		}
	}
	return tx.Commit(ctx)
}
