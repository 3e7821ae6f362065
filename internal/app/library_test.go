package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// libFixture is org A with a member, an editor, and an editor of B, on
// one engine.
type libFixture struct {
	ta                       *testApp
	orgA, orgB               *account.Organisation
	member, editor, editorB  *account.User
	sMember, sEditor, sEditB string
	editorActor              *account.Actor
}

func newLibFixture(t *testing.T, dsn string) *libFixture {
	ta := mustApp(t, dsn)
	f := &libFixture{ta: ta}
	f.orgA = ta.mustOrg("org-a", true, "Kontakt A")
	f.orgB = ta.mustOrg("org-b", true)
	f.member = ta.mustUser("member@a.se", "Medlem A", false)
	f.editor = ta.mustUser("editor@a.se", "Redaktör A", false)
	f.editorB = ta.mustUser("editor@b.se", "Redaktör B", false)
	ta.mustMember(f.member, f.orgA, account.RoleMember)
	ta.mustMember(f.editor, f.orgA, account.RoleEditor)
	ta.mustMember(f.editorB, f.orgB, account.RoleEditor)
	f.sMember, f.sEditor, f.sEditB = ta.mintSession(f.member), ta.mintSession(f.editor), ta.mintSession(f.editorB)
	f.editorActor = &account.Actor{User: f.editor, Memberships: []account.Membership{{OrganisationID: f.orgA.ID, Role: account.RoleEditor}}}
	return f
}

// mustWork creates a work of A through the service, as A's editor.
func (f *libFixture) mustWork(t *testing.T, slug, title string, vis library.Visibility, mod ...func(*library.Work)) *library.Work {
	t.Helper()
	w := &library.Work{Slug: slug, Type: library.TypeScenario, Title: title, Summary: "Sammanfattning av " + title,
		BodyMD: "Text om " + title, OrganisationID: f.orgA.ID, Visibility: vis, HorizonYear: 2050,
		Date: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	for _, m := range mod {
		m(w)
	}
	got, err := f.ta.Library.Create(context.Background(), f.editorActor, w)
	if err != nil {
		t.Fatalf("create %s: %v", slug, err)
	}
	return got
}

// workForm is a valid form of the work form, for A.
func (f *libFixture) workForm(title string, kv ...string) url.Values {
	v := url.Values{"title": {title}, "type": {"scenario"}, "summary": {"Ett scenario om " + title},
		"body": {"## Bakgrund\n\nI scenariot flyttar fler till landsbygden."}, "organisation": {fmt.Sprint(f.orgA.ID)},
		"contacts": {fmt.Sprint(f.orgA.Contacts[0].ID)}, "horizon_year": {"2050"}, "methods": {"Scenariokors, Backcasting"},
		"themes": {"Boende"}, "date": {"2024"}, "date_month": {"3"}, "date_day": {"1"}, "language": {"sv"}, "licence": {"CC BY 4.0"}, "visibility": {"public"},
		"links_0_kind": {"video"}, "links_0_url": {"https://example.se/film"}, "links_0_title": {"Filmen"},
		"links_1_kind": {"web"}, "links_1_url": {""}, "links_1_title": {""},
		"experience_purpose": {"Att öva scenarioarbete."}, "experience_participants": {"Tjänstepersoner"},
		"experience_participant_count": {"40"}, "experience_steps": {"Omvärldsanalys\nScenariokors\nBackcasting"},
		"experience_time_used": {"två halvdagar"}, "experience_worked": {"Små grupper"}, "experience_change": {"Mer tid"},
		"experience_ask_whom": {"Kontakt A"}}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func expect(t *testing.T, resp *http.Response, status int) string {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%.2000s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
	return body
}

func eachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) { fn(t, dsn) })
	}
}

// TestLibraryPages_SourceKept: a work that cites a source shows it and
// that no licence is given, and an edit through the form keeps both.
func TestLibraryPages_SourceKept(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		const src = "Hemarbete: \u201dHalland har gjort scenariot, Copenborg.\u201d"
		f.mustWork(t, "copenborg", "Copenborg", library.Public, func(w *library.Work) { w.Source = src })
		for i, step := range []string{"Created", "Edited"} {
			page := expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/copenborg"}), http.StatusOK)
			if !strings.Contains(page, "Källa: Hemarbete: \u201dHalland") || !strings.Contains(page, "Licens anges inte") {
				t.Errorf("%s: the page lacks the source or the absent licence", step)
			}
			if i == 0 {
				edit := f.workForm("Copenborg", "slug", "copenborg", "version", "1", "licence", "")
				expect(t, f.ta.do(req{method: "POST", path: "/bibliotek/copenborg", session: f.sEditor, form: edit}), http.StatusSeeOther)
			}
		}
		w, err := f.ta.Library.GetBySlug(t.Context(), f.editorActor, "copenborg")
		if err != nil || w.Source != src || w.Licence != "" {
			t.Errorf("after the edit: source %q, licence %q, %v; want both kept", w.Source, w.Licence, err)
		}
	})
}

