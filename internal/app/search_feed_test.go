package app_test

import (
	"encoding/xml"
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

// atomFeed is the part of an Atom document the tests read.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Author    string `xml:"author>name"`
		Link      struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func (f *atomFeed) titles() []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.Title)
	}
	return out
}

func getFeed(t *testing.T, ta *testApp, path, session string) *atomFeed {
	t.Helper()
	resp := ta.do(req{method: "GET", path: path, session: session})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	return &f
}

// TestVisibility_WorksEverywhere: a network, organisation-only or draft
// work never reaches those who may not see it, on any surface: the API's
// list, get, search and export, the search page and the feeds. Feeds are
// public only, whoever fetches them.
func TestVisibility_WorksEverywhere(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			a := f.ta.actorOf(f.editorA)
			works := map[string]*library.Work{}
			for name, vis := range map[string]library.Visibility{"Alfa": library.Public, "Beta": library.Network,
				"Gamma": library.Organisation, "Delta": library.Draft} {
				works[name] = f.ta.mustWork(a, f.orgA.ID, "Scenario "+name, vis)
			}
			viewers := []struct {
				name, session string
				sees          []string
			}{
				{"Public", "", []string{"Alfa"}},
				{"EditorOfB", f.sEditorB, []string{"Alfa", "Beta"}},
				{"MemberOfA", f.sMembA, []string{"Alfa", "Beta", "Gamma"}},
				{"EditorOfA", f.sEditorA, []string{"Alfa", "Beta", "Gamma", "Delta"}},
			}
			surfaces := []string{"/api/v1/works", "/api/v1/works?q=scenario", "/api/v1/search?q=scenario",
				"/api/v1/search?q=framtiden&kind=work", "/sok?q=scenario", "/sok?q=scenarier&slag=work&organisation=org-a",
				"/api/v1/works/export?format=csv", "/api/v1/works/export?format=json", "/api/v1/works/export?format=json&q=scenario"}
			for _, v := range viewers {
				t.Run(v.name, func(t *testing.T) {
					for _, path := range surfaces {
						body := readBody(t, f.ta.do(req{method: "GET", path: path, session: v.session}))
						for name := range works {
							want := strings.Contains(strings.Join(v.sees, " "), name)
							if got := strings.Contains(body, "Scenario "+name) || strings.Contains(body, "</mark> "+name); got != want {
								t.Errorf("%s: %s shown %v, want %v", path, name, got, want)
							}
						}
					}
					for name, w := range works {
						resp := f.ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/works/%d", w.ID), session: v.session})
						want := http.StatusNotFound
						if strings.Contains(strings.Join(v.sees, " "), name) {
							want = http.StatusOK
						}
						if resp.StatusCode != want {
							t.Errorf("get %s: %d, want %d", name, resp.StatusCode, want)
						}
					}
					for _, path := range []string{"/flode.atom", "/organisationer/org-a/flode.atom", "/bibliotek/typ/scenario/flode.atom"} {
						if got := getFeed(t, f.ta, path, v.session).titles(); strings.Join(got, "|") != "Scenario Alfa" {
							t.Errorf("%s: entries %q, want only the public work", path, got)
						}
					}
				})
			}
		})
	}
}

