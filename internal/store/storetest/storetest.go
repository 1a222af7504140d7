// Package storetest runs tests against the real embedded database: one
// server per test binary, a fresh database per test.
package storetest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"

	"github.com/regionerna/saq/internal/store"
)

var (
	server *store.Store
	dbSeq  atomic.Int64
)

// Main starts the embedded server in a temporary directory, runs the tests,
// and cleans up. The server path is tested instead with SAQ_TEST_MONGODB_URI
// (a MongoDB-compatible server), or with SAQ_TEST_POSTGRES_URL, for which
// Main runs FerretDB with its PostgreSQL handler in process on loopback.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "saq-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	uri := os.Getenv("SAQ_TEST_MONGODB_URI")
	if pg := os.Getenv("SAQ_TEST_POSTGRES_URL"); pg != "" && uri == "" {
		var stop func()
		if uri, stop, err = FerretDBOnPostgres(pg, log); err != nil {
			fmt.Fprintln(os.Stderr, "storetest:", err)
			return 1
		}
		defer stop()
		os.Setenv("SAQ_TEST_MONGODB_URI", uri) // for External, and for tests that start the service
	}
	server, err = store.Open(context.Background(), store.Options{
		URI:     uri,
		DataDir: dir,
		DBName:  "storetest",
		Logger:  log,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest: open store:", err)
		return 1
	}
	defer server.Close(context.Background())
	return m.Run()
}

// New returns a Store on a database of its own, dropped when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	if server == nil {
		t.Fatal("storetest.New needs storetest.Main in TestMain")
	}
	// The process id keeps apart the test binaries that share one server
	// (go test runs packages at once).
	name := fmt.Sprintf("t%d_%d_%s", os.Getpid(), dbSeq.Add(1), sanitize(t.Name()))
	s, err := server.Sibling(context.Background(), name)
	if err != nil {
		t.Fatalf("open test database %s: %v", name, err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	return s
}

// Instance is another connection to s's database, as another instance of
// the service has; it is closed when the test ends.
func Instance(t testing.TB, s *store.Store) *store.Store {
	t.Helper()
	other, err := s.Instance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close(context.Background()) })
	return other
}

// sanitize keeps a database name short and free of characters MongoDB refuses.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// External tells whether the tests run against a MongoDB given by
// SAQ_TEST_MONGODB_URI rather than the embedded server.
func External() bool { return os.Getenv("SAQ_TEST_MONGODB_URI") != "" }

// FerretDBOnPostgres runs FerretDB v1 with its PostgreSQL handler in this
// process, on a free loopback port, and returns its MongoDB URI: the server
// path that a region runs, as tests can have it without a MongoDB server.
// Each call gets a PostgreSQL database of its own, dropped by stop: FerretDB
// instances that share one trip over each other's schema changes at start
// (go test runs packages, each with its FerretDB, at once).
func FerretDBOnPostgres(postgresURL string, log *slog.Logger) (uri string, stop func(), err error) {
	uri, _, stop, err = FerretDBAndPostgres(postgresURL, log)
	return uri, stop, err
}

// FerretDBAndPostgres is FerretDBOnPostgres, and also gives the URL of the
// PostgreSQL database behind the FerretDB, for Options.PostgreSQLURL.
func FerretDBAndPostgres(postgresURL string, log *slog.Logger) (uri, database string, stop func(), err error) {
	ctx := context.Background()
	name := fmt.Sprintf("saqtest_%d_%d", os.Getpid(), pgSeq.Add(1))
	if err := pgExec(ctx, postgresURL, "CREATE DATABASE "+name); err != nil {
		return "", "", nil, err
	}
	u, err := url.Parse(postgresURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("read %s: %w", postgresURL, err)
	}
	u.Path = "/" + name
	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:       "postgresql",
		PostgreSQLURL: u.String(),
		Logger:        slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return "", "", nil, fmt.Errorf("start FerretDB on %s: %w", u, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := fdb.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("FerretDB stopped", "err", err)
		}
	}()
	return fdb.MongoDBURI(), u.String(), func() {
		cancel()
		<-done
		if err := pgExec(context.Background(), postgresURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			log.Warn("test database not dropped", "database", name, "err", err)
		}
	}, nil
}

var pgSeq atomic.Int64

// pgExec runs one statement on the PostgreSQL server at postgresURL.
func pgExec(ctx context.Context, postgresURL, sql string) error {
	conn, err := pgx.Connect(ctx, postgresURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", postgresURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}
