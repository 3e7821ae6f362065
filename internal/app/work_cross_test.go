package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
)

// TestWorkCross: a work shows its scenario cross (drawing, text
// alternative, link) to those who may see the cross; an editor names only
// crosses they may see; a cross the viewer may not see leaves no trace on
// the page, in the API or in the export, and an editor who cannot see it
// keeps it by leaving it as it is. Both engines.
func TestWorkCross(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		ctx := context.Background()
		admin := &account.Actor{User: f.ta.mustUser("admin@x.se", "Admin", true)}
		sAdmin := f.ta.mintSession(admin.User)
		mk := func(c *cross.Cross) *cross.Cross {
			saved, err := f.ta.Crosses.Create(ctx, admin, c)
			if err != nil {
				t.Fatal(err)
			}
			return saved
		}
		pub := mk(crossOf(f.orgA.ID, "Öppet kors", library.Public, cross.StatusPublished))
		hid := mk(crossOf(f.orgB.ID, "Hemligt kors B", library.Organisation, cross.StatusPublished))
		hidPath := fmt.Sprintf("/scenariekors/%d", hid.ID)

		// The form offers the crosses the editor may see, not B's own.
		body := expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/ny", session: f.sEditor}), http.StatusOK)
		if !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, pub.ID)) || strings.Contains(body, hid.Title) {
			t.Fatalf("the form's crosses: want %q only", pub.Title)
		}
		// Naming a cross one may not see: a Swedish message, nothing saved.
		body = expect(t, f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor,
			form: f.workForm("Med dolt kors", "cross", fmt.Sprint(hid.ID))}), http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Det scenariokorset finns inte eller så får du inte se det") {
			t.Errorf("no message for a hidden cross")
		}
		if _, err := f.ta.Library.GetBySlug(ctx, admin, "med-dolt-kors"); err == nil {
			t.Fatal("a work naming a hidden cross was saved")
		}
		resp := f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor, form: f.workForm("Med kors", "cross", fmt.Sprint(pub.ID))})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create with a cross: %d %s", resp.StatusCode, readBody(t, resp))
		}
		slug := strings.TrimPrefix(resp.Header.Get("Location"), "/bibliotek/")
		page := expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/" + slug}), http.StatusOK)
		for _, want := range []string{`<svg class="ws-cross"`, `id="work-cross-t"`, "Framtid 1", fmt.Sprintf(`href="/scenariekors/%d"`, pub.ID), pub.Title} {
			if !strings.Contains(page, want) {
				t.Errorf("the work's page lacks %q", want)
			}
		}

		// The platform admin points the work at B's organisation cross.
		w, err := f.ta.Library.GetBySlug(ctx, admin, slug)
		if err != nil {
			t.Fatal(err)
		}
		var got apiWork
		decode(t, f.ta.do(jsonReq("PATCH", fmt.Sprintf("/api/v1/works/%d", w.ID), fmt.Sprintf(`{"cross_id":%d}`, hid.ID), sAdmin)), http.StatusOK, &got)
		if got.CrossID != hid.ID {
			t.Fatalf("the admin's PATCH: cross_id %d, want %d", got.CrossID, hid.ID)
		}
		for _, who := range []struct{ name, session string }{{"public", ""}, {"editor A", f.sEditor}} {
			page := expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/" + slug, session: who.session}), http.StatusOK)
			if strings.Contains(page, hid.Title) || strings.Contains(page, hidPath) || strings.Contains(page, "work-cross-h") {
				t.Errorf("%s: the page names the hidden cross", who.name)
			}
			api := readBody(t, f.ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/works/%d", w.ID), session: who.session}))
			if strings.Contains(api, "cross_id") {
				t.Errorf("%s: the API names the hidden cross: %s", who.name, api)
			}
			export := readBody(t, f.ta.do(req{method: "GET", path: "/api/v1/works/export", session: who.session}))
			if strings.Contains(export, fmt.Sprintf(`"cross": %d`, hid.ID)) || !strings.Contains(export, w.Slug) {
				t.Errorf("%s: the export names the hidden cross or lacks the work", who.name)
			}
		}
		// B's editor may see the cross, and so sees it on the page.
		page = expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/" + slug, session: f.sEditB}), http.StatusOK)
		if !strings.Contains(page, hid.Title) || !strings.Contains(page, hidPath) {
			t.Error("B's editor does not see B's cross on the work")
		}

		// A's editor sees "keep" (never the cross's name or id) and keeps it
		// through an edit of another field, through the form and the API.
		form := expect(t, f.ta.do(req{method: "GET", path: "/bibliotek/" + slug + "/redigera", session: f.sEditor}), http.StatusOK)
		_, sel, _ := strings.Cut(form, `<select id="cross"`)
		sel, _, _ = strings.Cut(sel, "</select>")
		if !strings.Contains(sel, `<option value="keep" selected>`) || strings.Contains(form, hid.Title) ||
			strings.Contains(sel, fmt.Sprintf(`value="%d"`, hid.ID)) {
			t.Fatal("the edit form names the hidden cross or offers no keep")
		}
		w, _ = f.ta.Library.GetBySlug(ctx, admin, slug)
		resp = f.ta.do(req{method: "POST", path: "/bibliotek/" + slug, session: f.sEditor,
			form: f.workForm("Med kors", "slug", slug, "cross", "keep", "summary", "Ny sammanfattning", "version", fmt.Sprint(w.Version))})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit keeping the cross: %d %s", resp.StatusCode, readBody(t, resp))
		}
		decode(t, f.ta.do(jsonReq("PATCH", fmt.Sprintf("/api/v1/works/%d", w.ID), `{"summary":"Ännu en"}`, f.sEditor)), http.StatusOK, &got)
		if w, _ = f.ta.Library.GetBySlug(ctx, admin, slug); w.CrossID != hid.ID || w.Summary != "Ännu en" {
			t.Fatalf("after the editor's edits: cross %d summary %q, want %d kept", w.CrossID, w.Summary, hid.ID)
		}
		// Nor may the editor name it through the API or an import.
		var e apiError
		decode(t, f.ta.do(jsonReq("POST", "/api/v1/works", fmt.Sprintf(`{"type":"report","title":"API","organization_id":%d,"cross_id":%d}`, f.orgA.ID, hid.ID), f.sEditor)),
			http.StatusUnprocessableEntity, &e)
		if e.Error.Fields["cross_id"] == "" {
			t.Errorf("API create with a hidden cross: %v", e.Error.Fields)
		}
		imp := fmt.Sprintf(`{"format":"framsyn-library/1","works":[{"slug":"import-kors","type":"report","title":"Import","organisation":"org-a","cross":%d}]}`, hid.ID)
		decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", imp, f.sEditor)), http.StatusUnprocessableEntity, &e)
		if e.Error.Fields["works[0].cross"] == "" {
			t.Errorf("import with a hidden cross: %v", e.Error.Fields)
		}
		if _, err := f.ta.Library.GetBySlug(ctx, admin, "import-kors"); err == nil {
			t.Fatal("a rejected import saved its work")
		}
		// Deleting the cross clears it from the work.
		if err := f.ta.Crosses.Delete(ctx, admin, hid.ID); err != nil {
			t.Fatal(err)
		}
		if w, _ = f.ta.Library.GetBySlug(ctx, admin, slug); w.CrossID != 0 {
			t.Fatalf("the deleted cross is still named: %d", w.CrossID)
		}
	})
}