func TestFeeds_Atom(t *testing.T) {
	f := newAPIFixture(t, sqliteDSN(t))
	a := f.ta.actorOf(f.editorA)
	w := f.ta.mustWork(a, f.orgA.ID, "Livet i stan 2050", library.Public, func(w *library.Work) {
		w.BodyMD = "Designfiktion.\n\n<script>alert(1)</script>\n\n[klicka](javascript:alert(1)) <b onclick=\"x()\">fet</b>"
		w.Type = library.TypeDesignFiction
	})
	f.ta.mustWork(f.ta.actorOf(f.editorB), f.orgB.ID, "Region Vänern", library.Public)

	site := getFeed(t, f.ta, "/flode.atom", "")
	base := f.ta.Config.BaseURL
	if site.ID != base+"/flode.atom" || site.Updated == "" || site.Author != "framsyn" || site.Lang != "sv" || len(site.Entries) != 2 {
		t.Fatalf("site feed %+v", site)
	}
	rels := map[string]string{}
	for _, l := range site.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != base+"/flode.atom" || rels["alternate"] != base+"/" {
		t.Errorf("feed links %v", rels)
	}
	var e = site.Entries[0]
	for _, x := range site.Entries {
		if x.Title == w.Title {
			e = x
		}
	}
	if !strings.HasPrefix(e.ID, "tag:") || !strings.HasSuffix(e.ID, fmt.Sprintf(":work/%d", w.ID)) || e.Updated == "" ||
		e.Author != "Org org-a" || e.Link.Rel != "alternate" || e.Link.Href != base+"/bibliotek/"+w.Slug || e.Content.Type != "html" {
		t.Errorf("entry %+v", e)
	}
	if !strings.Contains(e.Content.Body, "Designfiktion.") || !strings.Contains(e.Content.Body, "Sammanfattning av") {
		t.Errorf("content %q", e.Content.Body)
	}
	for _, bad := range []string{"<script", "javascript:", "onclick"} {
		if strings.Contains(e.Content.Body, bad) {
			t.Errorf("content carries %q: %s", bad, e.Content.Body)
		}
	}

	org := getFeed(t, f.ta, "/organisationer/org-b/flode.atom", "")
	if org.Author != "Org org-b" || strings.Join(org.titles(), "|") != "Region Vänern" {
		t.Errorf("organisation feed %+v", org.titles())
	}
	if got := getFeed(t, f.ta, "/bibliotek/typ/design_fiction/flode.atom", "").titles(); strings.Join(got, "|") != "Livet i stan 2050" {
		t.Errorf("type feed %q", got)
	}
	if empty := getFeed(t, f.ta, "/bibliotek/typ/podcast/flode.atom", ""); len(empty.Entries) != 0 || empty.Updated == "" {
		t.Errorf("empty feed %+v", empty)
	}
	for _, path := range []string{"/organisationer/finns-inte/flode.atom", "/bibliotek/typ/roman/flode.atom"} {
		if resp := f.ta.do(req{method: "GET", path: path}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	// Pages announce their feeds.
	home := readBody(t, f.ta.do(req{method: "GET", path: "/"}))
	orgPage := readBody(t, f.ta.do(req{method: "GET", path: "/organisationer/org-a"}))
	if !strings.Contains(home, `<link rel="alternate" type="application/atom+xml" href="/flode.atom"`) ||
		!strings.Contains(orgPage, `href="/organisationer/org-a/flode.atom"`) {
		t.Errorf("pages do not announce their feeds")
	}
}

// TestFeeds_WhatIsNew: feeds carry what is new to their readers, by the
// last change, whatever date the work itself has; <updated> follows
// edits, <published> is when the work became public, the entry id stays,
// and a reader asking again with the ETag hears "not modified" until the
// feed changes, also when an entry leaves it.
func TestFeeds_WhatIsNew(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			tick := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
			f.ta.Library.SetClock(func() time.Time { tick = tick.Add(time.Minute); return tick })
			a := f.ta.actorOf(f.editorA)
			dated := func(day string) func(*library.Work) {
				return func(w *library.Work) { w.Date, _ = time.Parse(time.DateOnly, day) }
			}
			update := func(w *library.Work, edit func(*library.Work)) *library.Work {
				t.Helper()
				c := *w
				edit(&c)
				got, err := f.ta.Library.Update(t.Context(), a, &c)
				if err != nil {
					t.Fatalf("update %q: %v", w.Title, err)
				}
				return got
			}
			stamp := func(at time.Time) string { return at.UTC().Format(time.RFC3339) }
			type entry = struct{ id, published, updated string }
			// read returns the site feed's titles and entries, and its ETag.
			read := func() ([]string, map[string]entry, string) {
				t.Helper()
				resp := f.ta.do(req{method: "GET", path: "/flode.atom"})
				body := readBody(t, resp)
				var feed atomFeed
				if err := xml.Unmarshal([]byte(body), &feed); err != nil {
					t.Fatal(err)
				}
				by := map[string]entry{}
				for _, e := range feed.Entries {
					by[e.Title] = entry{e.ID, e.Published, e.Updated}
				}
				return feed.titles(), by, resp.Header.Get("ETag")
			}
			// revalidate asks again as a reader holding etag would.
			revalidate := func(etag string) int {
				t.Helper()
				resp := f.ta.do(req{method: "GET", path: "/flode.atom", header: map[string]string{"If-None-Match": etag}})
				readBody(t, resp)
				return resp.StatusCode
			}

			fresh := f.ta.mustWork(a, f.orgA.ID, "Färskt datum", library.Public, dated("2026-06-01"))
			old := f.ta.mustWork(a, f.orgA.ID, "Gammalt datum", library.Public, dated("2009-05-01"))
			titles, by, etag := read()
			if strings.Join(titles, "|") != "Gammalt datum|Färskt datum" {
				t.Errorf("old-dated work added now: entries %q, want it first", titles)
			}
			if e := by["Gammalt datum"]; e.published != stamp(old.CreatedAt) || e.updated != stamp(old.CreatedAt) {
				t.Errorf("old-dated work: %+v, want published and updated %s", e, stamp(old.CreatedAt))
			}
			if body := readBody(t, f.ta.do(req{method: "GET", path: "/flode.atom"})); !strings.Contains(body, "Datum: 1 maj 2009") {
				t.Errorf("the work's own date is not in the content")
			}
			if etag == "" || revalidate(etag) != http.StatusNotModified {
				t.Fatalf("unchanged feed with its ETag %q: not 304", etag)
			}

			idBefore := by["Färskt datum"].id
			fresh = update(fresh, func(w *library.Work) { w.Title, w.Summary = "Färskt datum, omarbetat", "Ny sammanfattning." })
			titles, by, etag2 := read()
			e := by["Färskt datum, omarbetat"]
			if strings.Join(titles, "|") != "Färskt datum, omarbetat|Gammalt datum" || e.updated != stamp(fresh.UpdatedAt) ||
				e.published != stamp(fresh.CreatedAt) || e.id != idBefore {
				t.Errorf("edited work: entries %q, %+v; want first, updated %s, published %s, id %s", titles, e,
					stamp(fresh.UpdatedAt), stamp(fresh.CreatedAt), idBefore)
			}
			if etag2 == etag || revalidate(etag) != http.StatusOK || revalidate(etag2) != http.StatusNotModified {
				t.Errorf("ETag does not follow the edit: %q then %q", etag, etag2)
			}

			draft := f.ta.mustWork(a, f.orgA.ID, "Utkastet", library.Draft, dated("2012-01-01"))
			if titles, _, _ := read(); slices.Contains(titles, "Utkastet") {
				t.Errorf("draft in the feed")
			}
			draft = update(draft, func(w *library.Work) { w.Visibility = library.Public })
			titles, by, etag3 := read()
			if e := by["Utkastet"]; titles[0] != "Utkastet" || e.published != stamp(draft.UpdatedAt) || e.published == stamp(draft.CreatedAt) {
				t.Errorf("draft made public: entries %q, %+v; want first, published %s", titles, e, stamp(draft.UpdatedAt))
			}

			update(old, func(w *library.Work) { w.Visibility = library.Organisation })
			titles, _, etag4 := read()
			if strings.Join(titles, "|") != "Utkastet|Färskt datum, omarbetat" {
				t.Errorf("after a work was made organisation-only: %q", titles)
			}
			// The newest entry is the same, yet the feed changed.
			if etag4 == etag3 || revalidate(etag3) != http.StatusOK {
				t.Errorf("a work leaving the feed keeps its ETag %q", etag3)
			}
		})
	}
}

