package app_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

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
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  string `xml:"author>name"`
		Link    struct {
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
			// 25 works mention "framtiden": 20 on the first page, 5 on the next.
			first := page("/sok?q=framtiden")
			if n := strings.Count(first, `class="muted hit-kind"`); n != 20 || !strings.Contains(first, `fran=20`) || !strings.Contains(first, `rel="next"`) {
				t.Errorf("first page: %d hits", n)
			}
			second := page("/sok?q=framtiden&fran=20")
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
			if body := page("/sok?q=och"); !strings.Contains(body, "Vanliga småord") {
				t.Errorf("a stop word alone is not explained")
			}
			// Bad parameters are dropped, never an error page.
			page("/sok?q=framtiden&slag=nope&typ=roman&organisation=finns-inte&fran=-4")
			page("/sok")
		})
	}
}
