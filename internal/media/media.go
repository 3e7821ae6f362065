// Package media stores uploaded files under the data directory, named by
// the SHA-256 of their content, outside anything served as a directory.
// Only the types a feature allows are kept, checked by content, not by
// the name or the type the browser claims.
package media

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/framsyn/framsyn/internal/errs"
)

// Images are the types allowed for logos and pictures. SVG is not among
// them: it can carry script.
var Images = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
	"image/webp": ".webp",
}

// Store keeps files in a directory.
type Store struct {
	dir string
}

// Open returns a store in dir/media, creating it.
func Open(dataDir string) (*Store, error) {
	dir := filepath.Join(dataDir, "media")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return &Store{dir: dir}, nil
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Save reads at most limit bytes from r and keeps them when their type is
// in allowed. It returns the content hash and type.
func (s *Store) Save(r io.Reader, limit int64, allowed map[string]string) (string, string, error) {
	st, err := s.Stage(r, limit, allowed)
	if err != nil {
		return "", "", err
	}
	if err := st.Keep(); err != nil {
		return "", "", err
	}
	return st.Hash, st.Type, nil
}

// Staged is a checked file not yet kept under its hash: Keep keeps it,
// Discard drops it. A caller checking many files (an archive import)
// stages them all and keeps them only when every one passed.
type Staged struct {
	Stored
	path string // the temporary file, "" once kept or dropped
	dir  string
}

// Stage reads at most limit bytes from r into a temporary file in the
// store's directory and checks them as Save does: not empty, not over
// limit, a type in allowed found by content. The file is closed; only
// its name is held, so thousands can wait.
func (s *Store) Stage(r io.Reader, limit int64, allowed map[string]string) (*Staged, error) {
	tmp, err := os.CreateTemp(s.dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	keep := false
	defer func() {
		tmp.Close()
		if !keep {
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errs.Wrap(errs.Invalid, "media.too_large", err)
		}
		return nil, fmt.Errorf("media: %w", err)
	}
	if n > limit {
		return nil, errs.E(errs.Invalid, "media.too_large")
	}
	if n == 0 {
		return nil, errs.E(errs.Invalid, "media.empty")
	}
	head := make([]byte, 512)
	m, _ := tmp.ReadAt(head, 0)
	ctype := Detect(head[:m])
	if _, ok := allowed[ctype]; !ok {
		return nil, errs.Wrap(errs.Invalid, "media.bad_type", fmt.Errorf("type %s", ctype))
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	keep = true
	return &Staged{Stored: Stored{Hash: hex.EncodeToString(h.Sum(nil)), Type: ctype, Size: n}, path: tmp.Name(), dir: s.dir}, nil
}

// Keep moves the staged file into the store under its hash.
func (st *Staged) Keep() error {
	if st.path == "" {
		return errors.New("media: staged file already kept or dropped")
	}
	if err := os.Rename(st.path, filepath.Join(st.dir, st.Hash)); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	st.path = ""
	return nil
}

// Discard removes the staged file unless it was kept.
func (st *Staged) Discard() {
	if st.path != "" {
		os.Remove(st.path)
		st.path = ""
	}
}

// Open returns a stored file and its type by hash.
func (s *Store) Open(hash string) (*os.File, string, error) {
	if !hashRE.MatchString(hash) {
		return nil, "", errs.E(errs.NotFound, "error.not_found")
	}
	f, err := os.Open(filepath.Join(s.dir, hash))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", errs.E(errs.NotFound, "error.not_found")
	}
	if err != nil {
		return nil, "", fmt.Errorf("media: %w", err)
	}
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, 0)
	return f, Detect(head[:n]), nil
}

// detectStd is the standard library's sniffing, for the types it knows.
func detectStd(head []byte) string { return http.DetectContentType(head) }
