package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// actorOf returns the actor of u as the app sees it with a session.
func (ta *testApp) actorOf(u *account.User) *account.Actor {
	ta.t.Helper()
	a, err := ta.Accounts.SessionActor(context.Background(), ta.mintSession(u))
	if err != nil {
		ta.t.Fatal(err)
	}
	return a
}

// mustWork creates a work of org as a platform admin would.
func (ta *testApp) mustWork(a *account.Actor, org int64, title string, vis library.Visibility, mod ...func(*library.Work)) *library.Work {
	ta.t.Helper()
	w := &library.Work{Type: library.TypeScenario, Title: title, Summary: "Sammanfattning av " + title + ".",
		BodyMD: "Ett arbete om **framtiden** i regionen.", OrganisationID: org, HorizonYear: 2050,
		Methods: []string{"Scenariokors"}, Date: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC), Visibility: vis}
	for _, m := range mod {
		m(w)
	}
	got, err := ta.Library.Create(context.Background(), a, w)
	if err != nil {
		ta.t.Fatalf("create work %q: %v", title, err)
	}
	return got
}

// matrixWorks are the works the authorization matrix reaches through the
// works API: a public one, a draft and a public one to delete, all of A.
type matrixWorks struct {
	public, draft, gone int64
}

func newMatrixWorks(t *testing.T, ta *testApp, orgA *account.Organisation, admin *account.User) matrixWorks {
	a := ta.actorOf(admin)
	return matrixWorks{
		public: ta.mustWork(a, orgA.ID, "Matrisens öppna scenario", library.Public).ID,
		draft:  ta.mustWork(a, orgA.ID, "Matrisens utkast", library.Draft).ID,
		gone:   ta.mustWork(a, orgA.ID, "Matrisens scenario att ta bort", library.Public).ID,
	}
}

// The works API's cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	w := newMatrixWorks(t, f.ta, f.orgs["org-a"], f.users[5])
	orgA := f.orgA
	create := fmt.Sprintf(`{"type":"podcast","title":"Matrisens podd","organization_id":%d,"visibility":"public"}`, orgA)
	imp := `{"format":"framsyn-library/1","works":[{"slug":"matrisens-import","type":"report","title":"Importerad rapport","organisation":"org-a","visibility":"public"}]}`
	id := func(n int64) string { return fmt.Sprint(n) }
	cases := []matrixCase{

		{pattern: "GET /api/v1/works", method: "GET", path: "/api/v1/works", want: all(ok)},
		{pattern: "POST /api/v1/works", method: "POST", path: "/api/v1/works", json: create, want: [6]int{unath, forb, http.StatusCreated, http.StatusCreated, forb, http.StatusCreated}},
		{pattern: "GET /api/v1/works/export", method: "GET", path: "/api/v1/works/export?format=csv", want: all(ok)},
		{pattern: "GET /api/v1/works/export", method: "GET", path: "/api/v1/works/export?format=zip", want: all(ok)},
		{pattern: "POST /api/v1/works/import", method: "POST", path: "/api/v1/works/import", json: imp, want: [6]int{unath, forb, ok, ok, bad, ok}},
		{pattern: "GET /api/v1/works/{id}", method: "GET", path: "/api/v1/works/" + id(w.public), want: all(ok)},
		{pattern: "GET /api/v1/works/{id}", method: "GET", path: "/api/v1/works/" + id(w.draft), want: [6]int{nf, nf, ok, ok, nf, ok}},
		{pattern: "PATCH /api/v1/works/{id}", method: "PATCH", path: "/api/v1/works/" + id(w.public), json: `{"summary":"Ändrad."}`, want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "PATCH /api/v1/works/{id}", method: "PATCH", path: "/api/v1/works/" + id(w.draft), json: `{"summary":"Ändrad."}`, want: [6]int{unath, nf, ok, ok, nf, ok}},
		{pattern: "GET /api/v1/works/{id}/revisions", method: "GET", path: "/api/v1/works/" + id(w.public) + "/revisions", want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "DELETE /api/v1/works/{id}", method: "DELETE", path: "/api/v1/works/" + id(w.gone), want: [6]int{unath, forb, http.StatusNoContent, http.StatusNoContent, forb, http.StatusNoContent}},
	}
	return cases
})

