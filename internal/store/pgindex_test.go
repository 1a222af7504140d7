package store_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

// TestPostgresIDIndex: with the PostgreSQL database behind FerretDB given,
// every collection table gets the index FerretDB's lookup by _id can use,
// and PostgreSQL uses it; two instances starting at once both succeed.
func TestPostgresIDIndex(t *testing.T) {
	pg := os.Getenv("SAQ_TEST_POSTGRES_URL")
	if pg == "" {
		t.Skip("needs SAQ_TEST_POSTGRES_URL")
	}
	uri, pgURL, stop, err := storetest.FerretDBAndPostgres(pg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	open := func() error {
		st, err := store.Open(ctx, store.Options{URI: uri, PostgreSQLURL: pgURL, DBName: "saq", Logger: slog.New(slog.DiscardHandler)})
		if err == nil {
			st.Close(context.Background())
		}
		return err
	}
	if err := open(); err != nil { // makes the collections
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 { // two instances start at once on them
		go func() { errs <- open() }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables, indexed int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'saq' AND table_name NOT LIKE '\_ferretdb%'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'saq' AND indexname LIKE '%\_saq\_id\_gin'`).Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if tables < 10 || indexed != tables {
		t.Errorf("%d of %d tables indexed", indexed, tables)
	}
	var table string
	if err := conn.QueryRow(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'saq' AND table_name LIKE 'assessments\_%'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil { // an empty table: make the planner show what it can use
		t.Fatal(err)
	}
	var plan strings.Builder
	rows, err := conn.Query(ctx, "EXPLAIN SELECT _jsonb FROM "+pgx.Identifier{"saq", table}.Sanitize()+` WHERE _jsonb->'_id' @> '"x"'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		_ = rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "_saq_id_gin") {
		t.Errorf("a lookup by _id does not use the index:\n%s", plan.String())
	}
}
