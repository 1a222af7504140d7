// Package storetest runs tests against the real embedded database: one
// server per test binary, a fresh database per test.
package storetest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/regionerna/saq/internal/store"
)

var (
	server *store.Store
	dbSeq  atomic.Int64
)

// Main starts the embedded server in a temporary directory, runs the tests,
// and cleans up. The server path is tested instead with SAQ_TEST_MONGODB_URI
// (MongoDB, or FerretDB 2 with DocumentDB).
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
