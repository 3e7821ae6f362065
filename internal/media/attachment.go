package media

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Attachments are the types allowed for files attached to works: the
// Images, PDF, common audio and office documents (checked by content,
// office.go). Each is served under its own type with the browser told not
// to guess another.
var Attachments = map[string]string{
	TypeDOCX:          ".docx",
	TypePPTX:          ".pptx",
	TypeXLSX:          ".xlsx",
	TypeODT:           ".odt",
	TypeODP:           ".odp",
	TypeODS:           ".ods",
	"image/png":       ".png",
	"image/jpeg":      ".jpg",
	"image/gif":       ".gif",
	"image/webp":      ".webp",
	"application/pdf": ".pdf",
	"audio/mpeg":      ".mp3",
	"audio/ogg":       ".ogg",
	"audio/wave":      ".wav",
	"audio/aiff":      ".aiff",
	"audio/mp4":       ".m4a",
	"audio/flac":      ".flac",
}

// IsImage reports whether a detected type is one of the Images.
func IsImage(ctype string) bool {
	_, ok := Images[ctype]
	return ok
}

// Stored is a saved file: its content hash, detected type and size.
type Stored struct {
	Hash string
	Type string
	Size int64
}

// Put is Save with the size of the stored file too.
func (s *Store) Put(r io.Reader, limit int64, allowed map[string]string) (*Stored, error) {
	st, err := s.Stage(r, limit, allowed)
	if err != nil {
		return nil, err
	}
	if err := st.Keep(); err != nil {
		return nil, err
	}
	return &st.Stored, nil
}

// Stat returns the hash, type (by content) and size of a stored file, or
// NotFound.
func (s *Store) Stat(hash string) (*Stored, error) {
	f, ctype, err := s.Open(hash)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return &Stored{Hash: hash, Type: ctype, Size: size}, nil
}

// TempFile creates a temporary file in the store's directory, on the disk
// of the data directory rather than in memory or /tmp, for a large upload
// to wait in while it is checked. The caller closes and removes it.
func (s *Store) TempFile(pattern string) (*os.File, error) {
	f, err := os.CreateTemp(s.dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return f, nil
}

// Detect returns the type of a file from its first bytes: what
// http.DetectContentType finds, made more precise for the audio formats
// it does not know (FLAC, M4A) or names by container (Ogg).
func Detect(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("fLaC")):
		return "audio/flac"
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")) && bytes.HasPrefix(head[8:], []byte("M4A ")):
		return "audio/mp4"
	case bytes.HasPrefix(head, []byte("OggS\x00")):
		return "audio/ogg"
	case len(head) >= 3 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0 && head[1] != 0xFE &&
		head[2]>>4 != 0xF && head[2]&0x0C != 0x0C:
		// An MPEG audio frame header without an ID3 tag in front (FF FE
		// is the UTF-16 byte order mark, not a frame).
		return "audio/mpeg"
	}
	return detectStd(head)
}
