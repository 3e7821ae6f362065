package storage

import (
	"context"
	"database/sql"
	"time"
)

// slowSQL counts for many seconds on either engine unless interrupted.
const slowSQL = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c`

// SlowQuery runs a query that takes far longer than any test, so only the
// end of ctx stops it: on the read pool, or in a write transaction.
func SlowQuery(ctx context.Context, db *DB, write bool) error {
	var n int64
	if !write {
		return db.ro.QueryRowContext(ctx, slowSQL).Scan(&n)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = name`); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, slowSQL).Scan(&n)
	})
}

// Warm opens n write connections and returns them to the pool, so a race
// in a test is not serialised by connection set-up.
func Warm(ctx context.Context, db *DB, n int) error {
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range min(n, db.rw.Stats().MaxOpenConnections) {
		c, err := db.rw.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
	}
	return nil
}

// SetCheckpointEvery sets how often SQLite's checkpointer runs, for the
// DBs opened after it; it returns the old interval.
func SetCheckpointEvery(d time.Duration) time.Duration {
	old := checkpointEvery
	checkpointEvery = d
	return old
}

// Checkpointed counts the checkpointer's runs that copied the whole log.
func Checkpointed(db *DB) int64 { return db.checkpointed.Load() }

// Exec runs a statement on the write connection.
func Exec(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.rw.ExecContext(ctx, q, args...)
	return err
}
