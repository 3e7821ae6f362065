package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// mustDirectory makes 33 public regions (Region 00 … Region 32), Region
// Örebro and Region Åland (Swedish order puts them last), a national
// agency and a hidden local organisation.
func mustDirectory(t *testing.T, ta *testApp) {
	t.Helper()
	var orgs []account.Organisation
	for i := range 33 {
		orgs = append(orgs, account.Organisation{Slug: fmt.Sprintf("region-%02d", i), Name: fmt.Sprintf("Region %02d", i),
			Kind: account.KindRegion, Level: account.LevelRegional, LanCode: fmt.Sprintf("%02d", i), Public: true,
			Contacts: []account.Contact{{Name: fmt.Sprintf("Kontakt %02d", i)}}})
	}
	orgs = append(orgs,
		account.Organisation{Slug: "region-orebro", Name: "Region Örebro län", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "18", Public: true},
		account.Organisation{Slug: "region-aland", Name: "Region Åland", Kind: account.KindOther, Level: account.LevelRegional, Public: true},
		account.Organisation{Slug: "vinnova", Name: "Vinnova", Kind: account.KindAgency, Level: account.LevelNational, Public: true},
		account.Organisation{Slug: "dold", Name: "Dold kommun", Kind: account.KindMunicipality, Level: account.LevelLocal},
	)
	if err := ta.Accounts.PutOrganisations(context.Background(), orgs); err != nil {
		t.Fatal(err)
	}
}

var orgLink = regexp.MustCompile(`<a href="/organisationer/([a-z0-9-]+)">`)

// orgSlugs returns the organisations a directory page links, in order.
func orgSlugs(body string) []string {
	var out []string
	for _, m := range orgLink.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

func TestDirectory_PagesSearchAndFilters(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			mustDirectory(t, ta)
			for _, path := range []string{"/organisationer", "/natverket"} {
				t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
					get := func(p string) string {
						t.Helper()
						resp := ta.do(req{method: "GET", path: p})
						if resp.StatusCode != http.StatusOK {
							t.Fatalf("%s: %d", p, resp.StatusCode)
						}
						return readBody(t, resp)
					}
					body := get(path)
					first := orgSlugs(body)
					if len(first) != 30 || first[0] != "vinnova" || first[1] != "region-00" {
						t.Fatalf("first page %v", first)
					}
					m := nextLink.FindStringSubmatch(body)
					if m == nil {
						t.Fatal("no link to the next page")
					}
					second := orgSlugs(get(html.UnescapeString(m[1])))
					want := []string{"region-29", "region-30", "region-31", "region-32", "region-aland", "region-orebro"}
					if strings.Join(second, " ") != strings.Join(want, " ") {
						t.Errorf("second page %v, want %v (Å, Ö after Z, the hidden one not shown)", second, want)
					}
					if strings.Contains(body, "Dold kommun") {
						t.Error("a hidden organisation is listed to the public")
					}
					for _, tt := range []struct{ name, query, want string }{
						{"QueryFolded", "?q=orebro", "region-orebro"},
						{"QueryDiacritics", "?q=%C3%96re", "region-orebro"},
						{"Kind", "?typ=agency", "vinnova"},
						{"Level", "?niva=national", "vinnova"},
						{"Lan", "?lan=07", "region-07"},
						{"QueryAndKind", "?q=region+3&typ=region", "region-30 region-31 region-32"},
					} {
						t.Run(tt.name, func(t *testing.T) {
							if got := strings.Join(orgSlugs(get(path+tt.query)), " "); got != tt.want {
								t.Errorf("%s: %q, want %q", tt.query, got, tt.want)
							}
						})
					}
					t.Run("NothingFound", func(t *testing.T) {
						if b := get(path + "?q=zzz"); len(orgSlugs(b)) != 0 || !strings.Contains(b, "Inga organisationer matchar") {
							t.Error("no notice that nothing matched")
						}
					})
					t.Run("BadValuesDropped", func(t *testing.T) {
						if got := orgSlugs(get(path + "?typ=x&niva=y&lan=abc&fran=-4")); len(got) != 30 {
							t.Errorf("%d organisations, want the first page", len(got))
						}
					})
				})
			}
		})
	}
}