func TestSearchPage(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			a := f.ta.actorOf(f.editorA)
			f.ta.mustWork(a, f.orgA.ID, "Scenariot om Senior City", library.Public)
			for i := range 24 {
				f.ta.mustWork(a, f.orgA.ID, fmt.Sprintf("Framtidsbild %02d", i), library.Public, func(w *library.Work) {
					w.Type = library.TypeReport
				})
			}
			page := func(path string) string {
				resp := f.ta.do(req{method: "GET", path: path})
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d", path, resp.StatusCode)
				}
				return readBody(t, resp)
			}
			// Every page has the search field in its header.
			if home := page("/"); !strings.Contains(home, `action="/sok" role="search"`) || !strings.Contains(home, `name="q"`) {
				t.Errorf("no search field in the header")
			}
			body := page("/sok?q=scenarier")
			if !strings.Contains(body, "<mark>Scenariot</mark> om Senior City") || !strings.Contains(body, "1 träff.") ||
				!strings.Contains(body, `role="status"`) || !strings.Contains(body, `href="/bibliotek/scenariot-om-senior-city"`) {
				t.Errorf("hit not shown highlighted:\n%s", body)
			}
			if !strings.Contains(body, `<option value="work">Framsynsarbete</option>`) || !strings.Contains(body, "search.js") {
				t.Errorf("kind filter or script missing")
			}
			// 25 works mention "framtiden": 20 on the first page, 5 on the
			// next (of works: the method guides mention it too).
			first := page("/sok?q=framtiden&slag=work")
			if n := strings.Count(first, `class="muted hit-kind"`); n != 20 || !strings.Contains(first, `fran=20`) || !strings.Contains(first, `rel="next"`) {
				t.Errorf("first page: %d hits", n)
			}
			second := page("/sok?q=framtiden&slag=work&fran=20")
			if n := strings.Count(second, `class="muted hit-kind"`); n != 5 || strings.Contains(second, `rel="next"`) || !strings.Contains(second, `rel="prev"`) {
				t.Errorf("second page: %d hits", n)
			}
			// Filters combine with the query.
			if n := strings.Count(page("/sok?q=framtiden&typ=scenario"), `class="muted hit-kind"`); n != 1 {
				t.Errorf("type filter: %d hits", n)
			}
			if body := page("/sok?q=framtiden&organisation=org-b"); !strings.Contains(body, "Inga träffar.") {
				t.Errorf("organisation filter shows hits")
			}
			// No dead ends: a respelling, the filter to drop, on /sok and
			// the library's search.
			for _, c := range []struct{ path, want string }{
				{"/sok?q=framtidsbid", `Menade du <a href="/sok?q=framtidsbild">framtidsbild</a>?`},
				{"/sok?q=framtiden&organisation=org-b", `<a href="/sok?q=framtiden">utan organisation</a>`},
				{"/bibliotek?q=framtidsbid", `Menade du <a href="/bibliotek?q=framtidsbild">framtidsbild</a>?`},
				{"/bibliotek?q=framtiden&typ=podcast", `<a href="/bibliotek?q=framtiden">utan typ av arbete</a>`},
			} {
				if body := page(c.path); !strings.Contains(body, c.want) {
					t.Errorf("%s: no %s", c.path, c.want)
				}
			}
			if body := page("/sok?q=framtiden"); strings.Contains(body, "Menade du") || strings.Contains(body, `id="search-drops"`) {
				t.Errorf("ways on offered beside hits")
			}
			if body := page("/sok?q=och"); !strings.Contains(body, "Vanliga småord") {
				t.Errorf("a stop word alone is not explained")
			}
			// Bad parameters are dropped, never an error page.
			page("/sok?q=framtiden&slag=nope&typ=roman&organisation=finns-inte&fran=-4")
			page("/sok")
		})
	}
}

