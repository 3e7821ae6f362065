package media_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
)

// TestSweep: what goes and what stays, by name, age and whether the
// caller still names the file; a touched file counts as new. Stored files
// are in the Blobs (a folder or a bucket), temporary ones in the local
// folder in either case.
func TestSweep(t *testing.T) {
	eachBlobs(t, func(t *testing.T, s testStore) {
		long := time.Now().Add(-48 * time.Hour)
		hash := func(c byte) string { return strings.Repeat(string(c), 64) }
		stored := []struct {
			name  string
			old   bool
			named bool
			gone  bool
		}{
			{hash('a'), true, false, true},    // unused
			{hash('b'), true, true, false},    // named
			{hash('c'), false, false, false},  // just saved, its work not yet written
			{hash('d'), true, false, false},   // touched below: an import links it
			{"notes.txt", true, false, false}, // not the store's
		}
		for _, f := range stored {
			when := time.Time{}
			if f.old {
				when = long
			}
			s.put(t, f.name, "x", when)
		}
		temps := []struct {
			name      string
			old, gone bool
		}{
			{"upload-1", true, true}, // an interrupted upload
			{"upload-2", false, false},
			{"sweep-" + hash('f'), true, true}, // a sweep interrupted while it looked again
		}
		for _, f := range temps {
			p := filepath.Join(s.dataDir, "media", f.name)
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			if f.old {
				os.Chtimes(p, long, long)
			}
		}
		if err := s.Touch(hash('d')); err != nil {
			t.Fatal(err)
		}
		if err := s.Touch(hash('e')); !errs.Is(err, errs.NotFound) {
			t.Errorf("Touch of a missing file = %v, want NotFound", err)
		}
		named := func(h string) bool { return h == hash('b') }
		cutoff := time.Now().Add(-24 * time.Hour)

		got, err := s.Sweep(named, cutoff, true)
		if err != nil {
			t.Fatal(err)
		}
		want := media.Swept{Kept: 3, Removed: 1, Leftovers: 2, Bytes: 3}
		if got != want {
			t.Errorf("Sweep dry run = %+v, want %+v", got, want)
		}
		if keys := s.keys(t); len(keys) != len(stored) {
			t.Errorf("a dry run removed files: %v", keys)
		}

		got, err = s.Sweep(named, cutoff, false)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Sweep = %+v, want %+v", got, want)
		}
		keys := s.keys(t)
		for _, f := range stored {
			if gone := !slices.Contains(keys, f.name); gone != f.gone {
				t.Errorf("%s: gone = %v, want %v", f.name, gone, f.gone)
			}
		}
		left := s.temps(t)
		for _, f := range temps {
			if gone := !slices.Contains(left, f.name); gone != f.gone {
				t.Errorf("%s: gone = %v, want %v", f.name, gone, f.gone)
			}
		}
	})
}

// TestBlobs_DeleteLooksAgain: Delete spares a key written again (or
// touched) after the sweep listed it, and removes an old one.
func TestBlobs_DeleteLooksAgain(t *testing.T) {
	eachBlobs(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		long := time.Now().Add(-48 * time.Hour)
		cutoff := time.Now().Add(-24 * time.Hour)
		fresh, old := strings.Repeat("1", 64), strings.Repeat("2", 64)
		s.put(t, fresh, "x", long)
		s.put(t, old, "x", long)
		s.put(t, fresh, "x", time.Time{}) // the same bytes uploaded again
		for _, c := range []struct {
			key  string
			want bool
		}{{fresh, false}, {old, true}, {strings.Repeat("3", 64), false}} {
			gone, err := s.Blobs().Delete(ctx, c.key, cutoff)
			if err != nil || gone != c.want {
				t.Errorf("Delete(%.4s…) = %v, %v; want %v", c.key, gone, err, c.want)
			}
		}
		if _, err := s.Blobs().Stat(ctx, fresh); err != nil {
			t.Errorf("the fresh file: %v", err)
		}
		if _, err := s.Blobs().Stat(ctx, old); !errs.Is(err, errs.NotFound) {
			t.Errorf("the old file: %v, want NotFound", err)
		}
	})
}
