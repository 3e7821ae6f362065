package library_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// Contents the upload checks accept (by their first bytes) and refuse.
const (
	pdfBody  = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
	pngBody  = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
	htmlBody = "<!doctype html><script>alert(1)</script>"
)

// withFiles gives f's service a fresh file store in dir (t.TempDir() when
// dir is "") and returns it.
func withFiles(t *testing.T, f *fixture, dir string) *media.Store {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	m, err := media.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.SetFiles(m)
	return m
}

// mustAttach stores content and returns it as an attachment named name.
func mustAttach(t *testing.T, m *media.Store, name, content string) library.Attachment {
	t.Helper()
	st, err := m.Put(strings.NewReader(content), library.MaxAttachmentBytes, media.Attachments)
	if err != nil {
		t.Fatalf("store %s: %v", name, err)
	}
	return library.Attachment{Hash: st.Hash, Name: name, MediaType: st.Type, Size: st.Size}
}

func sha(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:])
}

// entry is one file of a hand-made archive; method 0 is Deflate.
type entry struct {
	name, body string
	method     uint16
}

func mkZip(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		m := e.method
		if m == 0 {
			m = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fileRef is the JSON of an attachment of content, as exported.
func fileRef(name, content string) string {
	b, _ := json.Marshal(library.FileRef{Name: name, MediaType: media.Detect([]byte(content)), Size: int64(len(content)), SHA256: sha(content)})
	return string(b)
}

// unzip returns an archive's entries by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// storedFiles lists the names in a file store's directory.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir + "/media")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestService_ArchiveRoundTrip exports a library with attachments, a cover
// and experience reports as an archive and imports it into an empty
// installation: the works, their reports and the files' bytes come back.
func TestService_ArchiveRoundTrip(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		src := newFixture(t, db)
		srcFiles := withFiles(t, src, "")
		listCorpus(t, src)
		pdf, png := mustAttach(t, srcFiles, "rapport.pdf", pdfBody), mustAttach(t, srcFiles, "omslag.png", pngBody)
		full := src.work("Region Artica med filer", library.Organisation)
		full.Experience = &library.ExperienceReport{Purpose: "Pröva", Count: 24, Steps: []string{"Megatrender", "Scenariokors"}}
		full.Attachments, full.CoverImage = []library.Attachment{pdf, png}, png.Hash
		src.mustCreate(t, full)
		// The same file on a second work is stored once in the archive.
		other := src.work("Samma rapport igen", library.Public)
		other.Attachments = []library.Attachment{{Hash: pdf.Hash, Name: "kopia.pdf", MediaType: pdf.MediaType, Size: pdf.Size}}
		src.mustCreate(t, other)

		var arc bytes.Buffer
		if err := src.svc.ExportArchive(t.Context(), src.admin, library.Filter{}, &arc); err != nil {
			t.Fatal(err)
		}
		entries := unzip(t, arc.Bytes())
		if len(entries) != 3 || string(entries["files/"+pdf.Hash]) != pdfBody || string(entries["files/"+png.Hash]) != pngBody {
			t.Fatalf("archive entries: %v", slices.Sorted(func(yield func(string) bool) {
				for k := range entries {
					if !yield(k) {
						return
					}
				}
			}))
		}

		dst := newFixture(t, sameEngineDB(t, db))
		dstDir := t.TempDir()
		dstFiles := withFiles(t, dst, dstDir)
		res, err := dst.svc.ImportArchive(t.Context(), dst.admin, bytes.NewReader(arc.Bytes()), int64(arc.Len()))
		if err != nil || res.Created != 8 {
			t.Fatalf("ImportArchive = %+v, %v", res, err)
		}
		var first, second bytes.Buffer
		if err := src.svc.ExportJSON(t.Context(), src.admin, library.Filter{}, &first); err != nil {
			t.Fatal(err)
		}
		if err := dst.svc.ExportJSON(t.Context(), dst.admin, library.Filter{}, &second); err != nil {
			t.Fatal(err)
		}
		a, b := records(t, first.Bytes()), records(t, second.Bytes())
		if len(a) != 8 || !slices.EqualFunc(a, b, func(x, y library.Record) bool {
			xj, _ := json.Marshal(x)
			yj, _ := json.Marshal(y)
			return bytes.Equal(xj, yj)
		}) {
			t.Errorf("round trip differs:\n%s\n---\n%s", first.String(), second.String())
		}
		got, err := dst.svc.GetBySlug(t.Context(), dst.admin, "region-artica-med-filer")
		if err != nil {
			t.Fatal(err)
		}
		if got.CoverImage != png.Hash || len(got.Attachments) != 2 || got.Experience == nil || got.Experience.Count != 24 {
			t.Errorf("imported work %+v", got)
		}
		for hash, want := range map[string]string{pdf.Hash: pdfBody, png.Hash: pngBody} {
			f, _, err := dstFiles.Open(hash)
			if err != nil {
				t.Fatalf("file %s not imported: %v", hash, err)
			}
			body, _ := io.ReadAll(f)
			f.Close()
			if string(body) != want {
				t.Errorf("file %s differs", hash)
			}
		}
		if n := len(storedFiles(t, dstDir)); n != 2 {
			t.Errorf("the store holds %d files, want the 2 kept (no staging left)", n)
		}
		// Again: nothing changes.
		res, err = dst.svc.ImportArchive(t.Context(), dst.admin, bytes.NewReader(arc.Bytes()), int64(arc.Len()))
		if err != nil || *res != (library.ImportResult{Unchanged: 8}) {
			t.Errorf("ImportArchive again = %+v, %v", res, err)
		}
	})
}

