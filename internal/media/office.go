package media

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
)

// The office documents regions publish (presentations, handbooks,
// spreadsheets): Office Open XML and OpenDocument, both zip containers.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODP  = "application/vnd.oasis.opendocument.presentation"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
)

// ooxmlMain maps the content type of an Office Open XML package's main
// part, as [Content_Types].xml declares it, to the package's type. Only
// the plain documents: a macro-enabled one (.docm, .pptm, .xlsm)
// declares another main type and is refused.
var ooxmlMain = map[string]string{
	TypeDOCX + ".main+xml": TypeDOCX,
	TypePPTX + ".main+xml": TypePPTX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": TypeXLSX,
}

// maxContentTypes bounds how much of [Content_Types].xml is read.
const maxContentTypes = 1 << 20

// detectZip returns the office type of a zip container by its content,
// or "application/zip" when it is none of them: an OpenDocument file
// begins with an uncompressed "mimetype" entry naming its type; an Office
// Open XML package declares its main part in [Content_Types].xml, and
// that part must be in the package.
func detectZip(r io.ReaderAt, size int64) string {
	const plain = "application/zip"
	zr, err := zip.NewReader(r, size)
	if err != nil || len(zr.File) == 0 {
		return plain
	}
	if f := zr.File[0]; f.Name == "mimetype" && f.Method == zip.Store {
		if t := readEntry(f, 100); t == TypeODT || t == TypeODP || t == TypeODS {
			return t
		}
		return plain
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts["/"+strings.TrimPrefix(f.Name, "/")] = f
	}
	ct, ok := parts["/[Content_Types].xml"]
	if !ok {
		return plain
	}
	var types struct {
		Overrides []struct {
			PartName    string `xml:",attr"`
			ContentType string `xml:",attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal([]byte(readEntry(ct, maxContentTypes)), &types); err != nil {
		return plain
	}
	found := ""
	for _, o := range types.Overrides {
		t, ok := ooxmlMain[o.ContentType]
		if !ok {
			continue
		}
		if _, there := parts[o.PartName]; !there || (found != "" && found != t) {
			return plain
		}
		found = t
	}
	if found == "" {
		return plain
	}
	return found
}

// readEntry returns at most limit bytes of a zip entry, "" when it cannot
// be read.
func readEntry(f *zip.File, limit int64) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil {
		return ""
	}
	return string(b)
}

// seekerAt reads a ReadSeeker at offsets, for archive/zip; not for
// concurrent use.
type seekerAt struct{ rs io.ReadSeeker }

func (s seekerAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(s.rs, p)
}
