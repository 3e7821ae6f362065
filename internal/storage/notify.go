package storage

import (
	"context"
	"errors"
	"fmt"
)

// Notify sends a PostgreSQL notification through the write pool: the
// live.Notifier's Sender, which listens on a connection of its own.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.Engine != Postgres {
		return errors.New("storage: notify needs PostgreSQL")
	}
	if _, err := db.rw.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}