// TestService_ImportArchiveRefused: an archive with any bad record, file
// or entry writes nothing, neither works nor files, and the error names
// every problem by record and field.
func TestService_ImportArchiveRefused(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		dir := t.TempDir()
		withFiles(t, f, dir)
		rec := func(slug, title string, files ...string) string {
			return `{"slug": "` + slug + `", "type": "report", "title": "` + title + `", "organisation": "region-norrbotten",
				"attachments": [` + strings.Join(files, ",") + `]}`
		}
		works := func(records ...string) entry { return entry{name: "works.json", body: importFile(records...)} }
		file := func(content string) entry {
			return entry{name: "files/" + sha(content), body: content, method: zip.Store}
		}
		good := rec("bra", "Bra rapport", fileRef("bra.pdf", pdfBody))
		other := pdfBody + "annan"
		big := "%PDF-1.4\n" + strings.Repeat("\x00", library.MaxAttachmentBytes)
		tests := []struct {
			name string
			zip  []byte
			want map[string]string // field -> key of every problem
		}{
			{"PartlyInvalid", mkZip(t,
				works(good,
					rec("saknas", "Region Artica", fileRef("rapport.pdf", pdfBody+"saknas")),
					rec("fel-hash", "Fel hash", fileRef("annan.pdf", other)),
					rec("html", "Html", fileRef("sida.html", htmlBody)),
					rec("utan-titel", "", fileRef("bra.pdf", pdfBody)),
					strings.Replace(rec("pdf-omslag", "Pdf som omslag", fileRef("bra.pdf", pdfBody)), `"attachments"`, `"cover": `+fileRef("bra.pdf", pdfBody)+`, "attachments"`, 1),
					rec("fel-storlek", "Fel storlek", strings.Replace(fileRef("bra.pdf", pdfBody), `"size":`, `"size":1`, 1)),
					rec("stor", "Stor", fileRef("stor.pdf", big)),
				),
				file(pdfBody), file(htmlBody),
				entry{name: "files/" + sha(other), body: pdfBody + "ändrad", method: zip.Store},
				entry{name: "files/" + sha(big), body: big},
				entry{name: "../../etc/passwd", body: "root"},
				entry{name: "files/../works.json", body: "{}"},
			), map[string]string{
				"works[1].attachments[0]": "library.import_file_missing",
				"works[2].attachments[0]": "library.import_file_hash",
				"works[3].attachments[0]": "library.attachment_bad_type",
				"works[4].title":          "library.title_required",
				"works[5].cover":          "library.cover_invalid",
				"works[6].attachments[0]": "library.import_file_size",
				"works[7].attachments[0]": "library.attachment_too_large",
				"archive[5]":              "library.import_archive_name",
				"archive[6]":              "library.import_archive_name",
			}},
			{"MalformedWorks", mkZip(t, entry{name: "works.json", body: `{"format": "framsyn-library/1", "works": [`}, file(pdfBody)),
				map[string]string{"works.json": "library.import_malformed"}},
			{"NoWorks", mkZip(t, file(pdfBody)), map[string]string{"works.json": "library.import_archive_no_works"}},
			{"NotZip", []byte("PK\x03\x04 inte ett arkiv"), map[string]string{"file": "library.import_archive_malformed"}},
			{"Bomb", mkZip(t, works(good), file(pdfBody), entry{name: "files/" + sha("x"), body: strings.Repeat("0", 64<<20)}),
				map[string]string{"file": "library.import_archive_too_large"}},
		}
		before := storedFiles(t, dir)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := f.svc.ImportArchive(t.Context(), f.editorA, bytes.NewReader(tt.zip), int64(len(tt.zip)))
				if err == nil {
					t.Fatalf("ImportArchive accepted it: %+v", res)
				}
				wantImportProblems(t, err, tt.want)
				p, err := f.svc.List(t.Context(), f.admin, library.Filter{})
				if err != nil || len(p.Works) != 0 {
					t.Errorf("a refused import wrote %d works (%v)", len(p.Works), err)
				}
				if after := storedFiles(t, dir); !slices.Equal(after, before) {
					t.Errorf("a refused import left files: %v", after)
				}
			})
		}
		t.Run("ProblemText", func(t *testing.T) {
			_, err := f.svc.ImportArchive(t.Context(), f.editorA, bytes.NewReader(tests[0].zip), int64(len(tests[0].zip)))
			var ie *library.ImportError
			if !errors.As(err, &ie) {
				t.Fatal(err)
			}
			tr := i18n.MustLoad().For("sv")
			var lines []string
			for _, p := range ie.Problems {
				lines = append(lines, p.Text(tr))
			}
			text := strings.Join(lines, "\n")
			for _, want := range []string{
				`Verk 2 ("Region Artica"), bilaga "rapport.pdf": Filen saknas i arkivet.`,
				`Verk 5, fältet title: `,
				`Filen, posten "../../etc/passwd" i arkivet: `,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the problems do not say %q:\n%s", want, text)
				}
			}
		})
		t.Run("ErrPermission", func(t *testing.T) {
			z := mkZip(t, works(good), file(pdfBody))
			if _, err := f.svc.ImportArchive(t.Context(), f.memberA, bytes.NewReader(z), int64(len(z))); !errs.Is(err, errs.Forbidden) {
				t.Errorf("member: %v", err)
			}
		})
		t.Run("OKThenReplaced", func(t *testing.T) {
			z := mkZip(t, works(good), file(pdfBody))
			res, err := f.svc.ImportArchive(t.Context(), f.editorA, bytes.NewReader(z), int64(len(z)))
			if err != nil || res.Created != 1 {
				t.Fatalf("ImportArchive = %+v, %v", res, err)
			}
			// An empty list removes the files; an absent one keeps them.
			if _, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(importFile(
				`{"slug": "bra", "type": "report", "title": "Bra rapport", "organisation": "region-norrbotten"}`))); err != nil {
				t.Fatal(err)
			}
			if w, _ := f.svc.GetBySlug(t.Context(), f.editorA, "bra"); len(w.Attachments) != 1 {
				t.Errorf("a record without attachments dropped them: %+v", w.Attachments)
			}
			if _, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(importFile(rec("bra", "Bra rapport")))); err != nil {
				t.Fatal(err)
			}
			if w, _ := f.svc.GetBySlug(t.Context(), f.editorA, "bra"); len(w.Attachments) != 0 {
				t.Errorf("an empty list kept %+v", w.Attachments)
			}
		})
	})
}