// apiWork is a work as the API answers it, the fields the tests read.
type apiWork struct {
	ID             int64    `json:"id"`
	Slug           string   `json:"slug"`
	Type           string   `json:"type"`
	Title          string   `json:"title"`
	Summary        string   `json:"summary"`
	BodyHTML       string   `json:"body_html"`
	OrganizationID int64    `json:"organization_id"`
	Methods        []string `json:"methods"`
	Themes         []string `json:"themes"`
	HorizonYear    int      `json:"horizon_year"`
	Date           string   `json:"date"`
	Visibility     string   `json:"visibility"`
	Licence        string   `json:"licence"`
	Source         string   `json:"source"`
	CrossID        int64    `json:"cross_id"`
	Version        int      `json:"version"`
	URL            string   `json:"url"`
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func jsonReq(method, path, body, session string) req {
	return req{method: method, path: path, body: strings.NewReader(body), ctype: "application/json", session: session}
}

// apiFixture is org A (public) with an editor, org B (public) with an
// editor, and a member of A.
type apiFixture struct {
	ta                         *testApp
	orgA, orgB                 *account.Organisation
	editorA, editorB, memberA  *account.User
	sEditorA, sEditorB, sMembA string
}

func newAPIFixture(t *testing.T, dsn string) *apiFixture {
	ta := mustApp(t, dsn)
	f := &apiFixture{ta: ta, orgA: ta.mustOrg("org-a", true, "Kontakt A"), orgB: ta.mustOrg("org-b", true)}
	f.editorA = ta.mustUser("editor@a.se", "Editor A", false)
	f.editorB = ta.mustUser("editor@b.se", "Editor B", false)
	f.memberA = ta.mustUser("member@a.se", "Member A", false)
	ta.mustMember(f.editorA, f.orgA, account.RoleEditor)
	ta.mustMember(f.editorB, f.orgB, account.RoleEditor)
	ta.mustMember(f.memberA, f.orgA, account.RoleMember)
	f.sEditorA, f.sEditorB, f.sMembA = ta.mintSession(f.editorA), ta.mintSession(f.editorB), ta.mintSession(f.memberA)
	return f
}

func TestWorksAPI_CRUD(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			ta := f.ta
			body := fmt.Sprintf(`{"type":"scenario","title":"Region Artica 2050","summary":"Fyra scenarier för norr.",
				"body":"## Livet\n\nVi arbetar på distans.","organization_id":%d,"horizon_year":2050,"methods":["Scenariokors"],
				"themes":["Arbetsmarknad"],"date":"2018-03-01","visibility":"public","source":"Hemarbete: Region Artica",
				"links":[{"kind":"video","url":"https://example.se/film","title":"Filmen"}],
				"experience":{"purpose":"Att prova scenariokorset.","steps":["Drivkrafter","Kors"]}}`, f.orgA.ID)
			resp := ta.do(jsonReq("POST", "/api/v1/works", body, f.sEditorA))
			var created apiWork
			decode(t, resp, http.StatusCreated, &created)
			if created.ID == 0 || created.Slug != "region-artica-2050" || created.Version != 1 || created.Date != "2018-03-01" ||
				!strings.Contains(created.BodyHTML, "<h2") || !strings.HasSuffix(created.URL, "/bibliotek/region-artica-2050") {
				t.Fatalf("created %+v", created)
			}
			if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, fmt.Sprintf("/api/v1/works/%d", created.ID)) {
				t.Errorf("Location %q", loc)
			}
			path := fmt.Sprintf("/api/v1/works/%d", created.ID)

			var got apiWork
			decode(t, ta.do(req{method: "GET", path: path}), http.StatusOK, &got)
			if got.Title != "Region Artica 2050" || got.OrganizationID != f.orgA.ID || got.Source != "Hemarbete: Region Artica" || got.Licence != "" {
				t.Errorf("get %+v; want the source, and no licence (the source gives none)", got)
			}
			var list struct {
				Items []apiWork `json:"items"`
				Next  *string   `json:"next"`
			}
			decode(t, ta.do(req{method: "GET", path: "/api/v1/works?type=scenario&organization=org-a"}), http.StatusOK, &list)
			if len(list.Items) != 1 || list.Items[0].ID != created.ID || list.Next != nil {
				t.Errorf("list %+v", list)
			}

			// PATCH changes only the fields it names.
			var patched apiWork
			decode(t, ta.do(jsonReq("PATCH", path, `{"title":"Region Artica 2050 – reviderad","version":1}`, f.sEditorA)), http.StatusOK, &patched)
			if patched.Title != "Region Artica 2050 – reviderad" || patched.Summary != "Fyra scenarier för norr." ||
				!slices.Equal(patched.Methods, []string{"Scenariokors"}) || patched.HorizonYear != 2050 || patched.Date != "2018-03-01" ||
				patched.Visibility != "public" || patched.Version != 2 || patched.Slug != created.Slug {
				t.Errorf("patched %+v", patched)
			}
			// A client still at version 1 gets a conflict, and nothing changes.
			var e apiError
			decode(t, ta.do(jsonReq("PATCH", path, `{"summary":"Gammal ändring","version":1}`, f.sEditorA)), http.StatusConflict, &e)
			if e.Error.Code != "conflict" {
				t.Errorf("stale patch: %+v", e)
			}
			decode(t, ta.do(req{method: "GET", path: path}), http.StatusOK, &got)
			if got.Summary != "Fyra scenarier för norr." || got.Version != 2 {
				t.Errorf("after stale patch: %+v", got)
			}
			// null clears a list; the experience report merges field by field.
			decode(t, ta.do(jsonReq("PATCH", path, `{"themes":null,"experience":{"worked":"Korset."}}`, f.sEditorA)), http.StatusOK, &patched)
			if len(patched.Themes) != 0 || patched.Version != 3 {
				t.Errorf("cleared themes: %+v", patched)
			}
			w, err := ta.Library.Get(context.Background(), ta.actorOf(f.editorA), created.ID)
			if err != nil || w.Experience == nil || w.Experience.Purpose != "Att prova scenariokorset." || w.Experience.Worked != "Korset." {
				t.Errorf("experience after merge: %+v, %v", w.Experience, err)
			}

			var revs struct {
				Items []struct {
					Version int      `json:"version"`
					Changed []string `json:"changed"`
				} `json:"items"`
			}
			decode(t, ta.do(req{method: "GET", path: path + "/revisions", session: f.sEditorA}), http.StatusOK, &revs)
			if len(revs.Items) != 3 || revs.Items[0].Version != 3 || !slices.Contains(revs.Items[1].Changed, "title") ||
				slices.Contains(revs.Items[1].Changed, "summary") {
				t.Errorf("revisions %+v", revs)
			}

			// Editors of another organisation may read but not change it.
			decode(t, ta.do(jsonReq("PATCH", path, `{"title":"Kapad"}`, f.sEditorB)), http.StatusForbidden, &e)
			decode(t, ta.do(req{method: "DELETE", path: path, session: f.sEditorB}), http.StatusForbidden, &e)

			if resp := ta.do(req{method: "DELETE", path: path, session: f.sEditorA}); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("delete: %d", resp.StatusCode)
			}
			decode(t, ta.do(req{method: "GET", path: path}), http.StatusNotFound, &e)
			decode(t, ta.do(req{method: "GET", path: "/api/v1/works/nej"}), http.StatusNotFound, &e)
		})
	}
}

