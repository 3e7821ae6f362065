package library

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
)

// An archive is the whole of an export: a ZIP with works.json (the JSON
// export, ExportJSON) and the content of every attachment it names, once
// each, under files/<sha256>. Nothing else may be in it.
const (
	ArchiveWorks = "works.json"
	archiveFiles = "files/"
)

// Bounds of an import. The web routes take uploads up to these sizes
// (internal/app); an archive from the command line may be larger, and is
// bounded by what it unpacks to.
const (
	MaxImportJSONBytes = 32 << 20  // a JSON file, or works.json in an archive
	MaxArchiveBytes    = 256 << 20 // an uploaded archive
)

// maxUnpacked bounds what an archive of size bytes may unpack to, all
// entries together: attachments are mostly compressed already (PDF, JPEG,
// MP3) and the export stores them as they are, so anything that grows
// more than fourfold is a zip bomb, not a library.
func maxUnpacked(size int64) uint64 {
	return 4*uint64(size) + MaxImportJSONBytes
}

var archiveFileRE = regexp.MustCompile(`^files/[0-9a-f]{64}$`)

// ExportArchive writes the works a may see that match f as an archive:
// works.json as ExportJSON writes it, then each attachment of those
// works once. It streams: the works and the files pass through one at a
// time.
func (s *Service) ExportArchive(ctx context.Context, a *account.Actor, f Filter, out io.Writer) error {
	if s.files == nil {
		return errors.New("library: export archive: no file store")
	}
	zw := zip.NewWriter(out)
	now := s.now().UTC()
	jw, err := zw.CreateHeader(&zip.FileHeader{Name: ArchiveWorks, Method: zip.Deflate, Modified: now})
	if err != nil {
		return err
	}
	var hashes []string
	seen := map[string]bool{}
	err = s.exportJSON(ctx, a, f, jw, func(w *Work) {
		for _, at := range w.Attachments {
			if !seen[at.Hash] {
				seen[at.Hash] = true
				hashes = append(hashes, at.Hash)
			}
		}
	})
	if err != nil {
		return err
	}
	for _, h := range hashes {
		if err := s.archiveFile(zw, h, now); err != nil {
			return err
		}
	}
	return zw.Close()
}

// archiveFile copies one stored file into the archive, uncompressed: the
// types allowed are compressed already, or barely shrink.
func (s *Service) archiveFile(zw *zip.Writer, hash string, now time.Time) error {
	src, _, err := s.files.Open(hash)
	if err != nil {
		return fmt.Errorf("library: export archive: file %s: %w", hash, err)
	}
	defer src.Close()
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: archiveFiles + hash, Method: zip.Store, Modified: now})
	if err != nil {
		return err
	}
	_, err = io.Copy(fw, src)
	return err
}

// ImportArchive reads an archive (as ExportArchive writes it) of size
// bytes and imports it as Import does, all or nothing. Before anything is
// written it checks every record, and every file a record names: that
// the archive holds it, that its content has that SHA-256, and that it
// passes the checks of an upload (type by content, size). Entries other
// than works.json and files/<sha256>, and archives that unpack to more
// than maxUnpacked, are refused. Only then are the files kept and the
// works written, in one transaction.
func (s *Service) ImportArchive(ctx context.Context, a *account.Actor, ra io.ReaderAt, size int64) (*ImportResult, error) {
	if err := canImport(a); err != nil {
		return nil, err
	}
	if s.files == nil {
		return nil, errors.New("library: import archive: no file store")
	}
	fail := func(key string, cause error) (*ImportResult, error) {
		return nil, importErr([]Problem{{Index: -1, Field: "file", Key: key}}, cause)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are checked below
		return fail("library.import_archive_malformed", err)
	}
	if len(zr.File) > MaxImportWorks*MaxAttachments+1 {
		return fail("library.import_archive_too_large", nil)
	}
	// The sizes are the archive's word, but the reader holds each entry
	// to its own (more is ErrFormat), so their sum bounds the unpacking.
	limit, total := maxUnpacked(size), uint64(0)
	for _, zf := range zr.File {
		if zf.UncompressedSize64 > limit-total {
			return fail("library.import_archive_too_large", fmt.Errorf("unpacks to more than %d bytes", limit))
		}
		total += zf.UncompressedSize64
	}
	src := &archivedFiles{store: s.files, entries: map[string]*zip.File{}, checked: map[string]archiveCheck{}}
	var works *zip.File
	var problems []Problem
	for i, zf := range zr.File {
		entry := func(key string) {
			problems = append(problems, Problem{Index: -1, Field: "archive[" + strconv.Itoa(i) + "]", Key: key, File: zf.Name})
		}
		switch {
		case zf.Name == ArchiveWorks && works == nil:
			works = zf
		case archiveFileRE.MatchString(zf.Name) && src.entries[zf.Name[len(archiveFiles):]] == nil:
			src.entries[zf.Name[len(archiveFiles):]] = zf
		case zf.Name == archiveFiles && zf.FileInfo().IsDir():
		case zf.Name == ArchiveWorks || archiveFileRE.MatchString(zf.Name):
			entry("library.import_archive_duplicate")
		default:
			// "../x", "/etc/x", "files/../x", anything else: the archive
			// is not one of ours. Nothing is ever written under an
			// entry's name, but such an entry says the file is wrong.
			entry("library.import_archive_name")
		}
	}
	if works == nil {
		return nil, importErr(append(problems, Problem{Index: -1, Field: ArchiveWorks, Key: "library.import_archive_no_works"}), nil)
	}
	if works.UncompressedSize64 > MaxImportJSONBytes {
		return nil, importErr(append(problems, Problem{Index: -1, Field: ArchiveWorks, Key: "library.import_too_large"}), nil)
	}
	rc, err := works.Open()
	if err != nil {
		return nil, importErr(append(problems, Problem{Index: -1, Field: ArchiveWorks, Key: "library.import_archive_malformed"}), err)
	}
	defer rc.Close()
	return s.importFile(ctx, a, importInput{json: rc, jsonField: ArchiveWorks, files: src, problems: problems})
}

