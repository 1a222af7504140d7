// Package embedded runs the MongoDB-compatible database inside the
// service's process when no MONGODB_URI is set: FerretDB on SQLite in the
// data directory, which one process holds locked; the index SQLite needs
// to find documents by _id; and consistent backups while it runs.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // database/sql driver, for the _id expression index
)

// ErrDataDirLocked is returned by Open when another process holds the data directory.
var ErrDataDirLocked = errors.New("data directory is in use by another saq process")

// maxUnixSocketPath is the portable limit on a unix socket path (sun_path).
const maxUnixSocketPath = 100

// Server is the in-process FerretDB server.
type Server struct {
	lock      *os.File
	sqliteDir string
	uri       string
	cancel    context.CancelFunc
	done      chan struct{}
}

// Start locks dataDir, starts FerretDB on its SQLite handler there and
// returns once the server accepts connections.
func Start(dataDir string, log *slog.Logger) (*Server, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	sqliteDir := filepath.Join(dir, "sqlite")
	if err := os.MkdirAll(sqliteDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", sqliteDir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}

	listener := ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}
	sock := filepath.Join(dir, "ferretdb.sock")
	if len(sock) <= maxUnixSocketPath {
		// Only this process may connect: the socket lives in our private data dir.
		_ = os.Remove(sock) // left over by a crash; we hold the lock, so it is ours
		listener = ferretdb.ListenerConfig{Unix: sock}
	}

	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL(sqliteDir),
		Logger:    slog.New(minLevel{slog.LevelWarn, log.Handler().WithAttrs([]slog.Attr{slog.String("component", "ferretdb")})}),
	})
	if err != nil {
		unlockDir(lock)
		return nil, fmt.Errorf("start embedded database in %s: %w", dir, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	e := &Server{lock: lock, sqliteDir: sqliteDir, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = fdb.Run(ctx)
	}()
	e.uri = fdb.MongoDBURI()
	if listener.Unix != "" {
		// The driver takes a socket path as a percent-encoded host ending in .sock.
		e.uri = "mongodb://" + url.PathEscape(sock) + "/"
	}
	// Say where the server listens, for commands that read while it runs.
	if err := os.WriteFile(filepath.Join(dir, addrFile), []byte(e.uri), 0o600); err != nil {
		e.Stop()
		return nil, fmt.Errorf("record the embedded database's address: %w", err)
	}
	return e, nil
}

// addrFile, in the data directory, holds the running embedded server's
// MongoDB URI (a socket in the directory, or a loopback port).
const addrFile = "ferretdb.uri"

// RunningURI is the MongoDB URI of the embedded server a service runs on
// dataDir, as it recorded it at start.
func RunningURI(dataDir string) (string, error) {
	uri, err := os.ReadFile(filepath.Join(dataDir, addrFile))
	if err != nil {
		return "", fmt.Errorf("no running service found in %s: %w", dataDir, err)
	}
	return string(uri), nil
}

// sqliteURL is the FerretDB SQLite URI for dir. FerretDB sets WAL and a busy
// timeout but not synchronous; FULL makes every commit durable before we answer.
func sqliteURL(dir string) string {
	u := url.URL{Scheme: "file", Path: dir + "/", RawQuery: url.Values{"_pragma": {"synchronous(full)"}}.Encode()}
	return u.String()
}

// URI is where the driver connects to the server.
func (e *Server) URI() string { return e.uri }

// Dir is the directory the server keeps its SQLite files in.
func (e *Server) Dir() string { return e.sqliteDir }

// Stop shuts the server down and releases the data directory.
func (e *Server) Stop() {
	e.cancel()
	<-e.done
	unlockDir(e.lock)
}

// IndexIDs adds, on every collection's table of database dbName, an index on
// the expression FerretDB v1 uses to look up _id. Its own unique index is on a
// different expression that SQLite does not match, so without this every
// lookup by _id scans the whole table (docs/STORE.md).
func (e *Server) IndexIDs(ctx context.Context, dbName string) error {
	db, file, err := e.openSQLite(dbName)
	if err != nil {
		return err
	}
	defer db.Close()

	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("list tables in %s: %w", file, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("list tables in %s: %w", file, err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list tables in %s: %w", file, err)
	}

	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_saq_id_expr", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index _id of table %s: %w", t, err)
		}
	}
	return nil
}

// openSQLite opens the SQLite file behind database dbName beside FerretDB's own connections.
func (e *Server) openSQLite(dbName string) (*sql.DB, string, error) {
	file := filepath.Join(e.sqliteDir, dbName+".sqlite")
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=synchronous(full)")
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", file, err)
	}
	return db, file, nil
}

// lockDir takes an exclusive, non-blocking lock on dir/saq.lock. The kernel
// releases it when the process dies, so a crash never leaves a stale lock.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "saq.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s is locked; stop the other saq process or set SAQ_DATA_DIR to another directory", ErrDataDirLocked, path)
	}
	return f, nil
}

func unlockDir(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	_ = f.Close()
}

// minLevel passes on only records at or above its level: FerretDB is chatty at
// info. FerretDB also dumps every error reply (a duplicate key, a command it
// lacks) at warn; those dumps go out at debug, as they are no operator's concern.
type minLevel struct {
	level slog.Level
	slog.Handler
}

func (h minLevel) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "Response ") || strings.HasPrefix(r.Message, "Request ") {
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.level, h.Handler.WithAttrs(as)}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.level, h.Handler.WithGroup(name)}
}