func TestWorksAPI_ValidationNamesFields(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			tests := []struct {
				name, body string
				fields     []string
			}{
				// An unknown owner is Forbidden to an editor, as a hidden one is
				// (issue 18 row 5), so the owner here is A.
				{"ErrFields", fmt.Sprintf(`{"type":"roman","title":"","organization_id":%d,"horizon_year":1800,
					"links":[{"kind":"web","url":"javascript:alert(1)"}],"co_organization_ids":[888888]}`, f.orgA.ID),
					[]string{"type", "title", "horizon_year", "links[0].url", "co_organization_ids[0]"}},
				{"ErrUnknownField", `{"type":"scenario","title":"X","organization_id":1,"colour":"blå"}`, []string{"colour"}},
				{"ErrFieldType", `{"type":"scenario","title":"X","horizon_year":"tjugofemtio"}`, []string{"horizon_year"}},
				{"ErrDate", fmt.Sprintf(`{"type":"scenario","title":"X","organization_id":%d,"date":"1 mars"}`, f.orgA.ID), []string{"date"}},
				{"ErrExperience", fmt.Sprintf(`{"type":"scenario","title":"X","organization_id":%d,"experience":{"participant_count":-3}}`, f.orgA.ID),
					[]string{"experience.participant_count"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var e apiError
					decode(t, f.ta.do(jsonReq("POST", "/api/v1/works", tt.body, f.sEditorA)), http.StatusUnprocessableEntity, &e)
					for _, field := range tt.fields {
						if e.Error.Fields[field] == "" {
							t.Errorf("no message for %q in %v", field, e.Error.Fields)
						}
					}
				})
			}
			var e apiError
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works", `{"title":`, f.sEditorA)), http.StatusBadRequest, &e)
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/works?type=roman&year=tva"}), http.StatusUnprocessableEntity, &e)
			if e.Error.Fields["type"] == "" || e.Error.Fields["year"] == "" {
				t.Errorf("list filter errors %v", e.Error.Fields)
			}
			// A member may not publish for the organisation.
			body := fmt.Sprintf(`{"type":"scenario","title":"X","organization_id":%d}`, f.orgA.ID)
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works", body, f.sMembA)), http.StatusForbidden, &e)
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works", body, "")), http.StatusUnauthorized, &e)
		})
	}
}