// TestLibraryPages_CreateEditRevisions: an editor creates a work through
// the form, edits it, meets a conflict with an older form, reads the
// versions, views an old one and restores it as a new version.
func TestLibraryPages_CreateEditRevisions(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ta := f.ta
		resp := ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor, form: f.workForm("Livet i stan 2050")})
		expect(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/bibliotek/livet-i-stan-2050" {
			t.Fatalf("created: redirect to %q", loc)
		}
		page := expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050"}), http.StatusOK)
		for _, want := range []string{"Livet i stan 2050", `href="/organisationer/org-a"`, "Kontakt A", "2050", "Scenariokors",
			"CC BY 4.0", `href="https://example.se/film"`, "Så här gjorde vi", "<li>Backcasting</li>", "40 deltagare",
			"två halvdagar", "<h2 id=\"bakgrund\">Bakgrund</h2>", "Svenska"} {
			if !strings.Contains(page, want) && !strings.Contains(page, strings.ReplaceAll(want, ` id="bakgrund"`, "")) {
				t.Errorf("work page lacks %q", want)
			}
		}
		if strings.Contains(page, "/redigera") {
			t.Error("the public sees the edit link")
		}

		edit := f.workForm("Livet i stan 2050 – reviderad", "slug", "livet-i-stan-2050", "version", "1")
		expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050", session: f.sEditor, form: edit}), http.StatusSeeOther)

		t.Run("ErrConflict", func(t *testing.T) {
			stale := f.workForm("Min äldre ändring", "slug", "livet-i-stan-2050", "version", "1")
			body := expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050", session: f.sEditor, form: stale}), http.StatusConflict)
			if !strings.Contains(body, "Någon annan sparade arbetet medan du redigerade") {
				t.Error("no conflict message")
			}
			if !strings.Contains(body, `value="Min äldre ändring"`) || !strings.Contains(body, `name="version" value="2"`) {
				t.Error("the conflict form does not keep the input and the current version")
			}
			w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "livet-i-stan-2050")
			if w.Title != "Livet i stan 2050 – reviderad" || w.Version != 2 {
				t.Errorf("after the conflict: %q v%d", w.Title, w.Version)
			}
		})

		revs := expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050/versioner", session: f.sEditor}), http.StatusOK)
		for _, want := range []string{"Version 2", "Version 1", "Redaktör A", "Titel"} {
			if !strings.Contains(revs, want) {
				t.Errorf("versions page lacks %q", want)
			}
		}
		old := expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050/versioner/1", session: f.sEditor}), http.StatusOK)
		if !strings.Contains(old, "<h1>Livet i stan 2050</h1>") || !strings.Contains(old, "Du ser version 1") {
			t.Error("the old version is not shown as it was")
		}
		expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050/versioner/9", session: f.sEditor}), http.StatusNotFound)
		expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050/versioner/1", session: f.sMember}), http.StatusForbidden)

		expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050/versioner/1/aterstall", session: f.sEditor}), http.StatusSeeOther)
		w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "livet-i-stan-2050")
		if w.Title != "Livet i stan 2050" || w.Version != 3 {
			t.Errorf("after restore: %q v%d, want the old title as version 3", w.Title, w.Version)
		}
		revs = expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050/versioner", session: f.sEditor}), http.StatusOK)
		if !strings.Contains(revs, "Återställd från version 1") {
			t.Error("the restore is not recorded as a version")
		}

		t.Run("Delete", func(t *testing.T) {
			expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050/ta-bort", session: f.sEditor}), http.StatusUnprocessableEntity)
			expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050/ta-bort", session: f.sEditB, form: url.Values{"confirm": {"yes"}}}), http.StatusForbidden)
			expect(t, ta.do(req{method: "POST", path: "/bibliotek/livet-i-stan-2050/ta-bort", session: f.sEditor, form: url.Values{"confirm": {"yes"}}}), http.StatusSeeOther)
			expect(t, ta.do(req{method: "GET", path: "/bibliotek/livet-i-stan-2050"}), http.StatusNotFound)
		})
	})
}

