package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/framsyn/framsyn/internal/storage"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("migrate", "migrate [flags] up|status|down-to VERSION", stderr)
	c.register(fs, "framsyn.db", "data")
	if err := parse(fs, args); err != nil {
		return err
	}
	var down int64 = -1
	switch {
	case fs.NArg() == 1 && (fs.Arg(0) == "up" || fs.Arg(0) == "status"):
	case fs.NArg() == 2 && fs.Arg(0) == "down-to":
		v, err := strconv.ParseInt(fs.Arg(1), 10, 64)
		if err != nil || v < 0 {
			fs.Usage()
			return fmt.Errorf("down-to needs a version number, got %q", fs.Arg(1))
		}
		down = v
	default:
		fs.Usage()
		return fmt.Errorf("migrate needs up, status or down-to VERSION")
	}
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.Arg(0) == "up" {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
	}
	if down >= 0 {
		if err := db.MigrateDownTo(ctx, down); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "migrated down to %d\n", down)
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Source)
	}
	return nil
}
