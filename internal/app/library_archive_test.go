package app_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// unzipBody returns the entries of an archive by name.
func unzipBody(t *testing.T, body string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not an archive: %v", err)
	}
	out := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name] = string(b)
	}
	return out
}

// zipOf builds an archive of entries, name then content.
func zipOf(t *testing.T, kv ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(kv); i += 2 {
		w, err := zw.Create(kv[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, kv[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// archiveLibrary gives f's A a public work with a PDF and a PNG cover and
// a draft with its own PDF, and returns the attachments by name.
func archiveLibrary(t *testing.T, f *libFixture) map[string]library.Attachment {
	t.Helper()
	files := map[string]library.Attachment{}
	put := func(name, content string) library.Attachment {
		st, err := f.ta.Media.Put(strings.NewReader(content), library.MaxAttachmentBytes, media.Attachments)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = library.Attachment{Hash: st.Hash, Name: name, MediaType: st.Type, Size: st.Size}
		return files[name]
	}
	pdf, png, draft := put("rapport.pdf", testPDF+"rapport"), put("omslag.png", string(pngBytes(t))), put("utkast.pdf", testPDF+"utkast")
	f.mustWork(t, "region-artica", "Region Artica", library.Public, func(w *library.Work) {
		w.Attachments, w.CoverImage = []library.Attachment{pdf, png}, png.Hash
		w.Experience = &library.ExperienceReport{Purpose: "Att pröva scenariokorset.", Count: 30}
	})
	f.mustWork(t, "utkastet", "Utkastet", library.Draft, func(w *library.Work) { w.Attachments = []library.Attachment{draft} })
	return files
}

// TestLibraryPages_ImportArchive: the archive the list page links to
// imports into another installation through the import page, files and
// all; an archive missing a file changes nothing and the page names the
// work and the file.
func TestLibraryPages_ImportArchive(t *testing.T) {
	eachEngineNamed(t, func(t *testing.T, engine, dsn string) {
		src := newLibFixture(t, dsn)
		files := archiveLibrary(t, src)
		list := expect(t, src.ta.do(req{method: "GET", path: "/bibliotek?typ=scenario", session: src.sEditor}), http.StatusOK)
		if !strings.Contains(list, `href="/bibliotek/export.zip?typ=scenario" download>Arkiv med bilagor (ZIP)</a>`) {
			t.Fatal("the list does not link to its archive")
		}
		arc := expect(t, src.ta.do(req{method: "GET", path: "/bibliotek/export.zip?typ=scenario", session: src.sEditor}), http.StatusOK)

		dst := newLibFixture(t, freshDSN(t, engine))
		importArc := func(session string, b []byte) *http.Response {
			body, ctype := multipartFile(t, "file", "framsyn-bibliotek.zip", b)
			return dst.ta.do(req{method: "POST", path: "/bibliotek/import", session: session, body: body, ctype: ctype})
		}
		missing := unzipBody(t, arc)
		delete(missing, "files/"+files["rapport.pdf"].Hash)
		var kv []string
		for name, content := range missing {
			kv = append(kv, name, content)
		}
		body := expect(t, importArc(dst.sEditor, zipOf(t, kv...)), http.StatusUnprocessableEntity)
		for _, want := range []string{"Ingenting har sparats", "– Region Artica</td><td><code>attachments[0]</code></td><td>Bilaga &#34;rapport.pdf&#34;: Filen saknas i arkivet."} {
			if !strings.Contains(body, want) {
				t.Errorf("the report lacks %q:\n%s", want, body)
			}
		}
		if _, err := dst.ta.Library.GetBySlug(t.Context(), dst.editorActor, "region-artica"); err == nil {
			t.Fatal("a refused archive wrote a work")
		}

		body = expect(t, importArc(dst.sEditor, []byte(arc)), http.StatusOK)
		if !strings.Contains(body, "Nya: 2") {
			t.Fatalf("the import result is not shown:\n%s", body)
		}
		w, err := dst.ta.Library.GetBySlug(t.Context(), dst.editorActor, "region-artica")
		if err != nil || w.CoverImage != files["omslag.png"].Hash || len(w.Attachments) != 2 || w.Experience == nil {
			t.Fatalf("imported work %+v, %v", w, err)
		}
		got := expect(t, dst.ta.do(req{method: "GET", path: "/bibliotek/region-artica/bilagor/" + files["rapport.pdf"].Hash}), http.StatusOK)
		if got != testPDF+"rapport" {
			t.Errorf("the attachment differs after the round trip: %q", got)
		}
		// A member may not import; the same archive again changes nothing.
		expect(t, importArc(dst.sMember, []byte(arc)), http.StatusForbidden)
		if body = expect(t, importArc(dst.sEditor, []byte(arc)), http.StatusOK); !strings.Contains(body, "Oförändrade: 2") {
			t.Error("the archive does not import unchanged a second time")
		}
	})
}

// TestLibraryPages_ImportTooLarge: a JSON file past its bound is refused
// with a message that says the bounds, and nothing is written.
func TestLibraryPages_ImportTooLarge(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	big := `{"format":"framsyn-library/1","works":[],"pad":"` + strings.Repeat("x", library.MaxImportJSONBytes) + `"}`
	body, ctype := multipartFile(t, "file", "stor.json", []byte(big))
	page := expect(t, f.ta.do(req{method: "POST", path: "/bibliotek/import", session: f.sEditor, body: body, ctype: ctype}), http.StatusUnprocessableEntity)
	if !strings.Contains(page, "Filen är för stor: en JSON-fil får vara högst 32 MB och ett ZIP-arkiv högst 256 MB.") {
		t.Error("no clear message for a JSON file too large")
	}
}

// TestWorksAPI_Archive: the API exports an archive and imports it into
// another installation (application/zip); refused archives name each
// problem in full; the import routes take large bodies, others do not.
func TestWorksAPI_Archive(t *testing.T) {
	eachEngineNamed(t, func(t *testing.T, engine, dsn string) {
		src := newLibFixture(t, dsn)
		files := archiveLibrary(t, src)
		anon := unzipBody(t, expect(t, src.ta.do(req{method: "GET", path: "/api/v1/works/export?format=zip"}), http.StatusOK))
		if len(anon) != 3 || strings.Contains(anon["works.json"], "Utkastet") || anon["files/"+files["utkast.pdf"].Hash] != "" {
			t.Fatalf("the public's archive: %d entries\n%s", len(anon), anon["works.json"])
		}
		resp := src.ta.do(req{method: "GET", path: "/api/v1/works/export?format=zip", session: src.sEditor})
		if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
			t.Errorf("Content-Type %q", ct)
		}
		arc := expect(t, resp, http.StatusOK)
		if len(unzipBody(t, arc)) != 4 {
			t.Fatal("the editor's archive lacks the draft's file")
		}

		dst := newLibFixture(t, freshDSN(t, engine))
		post := func(session, ctype string, body []byte) *http.Response {
			return dst.ta.do(req{method: "POST", path: "/api/v1/works/import", session: session, body: bytes.NewReader(body), ctype: ctype})
		}
		bad := zipOf(t, "works.json", unzipBody(t, arc)["works.json"], "../utanfor", "x")
		var e apiError
		decode(t, post(dst.sEditor, "application/zip", bad), http.StatusUnprocessableEntity, &e)
		for _, field := range []string{"works[0].attachments[0]", "works[1].attachments[0]", "works[1].attachments[1]", "archive[1]"} {
			if e.Error.Fields[field] == "" {
				t.Errorf("no problem named %q: %v", field, e.Error.Fields)
			}
		}
		if msg := e.Error.Fields["works[1].attachments[0]"]; !strings.Contains(msg, `bilaga "rapport.pdf": Filen saknas i arkivet.`) {
			t.Errorf("the problem is not said in full: %q", msg)
		}
		var res struct{ Created, Updated, Unchanged int }
		decode(t, post(dst.sEditor, "application/zip", []byte(arc)), http.StatusOK, &res)
		if res.Created != 2 {
			t.Fatalf("import: %+v", res)
		}
		got := expect(t, dst.ta.do(req{method: "GET", path: "/bibliotek/utkastet/bilagor/" + files["utkast.pdf"].Hash, session: dst.sEditor}), http.StatusOK)
		if got != testPDF+"utkast" {
			t.Errorf("the draft's file differs: %q", got)
		}

		big := []byte(`{"format":"framsyn-library/1","works":[],"pad":"` + strings.Repeat("x", library.MaxImportJSONBytes) + `"}`)
		resp = post(dst.sEditor, "application/json", big)
		if body := readBody(t, resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "högst 32 MB") {
			t.Errorf("a JSON import past 32 MB: %d %s", resp.StatusCode, body)
		}
		// Other routes keep their limit.
		create := fmt.Sprintf(`{"type":"report","title":"Stor","organization_id":%d,"summary":"%s"}`, dst.orgA.ID, strings.Repeat("x", 2<<20))
		if resp := dst.ta.do(jsonReq("POST", "/api/v1/works", create, dst.sEditor)); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MB work: %d, want 413", resp.StatusCode)
		}
	})
}

// eachEngineNamed is eachEngine, telling fn the engine too.
func eachEngineNamed(t *testing.T, fn func(t *testing.T, engine, dsn string)) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) { fn(t, engine, dsn) })
	}
}