// TestLibraryPages_FormErrors: a bad form comes back with an error
// summary linking to each field, the messages by the fields and the input
// kept; nothing is saved.
func TestLibraryPages_FormErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		tests := []struct {
			name   string
			form   url.Values
			fields []string // ids the summary must link to
		}{
			{"ErrTitleRequired", f.workForm("", "slug", "utan-titel"), []string{"title"}},
			{"ErrSeveral", f.workForm("Felaktigt", "horizon_year", "tjugofemtio", "links_1_url", "inte en adress",
				"experience_participant_count", "många", "date_month", "13"), []string{"horizon_year", "links_1_url", "experience_participant_count", "date"}},
			{"ErrDayWithoutMonth", f.workForm("Dag utan månad", "date_month", "", "date_day", "3"), []string{"date"}},
			{"Err31February", f.workForm("Trettioförsta februari", "date_month", "2", "date_day", "31"), []string{"date"}},
			{"ErrYearOutOfRange", f.workForm("Förr", "date", "1800"), []string{"date"}},
			{"ErrMonthWithoutYear", f.workForm("Utan år", "date", ""), []string{"date"}},
			{"ErrOrganisationForbidden", f.workForm("Fel organisation", "organisation", fmt.Sprint(f.orgB.ID), "contacts", ""), nil},
			{"ErrSlugReserved", f.workForm("Nytt arbete", "slug", "ny"), []string{"slug"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor, form: tt.form})
				if tt.fields == nil {
					expect(t, resp, http.StatusForbidden)
					return
				}
				body := expect(t, resp, http.StatusUnprocessableEntity)
				if !strings.Contains(body, `id="error-summary"`) {
					t.Error("no error summary")
				}
				for _, id := range tt.fields {
					if !strings.Contains(body, `href="#`+id+`"`) || !strings.Contains(body, `id="`+id+`-error"`) {
						t.Errorf("no error for %s", id)
					}
				}
				if v := tt.form.Get("title"); v != "" && !strings.Contains(body, `value="`+v+`"`) {
					t.Error("the title is not kept")
				}
				if !strings.Contains(body, "Omvärldsanalys\nScenariokors") {
					t.Error("the experience report is not kept")
				}
			})
		}
		p, err := f.ta.Library.List(t.Context(), f.editorActor, library.Filter{})
		if err != nil || len(p.Works) != 0 {
			t.Fatalf("refused forms saved works: %v %d", err, len(p.Works))
		}
	})
}

// upload posts a file to a work's attachments.
func upload(t *testing.T, ta *testApp, session, slug, name string, content []byte, extra ...string) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	// The fields first, as the form orders them before the file.
	for i := 0; i < len(extra); i += 2 {
		w.WriteField(extra[i], extra[i+1])
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return ta.do(req{method: "POST", path: "/bibliotek/" + slug + "/bilagor", session: session, body: &buf, ctype: w.FormDataContentType()})
}

const testPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

var attachmentLinkRE = regexp.MustCompile(`/bibliotek/[a-z0-9-]+/bilagor/[0-9a-f]{64}`)

