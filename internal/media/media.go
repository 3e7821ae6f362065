// Package media stores uploaded files under the data directory, named by
// the SHA-256 of their content, outside anything served as a directory.
// Only the types a feature allows are kept, checked by content, not by
// the name or the type the browser claims.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

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

// Store keeps files by content hash in Blobs: the data directory's
// media folder by default, or a bucket (Bucket). Uploads are checked in
// temporary files in that local folder in either case, and only then put
// into Blobs.
type Store struct {
	dir   string // the local folder: temporary files, and the files when blobs is Dir
	blobs Blobs
}

// opTimeout bounds one request to Blobs other than reading a file, which
// lasts as long as the reader reads.
const opTimeout = 2 * time.Minute

// Open returns a store in dataDir/media, creating it.
func Open(dataDir string) (*Store, error) { return New(dataDir, nil) }

// New returns a store whose files are in b, with its temporary files in
// dataDir/media, creating it. A nil b keeps the files there too.
func New(dataDir string, b Blobs) (*Store, error) {
	dir := filepath.Join(dataDir, "media")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	if b == nil {
		b = Dir(dir)
	}
	return &Store{dir: dir, blobs: b}, nil
}

// OpenURL returns a store whose files are in the bucket blobURL names
// (see OpenBucket), or, when blobURL is empty, in dataDir/media.
func OpenURL(ctx context.Context, dataDir, blobURL string) (*Store, error) {
	if blobURL == "" {
		return Open(dataDir)
	}
	b, err := OpenBucket(ctx, blobURL)
	if err != nil {
		return nil, err
	}
	return New(dataDir, b)
}

// Blobs returns where the store keeps its files.
func (s *Store) Blobs() Blobs { return s.blobs }

func opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), opTimeout)
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
	path  string // the temporary file, "" once kept or dropped
	store *Store
}

// Stage reads at most limit bytes from r into a temporary file in the
// store's directory and checks them as Save does: not empty, not over
// limit, a type in allowed found by content. The file is closed; only
// its name is held, so thousands can wait.
func (s *Store) Stage(r io.Reader, limit int64, allowed map[string]string) (*Staged, error) {
	tmp, err := os.CreateTemp(s.dir, uploadPrefix+"*")
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
	if ctype == "application/zip" {
		ctype = detectZip(tmp, n)
	}
	if _, ok := allowed[ctype]; !ok {
		return nil, errs.Wrap(errs.Invalid, "media.bad_type", fmt.Errorf("type %s", ctype))
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	keep = true
	return &Staged{Stored: Stored{Hash: hex.EncodeToString(h.Sum(nil)), Type: ctype, Size: n}, path: tmp.Name(), store: s}, nil
}

// Keep puts the staged file into the store under its hash, whole or not
// at all.
func (st *Staged) Keep() error {
	if st.path == "" {
		return errors.New("media: staged file already kept or dropped")
	}
	ctx, cancel := opContext()
	defer cancel()
	path := st.path
	st.path = "" // Put removes it, whatever the outcome
	return st.store.blobs.Put(ctx, st.Hash, path, st.Size, st.Type)
}

// Discard removes the staged file unless it was kept.
func (st *Staged) Discard() {
	if st.path != "" {
		os.Remove(st.path)
		st.path = ""
	}
}

// Open returns a stored file and its type (by content) by hash. The file
// is read as it streams in; the caller closes it.
func (s *Store) Open(hash string) (io.ReadSeekCloser, string, error) {
	if !hashRE.MatchString(hash) {
		return nil, "", errs.E(errs.NotFound, "error.not_found")
	}
	f, err := s.blobs.Get(context.Background(), hash)
	if err != nil {
		return nil, "", err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, "", fmt.Errorf("media: %s: %w", hash, err)
	}
	ctype := Detect(head[:n])
	if ctype == "application/zip" {
		size, err := f.Seek(0, io.SeekEnd)
		if err == nil {
			ctype = detectZip(seekerAt{f}, size)
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			f.Close()
			return nil, "", fmt.Errorf("media: %s: %w", hash, err)
		}
	}
	return f, ctype, nil
}

// detectStd is the standard library's sniffing, for the types it knows.
func detectStd(head []byte) string { return http.DetectContentType(head) }
