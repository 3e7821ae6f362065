// Command framsyn is the whole platform in one binary: framsyn serve runs
// it, framsyn demo runs it with the demo network, and the other
// subcommands migrate, manage users, export and import the library, back
// up, and sweep unused files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "run the platform", runServe},
	{"demo", "load the demo network into a database and serve it", runDemo},
	{"migrate", "apply or list database migrations (up | status)", runMigrate},
	{"user", "manage accounts (add | passwd | list)", runUser},
	{"export", "write the library to a file: an archive with the files (.zip), JSON or CSV", runExport},
	{"import", "read works from an export file (.zip or .json), all or nothing", runImport},
	{"backup", "write a consistent copy of a SQLite database while it serves", runBackup},
	{"sweep", "remove stored files nothing names any longer (--dry-run to count)", runSweep},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "framsyn:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "framsyn – the open foresight platform of Sweden's regions, agencies and SKR.")
	fmt.Fprintln(w, "\nUsage: framsyn <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set by an environment variable: --data-dir by FRAMSYN_DATA_DIR.")
	fmt.Fprintln(w, "Run framsyn <command> --help for the flags of a command.")
}