// TestLibraryPages_Attachments: a PDF is stored and served with its type
// and name; HTML is refused by content whatever its name; an image
// becomes the cover; an attachment of a draft is hidden like the draft.
func TestLibraryPages_Attachments(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ta := f.ta
		f.mustWork(t, "oppet", "Öppet arbete", library.Public)
		f.mustWork(t, "utkast", "Utkastet", library.Draft)

		expect(t, upload(t, ta, f.sEditor, "oppet", "Rapport om Region Vänern.pdf", []byte(testPDF)), http.StatusSeeOther)
		page := expect(t, ta.do(req{method: "GET", path: "/bibliotek/oppet"}), http.StatusOK)
		link := attachmentLinkRE.FindString(page)
		if link == "" || !strings.Contains(page, "Rapport om Region Vänern.pdf") {
			t.Fatal("the work page does not list the attachment")
		}
		resp := ta.do(req{method: "GET", path: link})
		body := expect(t, resp, http.StatusOK)
		h := resp.Header
		if body != testPDF || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Disposition"), "filename*=utf-8''Rapport%20om%20Region%20V%C3%A4nern.pdf") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || !strings.HasPrefix(h.Get("Cache-Control"), "public") {
			t.Errorf("served as %v", h)
		}
		if resp := ta.do(req{method: "GET", path: link, header: map[string]string{"If-None-Match": h.Get("ETag")}}); resp.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation: %d, want 304", resp.StatusCode)
		}
		w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "oppet")
		if len(w.Attachments) != 1 || w.Version != 2 {
			t.Errorf("the attachment is not a revision of the work: %+v v%d", w.Attachments, w.Version)
		}

		t.Run("ErrContentType", func(t *testing.T) {
			body := expect(t, upload(t, ta, f.sEditor, "oppet", "dokument.pdf", []byte("<html><script>alert(1)</script></html>")), http.StatusUnprocessableEntity)
			if !strings.Contains(body, "Filen måste vara en PDF") {
				t.Error("no message for the refused type")
			}
			expect(t, upload(t, ta, f.sEditor, "oppet", "bild.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)), http.StatusUnprocessableEntity)
			if w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "oppet"); len(w.Attachments) != 1 {
				t.Errorf("a refused file was attached: %+v", w.Attachments)
			}
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			big := append([]byte(testPDF), bytes.Repeat([]byte{' '}, 25<<20)...)
			body := expect(t, upload(t, ta, f.sEditor, "oppet", "stor.pdf", big), http.StatusUnprocessableEntity)
			if !strings.Contains(body, "Filen är för stor (högst 25 MB).") {
				t.Error("no message for the file too large")
			}
			huge := append([]byte(testPDF), bytes.Repeat([]byte{' '}, 30<<20)...)
			if resp := upload(t, ta, f.sEditor, "oppet", "enorm.pdf", huge); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("a body past the route's limit: %d", resp.StatusCode)
			}
			if w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "oppet"); len(w.Attachments) != 1 {
				t.Errorf("a file too large was attached: %+v", w.Attachments)
			}
		})
		t.Run("ErrNotEditor", func(t *testing.T) {
			expect(t, upload(t, ta, f.sMember, "oppet", "a.pdf", []byte(testPDF)), http.StatusForbidden)
			expect(t, upload(t, ta, f.sEditB, "oppet", "a.pdf", []byte(testPDF)), http.StatusForbidden)
		})
		t.Run("Cover", func(t *testing.T) {
			expect(t, upload(t, ta, f.sEditor, "oppet", "omslag.png", pngBytes(t), "cover", "on"), http.StatusSeeOther)
			page := expect(t, ta.do(req{method: "GET", path: "/bibliotek/oppet"}), http.StatusOK)
			if !strings.Contains(page, `class="cover"`) {
				t.Error("no cover image")
			}
			body := expect(t, upload(t, ta, f.sEditor, "oppet", "inte-bild.pdf", []byte(testPDF+"x"), "cover", "on"), http.StatusUnprocessableEntity)
			if !strings.Contains(body, "Omslagsbilden måste vara") {
				t.Error("a PDF became the cover")
			}
		})
		t.Run("Delete", func(t *testing.T) {
			expect(t, ta.do(req{method: "POST", path: link + "/ta-bort", session: f.sEditor}), http.StatusSeeOther)
			expect(t, ta.do(req{method: "GET", path: link}), http.StatusNotFound)
			expect(t, ta.do(req{method: "GET", path: link, session: f.sMember}), http.StatusNotFound)
			// The old version that had it still links to it, for its editors.
			old := expect(t, ta.do(req{method: "GET", path: "/bibliotek/oppet/versioner/2", session: f.sEditor}), http.StatusOK)
			if !strings.Contains(old, link) {
				t.Fatal("the old version does not list its attachment")
			}
			resp := ta.do(req{method: "GET", path: link, session: f.sEditor})
			if body := expect(t, resp, http.StatusOK); body != testPDF || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "private") {
				t.Errorf("the editor cannot open the old version's file: %q", resp.Header.Get("Cache-Control"))
			}
		})
		t.Run("DraftHidden", func(t *testing.T) {
			expect(t, upload(t, ta, f.sEditor, "utkast", "hemlig.pdf", []byte(testPDF+"hemlig")), http.StatusSeeOther)
			w, _ := ta.Library.GetBySlug(t.Context(), f.editorActor, "utkast")
			link := "/bibliotek/utkast/bilagor/" + w.Attachments[0].Hash
			for _, c := range []struct {
				who     string
				session string
				want    int
			}{{"anonymous", "", http.StatusNotFound}, {"member", f.sMember, http.StatusNotFound}, {"editor of B", f.sEditB, http.StatusNotFound}, {"editor", f.sEditor, http.StatusOK}} {
				resp := ta.do(req{method: "GET", path: link, session: c.session})
				if resp.StatusCode != c.want {
					t.Errorf("%s: %d, want %d", c.who, resp.StatusCode, c.want)
				}
				if c.want == http.StatusOK && !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
					t.Errorf("a draft's attachment is cached publicly: %q", resp.Header.Get("Cache-Control"))
				}
			}
		})
	})
}

