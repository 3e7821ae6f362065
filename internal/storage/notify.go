package storage

import (
	"context"
	"errors"
	"fmt"
)

// Notify sends a PostgreSQL notification through the pool whose commits
// do not wait for the disk (DB.lazy; a NOTIFY is a transaction of its
// own): the live.Notifier's Sender, which listens on a connection of its
// own. The listeners hear it at the commit, not at the flush.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.Engine != Postgres {
		return errors.New("storage: notify needs PostgreSQL")
	}
	if _, err := db.lazy.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// NotifyAll sends many notifications on one channel, a thousand per
// statement (live.BatchSender).
func (db *DB) NotifyAll(ctx context.Context, channel string, payloads []string) error {
	if db.Engine != Postgres {
		return errors.New("storage: notify needs PostgreSQL")
	}
	for len(payloads) > 0 {
		chunk := payloads[:min(len(payloads), 1000)]
		payloads = payloads[len(chunk):]
		if _, err := db.lazy.ExecContext(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p`, channel, chunk); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return nil
}
