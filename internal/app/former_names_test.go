package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// TestOrganisations_FormerNames is issue 21 item 12: an organisation
// under its current name keeps its former names, shows them, and is found
// by them, on every engine; its editors change them in the form.
func TestOrganisations_FormerNames(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := context.Background()
		o := account.Organisation{Slug: "region-vasternorrland", Name: "Region Västernorrland", FormerNames: []string{" Landstinget Västernorrland ", "", "Region Västernorrland"},
			Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "22", Public: true}
		if err := ta.Accounts.PutOrganisations(ctx, []account.Organisation{o}); err != nil {
			t.Fatal(err)
		}
		got, err := ta.Stores.Accounts.OrganisationBySlug(ctx, "region-vasternorrland")
		if err != nil || len(got.FormerNames) != 1 || got.FormerNames[0] != "Landstinget Västernorrland" {
			t.Fatalf("former names stored as %q, %v", got.FormerNames, err)
		}
		page := readBody(t, ta.do(req{method: "GET", path: "/organisationer/region-vasternorrland"}))
		if !strings.Contains(page, "Tidigare: Landstinget Västernorrland") {
			t.Error("the page does not show the former name")
		}
		res, err := ta.Stores.Index.Search(ctx, search.Query{Text: "landstinget västernorrland", Kinds: []string{account.OrganisationKind}})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].Title != "Region Västernorrland" {
			t.Fatalf("search by the former name: %+v, %v", res, err)
		}

		admin := ta.mintSession(ta.mustUser("admin@x.se", "Admin", true))
		form := readBody(t, ta.do(req{method: "GET", path: "/organisationer/region-vasternorrland/redigera", session: admin}))
		if !strings.Contains(form, ">Landstinget Västernorrland</textarea>") {
			t.Error("the form does not hold the former name")
		}
		v := url.Values{"name": {"Region Västernorrland"}, "slug": {"region-vasternorrland"}, "kind": {"region"}, "level": {"regional"},
			"lan_code": {"22"}, "public": {"on"}, "former_names": {"Landstinget Västernorrland\r\nVästernorrlands läns landsting"}}
		if resp := ta.do(req{method: "POST", path: "/organisationer/region-vasternorrland", session: admin, form: v}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the form: %d %s", resp.StatusCode, readBody(t, resp))
		}
		res, err = ta.Stores.Index.Search(ctx, search.Query{Text: "västernorrlands läns landsting", Kinds: []string{account.OrganisationKind}})
		if err != nil || len(res.Hits) != 1 {
			t.Errorf("search by the added former name: %+v, %v", res, err)
		}
	})
}