// TestService_ImportJSONFiles: a JSON import links a file already stored
// only where it may: the work being updated has it, or a platform admin
// imports; otherwise the file is missing.
func TestService_ImportJSONFiles(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		m := withFiles(t, f, "")
		at := mustAttach(t, m, "rapport.pdf", pdfBody)
		w := f.work("Med bilaga", library.Public)
		w.Attachments = []library.Attachment{at}
		f.mustCreate(t, w)
		ref := fileRef("rapport.pdf", pdfBody)
		rec := func(slug string, refs ...string) string {
			return importFile(`{"slug": "` + slug + `", "type": "report", "title": "Rapport", "organisation": "region-norrbotten", "attachments": [` +
				strings.Join(refs, ",") + `]}`)
		}
		for _, c := range []struct {
			name  string
			actor *account.Actor
			file  string
			key   string // the problem of works[0].attachments[0], "" for none
		}{
			{"OKSameWork", f.editorA, rec("med-bilaga", ref), ""},
			{"ErrOtherWork", f.editorA, rec("ny-rapport", ref), "library.import_file_not_here"},
			{"ErrNotStored", f.admin, rec("ny-rapport", fileRef("x.pdf", pdfBody+"x")), "library.import_file_not_here"},
			{"OKAdmin", f.admin, rec("admins-rapport", ref), ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.Import(t.Context(), c.actor, strings.NewReader(c.file))
				if got := errs.As(err).Fields["works[0].attachments[0]"]; (err == nil) != (c.key == "") || got != c.key {
					t.Errorf("Import: %v, want %q", err, c.key)
				}
			})
		}
	})
}

