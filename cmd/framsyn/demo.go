package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
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
	seeded, err := demo.SeedAll(ctx, a.Accounts, a.DemoStore(), a.Workshops)
	if err != nil {
		return err
	}
	if _, err := demo.SeedAnalysis(ctx, a.Accounts, a.Analysis); err != nil {
		return err
	}
	admin, err := a.Accounts.UserByEmail(ctx, demo.AdminEmail)
	if err != nil {
		return err
	}
	if _, err := demo.SeedEvents(ctx, a.Events, &account.Actor{User: admin}, a.Stores.Accounts); err != nil {
		return err
	}
	if _, err := demo.SeedBoard(ctx, a.Board, &account.Actor{User: admin}, a.Stores.Accounts); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The demo network is loaded into %s: organisations, contacts, the works the seeds name, their dated news, their events, the Innovationsindex and example analyses, and two example workshops.\n", cfg.DB)
	fmt.Fprintln(stdout, "Example logins (new passwords on every run):")
	for _, l := range seeded.Logins {
		fmt.Fprintf(stdout, "  %-28s %s   (%s)\n", l.Email, l.Password, l.Note)
	}
	base := strings.TrimRight(a.Config.BaseURL, "/")
	ws := seeded.Workshops
	fmt.Fprintf(stdout, "Example workshop to try (both logins lead it): join code %s, %s/j/%s\n", ws.Open.Code, base, ws.Open.Code)
	fmt.Fprintln(stdout, "  sign in as the admin in one browser and join with a nickname from a second browser (or a private window).")
	fmt.Fprintf(stdout, "Finished example workshop (four groups, \"%s\" chosen): %s/workshoppar/%d/resultat (signed in)\n",
		demo.FinishedChosen, base, ws.Finished.ID)
	if *noServe {
		return nil
	}
	fmt.Fprintf(stdout, "Open %s in a browser; stop with Ctrl-C.\n", a.Config.BaseURL)
	return listenAndServe(ctx, a, stdout)
}