// TestLibraryPages_Visibility: a draft, an organisation-only and a
// network work never reach those who may not see them: not in the list,
// not in search, not on their page, not in either export.
func TestLibraryPages_Visibility(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ta := f.ta
		files := map[string]string{} // slug -> the hash of its attachment
		attach := func(slug string) func(*library.Work) {
			st, err := ta.Media.Put(strings.NewReader(testPDF+slug), 1<<20, media.Attachments)
			if err != nil {
				t.Fatal(err)
			}
			files[slug] = st.Hash
			return func(w *library.Work) {
				w.Attachments = []library.Attachment{{Hash: st.Hash, Name: slug + ".pdf", MediaType: st.Type, Size: st.Size}}
			}
		}
		f.mustWork(t, "publikt", "Scenariot Publikt", library.Public, attach("publikt"))
		f.mustWork(t, "natverk", "Scenariot Nätverk", library.Network, attach("natverk"))
		f.mustWork(t, "egen", "Scenariot Egenorg", library.Organisation, attach("egen"))
		f.mustWork(t, "utkast", "Scenariot Utkast", library.Draft, attach("utkast"))
		titles := map[string]string{"publikt": "Scenariot Publikt", "natverk": "Scenariot Nätverk", "egen": "Scenariot Egenorg", "utkast": "Scenariot Utkast"}
		for _, who := range []struct {
			name    string
			session string
			sees    []string
		}{
			{"anonymous", "", []string{"publikt"}},
			{"editor of B", f.sEditB, []string{"publikt", "natverk"}},
			{"member of A", f.sMember, []string{"publikt", "natverk", "egen"}},
			{"editor of A", f.sEditor, []string{"publikt", "natverk", "egen", "utkast"}},
		} {
			t.Run(strings.ReplaceAll(who.name, " ", "_"), func(t *testing.T) {
				list := expect(t, ta.do(req{method: "GET", path: "/bibliotek", session: who.session}), http.StatusOK)
				// "scenarier" finds "Scenariot" by its stem.
				hits := expect(t, ta.do(req{method: "GET", path: "/bibliotek?q=scenarier", session: who.session}), http.StatusOK)
				csv := expect(t, ta.do(req{method: "GET", path: "/bibliotek/export.csv", session: who.session}), http.StatusOK)
				js := expect(t, ta.do(req{method: "GET", path: "/bibliotek/export.json?q=scenarier", session: who.session}), http.StatusOK)
				var file library.File
				if err := json.Unmarshal([]byte(js), &file); err != nil {
					t.Fatalf("export.json: %v", err)
				}
				// The archive holds what the JSON export holds, and the files of those works only.
				arc := unzipBody(t, expect(t, ta.do(req{method: "GET", path: "/bibliotek/export.zip", session: who.session}), http.StatusOK))
				if len(arc) != len(who.sees)+1 {
					t.Errorf("export.zip has %d entries, want works.json and %d files", len(arc), len(who.sees))
				}
				for slug, title := range titles {
					want := false
					for _, s := range who.sees {
						want = want || s == slug
					}
					page := ta.do(req{method: "GET", path: "/bibliotek/" + slug, session: who.session})
					readBody(t, page)
					if got := page.StatusCode == http.StatusOK; got != want {
						t.Errorf("work page %s: status %d, want visible=%v", slug, page.StatusCode, want)
					}
					if _, got := arc["files/"+files[slug]]; got != want {
						t.Errorf("export.zip has the file of %s: %v, want %v", slug, got, want)
					}
					for where, body := range map[string]string{"list": list, "search": hits, "csv": csv, "json": js, "zip": arc["works.json"]} {
						if got := strings.Contains(body, title) || strings.Contains(body, "/bibliotek/"+slug+`"`); got != want {
							t.Errorf("%s shows %s: %v, want %v", where, slug, got, want)
						}
					}
				}
				if len(file.Works) != len(who.sees) {
					t.Errorf("export.json has %d works, want %d", len(file.Works), len(who.sees))
				}
				if !strings.Contains(hits, "<mark>Scenariot</mark>") {
					t.Error("search hits are not highlighted")
				}
			})
		}
	})
}

