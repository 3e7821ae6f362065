package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/media"
)

// envName is the environment variable that backs a flag.
func envName(flagName string) string {
	return "FRAMSYN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlags returns a flag set whose usage lists each flag's variable.
func newFlags(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: framsyn %s\n\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(out, "  --%s (%s)\n    \t%s", f.Name, envName(f.Name), f.Usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(out, " (default %q)", f.DefValue)
			}
			fmt.Fprintln(out)
		})
	}
	return fs
}

// parse parses args, then fills each flag not given on the command line
// from its FRAMSYN_* variable. The command line wins over the environment.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", envName(f.Name), e)
			}
		}
	})
	return err
}

// parseArgs is parse for commands with arguments besides flags, which
// may come before, between or after the flags (import FILE --as E); it
// returns those arguments. After "--" everything is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if len(left) < len(args) && args[len(args)-len(left)-1] == "--" {
			rest = append(rest, left...)
			break
		}
		rest, args = append(rest, left[0]), left[1:]
	}
	return rest, parse(fs, nil)
}

// common holds the flags every command that opens the database shares.
type common struct {
	db, dataDir, logFormat string
	blobURL                string // see registerBlobs
}

func (c *common) register(fs *flag.FlagSet, defaultDB, defaultData string) {
	fs.StringVar(&c.db, "db", defaultDB, "SQLite file path, or a postgres:// URL")
	fs.StringVar(&c.dataDir, "data-dir", defaultData, "directory for uploaded files")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
}

// registerBlobs adds --blob-url, for the commands that read or write
// uploaded files.
func (c *common) registerBlobs(fs *flag.FlagSet) {
	fs.StringVar(&c.blobURL, "blob-url", "", "keep uploaded files in an S3-compatible bucket (MinIO, SeaweedFS, Ceph) instead of --data-dir, "+
		"which then holds only uploads being checked: s3://ACCESS:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?secure=false&region=REGION]; "+
		"without ACCESS:SECRET the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
}

// openMedia opens the store of uploaded files the flags name.
func (c *common) openMedia(ctx context.Context) (*media.Store, error) {
	return media.OpenURL(ctx, c.dataDir, c.blobURL)
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", c.logFormat)
}

// serveFlags are the flags of the commands that serve.
type serveFlags struct {
	common
	cfg            app.Config
	trustedProxies string
}

func (s *serveFlags) register(fs *flag.FlagSet, defaultDB, defaultData string) {
	s.common.register(fs, defaultDB, defaultData)
	s.registerBlobs(fs)
	fs.StringVar(&s.cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&s.cfg.BaseURL, "base-url", "", "public URL of the site, e.g. https://framsyn.example.se (https turns on secure cookies and HSTS; default http://ADDR)")
	fs.BoolVar(&s.cfg.NoMigrate, "no-migrate", false, "do not apply migrations on start")
	fs.StringVar(&s.cfg.SMTPAddr, "smtp-addr", "", "SMTP server host:port for invitations and password resets (without it, links are shown to admins or logged)")
	fs.StringVar(&s.cfg.SMTPFrom, "smtp-from", "framsyn@localhost", "sender address of mail")
	fs.StringVar(&s.cfg.SMTPUser, "smtp-user", "", "SMTP user name")
	fs.StringVar(&s.cfg.SMTPPassword, "smtp-password", "", "SMTP password")
	fs.StringVar(&s.cfg.MetricsToken, "metrics-token", "", "bearer token that may read /metrics (platform admins always may)")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", "", "comma-separated CIDR prefixes of reverse proxies whose X-Forwarded-For names the client, e.g. 127.0.0.1/32,10.0.0.0/8 (default: none; the peer is the client)")
}

func (s *serveFlags) config(stderr io.Writer) (app.Config, error) {
	log, err := s.logger(stderr)
	if err != nil {
		return app.Config{}, err
	}
	cfg := s.cfg
	cfg.DB, cfg.DataDir, cfg.Log = s.db, s.dataDir, log
	cfg.BlobURL = s.blobURL
	if cfg.TrustedProxies, err = app.ParseTrustedProxies(s.trustedProxies); err != nil {
		return app.Config{}, fmt.Errorf("--trusted-proxies: %w", err)
	}
	return cfg, nil
}
