package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/testsuite"
)

// TestInstancesStartTogether: three instances start at the same moment on
// a new database, five times in a row, and all become ready: creating the
// collections and indexes, writing the shared records and upgrading the
// data each take a twin's work as their own. On the server path only: the
// embedded engine is one process's.
func TestInstancesStartTogether(t *testing.T) {
	testsuite.RequireFull(t, "the instances suite")
	uri := serverUnderTest(t)
	if uri == "" {
		t.Skip("several instances need a server (SAQ_TEST_MONGODB_URI)")
	}
	log := slog.New(slog.DiscardHandler)
	for round := range 5 {
		cfg := config{MongoURI: uri, DataDir: t.TempDir(), DBName: fmt.Sprintf("start_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, round)}
		start := make(chan struct{})
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				svc, err := build(context.Background(), cfg, log)
				if err != nil {
					errs[i] = err
					return
				}
				defer closeStore(svc.store, log)
				errs[i] = svc.store.Ready(context.Background())
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, instance %d: %v", round+1, i+1, err)
			}
		}
	}
}
