package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/framsyn/framsyn/internal/app"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlags("serve", "serve [flags]", stderr)
	f.register(fs, "framsyn.db", "data")
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
	return listenAndServe(ctx, a, stdout)
}

func listenAndServe(ctx context.Context, a *app.App, stdout io.Writer) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	a.Config.Log.Info("serving", "addr", ln.Addr().String(), "url", a.Config.BaseURL, "db", a.DB.Engine)
	fmt.Fprintf(stdout, "framsyn is serving at %s\n", a.Config.BaseURL)
	return a.Serve(ctx, ln)
}