func TestOrganizationsAPI_Search(t *testing.T) {
	type page struct {
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
		Next *string `json:"next"`
	}
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			mustDirectory(t, ta)
			// Walk "region" by pages of 10: every public region once, in
			// Swedish order, Åland and Örebro last, the hidden one never.
			var got []string
			path := "/api/v1/organizations?q=region&limit=10"
			for pages := 0; path != ""; pages++ {
				if pages > 10 {
					t.Fatal("the cursor does not end")
				}
				var p page
				decode(t, ta.do(req{method: "GET", path: path}), http.StatusOK, &p)
				for _, it := range p.Items {
					got = append(got, it.Slug)
				}
				path = ""
				if p.Next != nil {
					path = "/api/v1/organizations?q=region&limit=10&cursor=" + url.QueryEscape(*p.Next)
				}
			}
			if len(got) != 35 || got[0] != "region-00" || got[33] != "region-aland" || got[34] != "region-orebro" {
				t.Errorf("walked %d: %v", len(got), got)
			}
			var p page
			decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?q=%C3%B6rebro"}), http.StatusOK, &p)
			if len(p.Items) != 1 || p.Items[0].Slug != "region-orebro" || p.Next != nil {
				t.Errorf("örebro: %+v", p)
			}
			decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?q=dold"}), http.StatusOK, &p)
			if len(p.Items) != 0 {
				t.Errorf("a hidden organisation found by the public: %+v", p)
			}
			decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?lan_code=07"}), http.StatusOK, &p)
			if len(p.Items) != 1 || p.Items[0].Slug != "region-07" {
				t.Errorf("lan_code 07: %+v", p)
			}
			for _, bad := range []string{"?q=region&cursor=zz", "?q=" + strings.Repeat("a", 201), "?lan_code=7", "?q=a&limit=500"} {
				if resp := ta.do(req{method: "GET", path: "/api/v1/organizations" + bad}); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d, want 422", bad, resp.StatusCode)
				}
			}
		})
	}
}

func TestLibrary_OrganisationFilter(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			mustDirectory(t, ta)
			admin := ta.mustUser("admin@example.se", "Admin", true)
			a := ta.actorOf(admin)
			orebro, err := ta.Stores.Accounts.OrganisationBySlug(context.Background(), "region-orebro")
			if err != nil {
				t.Fatal(err)
			}
			other, err := ta.Stores.Accounts.OrganisationBySlug(context.Background(), "region-07")
			if err != nil {
				t.Fatal(err)
			}
			ta.mustWork(a, orebro.ID, "Örebro 2050", library.Public)
			ta.mustWork(a, other.ID, "Kronoberg 2050", library.Public)
			for _, tt := range []struct{ name, typed, want, notWant string }{
				{"Slug", "region-orebro", "/bibliotek/orebro-2050", "/bibliotek/kronoberg-2050"},
				{"NameTyped", "region örebro län", "/bibliotek/orebro-2050", "/bibliotek/kronoberg-2050"},
				{"FoldedUniquePrefix", "orebro", "/bibliotek/orebro-2050", "/bibliotek/kronoberg-2050"},
				{"Unknown", "finns inte", "Ingen organisation heter så", ""},
			} {
				t.Run(tt.name, func(t *testing.T) {
					for _, path := range []string{"/bibliotek", "/sok"} {
						p := path + "?organisation=" + url.QueryEscape(tt.typed)
						if path == "/sok" {
							p += "&q=2050"
						}
						body := readBody(t, ta.do(req{method: "GET", path: p}))
						if !strings.Contains(body, tt.want) || (tt.notWant != "" && strings.Contains(body, tt.notWant)) {
							t.Errorf("%s: want %q and not %q", p, tt.want, tt.notWant)
						}
						if strings.Contains(body, "<option value=\"region-00\"") {
							t.Errorf("%s lists every organisation as an option", path)
						}
					}
				})
			}
			t.Run("FieldShowsName", func(t *testing.T) {
				body := readBody(t, ta.do(req{method: "GET", path: "/bibliotek?organisation=region-orebro"}))
				if !strings.Contains(body, `value="Region Örebro län"`) || !strings.Contains(body, `data-slug="region-orebro"`) ||
					!strings.Contains(body, "organisation=region-orebro") {
					t.Error("the field does not show the chosen organisation's name, or the links lose it")
				}
			})
		})
	}
}
