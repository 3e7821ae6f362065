package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/storage"
)

// walSize is the size of a SQLite file's write-ahead log.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// writePages commits n rows of a 4 KiB blob each, one per commit as a
// workshop's commands come.
func writePages(t *testing.T, db *storage.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		if err := storage.Exec(ctx, db, `INSERT INTO scratch (b) VALUES (randomblob(4000))`); err != nil {
			t.Fatal(err)
		}
	}
}

func openScratch(t *testing.T, every time.Duration) (*storage.DB, string) {
	t.Helper()
	old := storage.SetCheckpointEvery(every)
	t.Cleanup(func() { storage.SetCheckpointEvery(old) })
	path := filepath.Join(t.TempDir(), "ckpt.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := storage.Exec(context.Background(), db, `CREATE TABLE scratch (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// A commit never checkpoints; the checkpointer copies the log, and the
// log is then written from its start again instead of growing.
func TestSQLiteCheckpoints(t *testing.T) {
	t.Run("commits leave the log to the checkpointer", func(t *testing.T) {
		db, path := openScratch(t, time.Hour)
		writePages(t, db, 1500) // past the 1,000 pages at which a commit would checkpoint
		grown := walSize(t, path)
		if grown < 1400*4096 {
			t.Fatalf("log of %d bytes after 1,500 pages: a commit checkpointed", grown)
		}
		left, err := db.Checkpoint(context.Background())
		if err != nil || left != 0 {
			t.Fatalf("Checkpoint = %d pages left, %v; want 0", left, err)
		}
		writePages(t, db, 1000)
		if again := walSize(t, path); again > grown {
			t.Errorf("log grew from %d to %d bytes after a checkpoint: it was not reused", grown, again)
		}
	})
	t.Run("the checkpointer runs by itself", func(t *testing.T) {
		db, _ := openScratch(t, 10*time.Millisecond)
		before := storage.Checkpointed(db)
		writePages(t, db, 50)
		deadline := time.Now().Add(10 * time.Second)
		for storage.Checkpointed(db) <= before+1 { // one run may have begun before the writes
			if time.Now().After(deadline) {
				t.Fatal("no checkpoint within 10 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
