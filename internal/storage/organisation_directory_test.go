package storage_test

import (
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func slugsOf(orgs []account.Organisation) []string {
	out := []string{}
	for _, o := range orgs {
		out = append(out, o.Slug)
	}
	return out
}

func TestOrganisations_Directory(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		store := db.Organisations()
		orgs := []account.Organisation{
			{Slug: "region-orebro", Name: "Region Örebro län", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "18", Public: true},
			{Slug: "region-varmland", Name: "Region Värmland", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "17", Public: true},
			{Slug: "region-vasterbotten", Name: "Region Västerbotten", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "24", Public: true},
			{Slug: "region-zeta", Name: "Region Zeta", Kind: account.KindRegion, Level: account.LevelRegional, Public: true},
			{Slug: "region-aland", Name: "Region Åland", Kind: account.KindRegion, Level: account.LevelRegional, Public: true},
			{Slug: "vinnova", Name: "Vinnova", Kind: account.KindAgency, Level: account.LevelNational, Public: true},
			{Slug: "skl", Name: "Sveriges Kommuner och Landsting", ShortName: "SKL", Kind: account.KindAssociation, Level: account.LevelNational, Public: true},
			{Slug: "hidden-100%", Name: "Dold_100%", Kind: account.KindOther, Level: account.LevelLocal},
		}
		if err := store.PutOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    account.OrgFilter
			want []string
		}{
			{"SwedishOrder", account.OrgFilter{Order: account.OrderName, Level: account.LevelRegional},
				[]string{"region-varmland", "region-vasterbotten", "region-zeta", "region-aland", "region-orebro"}},
			{"DirectoryLevelsFirst", account.OrgFilter{Order: account.OrderDirectory, Query: "v"},
				[]string{"vinnova", "region-varmland", "region-vasterbotten"}},
			{"PrefixFolded", account.OrgFilter{Order: account.OrderName, Query: "vast"}, []string{"region-vasterbotten"}},
			{"PrefixWithDiacritics", account.OrgFilter{Order: account.OrderName, Query: "Väst"}, []string{"region-vasterbotten"}},
			{"TwoWords", account.OrgFilter{Order: account.OrderName, Query: "region v"}, []string{"region-varmland", "region-vasterbotten"}},
			{"ShortName", account.OrgFilter{Order: account.OrderName, Query: "skl"}, []string{"skl"}},
			{"WordStartOnly", account.OrgFilter{Order: account.OrderName, Query: "ebro"}, []string{}},
			{"Lan", account.OrgFilter{LanCode: "17"}, []string{"region-varmland"}},
			{"Kind", account.OrgFilter{Kind: account.KindAgency}, []string{"vinnova"}},
			{"HiddenNotShown", account.OrgFilter{Query: "dold"}, []string{}},
			{"PercentDropped", account.OrgFilter{All: true, Query: "100%"}, []string{"hidden-100%"}},
			{"PunctuationOnly", account.OrgFilter{All: true, Query: "%%"}, []string{}},
			{"Page", account.OrgFilter{Order: account.OrderDirectory, Limit: 2, Offset: 1},
				[]string{"vinnova", "region-varmland"}},
			{"Keyset", account.OrgFilter{Order: account.OrderName, Level: account.LevelRegional, AfterKey: account.NameSortKey("Region Zeta"), AfterID: 1 << 40},
				[]string{"region-aland", "region-orebro"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := store.ListOrganisations(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if g := slugsOf(got); !equalStrings(g, tt.want) {
					t.Errorf("got %v, want %v", g, tt.want)
				}
			})
		}
		t.Run("CountFiltered", func(t *testing.T) {
			n, err := store.CountOrganisations(ctx, account.OrgFilter{Query: "region", Limit: 1, Offset: 3})
			if err != nil {
				t.Fatal(err)
			}
			if n[account.KindRegion] != 5 {
				t.Errorf("regions = %d, want 5", n[account.KindRegion])
			}
		})
		t.Run("RenameMovesKey", func(t *testing.T) {
			o := orgs[3] // Region Zeta
			o.Name = "Region Ängelholm"
			if err := store.UpdateOrganisation(ctx, &o); err != nil {
				t.Fatal(err)
			}
			got, err := store.ListOrganisations(ctx, account.OrgFilter{Order: account.OrderName, Query: "region a"})
			if err != nil {
				t.Fatal(err)
			}
			if g, want := slugsOf(got), []string{"region-aland", "region-zeta"}; !equalStrings(g, want) {
				t.Errorf("got %v, want %v", g, want)
			}
		})
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestOrganisations_KeysFilledAfterMigrating: organisations saved before
// 00012 get their sort, search and directory keys when it runs.
func TestOrganisations_KeysFilledAfterMigrating(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		store := db.Organisations()
		if err := store.PutOrganisations(ctx, []account.Organisation{
			{Slug: "region-orebro", Name: "Region Örebro län", Kind: account.KindOther, Level: account.LevelRegional, Public: true},
			{Slug: "vinnova", Name: "Vinnova", Kind: account.KindAgency, Level: account.LevelNational, Public: true},
			{Slug: "region-alfa", Name: "Region Alfa", Kind: account.KindOther, Level: account.LevelRegional, Public: true},
		}); err != nil {
			t.Fatal(err)
		}
		// Back to before 00012 (its columns go) and up again: the rows
		// come back with empty keys, which Migrate fills.
		if err := db.MigrateDownTo(ctx, 11); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := store.ListOrganisations(ctx, account.OrgFilter{Order: account.OrderDirectory, Query: "r"})
		if err != nil {
			t.Fatal(err)
		}
		if g, want := slugsOf(got), []string{"region-alfa", "region-orebro"}; !equalStrings(g, want) {
			t.Errorf("after migrating: %v, want %v", g, want)
		}
		got, err = store.ListOrganisations(ctx, account.OrgFilter{Order: account.OrderDirectory})
		if err != nil {
			t.Fatal(err)
		}
		if g, want := slugsOf(got), []string{"vinnova", "region-alfa", "region-orebro"}; !equalStrings(g, want) {
			t.Errorf("directory order after migrating: %v, want %v", g, want)
		}
	})
}

