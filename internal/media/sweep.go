package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Swept tells what Sweep found and did.
type Swept struct {
	Kept      int   // stored files still named, or too new to judge
	Removed   int   // stored files no longer named
	Leftovers int   // temporary files an interrupted upload or import left
	Bytes     int64 // freed
}

// Sweep removes the stored files that keep does not name and that were
// last written before cutoff, and the temporary files of uploads and
// imports older than cutoff. Files are shared by content hash and kept
// before the row naming them commits, so only the caller can say what is
// named (every work, revision and organisation), and the cutoff spares a
// file saved a moment ago whose work is still being written. dryRun
// counts without removing.
func (s *Store) Sweep(keep func(hash string) bool, cutoff time.Time, dryRun bool) (Swept, error) {
	var out Swept
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return out, fmt.Errorf("media: sweep: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		stored := hashRE.MatchString(name)
		temp := strings.HasPrefix(name, "upload-") || strings.HasPrefix(name, "import-") || strings.HasPrefix(name, "sweep-")
		if !e.Type().IsRegular() || (!stored && !temp) {
			continue // not ours
		}
		info, err := e.Info()
		if errors.Is(err, os.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return out, fmt.Errorf("media: sweep: %w", err)
		}
		if !info.ModTime().Before(cutoff) || (stored && keep(name)) {
			if stored {
				out.Kept++
			}
			continue
		}
		if !dryRun {
			gone, err := s.remove(name, stored, cutoff)
			if err != nil {
				return out, err
			}
			if !gone {
				out.Kept++
				continue
			}
		}
		if stored {
			out.Removed++
		} else {
			out.Leftovers++
		}
		out.Bytes += info.Size()
	}
	return out, nil
}

// remove removes a file Sweep found unwanted. A stored file is first moved
// aside and looked at again: an upload may have kept the same content
// under the same name since (a fresh file), or an import linked it
// (Touch); then it goes back, which is harmless, as any file of that name
// holds the same bytes. It reports whether the file is gone.
func (s *Store) remove(name string, stored bool, cutoff time.Time) (bool, error) {
	path := filepath.Join(s.dir, name)
	if !stored {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, fmt.Errorf("media: sweep: %w", err)
		}
		return true, nil
	}
	aside := filepath.Join(s.dir, "sweep-"+name)
	if err := os.Rename(path, aside); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("media: sweep: %w", err)
	}
	if info, err := os.Stat(aside); err == nil && !info.ModTime().Before(cutoff) {
		if err := os.Rename(aside, path); err != nil {
			return false, fmt.Errorf("media: sweep: %w", err)
		}
		return false, nil
	}
	if err := os.Remove(aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("media: sweep: %w", err)
	}
	return true, nil
}

// Touch marks a stored file as just used, so a Sweep running meanwhile
// spares it: a write that names a file already stored (an import linking
// one) touches it before it commits. NotFound if it is gone.
func (s *Store) Touch(hash string) error {
	if !hashRE.MatchString(hash) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	now := time.Now()
	err := os.Chtimes(filepath.Join(s.dir, hash), now, now)
	if errors.Is(err, os.ErrNotExist) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	return nil
}
