package library_test

import (
	"slices"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// listCorpus creates the works the list and search tests filter, and
// returns their slugs newest first.
func listCorpus(t *testing.T, f *fixture) {
	t.Helper()
	type spec struct {
		slug, title string
		typ         library.Type
		org         int64
		methods     []string
		themes      []string
		horizon     int
		date        string
		report      bool
	}
	specs := []spec{
		{"artica", "Region Artica", library.TypeScenario, f.orgA, []string{"Scenariokors"}, []string{"Arbetsmarknad"}, 2050, "2018-03-01", false},
		{"designfiktioner", "Designfiktionerna från Norrbotten", library.TypeDesignFiction, f.orgA, []string{"Designfiktion"}, []string{"Välfärd"}, 2050, "2018-09-15", true},
		{"podden", "Historiepodden 2050", library.TypePodcast, f.orgA, nil, []string{"Historia"}, 2050, "2017-11-01", false},
		{"tv-scenario", "Tillväxtverket 2050", library.TypeScenario, f.orgB, []string{"Scenariokors", "Backcasting"}, []string{"Välfärd"}, 2050, "2019-05-20", true},
		{"trendworkshop", "Trendworkshop i Östersund", library.TypeWorkshopDoc, f.orgB, []string{"Trendworkshop"}, nil, 2030, "2019-02-01", false},
		{"odaterad", "Äldre underlag om scenarier", library.TypeReport, f.orgC, nil, nil, 0, "", false},
	}
	for _, s := range specs {
		w := &library.Work{Slug: s.slug, Title: s.title, Type: s.typ, OrganisationID: s.org, Methods: s.methods,
			Themes: s.themes, HorizonYear: s.horizon, Visibility: library.Public, Summary: "Framsyn: " + s.title}
		if s.date != "" {
			w.Date, _ = time.Parse("2006-01-02", s.date)
		}
		if s.report {
			w.Experience = &library.ExperienceReport{Purpose: "Visa hur", Steps: []string{"Omvärldsanalys", "Workshop"}}
		}
		if _, err := f.svc.Create(t.Context(), f.admin, w); err != nil {
			t.Fatalf("Create %s: %v", s.slug, err)
		}
	}
}

func TestService_ListFilters(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		listCorpus(t, f)
		newest := []string{"tv-scenario", "trendworkshop", "designfiktioner", "artica", "podden", "odaterad"}
		tests := []struct {
			name   string
			filter library.Filter
			want   []string // in order
		}{
			{"All", library.Filter{}, newest},
			{"Type", library.Filter{Type: library.TypeScenario}, []string{"tv-scenario", "artica"}},
			{"Organisation", library.Filter{OrganisationID: f.orgB}, []string{"tv-scenario", "trendworkshop"}},
			{"Level", library.Filter{Level: account.LevelRegional}, []string{"designfiktioner", "artica", "podden"}},
			{"LevelNone", library.Filter{Level: "global"}, nil},
			{"Method", library.Filter{Method: "scenariokors"}, []string{"tv-scenario", "artica"}},
			{"Theme", library.Filter{Theme: "VÄLFÄRD"}, []string{"tv-scenario", "designfiktioner"}},
			{"Horizon", library.Filter{HorizonYear: 2030}, []string{"trendworkshop"}},
			{"Year", library.Filter{Year: 2018}, []string{"designfiktioner", "artica"}},
			{"Experience", library.Filter{HasExperience: true}, []string{"tv-scenario", "designfiktioner"}},
			{"Combined", library.Filter{Type: library.TypeScenario, Theme: "välfärd", Year: 2019}, []string{"tv-scenario"}},
			{"Title", library.Filter{Sort: library.SortTitle}, []string{"designfiktioner", "podden", "artica", "tv-scenario", "trendworkshop", "odaterad"}},
			{"Offset", library.Filter{Offset: 4, Limit: 10}, newest[4:]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := f.svc.List(t.Context(), f.public, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := slugs(p.Works); !slices.Equal(got, nonNil(tt.want)) {
					t.Errorf("List = %v, want %v", got, tt.want)
				}
			})
		}
		for _, sort := range []library.Sort{library.SortNewest, library.SortTitle} {
			t.Run("Keyset"+string(sort), func(t *testing.T) {
				all, err := f.svc.List(t.Context(), f.public, library.Filter{Sort: sort})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				filter := library.Filter{Sort: sort, Limit: 4}
				for range 10 {
					p, err := f.svc.List(t.Context(), f.public, filter)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, slugs(p.Works)...)
					if p.Next == "" {
						break
					}
					filter.Cursor = p.Next
				}
				if !slices.Equal(got, slugs(all.Works)) {
					t.Errorf("pages gave %v, want %v", got, slugs(all.Works))
				}
			})
		}
		t.Run("ErrCursor", func(t *testing.T) {
			for _, c := range []string{"garbage", "dGl0bGV8YWJjfDE"} { // the second is a title cursor used with newest
				if _, err := f.svc.List(t.Context(), f.public, library.Filter{Cursor: c}); !errs.Is(err, errs.Invalid) {
					t.Errorf("cursor %q: %v, want Invalid", c, err)
				}
			}
		})
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestService_SearchWithFilters(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		listCorpus(t, f)
		tests := []struct {
			name   string
			filter library.Filter
			want   []string // as a set; first is the best hit when rank matters
			ranked bool
		}{
			{"Stem", library.Filter{Query: "scenarier"}, []string{"artica", "tv-scenario", "odaterad"}, false},
			{"InflectedTitle", library.Filter{Query: "designfiktion"}, []string{"designfiktioner"}, false},
			{"BodyOfMethodsAndReports", library.Filter{Query: "omvärldsanalys"}, []string{"designfiktioner", "tv-scenario"}, false},
			{"Type", library.Filter{Query: "framsyn", Type: library.TypePodcast}, []string{"podden"}, false},
			{"Organisation", library.Filter{Query: "framsyn", OrganisationID: f.orgB}, []string{"tv-scenario", "trendworkshop"}, false},
			{"Level", library.Filter{Query: "framsyn", Level: account.LevelLocal}, []string{"odaterad"}, false},
			{"Method", library.Filter{Query: "framsyn", Method: "Backcasting"}, []string{"tv-scenario"}, false},
			{"Theme", library.Filter{Query: "framsyn", Theme: "välfärd"}, []string{"designfiktioner", "tv-scenario"}, false},
			{"Horizon", library.Filter{Query: "framsyn", HorizonYear: 2030}, []string{"trendworkshop"}, false},
			{"Year", library.Filter{Query: "framsyn", Year: 2017}, []string{"podden"}, false},
			{"Experience", library.Filter{Query: "framsyn", HasExperience: true}, []string{"designfiktioner", "tv-scenario"}, false},
			{"ListWithQuery", library.Filter{Query: "östersund", Sort: library.SortTitle}, []string{"trendworkshop"}, false},
			{"Ranked", library.Filter{Query: "historiepodden"}, []string{"podden"}, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := f.svc.List(t.Context(), f.public, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				got := slugs(p.Works)
				if len(p.Hits) != len(p.Works) {
					t.Errorf("%d hits for %d works", len(p.Hits), len(p.Works))
				}
				if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tt.want))) {
					t.Errorf("Search = %v, want %v", got, tt.want)
				}
				if tt.ranked && (len(got) == 0 || got[0] != tt.want[0]) {
					t.Errorf("best hit %v, want %s", got, tt.want[0])
				}
			})
		}
	})
}
