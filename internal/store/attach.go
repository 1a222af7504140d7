package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/regionerna/saq/internal/store/embedded"
)

// ErrDataDirLocked is returned by Open when another process holds the data directory.
var ErrDataDirLocked = embedded.ErrDataDirLocked

// Attach connects to the embedded database of a service running on
// dataDir, for reading while it runs: the running process stays the only
// one that starts the server and writes. It returns an error when no
// service runs there.
func Attach(ctx context.Context, dataDir, dbName string, log *slog.Logger) (*Store, error) {
	uri, err := embedded.RunningURI(dataDir)
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
