package app_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
)

// TestLibraryPages_OfficeAttachments is issue 21 item 9: a presentation
// and an OpenDocument text are accepted as attachments and served under
// their types; a zip named .docx is refused, since the type is checked by
// content, not by name.
func TestLibraryPages_OfficeAttachments(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	f.mustWork(t, "verket", "Verket", library.Public)
	zipOf := func(entries ...string) []byte {
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		for i := 0; i < len(entries); i += 2 {
			h := &zip.FileHeader{Name: entries[i], Method: zip.Deflate}
			if entries[i] == "mimetype" {
				h.Method = zip.Store
			}
			fw, err := w.CreateHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			fw.Write([]byte(entries[i+1]))
		}
		w.Close()
		return buf.Bytes()
	}
	pptx := zipOf("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`,
		"ppt/presentation.xml", "<p:presentation/>")
	odt := zipOf("mimetype", media.TypeODT, "content.xml", "<office:document-content/>")
	for _, tt := range []struct{ name, file, ctype string }{{"pptx", "bilder.pptx", media.TypePPTX}, {"odt", "handbok.odt", media.TypeODT}} {
		content := pptx
		if tt.name == "odt" {
			content = odt
		}
		expect(t, upload(t, f.ta, f.sEditor, "verket", tt.file, content), http.StatusSeeOther)
		page := readBody(t, f.ta.do(req{method: "GET", path: "/bibliotek/verket"}))
		link := ""
		for _, l := range attachmentLinkRE.FindAllString(page, -1) {
			link = l // the newest is listed last
		}
		if link == "" {
			t.Fatalf("%s: no attachment link", tt.name)
		}
		resp := f.ta.do(req{method: "GET", path: link})
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s served %d as %q, want %q", tt.name, resp.StatusCode, resp.Header.Get("Content-Type"), tt.ctype)
		}
	}
	resp := upload(t, f.ta, f.sEditor, "verket", "rapport.docx", zipOf("rapport.exe", "MZ"))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a zip named .docx: %d, want 422", resp.StatusCode)
	}
}
