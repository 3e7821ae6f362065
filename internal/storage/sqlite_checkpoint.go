package storage

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// checkpointer is the DB's part in it: a stop, and a count of the
// checkpoints that copied the whole log (for tests).
type checkpointer struct {
	stopCheckpoints func()
	checkpointed    atomic.Int64
}

// SQLite in WAL mode appends every commit to the -wal file and copies it
// back into the database in a checkpoint. By itself SQLite checkpoints
// inside the commit that takes the log past 1,000 pages: that commit, a
// workshop command perhaps, waits for the copy and the fsync of the
// database file, which put one command in a hundred several milliseconds
// behind the rest (doc/design.md). The write connection never
// checkpoints (wal_autocheckpoint(0)); a goroutine of the DB does it
// instead, every checkpointEvery, on a read connection, in PASSIVE mode:
// writers go on while it copies, and a log already copied costs nothing.
//
// A checkpoint cannot go past a reader's snapshot, here as before, so a
// read held open for minutes lets the log grow until it ends. Closing the
// last connection checkpoints what is left and removes the log.
var checkpointEvery = time.Second // a var for tests

// checkpoints runs the checkpointer until the DB closes.
func (db *DB) checkpoints() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	db.stopCheckpoints = func() { cancel(); <-done }
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			left, err := db.Checkpoint(ctx)
			if err != nil {
				if ctx.Err() == nil {
					slog.Warn("storage: checkpoint", "err", err)
				}
				continue
			}
			if left == 0 {
				db.checkpointed.Add(1)
			}
		}
	}()
}

// Checkpoint copies the committed log into the database file (SQLite,
// PASSIVE) and reports how many pages the log holds beyond what is
// copied; PostgreSQL checkpoints by itself, and answers 0.
func (db *DB) Checkpoint(ctx context.Context) (left int, err error) {
	if db.Engine != SQLite {
		return 0, nil
	}
	var busy, log, copied int
	if err := db.ro.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied); err != nil {
		return 0, err
	}
	return max(log-copied, 0), nil
}