// TestLibraryPages_ListFilters: filters, sorts and pages combine in the
// query string, and the experience list shows only works with a report.
func TestLibraryPages_ListFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ta := f.ta
		for i := 0; i < 23; i++ {
			f.mustWork(t, fmt.Sprintf("verk-%02d", i), fmt.Sprintf("Verk %02d", i), library.Public, func(w *library.Work) {
				w.Date = time.Date(2000+i, 1, 1, 0, 0, 0, 0, time.UTC)
			})
		}
		f.mustWork(t, "podden", "Historiepodden 2050", library.Public, func(w *library.Work) {
			w.Type, w.HorizonYear, w.Methods = library.TypePodcast, 2030, []string{"Designfiktion"}
			w.Experience = &library.ExperienceReport{Purpose: "Att berätta om framtiden i poddform.", AskWhom: "Kontakt A"}
			w.Date = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
		})
		first := expect(t, ta.do(req{method: "GET", path: "/bibliotek"}), http.StatusOK)
		if !strings.Contains(first, "Visar 1–20.") || !strings.Contains(first, "Verk 22") || strings.Contains(first, "Verk 02<") {
			t.Error("the first page is not the 20 newest")
		}
		// The method filter suggests the public works' methods.
		if !strings.Contains(first, `list="metoder"`) || !strings.Contains(first, `<option value="Designfiktion">`) {
			t.Error("the method filter does not suggest the works' methods")
		}
		next := regexp.MustCompile(`href="(/bibliotek\?efter=[^"]+&amp;fran=20)" rel="next"`).FindStringSubmatch(first)
		if next == nil {
			t.Fatal("no next page link")
		}
		second := expect(t, ta.do(req{method: "GET", path: strings.ReplaceAll(next[1], "&amp;", "&")}), http.StatusOK)
		if !strings.Contains(second, "Visar 21–24.") || !strings.Contains(second, "Verk 02") || !strings.Contains(second, "Historiepodden 2050") || strings.Contains(second, "Verk 22") {
			t.Error("the second page is not the rest")
		}
		for _, c := range []struct {
			name, query string
			want        []string
			not         []string
		}{
			{"Type", "typ=podcast", []string{"Historiepodden 2050"}, []string{"Verk 01"}},
			{"Horizon", "horisont=2030", []string{"Historiepodden 2050"}, []string{"Verk 01"}},
			{"Method", "metod=designfiktion", []string{"Historiepodden 2050"}, []string{"Verk 01"}},
			{"Year", "ar=2005", []string{"Verk 05"}, []string{"Verk 06", "Historiepodden"}},
			{"Organisation", "organisation=org-b", nil, []string{"Verk 01", "Historiepodden"}},
			{"Level", "niva=local", []string{"Verk 05"}, nil},
			{"QueryAndType", "q=historiepodden&typ=scenario", nil, []string{"Historiepodden 2050"}},
			{"TitleSort", "sortera=title", []string{"Historiepodden 2050"}, []string{"Verk 22"}},
			{"BadNumbersIgnored", "horisont=abc&ar=xyz", []string{"Verk 22"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				body := expect(t, ta.do(req{method: "GET", path: "/bibliotek?" + c.query}), http.StatusOK)
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("lacks %q", w)
					}
				}
				for _, w := range c.not {
					if strings.Contains(body, w) {
						t.Errorf("shows %q", w)
					}
				}
			})
		}
		exp := expect(t, ta.do(req{method: "GET", path: "/bibliotek/sa-har-gjorde-vi"}), http.StatusOK)
		if !strings.Contains(exp, "Historiepodden 2050") || !strings.Contains(exp, "Att berätta om framtiden") || strings.Contains(exp, "Verk 01") {
			t.Error("the experience list is not the works with a report")
		}
		csv := expect(t, ta.do(req{method: "GET", path: "/bibliotek/export.csv?typ=podcast"}), http.StatusOK)
		if strings.Count(csv, "\n") != 2 || !strings.Contains(csv, "Historiepodden 2050") {
			t.Errorf("filtered CSV export:\n%s", csv)
		}
	})
}

// importFile posts a JSON file to the import page.
func importFile(t *testing.T, ta *testApp, session string, content string) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "bibliotek.json")
	fw.Write([]byte(content))
	w.Close()
	return ta.do(req{method: "POST", path: "/bibliotek/import", session: session, body: &buf, ctype: w.FormDataContentType()})
}

// TestLibraryPages_Import: a file with bad records changes nothing and the
// page names every bad record and field; a good file is written whole.
func TestLibraryPages_Import(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ta := f.ta
		good := `{"slug":"import-ett","type":"scenario","title":"Importerat ett","organisation":"org-a","visibility":"public"}`
		bad := `{"format":"framsyn-library/1","works":[` + good + `,
			{"slug":"import-tva","type":"rymdskepp","title":"","organisation":"org-a"},
			{"slug":"import-tre","type":"scenario","title":"Tre","organisation":"org-b"},
			{"slug":"import-fyra","type":"scenario","title":"Fyra","organisation":"org-a","okänt":1}]}`
		body := expect(t, importFile(t, ta, f.sEditor, bad), http.StatusUnprocessableEntity)
		for _, want := range []string{"Ingenting har sparats", "<td>2</td><td><code>title</code>", "<td>2</td><td><code>type</code>",
			"<td>3 – Tre</td><td><code>organisation</code>", "<td>4</td><td><code>record</code>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		if strings.Contains(body, "<td>1</td>") {
			t.Error("the good record is reported")
		}
		if _, err := ta.Library.GetBySlug(t.Context(), f.editorActor, "import-ett"); err == nil {
			t.Fatal("a rejected import wrote its good record")
		}
		body = expect(t, importFile(t, ta, f.sEditor, "inte json"), http.StatusUnprocessableEntity)
		if !strings.Contains(body, "<td>Filen</td>") {
			t.Error("a malformed file is not reported")
		}
		expect(t, importFile(t, ta, f.sMember, `{"format":"framsyn-library/1","works":[`+good+`]}`), http.StatusForbidden)
		body = expect(t, importFile(t, ta, f.sEditor, `{"format":"framsyn-library/1","works":[`+good+`]}`), http.StatusOK)
		if !strings.Contains(body, "Nya: 1") {
			t.Error("the import result is not shown")
		}
		expect(t, ta.do(req{method: "GET", path: "/bibliotek/import-ett"}), http.StatusOK)

		// The export of the page imports back unchanged.
		js := expect(t, ta.do(req{method: "GET", path: "/bibliotek/export.json", session: f.sEditor}), http.StatusOK)
		body = expect(t, importFile(t, ta, f.sEditor, js), http.StatusOK)
		if !strings.Contains(body, "Oförändrade: 1") {
			t.Error("the export does not round-trip")
		}
	})
}

