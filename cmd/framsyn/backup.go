package main

import (
	"context"
	"fmt"
	"io"

	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/storage"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("backup", "backup --to FILE [--blobs-to DIR] [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	c.registerBlobs(fs)
	to := fs.String("to", "", "file to write the copy of the database to (must not exist); it holds no uploaded files")
	blobsTo := fs.String("blobs-to", "", "also copy the uploaded files into DIR/media, the layout of --data-dir (files already there are skipped): "+
		"they are in --data-dir, or with --blob-url in the bucket, never in the database file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		fs.Usage()
		return fmt.Errorf("backup needs --to FILE")
	}
	if storage.IsPostgres(c.db) {
		return fmt.Errorf("backup copies SQLite databases; for PostgreSQL use pg_dump (for example: pg_dump --format=custom --file=%s '%s')", *to, c.db)
	}
	store, err := c.openMedia(ctx)
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	if *blobsTo == "" {
		where := "--data-dir " + store.Blobs().String() + "; copy that directory too"
		if _, ok := store.Blobs().(*media.Bucket); ok {
			where = store.Blobs().String() + ", not in this file; copy them with --blobs-to DIR or the store's own tools (mc mirror)"
		}
		fmt.Fprintf(stdout, "the uploaded files are in %s\n", where)
		return nil
	}
	// After the database: a file uploaded meanwhile is in the copy or named
	// by no row of the backup, never named and missing.
	res, err := store.CopyTo(*blobsTo)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "uploaded files copied from %s to %s/media: %d files (%.1f MB), %d already there\n",
		store.Blobs(), *blobsTo, res.Files, float64(res.Bytes)/(1<<20), res.Skipped)
	return nil
}
