package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
// file saved a moment ago whose work is still being written. Blobs looks
// at each file's time again as it removes it (Blobs.Delete). dryRun
// counts without removing.
func (s *Store) Sweep(keep func(hash string) bool, cutoff time.Time, dryRun bool) (Swept, error) {
	ctx := context.Background() // a sweep of a large bucket takes a while; each request has the client's timeouts
	var out Swept
	err := s.blobs.List(ctx, func(b BlobInfo) error {
		if !hashRE.MatchString(b.Key) {
			return nil // not ours
		}
		if !b.Modified.Before(cutoff) || keep(b.Key) {
			out.Kept++
			return nil
		}
		if !dryRun {
			gone, err := s.blobs.Delete(ctx, b.Key, cutoff)
			if err != nil {
				return err
			}
			if !gone {
				out.Kept++
				return nil
			}
		}
		out.Removed++
		out.Bytes += b.Size
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("media: sweep: %w", err)
	}
	return out, s.sweepTemp(cutoff, dryRun, &out)
}

// sweepTemp removes the temporary files older than cutoff from the local
// folder.
func (s *Store) sweepTemp(cutoff time.Time, dryRun bool, out *Swept) error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("media: sweep: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTemp(e.Name()) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, os.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return fmt.Errorf("media: sweep: %w", err)
		}
		if !info.ModTime().Before(cutoff) {
			continue
		}
		if !dryRun {
			if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("media: sweep: %w", err)
			}
		}
		out.Leftovers++
		out.Bytes += info.Size()
	}
	return nil
}

// Touch marks a stored file as just used, so a Sweep running meanwhile
// spares it: a write that names a file already stored (an import linking
// one) touches it before it commits. NotFound if it is gone.
func (s *Store) Touch(hash string) error {
	if !hashRE.MatchString(hash) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	ctx, cancel := opContext()
	defer cancel()
	return s.blobs.Touch(ctx, hash)
}