// TestService_ExportArchiveVisibility: an archive holds the works the
// exporter may see and the files of those works only.
func TestService_ExportArchiveVisibility(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		m := withFiles(t, f, "")
		hashes := map[library.Visibility]string{}
		for _, vis := range library.Visibilities {
			w := f.work("Verk "+string(vis), vis)
			at := mustAttach(t, m, string(vis)+".pdf", pdfBody+string(vis))
			w.Attachments, hashes[vis] = []library.Attachment{at}, at.Hash
			f.mustCreate(t, w)
		}
		for _, c := range []struct {
			name  string
			actor *account.Actor
			sees  []library.Visibility
		}{
			{"Visitor", f.public, []library.Visibility{library.Public}},
			{"EditorOfOtherOrg", f.editorB, []library.Visibility{library.Public, library.Network}},
			{"MemberOfCoOrg", f.memberC, []library.Visibility{library.Public, library.Network, library.Organisation}},
			{"Editor", f.editorA, library.Visibilities},
		} {
			t.Run(c.name, func(t *testing.T) {
				var arc bytes.Buffer
				if err := f.svc.ExportArchive(t.Context(), c.actor, library.Filter{}, &arc); err != nil {
					t.Fatal(err)
				}
				entries := unzip(t, arc.Bytes())
				recs := records(t, entries["works.json"])
				for _, vis := range library.Visibilities {
					want := slices.Contains(c.sees, vis)
					_, hasFile := entries["files/"+hashes[vis]]
					hasWork := slices.ContainsFunc(recs, func(r library.Record) bool { return r.Visibility == vis })
					if hasFile != want || hasWork != want {
						t.Errorf("%s: work %v, file %v, want %v", vis, hasWork, hasFile, want)
					}
				}
				if len(entries) != len(c.sees)+1 {
					t.Errorf("%d entries, want %d", len(entries), len(c.sees)+1)
				}
			})
		}
	})
}
