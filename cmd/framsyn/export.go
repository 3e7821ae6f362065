package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("export", "export --to FILE.zip|FILE.json|FILE.csv [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	c.registerBlobs(fs)
	to := fs.String("to", "", "file to write (must not exist): .zip for the works with their attachments and covers (import reads it back), .json for the works alone, .csv for a spreadsheet")
	as := fs.String("as", "", "export what the user with this email may see (default: the whole library, drafts included)")
	typ := fs.String("type", "", "only works of this type: "+strings.Join(typeNames(), ", "))
	org := fs.String("organisation", "", "only works owned or co-organised by the organisation with this slug")
	level := fs.String("level", "", "only works owned by organisations at this level: national, regional or local")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		fs.Usage()
		return fmt.Errorf("export needs --to FILE")
	}
	write := map[string]func(*library.Service) exportFunc{
		".zip":  func(s *library.Service) exportFunc { return s.ExportArchive },
		".json": func(s *library.Service) exportFunc { return s.ExportJSON },
		".csv":  func(s *library.Service) exportFunc { return s.ExportCSV },
	}[strings.ToLower(filepath.Ext(*to))]
	if write == nil {
		return fmt.Errorf("--to must end in .zip, .json or .csv, not %q", *to)
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("%s exists; export does not overwrite it", *to)
	}
	db, svc, err := openLibrary(ctx, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	f := library.Filter{Type: library.Type(*typ), Level: account.Level(*level)}
	if f.Type != "" && !slices.Contains(library.Types, f.Type) {
		return fmt.Errorf("unknown --type %q (one of %s)", *typ, strings.Join(typeNames(), ", "))
	}
	if f.Level != "" && !slices.Contains(account.Levels, f.Level) {
		return fmt.Errorf("unknown --level %q (national, regional or local)", *level)
	}
	if *org != "" {
		o, err := db.Organisations().OrganisationBySlug(ctx, *org)
		if err != nil {
			return fmt.Errorf("no organisation %q: %w", *org, err)
		}
		f.OrganisationID = o.ID
	}
	// The operator holds the database: without --as, they see it all.
	a := &account.Actor{User: &account.User{IsAdmin: true}}
	if *as != "" {
		if a, err = actorByEmail(ctx, db, *as); err != nil {
			return err
		}
	}
	n, err := writeNew(*to, func(w io.Writer) error { return write(svc)(ctx, a, f, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported the library to %s (%d bytes)\n", *to, n)
	return nil
}

type exportFunc func(ctx context.Context, a *account.Actor, f library.Filter, out io.Writer) error

func typeNames() []string {
	out := make([]string, len(library.Types))
	for i, t := range library.Types {
		out[i] = string(t)
	}
	return out
}

// writeNew creates path, which must not exist, and writes it with fn; a
// failed export leaves nothing behind. It returns the size written.
func writeNew(path string, fn func(w io.Writer) error) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, err
	}
	err = fn(f)
	if err == nil {
		err = f.Sync()
	}
	n, serr := f.Seek(0, io.SeekCurrent)
	if cerr := f.Close(); err == nil {
		err = errors.Join(serr, cerr)
	}
	if err != nil {
		os.Remove(path)
		return 0, err
	}
	return n, nil
}

// openLibrary opens the database, migrated, and the library over it with
// the attachments of the data directory.
func openLibrary(ctx context.Context, c *common) (*storage.DB, *library.Service, error) {
	db, err := storage.Open(ctx, c.db)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	files, err := c.openMedia(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc := library.NewService(db.Works())
	svc.SetFiles(files)
	return db, svc, nil
}

// actorByEmail returns the user with the email as the site would see them
// signed in, with their memberships.
func actorByEmail(ctx context.Context, db *storage.DB, email string) (*account.Actor, error) {
	u, _, err := db.Users().UserByEmail(ctx, account.NormalizeEmail(email))
	if errs.Is(err, errs.NotFound) {
		return nil, fmt.Errorf("no user with email %q", email)
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, fmt.Errorf("the user %q is disabled", email)
	}
	ms, err := db.Users().Memberships(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &account.Actor{User: u, Memberships: ms}, nil
}

// firstAdmin returns the platform admin created first (the lowest id),
// the default of import --as.
func firstAdmin(ctx context.Context, db *storage.DB) (*account.Actor, error) {
	users, err := allUsers(ctx, db)
	if err != nil {
		return nil, err
	}
	var first *account.User
	for i := range users {
		if u := &users[i]; u.IsAdmin && !u.Disabled && (first == nil || u.ID < first.ID) {
			first = u
		}
	}
	if first == nil {
		return nil, errors.New("there is no platform admin to import as; name an editor with --as EMAIL")
	}
	return actorByEmail(ctx, db, first.Email)
}
