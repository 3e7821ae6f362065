package library_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestSweep_KeepsWhatAnythingNames stores files through the library and
// sweeps the store against storage.MediaHashes: a current attachment, the
// cover, a file only an old revision names and an organisation's logo
// stay; a file nothing names goes once it is older than the cutoff.
func TestSweep_KeepsWhatAnythingNames(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		dir := t.TempDir()
		m := withFiles(t, f, dir)
		old := mustAttach(t, m, "gammal.pdf", pdfBody)
		cur := mustAttach(t, m, "ny.pdf", pdfBody+"% v2\n")
		cover := mustAttach(t, m, "omslag.png", pngBody)
		logo := mustAttach(t, m, "logo.png", pngBody+"logo")
		orphan := mustAttach(t, m, "bortglomd.pdf", pdfBody+"% orphan\n")
		fresh := mustAttach(t, m, "nyss.pdf", pdfBody+"% fresh\n")

		w := f.work("Filer", library.Public)
		w.Attachments = []library.Attachment{old}
		w = f.mustCreate(t, w)
		edit := *w
		edit.Attachments, edit.CoverImage = []library.Attachment{cur, cover}, cover.Hash
		if _, err := f.svc.Update(ctx, f.editorA, &edit); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Organisations().CreateOrganisation(ctx, &account.Organisation{Slug: "med-logga", Name: "Med logga", Kind: account.KindOther,
			Level: account.LevelLocal, Public: true, Logo: logo.Hash}); err != nil {
			t.Fatal(err)
		}

		// Everything but "fresh" was written long ago.
		long := time.Now().Add(-48 * time.Hour)
		for _, a := range []library.Attachment{old, cur, cover, logo, orphan} {
			if err := os.Chtimes(filepath.Join(dir, "media", a.Hash), long, long); err != nil {
				t.Fatal(err)
			}
		}
		leftover := filepath.Join(dir, "media", "upload-123")
		if err := os.WriteFile(leftover, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(leftover, long, long)

		named, err := db.Media().MediaHashes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		keep := func(h string) bool { return named[h] }
		cutoff := time.Now().Add(-24 * time.Hour)
		dry, err := m.Sweep(keep, cutoff, true)
		if err != nil {
			t.Fatal(err)
		}
		if dry.Removed != 1 || dry.Leftovers != 1 || !exists(dir, orphan.Hash) {
			t.Fatalf("dry run = %+v, orphan still there: %v", dry, exists(dir, orphan.Hash))
		}
		got, err := m.Sweep(keep, cutoff, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.Removed != 1 || got.Leftovers != 1 || got.Kept != 5 {
			t.Errorf("sweep = %+v, want 1 removed, 1 leftover, 5 kept", got)
		}
		for name, a := range map[string]library.Attachment{"old revision": old, "current": cur, "cover": cover, "logo": logo, "fresh": fresh} {
			if !exists(dir, a.Hash) {
				t.Errorf("%s file swept", name)
			}
		}
		if exists(dir, orphan.Hash) || exists(dir, "upload-123") {
			t.Error("orphan or leftover still there")
		}
		// The old revision can still be restored with its file.
		if _, err := f.svc.Restore(ctx, f.editorA, w.ID, 1); err != nil {
			t.Errorf("restore revision 1: %v", err)
		}
	})
}

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, "media", name))
	return err == nil
}
