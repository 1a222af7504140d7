// Package store keeps the service's data in MongoDB through the official
// driver, or in the embedded FerretDB server when no MONGODB_URI is given.
// It knows nothing of HTTP, and its callers never see a driver error type.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/store/embedded"
)

var (
	// ErrNotFound is returned when no document matches.
	ErrNotFound = apperr.ErrNotFound
	// ErrDuplicateKey is returned when a write would break a unique index.
	ErrDuplicateKey = apperr.ErrDuplicate
)

// Options say where the data lives.
type Options struct {
	URI     string // a MongoDB connection string; empty starts the embedded server
	DataDir string // the embedded server's directory (used only when URI is empty)
	DBName  string
	Logger  *slog.Logger
	// Observe, when set, is told each database command's name, time and
	// whether it failed: for the metrics.
	Observe func(command string, d time.Duration, failed bool)
}

// Store is a connected database with its collections and indexes in place.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded *embedded.Server // nil against MongoDB proper
	shared   bool             // a Store made by Sibling: Close leaves the connection to its parent
	uri      string           // what the client connected to
	log      *slog.Logger
	// local is, on the embedded engine, this process's index of summaries
	// and its document locks (see Update); nil on the server path.
	local *local
	// dashboards keeps the last dashboards summed up on the server path.
	dashboards *dashboardCache
}

// dbOptions: majority write concern, so an acknowledged write survives the
// loss of the primary on a replica set; the embedded server accepts it too.
var dbOptions = options.Database().SetWriteConcern(writeconcern.Majority())

// Open connects (starting the embedded server if needed), creates the
// collections and indexes the service uses, and returns a ready Store.
// It returns ErrDataDirLocked when another process holds the data directory.
func Open(ctx context.Context, opts Options) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.DBName == "" {
		opts.DBName = "saq"
	}
	s := &Store{log: log, dashboards: &dashboardCache{}}

	uri := opts.URI
	if uri == "" {
		e, err := embedded.Start(opts.DataDir, log)
		if err != nil {
			return nil, err
		}
		s.embedded = e
		uri = e.URI()
	}

	client, err := mongo.Connect(clientOptions(uri, opts.Observe))
	if err != nil {
		s.stopEmbedded()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	s.client, s.uri = client, uri
	s.db = client.Database(opts.DBName, dbOptions)

	if err := s.Ping(ctx); err != nil {
		s.Close(context.Background())
		return nil, fmt.Errorf("reach database: %w", err)
	}
	if err := s.ownIfUnsafe(ctx); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	if err := s.ensureSchema(ctx); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// Sibling returns a Store on another database of the same server, with its
// schema in place. Tests use it for a fresh database each; closing it leaves s open.
func (s *Store) Sibling(ctx context.Context, dbName string) (*Store, error) {
	sib := &Store{
		dashboards: &dashboardCache{},
		client:     s.client,
		db:         s.client.Database(dbName, dbOptions),
		embedded:   s.embedded,
		shared:     true,
		uri:        s.uri,
		log:        s.log,
	}
	if s.local != nil {
		sib.local = localFor(s.uri, dbName)
	}
	if err := sib.ensureSchema(ctx); err != nil {
		return nil, err
	}
	return sib, nil
}

// URI is the connection string the store uses: for the embedded server, its
// socket, where other instances can connect in tests.
func (s *Store) URI() string { return s.uri }

// Instance is a second, independent connection to the same database, as
// another instance of the service has: tests of several instances use it.
// On the embedded engine, which one process owns, it shares this process's
// index and locks. Closing it leaves s open.
func (s *Store) Instance(ctx context.Context) (*Store, error) {
	other, err := connect(ctx, s.uri, s.db.Name(), s.log)
	if err != nil {
		return nil, err
	}
	if s.local != nil {
		other.local = localFor(s.uri, s.db.Name())
	}
	return other, nil
}

// ownIfUnsafe makes this process the one writer of the database when the
// server cannot make a conditional write atomic: the embedded engine, and
// FerretDB 1.x anywhere (on PostgreSQL two writers both matched the same
// version in 187 of 200 trials). Writes then go through this process's
// locks and lists through its index; a second process writing the same
// database would lose updates, so the log says so.
func (s *Store) ownIfUnsafe(ctx context.Context) error {
	if s.embedded == nil {
		var info struct {
			FerretDB string `bson:"ferretdbVersion"`
		}
		if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
			return fmt.Errorf("ask the server what it is: %w", err)
		}
		// FerretDB 1.x names itself (as "unknown" when built in as a
		// library); FerretDB 2 and MongoDB do not.
		if info.FerretDB == "" || strings.HasPrefix(info.FerretDB, "v2.") {
			return nil
		}
		s.log.Warn("FerretDB 1.x makes no conditional write atomic: run exactly one instance of the service on this database, "+
			"or move to MongoDB or FerretDB 2 with DocumentDB to run several", "ferretdb", info.FerretDB)
	}
	s.local = localFor(s.uri, s.db.Name())
	return nil
}

