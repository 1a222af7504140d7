package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/regionerna/saq/internal/store/embedded"
)

// backupCommand runs "saq backup --out FILE" and "saq restore FILE" on the
// embedded database in SAQ_DATA_DIR.
func backupCommand(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fset.SetOutput(stderr)
	out := fset.String("out", "", "the backup file to write; it must not exist (backup)")
	cfg, help, err := commandConfig(fset, args, getenv)
	if help || err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return errors.New("MONGODB_URI is set: back up that server with its own tools (mongodump and mongorestore, " +
			"the replica set's backups, or PostgreSQL's under FerretDB); saq backup and restore work on the embedded database")
	}
	start := time.Now()
	switch {
	case cmd == "backup" && *out != "" && fset.NArg() == 0:
		if err := embedded.Backup(ctx, cfg.DataDir, cfg.DBName, *out); err != nil {
			return err
		}
		info, err := os.Stat(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up %s to %s (%d bytes) in %s\n", cfg.DataDir, *out, info.Size(), time.Since(start).Round(time.Millisecond))
	case cmd == "restore" && *out == "" && fset.NArg() == 1:
		if err := embedded.Restore(ctx, cfg.DataDir, cfg.DBName, fset.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "restored %s into %s in %s; start the service with SAQ_DATA_DIR=%s\n", fset.Arg(0), cfg.DataDir, time.Since(start).Round(time.Millisecond), cfg.DataDir)
	case cmd == "backup":
		return errors.New("usage: saq backup --out FILE")
	default:
		return errors.New("usage: saq restore FILE")
	}
	return nil
}