// TestSearchPage_Organisations: organisation hits on /sok link to the
// profiles the viewer may see; a hidden organisation is found by its
// members only.
func TestSearchPage_Organisations(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newAPIFixture(t, dsn)
			orgs := []account.Organisation{
				{Slug: "skargarden", Name: "Region Skärgården", Kind: account.KindOther, Level: account.LevelRegional, Public: true},
				{Slug: "fjallen", Name: "Region Fjällen", Kind: account.KindOther, Level: account.LevelRegional},
			}
			if err := f.ta.Accounts.PutOrganisations(t.Context(), orgs); err != nil {
				t.Fatal(err)
			}
			hidden, err := f.ta.Stores.Accounts.OrganisationBySlug(t.Context(), "fjallen")
			if err != nil {
				t.Fatal(err)
			}
			f.ta.mustMember(f.memberA, hidden, account.RoleMember)
			hit := func(slug, name string) string {
				return `<h2><a href="/organisationer/` + slug + `"><mark>Region</mark> ` + name + `</a></h2>`
			}
			for _, tc := range []struct {
				name, session string
				sees          []string
			}{
				{"Public", "", []string{"skargarden"}},
				{"OtherEditor", f.sEditorB, []string{"skargarden"}},
				{"Member", f.sMembA, []string{"fjallen", "skargarden"}},
			} {
				for _, path := range []string{"/sok?q=regionen", "/sok?q=regionen&slag=organisation"} {
					body := expect(t, f.ta.do(req{method: "GET", path: path, session: tc.session}), http.StatusOK)
					var got []string
					for _, o := range orgs {
						if strings.Contains(body, hit(o.Slug, strings.TrimPrefix(o.Name, "Region "))) {
							got = append(got, o.Slug)
						}
					}
					slices.Sort(got)
					if !slices.Equal(got, tc.sees) {
						t.Errorf("%s %s: organisations %v, want %v", tc.name, path, got, tc.sees)
					}
					if n := strings.Count(body, `<p class="muted hit-kind">Organisation`); n != len(tc.sees) {
						t.Errorf("%s %s: %d organisation hits, want %d", tc.name, path, n, len(tc.sees))
					}
				}
			}
		})
	}
}

