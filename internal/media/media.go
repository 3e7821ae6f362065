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
	tmp, err := os.CreateTemp(s.dir, "upload-*")
	if err != nil {
		return "", "", fmt.Errorf("media: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", "", errs.Wrap(errs.Invalid, "media.too_large", err)
		}
		return "", "", fmt.Errorf("media: %w", err)
	}
	if n > limit {
		return "", "", errs.E(errs.Invalid, "media.too_large")
	}
	if n == 0 {
		return "", "", errs.E(errs.Invalid, "media.empty")
	}
	head := make([]byte, 512)
	m, _ := tmp.ReadAt(head, 0)
	ctype := Detect(head[:m])
	if _, ok := allowed[ctype]; !ok {
		return "", "", errs.Wrap(errs.Invalid, "media.bad_type", fmt.Errorf("type %s", ctype))
	}
	if err := tmp.Sync(); err != nil {
		return "", "", fmt.Errorf("media: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, sum)); err != nil {
		return "", "", fmt.Errorf("media: %w", err)
	}
	return sum, ctype, nil
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