// multipartFile is a multipart body with one file.
func multipartFile(t testing.TB, field, name string, content []byte) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return &buf, w.FormDataContentType()
}

// matrixLibrary are the works of A the library page cases reach: a public
// one with an attachment, a draft with one, an organisation-only one and
// a public one to delete.
type matrixLibrary struct {
	public, draft, org, gone string // slugs
	pubFile, draftFile       string // attachment hashes
}

func newMatrixLibrary(t *testing.T, ta *testApp, orgA *account.Organisation, admin *account.User) matrixLibrary {
	a := &account.Actor{User: admin}
	file := func(content string) library.Attachment {
		st, err := ta.Media.Put(strings.NewReader(content), 1<<20, media.Attachments)
		if err != nil {
			t.Fatal(err)
		}
		return library.Attachment{Hash: st.Hash, Name: "bilaga.pdf", MediaType: st.Type, Size: st.Size}
	}
	pub, draft := file(testPDF+"matrix public"), file(testPDF+"matrix draft")
	mk := func(slug string, vis library.Visibility, at ...library.Attachment) string {
		w, err := ta.Library.Create(context.Background(), a, &library.Work{Slug: slug, Type: library.TypeScenario,
			Title: "Biblioteksmatris " + slug, OrganisationID: orgA.ID, Visibility: vis, Attachments: at,
			Experience: &library.ExperienceReport{Purpose: "Att pröva behörigheter."}})
		if err != nil {
			t.Fatalf("create %s: %v", slug, err)
		}
		return w.Slug
	}
	return matrixLibrary{public: mk("mx-oppet", library.Public, pub), draft: mk("mx-utkast", library.Draft, draft),
		org: mk("mx-egen", library.Organisation), gone: mk("mx-borta", library.Public), pubFile: pub.Hash, draftFile: draft.Hash}
}

