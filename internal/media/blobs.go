package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Blobs holds the bytes of stored files by key: a directory (Dir) or a
// bucket of an S3-compatible object store (Bucket). The Store names
// files and checks them; Blobs only keeps bytes. Every method returns
// NotFound for a key that is not there, except Delete.
type Blobs interface {
	// Put moves the finished local file at path in under key, atomically:
	// no reader ever sees part of it, and a key written again holds the
	// same bytes (keys are content hashes). The file at path is gone
	// afterwards, whatever the outcome.
	Put(ctx context.Context, key, path string, size int64, ctype string) error
	// Get opens key for reading. The caller closes it.
	Get(ctx context.Context, key string) (io.ReadSeekCloser, error)
	// Stat returns key's size and when it was last written.
	Stat(ctx context.Context, key string) (BlobInfo, error)
	// Touch marks key as written now, so a sweep spares it.
	Touch(ctx context.Context, key string) error
	// Delete removes key unless it was written at or after notAfter (a
	// zero time removes it whatever its age). It reports whether the key
	// is gone; a missing key is not removed and no error.
	Delete(ctx context.Context, key string, notAfter time.Time) (bool, error)
	// List calls fn for every key, in no particular order.
	List(ctx context.Context, fn func(BlobInfo) error) error
	// String says where the bytes are, without secrets.
	String() string
}

// BlobInfo is what Blobs knows of a key.
type BlobInfo struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Dir is Blobs in a directory of the local file system: one file per key.
// A file is renamed into place, so it appears whole.
type Dir string

var _ Blobs = Dir("")

func (d Dir) path(key string) string { return filepath.Join(string(d), key) }

func notFound(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	return fmt.Errorf("media: %w", err)
}

// Put renames path into the directory; path must be on the same file
// system (the Store stages in the directory itself).
func (d Dir) Put(_ context.Context, key, path string, _ int64, _ string) error {
	if err := os.Rename(path, d.path(key)); err != nil {
		os.Remove(path)
		return fmt.Errorf("media: %w", err)
	}
	return nil
}

// Get opens the key's file.
func (d Dir) Get(_ context.Context, key string) (io.ReadSeekCloser, error) {
	f, err := os.Open(d.path(key))
	if err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// Stat stats the key's file.
func (d Dir) Stat(_ context.Context, key string) (BlobInfo, error) {
	fi, err := os.Stat(d.path(key))
	if err != nil {
		return BlobInfo{}, notFound(err)
	}
	return BlobInfo{Key: key, Size: fi.Size(), Modified: fi.ModTime()}, nil
}

// Touch sets the key's file's modification time to now.
func (d Dir) Touch(_ context.Context, key string) error {
	now := time.Now()
	if err := os.Chtimes(d.path(key), now, now); err != nil {
		return notFound(err)
	}
	return nil
}

// Delete first moves the file aside and looks at it again: an upload may
// have put the same content under the same name since (a fresh file), or
// an import touched it; then it goes back, which is harmless, as any file
// of that name holds the same bytes.
func (d Dir) Delete(_ context.Context, key string, notAfter time.Time) (bool, error) {
	path, aside := d.path(key), d.path(sweepPrefix+key)
	if err := os.Rename(path, aside); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("media: %w", err)
	}
	if info, err := os.Stat(aside); err == nil && !notAfter.IsZero() && !info.ModTime().Before(notAfter) {
		if err := os.Rename(aside, path); err != nil {
			return false, fmt.Errorf("media: %w", err)
		}
		return false, nil
	}
	if err := os.Remove(aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("media: %w", err)
	}
	return true, nil
}

// List lists the regular files of the directory that are not the
// Store's temporary files.
func (d Dir) List(_ context.Context, fn func(BlobInfo) error) error {
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || isTemp(e.Name()) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, os.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
		if err := fn(BlobInfo{Key: e.Name(), Size: info.Size(), Modified: info.ModTime()}); err != nil {
			return err
		}
	}
	return nil
}

// String is the directory.
func (d Dir) String() string { return string(d) }

// The Store's temporary files, in its local directory: uploads being
// checked, imports being read, files a sweep moved aside.
const (
	uploadPrefix = "upload-"
	importPrefix = "import-"
	sweepPrefix  = "sweep-"
)

func isTemp(name string) bool {
	return strings.HasPrefix(name, uploadPrefix) || strings.HasPrefix(name, importPrefix) || strings.HasPrefix(name, sweepPrefix)
}
