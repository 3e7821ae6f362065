package main

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/media/mediatest"
)

// TestCommands_Bucket: with --blob-url the uploads are in the bucket, not
// in --data-dir; sweep removes an unused object there, backup says the
// files are not in its copy or copies them with --blobs-to, and export
// puts them into its archive.
func TestCommands_Bucket(t *testing.T) {
	ctx := context.Background()
	s3 := mediatest.NewS3(t)
	dsn, data := filepath.Join(t.TempDir(), "framsyn.db"), t.TempDir()
	pdf, png := seedLibraryWith(t, app.Config{DB: dsn, DataDir: data, BlobURL: s3.URL}, false)
	if _, err := os.Stat(filepath.Join(data, "media", pdf)); !os.IsNotExist(err) {
		t.Errorf("the upload is in --data-dir too: %v", err)
	}
	store, err := media.OpenURL(ctx, t.TempDir(), s3.URL)
	if err != nil {
		t.Fatal(err)
	}
	keys := func() []string {
		var ks []string
		store.Blobs().List(ctx, func(b media.BlobInfo) error { ks = append(ks, b.Key); return nil })
		slices.Sort(ks)
		return ks
	}
	orphan := strings.Repeat("ab", 32)
	tmp := filepath.Join(t.TempDir(), "orphan")
	os.WriteFile(tmp, []byte("%PDF-1.4\n"), 0o600)
	s3.At(time.Now().Add(-48*time.Hour), func() {
		if err := store.Blobs().Put(ctx, orphan, tmp, 9, "application/pdf"); err != nil {
			t.Fatal(err)
		}
	})
	flags := []string{"--db", dsn, "--data-dir", data, "--blob-url", s3.URL}
	cmd := func(name string, args ...string) string {
		t.Helper()
		out, err := runCmd(t, append(append([]string{name}, flags...), args...)...)
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		if strings.Contains(out, "test-secret") {
			t.Errorf("%s shows the secret key:\n%s", name, out)
		}
		return out
	}

	if out := cmd("sweep", "--dry-run"); !strings.Contains(out, "would remove 1 unused files in s3://") {
		t.Errorf("sweep --dry-run:\n%s", out)
	}
	if out := cmd("sweep"); !strings.Contains(out, "removed 1 unused files in s3://") {
		t.Errorf("sweep:\n%s", out)
	}
	want := []string{pdf, png}
	slices.Sort(want)
	if got := keys(); !slices.Equal(got, want) {
		t.Errorf("bucket after sweep = %v, want %v", got, want)
	}

	dir := t.TempDir()
	if out := cmd("backup", "--to", filepath.Join(dir, "a.db")); !strings.Contains(out, "not in this file") {
		t.Errorf("backup does not say the files are elsewhere:\n%s", out)
	}
	blobs := filepath.Join(dir, "blobs")
	if out := cmd("backup", "--to", filepath.Join(dir, "b.db"), "--blobs-to", blobs); !strings.Contains(out, "2 files") {
		t.Errorf("backup --blobs-to:\n%s", out)
	}
	for _, h := range want {
		if _, err := os.Stat(filepath.Join(blobs, "media", h)); err != nil {
			t.Errorf("not copied: %v", err)
		}
	}
	if out := cmd("backup", "--to", filepath.Join(dir, "c.db"), "--blobs-to", blobs); !strings.Contains(out, "0 files (0.0 MB), 2 already there") {
		t.Errorf("backup --blobs-to again:\n%s", out)
	}
	// The copy serves as a data directory of its own.
	local, err := media.Open(blobs)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := local.Stat(pdf); err != nil || st.Type != "application/pdf" {
		t.Errorf("copied PDF: %+v, %v", st, err)
	}

	arc := filepath.Join(dir, "bibliotek.zip")
	cmd("export", "--to", arc)
	zr, err := zip.OpenReader(arc)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if !slices.Contains(names, "files/"+pdf) {
		t.Errorf("the archive lacks the PDF: %v", names)
	}
}