// clientOptions are the driver's options for uri. With observe, every
// command's time and outcome goes to it.
func clientOptions(uri string, observe func(command string, d time.Duration, failed bool)) *options.ClientOptions {
	o := options.Client().ApplyURI(uri).SetAppName("saq").SetTimeout(30 * time.Second)
	if observe != nil {
		o.SetMonitor(&event.CommandMonitor{
			Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) { observe(e.CommandName, e.Duration, false) },
			Failed:    func(_ context.Context, e *event.CommandFailedEvent) { observe(e.CommandName, e.Duration, true) },
		})
	}
	return o
}

// connect is a Store on a database that is already set up and served by
// someone else: no embedded server to start, no schema to make.
func connect(ctx context.Context, uri, dbName string, log *slog.Logger) (*Store, error) {
	client, err := mongo.Connect(clientOptions(uri, nil))
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	s := &Store{client: client, db: client.Database(dbName, dbOptions), uri: uri, log: log, dashboards: &dashboardCache{}}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(ctx)
		return nil, fmt.Errorf("reach database: %w", err)
	}
	return s, nil
}

// Drop deletes the whole database: for tests and for tearing down a trial.
func (s *Store) Drop(ctx context.Context) error {
	if err := s.db.Drop(ctx); err != nil {
		return fmt.Errorf("drop database %s: %w", s.db.Name(), err)
	}
	forgetLocals(s.uri, s.db.Name())
	return nil
}

// Database is the driver's handle on the database, for benchmarks and tools
// that measure the raw driver beside the service on the same data.
func (s *Store) Database() *mongo.Database { return s.db }

// Embedded tells whether the store runs on the in-process server.
func (s *Store) Embedded() bool { return s.embedded != nil }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.client.Ping(ctx, readpref.Primary())
}

// Ready tells whether the database answers and, on the embedded engine,
// this process's summary index is not loading: until then lists would wait
// for it, so a load balancer should send requests elsewhere.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	if s.embedded != nil {
		if free, err := freeBytes(s.embedded.Dir()); err == nil && free < minFree {
			return fmt.Errorf("the data directory %s has %d bytes free, less than %d", s.embedded.Dir(), free, minFree)
		}
	}
	if s.local != nil && s.local.index.loading.Load() {
		return errors.New("the summary index is loading")
	}
	return nil
}

// minFree is the room the embedded database needs to take writes: below
// it an instance says it is not ready, before writes start to fail.
const minFree = 8 << 20

// freeBytes is how much room is left for an unprivileged writer in dir's file system.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("statfs %s: %w", dir, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// Close disconnects and, for the embedded server, stops it and frees the data directory.
func (s *Store) Close(ctx context.Context) error {
	if s.shared {
		return nil
	}
	if s.embedded != nil {
		forgetLocals(s.uri, "")
	}
	err := s.client.Disconnect(ctx)
	s.stopEmbedded()
	if err != nil {
		return fmt.Errorf("disconnect from database: %w", err)
	}
	return nil
}

func (s *Store) stopEmbedded() {
	if s.embedded != nil {
		s.embedded.Stop()
		s.embedded = nil
	}
}

// mapError turns driver errors callers care about into this package's errors.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return ErrNotFound
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: %v", ErrDuplicateKey, err)
	case storageTrouble(err):
		return fmt.Errorf("%w: %v", errCannotStore, err)
	}
	return err
}

// errCannotStore tells users that nothing was stored because the database
// has no room or may not be written, so they can try again later.
var errCannotStore = apperr.New(apperr.Unavailable,
	"Tjänsten kan inte spara just nu: lagringsutrymmet är fullt eller skrivskyddat. Inget sparades. Försök igen om en stund.",
	"The service cannot store anything right now: its storage is full or read-only. Nothing was saved. Try again in a while.")

// storageTrouble tells whether the engine refused a write for want of
// room or write access (SQLite's and PostgreSQL's words for it, as FerretDB
// passes them on).
func storageTrouble(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"database or disk is full", "no space left on device", "disk full", "readonly database", "read-only file system", "read-only transaction"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
