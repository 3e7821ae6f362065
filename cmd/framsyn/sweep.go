package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/framsyn/framsyn/internal/storage"
)

// runSweep removes stored files that no work, revision or organisation
// names any longer (replaced attachments of deleted works, uploads whose
// form was never saved) and leftovers of interrupted uploads. Files named
// by any revision stay, so restoring one keeps its files. With --blob-url
// it sweeps the bucket, and the leftovers in --data-dir.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("sweep", "sweep [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	c.registerBlobs(fs)
	olderThan := fs.Duration("older-than", 24*time.Hour, "spare files written more recently than this (an upload whose work is still being saved)")
	dryRun := fs.Bool("dry-run", false, "count what would go, remove nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *olderThan < time.Hour {
		return fmt.Errorf("--older-than must be at least 1h: a file saved a moment ago may belong to a work still being written")
	}
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := c.openMedia(ctx)
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-*olderThan)
	named, err := db.Media().MediaHashes(ctx)
	if err != nil {
		return err
	}
	res, err := store.Sweep(func(h string) bool { return named[h] }, cutoff, *dryRun)
	if err != nil {
		return err
	}
	verb := "removed"
	if *dryRun {
		verb = "would remove"
	}
	fmt.Fprintf(stdout, "%s %d unused files in %s and %d upload leftovers (%.1f MB); %d files kept\n",
		verb, res.Removed, store.Blobs(), res.Leftovers, float64(res.Bytes)/(1<<20), res.Kept)
	return nil
}
