package main

import (
	"context"
	"fmt"
	"io"

	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/demo"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlags("demo", "demo [flags]", stderr)
	f.register(fs, "framsyn-demo.db", "data-demo")
	noServe := fs.Bool("no-serve", false, "load the demo network and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := f.config(stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	logins, err := demo.Seed(ctx, a.Accounts, a.DB)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The demo network is loaded into %s: organisations, contacts, the works the seeds name and their dated news.\n", cfg.DB)
	fmt.Fprintln(stdout, "Example logins (new passwords on every run):")
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-28s %s   (%s)\n", l.Email, l.Password, l.Note)
	}
	if *noServe {
		return nil
	}
	fmt.Fprintf(stdout, "Open %s in a browser; stop with Ctrl-C.\n", a.Config.BaseURL)
	return listenAndServe(ctx, a, stdout)
}