// The search's and the feeds' cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	cases := []matrixCase{
		{pattern: "GET /sok", method: "GET", path: "/sok?q=scenario", want: all(ok)},
		{pattern: "GET /admin/sok", method: "GET", path: "/admin/sok", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "POST /admin/sok", method: "POST", path: "/admin/sok", form: form("phrases", "Region Norr\nRN"), want: [6]int{see, forb, forb, forb, forb, see}},
		{pattern: "POST /admin/sok", method: "POST", path: "/admin/sok", form: form("phrases", "ensam"), want: [6]int{see, forb, forb, forb, forb, bad}},
		{pattern: "POST /admin/sok/{id}/ta-bort", method: "POST", path: "/admin/sok/999999/ta-bort", want: [6]int{see, forb, forb, forb, forb, nf}},
		{pattern: "GET /flode.atom", method: "GET", path: "/flode.atom", want: all(ok)},
		{pattern: "GET /organisationer/{slug}/flode.atom", method: "GET", path: "/organisationer/org-a/flode.atom", want: all(ok)},
		// Feeds are public only: a hidden organisation has none, whoever asks.
		{pattern: "GET /organisationer/{slug}/flode.atom", method: "GET", path: "/organisationer/org-b/flode.atom", want: all(nf)},
		{pattern: "GET /api/v1/search", method: "GET", path: "/api/v1/search?q=scenario", want: all(ok)},
	}
	for _, typ := range library.Types {
		p := "GET /bibliotek/typ/" + string(typ) + "/flode.atom"
		cases = append(cases, matrixCase{pattern: p, method: "GET", path: strings.TrimPrefix(p, "GET "), want: all(ok)})
	}
	return cases
})
