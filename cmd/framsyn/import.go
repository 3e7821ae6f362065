package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("import", "import FILE.zip|FILE.json [flags]", stderr)
	c.register(fs, "framsyn.db", "data")
	c.registerBlobs(fs)
	as := fs.String("as", "", "email of the editor or admin the import is made as: it may only write works of their organisations, and each revision names them (default: the platform admin created first)")
	lang := fs.String("lang", "sv", "language of the problems reported: sv or en")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("import needs one FILE: an archive (.zip) or a JSON file from export")
	}
	if !slices.Contains(i18n.Languages, *lang) {
		return fmt.Errorf("--lang must be sv or en, not %q", *lang)
	}
	tr := i18n.MustLoad().For(*lang)
	in, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	db, svc, err := openLibrary(ctx, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := firstAdmin(ctx, db)
	if *as != "" {
		a, err = actorByEmail(ctx, db, *as)
	}
	if err != nil {
		return err
	}
	head := make([]byte, 4)
	n, _ := in.ReadAt(head, 0)
	var res *library.ImportResult
	if library.IsArchive(head[:n]) {
		res, err = svc.ImportArchive(ctx, a, in, fi.Size())
	} else {
		res, err = svc.Import(ctx, a, in)
	}
	var ie *library.ImportError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			fmt.Fprintln(stderr, p.Text(tr))
		}
		return fmt.Errorf("%s: %d problems; nothing was imported", files[0], len(ie.Problems))
	case errs.KindOf(err) != errs.Internal:
		return fmt.Errorf("import as %s: %s", a.User.Email, tr.T(errs.As(err).Key))
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "imported %s as %s: %d new, %d updated, %d unchanged\n", files[0], a.User.Email, res.Created, res.Updated, res.Unchanged)
	return nil
}