// TestOrganisations_LongNames: the longest names saved fit the covering
// indexes on both engines (PostgreSQL refuses index entries over 2,704
// bytes).
func TestOrganisations_LongNames(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		// Letters from all over Unicode, so the entry does not compress.
		var b strings.Builder
		for i := range account.MaxNameLen {
			b.WriteRune(rune(0x4E00 + (i*7919)%20000))
		}
		name := b.String()
		o := &account.Organisation{Slug: strings.Repeat("a", account.MaxSlugLen), Name: name, ShortName: name,
			Kind: account.KindOther, Level: account.LevelLocal, Public: true}
		if _, err := db.Organisations().CreateOrganisation(t.Context(), o); err != nil {
			t.Fatalf("a name of %d letters: %v", account.MaxNameLen, err)
		}
	})
}

// TestListOrganisations_OnePerLan: one organisation per län code, the
// first saved, none without a code (the facilitators' choice of län).
func TestListOrganisations_OnePerLan(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		store := db.Organisations()
		if err := store.PutOrganisations(ctx, []account.Organisation{
			{Slug: "region-b", Name: "Region B", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "08", Public: true},
			{Slug: "region-a", Name: "Region A", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "01", Public: true},
			{Slug: "region-b-kopia", Name: "Region B igen", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "08", Public: true},
			{Slug: "region-utan", Name: "Region utan län", Kind: account.KindRegion, Level: account.LevelRegional, Public: true},
			{Slug: "kommun", Name: "Kommun", Kind: account.KindMunicipality, Level: account.LevelLocal, LanCode: "01", Public: true},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := store.ListOrganisations(ctx, account.OrgFilter{Kind: account.KindRegion, OnePerLan: true, NoContacts: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if g, want := slugsOf(got), []string{"region-a", "region-b"}; !equalStrings(g, want) {
			t.Errorf("one per län = %v, want %v", g, want)
		}
	})
}
