package media_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
)

// TestSweep: what goes and what stays, by name, age and whether the
// caller still names the file; a touched file counts as new.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	m, err := media.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-48 * time.Hour)
	hash := func(c byte) string { return strings.Repeat(string(c), 64) }
	files := []struct {
		name  string
		old   bool
		named bool
		gone  bool
	}{
		{hash('a'), true, false, true},   // unused
		{hash('b'), true, true, false},   // named
		{hash('c'), false, false, false}, // just saved, its work not yet written
		{hash('d'), true, false, false},  // touched below: an import links it
		{"upload-1", true, false, true},  // an interrupted upload
		{"upload-2", false, false, false},
		{"notes.txt", true, false, false}, // not the store's
	}
	for _, f := range files {
		p := filepath.Join(dir, "media", f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if f.old {
			os.Chtimes(p, long, long)
		}
	}
	if err := m.Touch(hash('d')); err != nil {
		t.Fatal(err)
	}
	if err := m.Touch(hash('e')); !errs.Is(err, errs.NotFound) {
		t.Errorf("Touch of a missing file = %v, want NotFound", err)
	}
	named := func(h string) bool { return h == hash('b') }
	got, err := m.Sweep(named, time.Now().Add(-24*time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	if want := (media.Swept{Kept: 3, Removed: 1, Leftovers: 1, Bytes: 2}); got != want {
		t.Errorf("Sweep = %+v, want %+v", got, want)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, "media", f.name))
		if gone := os.IsNotExist(err); gone != f.gone {
			t.Errorf("%s: gone = %v, want %v", f.name, gone, f.gone)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "media"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "sweep-") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}
