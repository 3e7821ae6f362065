package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
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