// The library pages' cases of the authorization matrix. Roles: anonymous,
// member of A, editor of A, admin of A, editor of B, platform admin.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	l := newMatrixLibrary(t, f.ta, f.orgs["org-a"], f.users[5])
	form := url.Values{"title": {"Biblioteksmatris ändrad"}, "slug": {l.public}, "type": {"scenario"},
		"organisation": {fmt.Sprint(f.orgA)}, "visibility": {"public"}, "version": {"1"}}
	stale := url.Values{"title": {"Utkast ändrat"}, "slug": {l.draft}, "type": {"scenario"},
		"organisation": {fmt.Sprint(f.orgA)}, "visibility": {"draft"}, "version": {"7"}}
	create := url.Values{"title": {"Matrisens nya verk"}, "type": {"report"}, "organisation": {fmt.Sprint(f.orgA)}, "visibility": {"draft"}}
	imp := `{"format":"framsyn-library/1","works":[{"slug":"mx-importerad","type":"report","title":"Importerad","organisation":"org-a"}]}`
	edit := [6]int{see, forb, ok, ok, forb, ok}
	write := [6]int{see, forb, see, see, forb, see}
	hidden := [6]int{see, nf, ok, ok, nf, ok}
	const conflict = http.StatusConflict
	return []matrixCase{
		{pattern: "GET /bibliotek", method: "GET", path: "/bibliotek", want: all(ok)},
		{pattern: "GET /bibliotek/sa-har-gjorde-vi", method: "GET", path: "/bibliotek/sa-har-gjorde-vi", want: all(ok)},
		{pattern: "GET /bibliotek/export.csv", method: "GET", path: "/bibliotek/export.csv?q=biblioteksmatris", want: all(ok)},
		{pattern: "GET /bibliotek/export.json", method: "GET", path: "/bibliotek/export.json", want: all(ok)},
		{pattern: "GET /bibliotek/export.zip", method: "GET", path: "/bibliotek/export.zip", want: all(ok)},
		{pattern: "GET /bibliotek/import", method: "GET", path: "/bibliotek/import", want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "POST /bibliotek/import", method: "POST", path: "/bibliotek/import", upload: imp, want: [6]int{see, forb, ok, ok, bad, ok}},
		{pattern: "GET /bibliotek/ny", method: "GET", path: "/bibliotek/ny", want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "POST /bibliotek", method: "POST", path: "/bibliotek", form: create, want: write},
		{pattern: "GET /bibliotek/{slug}", method: "GET", path: "/bibliotek/" + l.public, want: all(ok)},
		{pattern: "GET /bibliotek/{slug}", method: "GET", path: "/bibliotek/" + l.org, want: [6]int{nf, ok, ok, ok, nf, ok}},
		{pattern: "GET /bibliotek/{slug}", method: "GET", path: "/bibliotek/" + l.draft, want: [6]int{nf, nf, ok, ok, nf, ok}},
		{pattern: "GET /bibliotek/{slug}", method: "GET", path: "/bibliotek/finns-inte", want: all(nf)},
		{pattern: "GET /bibliotek/{slug}/redigera", method: "GET", path: "/bibliotek/" + l.public + "/redigera", want: edit},
		{pattern: "GET /bibliotek/{slug}/redigera", method: "GET", path: "/bibliotek/" + l.draft + "/redigera", want: hidden},
		{pattern: "POST /bibliotek/{slug}", method: "POST", path: "/bibliotek/" + l.public, form: form, want: write},
		// A stale version: the editors meet the conflict, others nothing.
		{pattern: "POST /bibliotek/{slug}", method: "POST", path: "/bibliotek/" + l.draft, form: stale, want: [6]int{see, nf, conflict, conflict, nf, conflict}},
		{pattern: "POST /bibliotek/{slug}/ta-bort", method: "POST", path: "/bibliotek/" + l.gone + "/ta-bort", form: url.Values{"confirm": {"yes"}}, want: write},
		{pattern: "GET /bibliotek/{slug}/versioner", method: "GET", path: "/bibliotek/" + l.public + "/versioner", want: edit},
		{pattern: "GET /bibliotek/{slug}/versioner/{n}", method: "GET", path: "/bibliotek/" + l.public + "/versioner/1", want: edit},
		{pattern: "GET /bibliotek/{slug}/versioner/{n}", method: "GET", path: "/bibliotek/" + l.draft + "/versioner/1", want: hidden},
		{pattern: "POST /bibliotek/{slug}/versioner/{n}/aterstall", method: "POST", path: "/bibliotek/" + l.public + "/versioner/1/aterstall", want: write},
		{pattern: "POST /bibliotek/{slug}/bilagor", method: "POST", path: "/bibliotek/" + l.public + "/bilagor", upload: testPDF + "uppladdad", want: write},
		{pattern: "POST /bibliotek/{slug}/bilagor", method: "POST", path: "/bibliotek/" + l.draft + "/bilagor", upload: "<html>inte en pdf</html>", want: [6]int{see, nf, bad, bad, nf, bad}},
		{pattern: "GET /bibliotek/{slug}/bilagor/{hash}", method: "GET", path: "/bibliotek/" + l.public + "/bilagor/" + l.pubFile, want: all(ok)},
		{pattern: "GET /bibliotek/{slug}/bilagor/{hash}", method: "GET", path: "/bibliotek/" + l.draft + "/bilagor/" + l.draftFile, want: [6]int{nf, nf, ok, ok, nf, ok}},
		// A file of the draft reached through the public work: not there.
		{pattern: "GET /bibliotek/{slug}/bilagor/{hash}", method: "GET", path: "/bibliotek/" + l.public + "/bilagor/" + l.draftFile, want: all(nf)},
		// A draft's attachment is no organisation's logo: never at /media.
		{pattern: "GET /media/{hash}", method: "GET", path: "/media/" + l.draftFile, want: all(nf)},
		{pattern: "POST /bibliotek/{slug}/bilagor/{hash}/ta-bort", method: "POST", path: "/bibliotek/" + l.public + "/bilagor/" + l.pubFile + "/ta-bort", want: write},
	}
})

// TestLibraryPages_Catalogue: every library page, in Swedish and English,
// shows translated text, never a catalogue key.
func TestLibraryPages_Catalogue(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	f.mustWork(t, "verket", "Verket", library.Public, func(w *library.Work) {
		w.Links = []library.Link{{Kind: library.LinkPodcast, URL: "https://example.se/podd"}}
		w.Experience = &library.ExperienceReport{Purpose: "Syftet", Count: 12, Steps: []string{"Ett", "Två"}, TimeUsed: "en dag"}
	})
	expect(t, upload(t, f.ta, f.sEditor, "verket", "ljud.mp3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00ljud")), http.StatusSeeOther)
	keyRE := regexp.MustCompile(`\b(library|media|error|form)\.[a-z_.]+`)
	for _, lang := range []string{"sv", "en"} {
		for _, path := range []string{"/bibliotek", "/bibliotek?q=verket", "/bibliotek/sa-har-gjorde-vi", "/bibliotek/verket",
			"/bibliotek/ny", "/bibliotek/verket/redigera", "/bibliotek/verket/versioner", "/bibliotek/verket/versioner/1", "/bibliotek/import"} {
			body := expect(t, f.ta.do(req{method: "GET", path: path, session: f.sEditor, header: map[string]string{"Cookie": "framsyn_lang=" + lang}}), http.StatusOK)
			if k := keyRE.FindString(body); k != "" {
				t.Errorf("%s in %s shows the key %s", path, lang, k)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s is not in %s", path, lang)
			}
		}
	}
}
