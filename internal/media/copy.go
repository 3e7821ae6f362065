package media

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/framsyn/framsyn/internal/errs"
)

// Copied tells what CopyTo did.
type Copied struct {
	Files   int   // copied
	Skipped int   // already there
	Bytes   int64 // copied
}

// CopyTo copies every stored file into dataDir/media, the layout of a
// data directory, so that dataDir serves the files without a bucket. A
// file already there with the same size is skipped: names are content
// hashes, so a second run copies only what is new. Each file appears
// whole, through a temporary file renamed into place.
func (s *Store) CopyTo(dataDir string) (Copied, error) {
	var out Copied
	dst := filepath.Join(dataDir, "media")
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return out, fmt.Errorf("media: copy: %w", err)
	}
	err := s.blobs.List(context.Background(), func(b BlobInfo) error {
		if !hashRE.MatchString(b.Key) {
			return nil
		}
		if fi, err := os.Stat(filepath.Join(dst, b.Key)); err == nil && fi.Size() == b.Size {
			out.Skipped++
			return nil
		}
		n, err := s.copyOne(b.Key, dst)
		if errs.Is(err, errs.NotFound) {
			return nil // swept meanwhile
		}
		if err != nil {
			return err
		}
		out.Files++
		out.Bytes += n
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("media: copy: %w", err)
	}
	return out, nil
}

func (s *Store) copyOne(key, dst string) (int64, error) {
	src, err := s.blobs.Get(context.Background(), key)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dst, uploadPrefix+"*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing
	n, err := io.Copy(tmp, src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dst, key))
	}
	return n, err
}
