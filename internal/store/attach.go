package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/regionerna/saq/internal/store/embedded"
)

// ErrDataDirLocked is returned by Open when another process holds the data directory.
var ErrDataDirLocked = embedded.ErrDataDirLocked

// RunningURI is the MongoDB URI of the embedded server a service runs on
// dataDir, as it recorded it at start.
func RunningURI(dataDir string) (string, error) { return embedded.RunningURI(dataDir) }

// Backup writes a consistent copy of the embedded database dbName in
// dataDir to out while the service runs (embedded.Backup).
func Backup(ctx context.Context, dataDir, dbName, out string) error {
	return embedded.Backup(ctx, dataDir, dbName, out)
}

// Restore puts a backup into dataDir (embedded.Restore).
func Restore(ctx context.Context, dataDir, dbName, from string) error {
	return embedded.Restore(ctx, dataDir, dbName, from)
}

// Attach connects to the embedded database of a service running on
// dataDir, for reading while it runs: the running process stays the only
// one that starts the server and writes. It returns an error when no
// service runs there.
func Attach(ctx context.Context, dataDir, dbName string, log *slog.Logger) (*Store, error) {
	uri, err := RunningURI(dataDir)
	if err != nil {
		return nil, err
	}
	if dbName == "" {
		dbName = "saq"
	}
	s, err := connect(ctx, uri, dbName, log)
	if err != nil {
		return nil, fmt.Errorf("the running service's database: %w", err)
	}
	return s, nil
}