// archivedFiles are the files of an archive, each checked once and staged
// in the store's directory until every record has passed.
type archivedFiles struct {
	store   *media.Store
	entries map[string]*zip.File // by hash
	checked map[string]archiveCheck
}

type archiveCheck struct {
	staged  *media.Staged
	problem string
}

func (z *archivedFiles) check(hash string, _ *Work) (*media.Stored, string, error) {
	if c, ok := z.checked[hash]; ok {
		if c.staged == nil {
			return nil, c.problem, nil
		}
		return &c.staged.Stored, "", nil
	}
	st, problem, err := z.stage(hash)
	if err != nil {
		return nil, "", err
	}
	z.checked[hash] = archiveCheck{staged: st, problem: problem}
	if st == nil {
		return nil, problem, nil
	}
	return &st.Stored, "", nil
}

// stage checks one entry as an upload is checked, with the same code.
func (z *archivedFiles) stage(hash string) (*media.Staged, string, error) {
	zf := z.entries[hash]
	if zf == nil {
		return nil, "library.import_file_missing", nil
	}
	if zf.UncompressedSize64 > MaxAttachmentBytes {
		return nil, "library.attachment_too_large", nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, "library.import_file_corrupt", nil
	}
	defer rc.Close()
	st, err := z.store.Stage(rc, MaxAttachmentBytes, media.Attachments)
	if err != nil {
		e := errs.As(err)
		switch {
		case e.Kind == errs.Invalid && e.Key == "media.bad_type":
			return nil, "library.attachment_bad_type", nil
		case e.Kind == errs.Invalid && e.Key == "media.too_large":
			return nil, "library.attachment_too_large", nil
		case e.Kind == errs.Invalid:
			return nil, e.Key, nil
		case errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) ||
			errors.Is(err, zip.ErrAlgorithm):
			return nil, "library.import_file_corrupt", nil
		}
		return nil, "", err
	}
	if st.Hash != hash {
		st.Discard()
		return nil, "library.import_file_hash", nil
	}
	return st, "", nil
}

func (z *archivedFiles) keep() error {
	for _, c := range z.checked {
		if c.staged != nil {
			if err := c.staged.Keep(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (z *archivedFiles) discard() {
	for _, c := range z.checked {
		if c.staged != nil {
			c.staged.Discard()
		}
	}
}

// zipMagic starts every ZIP archive (a local file header, or the end
// record of an empty one).
var zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

// IsArchive reports whether a file starting with head is a ZIP archive.
func IsArchive(head []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// ImportUpload imports an uploaded file, an archive or a JSON export,
// told apart by content. It first copies r to a temporary file in the
// data directory, neither in memory nor in /tmp: an archive is read out of
// order. The caller bounds r; errors reading it (http.MaxBytesError) are
// returned wrapped. A JSON file over MaxImportJSONBytes is refused.
func (s *Service) ImportUpload(ctx context.Context, a *account.Actor, r io.Reader) (*ImportResult, error) {
	if err := canImport(a); err != nil {
		return nil, err // before a byte is written to disk
	}
	if s.files == nil {
		return nil, errors.New("library: import upload: no file store")
	}
	tmp, err := s.files.TempFile("import-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	size, err := io.Copy(tmp, r)
	if err != nil {
		return nil, fmt.Errorf("library: import upload: %w", err)
	}
	head := make([]byte, 4)
	n, _ := tmp.ReadAt(head, 0)
	if IsArchive(head[:n]) {
		return s.ImportArchive(ctx, a, tmp, size)
	}
	if size > MaxImportJSONBytes {
		return nil, importErr([]Problem{{Index: -1, Field: "file", Key: "library.import_too_large"}}, nil)
	}
	return s.Import(ctx, a, io.NewSectionReader(tmp, 0, size))
}