func TestWorksAPI_ImportAllOrNothing(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			count := func() int {
				var list struct{ Items []apiWork }
				decode(t, f.ta.do(req{method: "GET", path: "/api/v1/works", session: f.sEditorA}), http.StatusOK, &list)
				return len(list.Items)
			}
			bad := `{"format":"framsyn-library/1","works":[
				{"slug":"bra","type":"report","title":"Bra rapport","organisation":"org-a"},
				{"slug":"utan-titel","type":"report","title":"","organisation":"org-a"},
				{"slug":"okand-org","type":"report","title":"Okänd","organisation":"finns-inte"},
				{"slug":"fel-typ","type":"roman","title":"Fel typ","organisation":"org-a","date":"i våras"},
				"inte ett objekt"]}`
			var e apiError
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", bad, f.sEditorA)), http.StatusUnprocessableEntity, &e)
			for _, field := range []string{"works[1].title", "works[2].organisation", "works[3].type", "works[3].date", "works[4].record"} {
				if e.Error.Fields[field] == "" {
					t.Errorf("no problem named %q: %v", field, e.Error.Fields)
				}
			}
			if _, ok := e.Error.Fields["works[0].title"]; ok {
				t.Errorf("the good record is named: %v", e.Error.Fields)
			}
			if n := count(); n != 0 {
				t.Fatalf("a rejected import wrote %d works", n)
			}
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", `{"format":"framsyn-library/1","works":[`, f.sEditorA)), http.StatusUnprocessableEntity, &e)
			if e.Error.Fields["file"] == "" {
				t.Errorf("malformed file: %v", e.Error.Fields)
			}
			// Records of another organisation are refused for an editor of B.
			good := `{"format":"framsyn-library/1","works":[
				{"slug":"bra","type":"report","title":"Bra rapport","organisation":"org-a","visibility":"public"},
				{"slug":"podden","type":"podcast","title":"Historiepodden 2050","organisation":"org-a","visibility":"network"}]}`
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", good, f.sEditorB)), http.StatusUnprocessableEntity, &e)
			if e.Error.Fields["works[0].organisation"] == "" || e.Error.Fields["works[1].organisation"] == "" {
				t.Errorf("foreign records: %v", e.Error.Fields)
			}
			var res struct{ Created, Updated, Unchanged int }
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", good, f.sEditorA)), http.StatusOK, &res)
			if res.Created != 2 || count() != 2 {
				t.Errorf("import: %+v, %d works", res, count())
			}
			// The export round-trips: importing it again changes nothing.
			exp := readBody(t, f.ta.do(req{method: "GET", path: "/api/v1/works/export?format=json", session: f.sEditorA}))
			decode(t, f.ta.do(jsonReq("POST", "/api/v1/works/import", exp, f.sEditorA)), http.StatusOK, &res)
			if res.Created != 0 || res.Updated != 0 || res.Unchanged != 2 {
				t.Errorf("re-import of the export: %+v", res)
			}
		})
	}
}

// searchAPIList is /api/v1/search's answer.
type searchAPIList struct {
	Items []struct {
		Kind          string `json:"kind"`
		ID            int64  `json:"id"`
		Title         string `json:"title"`
		Snippet       string `json:"snippet"`
		URL           string `json:"url"`
		TitleSegments []struct {
			Text  string `json:"text"`
			Match bool   `json:"match"`
		} `json:"title_segments"`
		SnippetSegments []struct {
			Text  string `json:"text"`
			Match bool   `json:"match"`
		} `json:"snippet_segments"`
	} `json:"items"`
	Next  *string  `json:"next"`
	Terms []string `json:"terms"`
}

