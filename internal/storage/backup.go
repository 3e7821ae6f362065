package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of a SQLite database to path while it
// serves (VACUUM INTO reads one snapshot and leaves the source as it is).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Engine != SQLite {
		return errors.New("storage: backup is for SQLite; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("storage: backup: %s exists", path)
	}
	if _, err := db.ro.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	return nil
}
