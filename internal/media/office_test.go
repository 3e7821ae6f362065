package media

import (
	"archive/zip"
	"bytes"
	"testing"
)

// zipOf builds a zip of name/content pairs; a "mimetype" entry first is
// stored uncompressed, as OpenDocument requires.
func zipOf(t *testing.T, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		h := &zip.FileHeader{Name: entries[i], Method: zip.Deflate}
		if entries[i] == "mimetype" {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(entries[i+1]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contentTypes(main, part string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="xml" ContentType="application/xml"/><Override PartName="` + part + `" ContentType="` + main + `"/></Types>`
}

// TestDetectZip: office documents are known by what is inside the zip,
// never by their name; anything else in a zip stays a zip (refused).
func TestDetectZip(t *testing.T) {
	const ooxml = "application/vnd.openxmlformats-officedocument."
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"DOCX", zipOf(t, "[Content_Types].xml", contentTypes(ooxml+"wordprocessingml.document.main+xml", "/word/document.xml"), "word/document.xml", "<w:document/>"), TypeDOCX},
		{"PPTX", zipOf(t, "[Content_Types].xml", contentTypes(ooxml+"presentationml.presentation.main+xml", "/ppt/presentation.xml"), "ppt/presentation.xml", "<p/>"), TypePPTX},
		{"XLSX", zipOf(t, "[Content_Types].xml", contentTypes(ooxml+"spreadsheetml.sheet.main+xml", "/xl/workbook.xml"), "xl/workbook.xml", "<x/>"), TypeXLSX},
		{"ODT", zipOf(t, "mimetype", TypeODT, "content.xml", "<office:document-content/>"), TypeODT},
		{"ODP", zipOf(t, "mimetype", TypeODP, "content.xml", "<x/>"), TypeODP},
		{"ODS", zipOf(t, "mimetype", TypeODS, "content.xml", "<x/>"), TypeODS},
		{"MacroEnabledRefused", zipOf(t, "[Content_Types].xml", contentTypes("application/vnd.ms-word.document.macroEnabled.main+xml", "/word/document.xml"), "word/document.xml", "<w/>"), "application/zip"},
		{"MainPartMissing", zipOf(t, "[Content_Types].xml", contentTypes(ooxml+"wordprocessingml.document.main+xml", "/word/document.xml")), "application/zip"},
		{"OtherOpenDocument", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.graphics", "content.xml", "<x/>"), "application/zip"},
		{"PlainZip", zipOf(t, "rapport.exe", "MZ"), "application/zip"},
		{"BrokenXML", zipOf(t, "[Content_Types].xml", "<Types", "word/document.xml", "<w/>"), "application/zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.file[:min(512, len(tt.file))]); got != "application/zip" {
				t.Fatalf("head detected as %q, want application/zip first", got)
			}
			if got := detectZip(bytes.NewReader(tt.file), int64(len(tt.file))); got != tt.want {
				t.Errorf("detectZip = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStore_OfficeAttachments: a store accepts an office document as an
// attachment under its type, reports it again when opened, and refuses a
// plain zip whatever its name.
func TestStore_OfficeAttachments(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	odt := zipOf(t, "mimetype", TypeODT, "content.xml", "<x/>")
	st, err := s.Put(bytes.NewReader(odt), 1<<20, Attachments)
	if err != nil || st.Type != TypeODT {
		t.Fatalf("Put(odt) = %+v, %v", st, err)
	}
	f, ctype, err := s.Open(st.Hash)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if ctype != TypeODT {
		t.Errorf("Open type %q, want %q", ctype, TypeODT)
	}
	if _, err := s.Put(bytes.NewReader(zipOf(t, "a.txt", "x")), 1<<20, Attachments); err == nil {
		t.Error("a plain zip was accepted")
	}
}