func TestSearchAPI_SwedishAndPaging(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			a := f.ta.actorOf(f.editorA)
			w := f.ta.mustWork(a, f.orgA.ID, "Scenariot om Region Artica", library.Public, func(w *library.Work) {
				w.BodyMD = "Vi skrev scenariot tillsammans med Copenborg."
			})
			f.ta.mustWork(a, f.orgA.ID, "Historiepodden 2050", library.Public, func(w *library.Work) {
				w.Type, w.BodyMD, w.Summary, w.Methods = library.TypePodcast, "Ett samtal om historia.", "Poddavsnitt.", nil
			})

			var res searchAPIList
			// Of works: the method guides speak of scenarios too.
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=scenarier&kind=work"}), http.StatusOK, &res)
			if len(res.Items) != 1 || res.Items[0].ID != w.ID || res.Items[0].Kind != "work" ||
				!strings.HasSuffix(res.Items[0].URL, "/bibliotek/"+w.Slug) {
				t.Fatalf("scenarier: %+v", res)
			}
			marked := func(segs []struct {
				Text  string `json:"text"`
				Match bool   `json:"match"`
			}) string {
				for _, s := range segs {
					if s.Match {
						return s.Text
					}
				}
				return ""
			}
			if got := marked(res.Items[0].TitleSegments); got != "Scenariot" {
				t.Errorf("title match %q", got)
			}
			if got := marked(res.Items[0].SnippetSegments); !strings.HasPrefix(strings.ToLower(got), "scenari") || !strings.Contains(res.Items[0].Snippet, "Copenborg") {
				t.Errorf("snippet %+v", res.Items[0])
			}
			// Prefix while typing; kind and type filters.
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=histori"}), http.StatusOK, &res)
			if len(res.Items) != 1 || res.Items[0].Title != "Historiepodden 2050" {
				t.Errorf("prefix: %+v", res.Items)
			}
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=region&type=podcast"}), http.StatusOK, &res)
			if len(res.Items) != 0 {
				t.Errorf("type filter: %+v", res.Items)
			}
			// No dead ends: the filter to drop, a respelling.
			var ways struct {
				Items      []json.RawMessage `json:"items"`
				Suggestion string            `json:"suggestion"`
				Drop       []string          `json:"drop"`
			}
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=region&type=podcast"}), http.StatusOK, &ways)
			if len(ways.Items) != 0 || !slices.Equal(ways.Drop, []string{"type"}) || ways.Suggestion != "" {
				t.Errorf("region as a podcast: %+v", ways)
			}
			ways.Drop = nil
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=copenbrog"}), http.StatusOK, &ways)
			if len(ways.Items) != 0 || ways.Suggestion != "copenborg" || len(ways.Drop) != 0 {
				t.Errorf("copenbrog: %+v", ways)
			}
			var e apiError
			decode(t, f.ta.do(req{method: "GET", path: "/api/v1/search?q=x&kind=nope&limit=0&offset=-1"}), http.StatusUnprocessableEntity, &e)
			for _, field := range []string{"kind", "limit", "offset"} {
				if e.Error.Fields[field] == "" {
					t.Errorf("no error for %s: %v", field, e.Error.Fields)
				}
			}
			for i := range 5 {
				f.ta.mustWork(a, f.orgA.ID, fmt.Sprintf("Framtidsbild %d", i), library.Public)
			}
			seen := map[int64]bool{}
			path := "/api/v1/search?q=framtiden&kind=work&limit=2"
			for range 5 {
				decode(t, f.ta.do(req{method: "GET", path: path}), http.StatusOK, &res)
				for _, it := range res.Items {
					if seen[it.ID] {
						t.Errorf("hit %d twice", it.ID)
					}
					seen[it.ID] = true
				}
				if res.Next == nil {
					break
				}
				path = "/api/v1/search?q=framtiden&kind=work&limit=2&offset=" + *res.Next
			}
			if len(seen) != 5 {
				t.Errorf("paged through %d hits, want 5", len(seen))
			}
		})
	}
}

func TestWorksAPI_ListPagesByCursor(t *testing.T) {
	f := newAPIFixture(t, sqliteDSN(t))
	a := f.ta.actorOf(f.editorA)
	for i := range 5 {
		f.ta.mustWork(a, f.orgA.ID, fmt.Sprintf("Verk %d", i), library.Public)
	}
	var list struct {
		Items []apiWork `json:"items"`
		Next  *string   `json:"next"`
	}
	seen := 0
	path := "/api/v1/works?limit=2&sort=title"
	for range 5 {
		decode(t, f.ta.do(req{method: "GET", path: path}), http.StatusOK, &list)
		seen += len(list.Items)
		if list.Next == nil {
			break
		}
		path = "/api/v1/works?limit=2&sort=title&cursor=" + *list.Next
	}
	if seen != 5 {
		t.Errorf("paged through %d works, want 5", seen)
	}
	var e apiError
	decode(t, f.ta.do(req{method: "GET", path: "/api/v1/works?cursor=bogus"}), http.StatusUnprocessableEntity, &e)
	if e.Error.Fields["cursor"] == "" {
		t.Errorf("bad cursor: %+v", e)
	}
}
