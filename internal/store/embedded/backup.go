package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the embedded database dbName in
// dataDir to the new file out, whether the service runs or not. SQLite's
// VACUUM INTO reads one snapshot through a connection of its own beside
// the server's; a file copy of a live database in WAL mode could catch a
// commit half-way. Evidence files are stored in the database, so the copy
// holds them too.
func Backup(ctx context.Context, dataDir, dbName, out string) error {
	file := dbFile(dataDir, dbName)
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("no database %q in %s: %w", dbName, dataDir, err)
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists; name a new file", out)
	}
	tmp := out + ".partial"
	_ = os.Remove(tmp) // left by a backup that was stopped
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("copy %s: %w", file, err)
	}
	if err := checkBackup(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("name the backup %s: %w", out, err)
	}
	return syncFile(filepath.Dir(out))
}

// ErrNotEmpty is returned by Restore when the data directory already holds
// the database: a restore never overwrites data.
var ErrNotEmpty = errors.New("the data directory already holds a database")

// Restore puts a backup made by Backup into dataDir as database dbName.
// It takes the data directory's lock, so it cannot run beside the service,
// and refuses a directory that already holds the database.
func Restore(ctx context.Context, dataDir, dbName, from string) error {
	if err := checkBackup(ctx, from); err != nil {
		return err
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sqlite"), 0o700); err != nil {
		return fmt.Errorf("create data directory %s: %w", dir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlockDir(lock)
	target := dbFile(dir, dbName)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%w: %s; restore into an empty data directory", ErrNotEmpty, target)
	}
	tmp := target + ".partial"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("put the backup in place as %s: %w", target, err)
	}
	return syncFile(filepath.Dir(target))
}

// dbFile is where the embedded server keeps database dbName.
func dbFile(dataDir, dbName string) string {
	return filepath.Join(dataDir, "sqlite", dbName+".sqlite")
}

// checkBackup tells whether file is a sound SQLite database holding the
// embedded server's collections.
func checkBackup(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("backup %s: %w", file, err)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("%s is not a sound SQLite database (%s%v)", file, ok, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM _ferretdb_collections").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("%s holds no collections of the service; is it a backup made by saq backup? (%v)", file, err)
	}
	return nil
}

// copyFile copies from to the new file to and syncs it to disk.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("open %s: %w", from, err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", to, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("sync %s: %w", to, err)
	}
	return out.Close()
}

// syncFile flushes a file or a directory (a rename in it) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
