package main

import (
	"context"
	"fmt"
	"io"

	"github.com/framsyn/framsyn/internal/storage"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("backup", "backup --to FILE [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	to := fs.String("to", "", "file to write the copy to (must not exist)")
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
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s (uploads live in --data-dir; copy that directory too)\n", *to)
	return nil
}
