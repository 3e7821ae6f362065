package storage_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestDB_Analysis(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		st := db.Analysis()
		org := searchOrg(t, db, "analys-a", "regional")
		other := searchOrg(t, db, "analys-b", "regional")
		at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		// 1,200 values: more than one INSERT batch.
		d := &analysis.Dataset{OrganisationID: org, Name: "Testdata", Source: "Källa: test", Licence: "CC0",
			FetchedAt: at, Visibility: analysis.Network, CreatedAt: at, Example: true,
			Indicators: []analysis.Indicator{{Name: "a", Unit: "procent"}, {Name: "b"}}}
		for i, r := range analysis.Regions {
			for y := range 30 {
				d.Values = append(d.Values, analysis.Value{Region: r.Code, Indicator: "a", Year: 1990 + y, Value: float64(i) + 0.5})
				if y%2 == 0 {
					d.Values = append(d.Values, analysis.Value{Region: r.Code, Indicator: "b", Year: 1990 + y, Value: -float64(y)})
				}
			}
		}
		if err := st.CreateDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, err := st.Dataset(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Count != len(d.Values) || len(got.Values) != len(d.Values) || !got.Example || got.Source != "Källa: test" ||
			!got.FetchedAt.Equal(at) || !slices.Equal(got.Indicators, d.Indicators) || got.OrgSlug != "analys-a" {
			t.Fatalf("dataset read back: %+v", got)
		}
		if got.Values[0] != (analysis.Value{Region: "01", Indicator: "a", Year: 1990, Value: 0.5}) {
			t.Errorf("first value %+v", got.Values[0])
		}
		tab := got.Table(1991)
		if tab.Values[0][1] != 1.5 || tab.Values[1][0] == tab.Values[1][0] {
			t.Errorf("table 1991: a[03]=%v, b[01]=%v (want missing)", tab.Values[0][1], tab.Values[1][0])
		}
		hidden := &analysis.Dataset{OrganisationID: other, Name: "Utkast", FetchedAt: at, Visibility: analysis.Draft, CreatedAt: at,
			Indicators: []analysis.Indicator{{Name: "a"}}, Values: []analysis.Value{{Region: "01", Indicator: "a", Year: 2020, Value: 1}}}
		if err := st.CreateDataset(ctx, hidden); err != nil {
			t.Fatal(err)
		}
		ids := func(v search.Viewer) []int64 {
			list, err := st.ListDatasets(ctx, analysis.ListQuery{Viewer: v, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range list {
				out = append(out, x.ID)
				if len(x.Indicators) == 0 || x.Values != nil {
					t.Errorf("list entry %+v", x)
				}
			}
			return out
		}
		if got := ids(search.Viewer{}); len(got) != 0 {
			t.Errorf("public sees %v", got)
		}
		if got := ids(search.Viewer{SignedIn: true}); !slices.Equal(got, []int64{d.ID}) {
			t.Errorf("signed in sees %v", got)
		}
		if got := ids(search.Viewer{SignedIn: true, Members: []int64{other}}); !slices.Equal(got, []int64{d.ID}) {
			t.Errorf("member of B sees %v (a draft is for editors)", got)
		}
		if got := ids(search.Viewer{SignedIn: true, Members: []int64{other}, Editors: []int64{other}}); !slices.Equal(got, []int64{hidden.ID, d.ID}) {
			t.Errorf("editor of B sees %v", got)
		}
		if got := ids(search.Viewer{All: true}); len(got) != 2 {
			t.Errorf("admin sees %v", got)
		}
		page, _ := st.ListDatasets(ctx, analysis.ListQuery{Viewer: search.Viewer{All: true}, BeforeID: hidden.ID, Limit: 10})
		if len(page) != 1 || page[0].ID != d.ID {
			t.Errorf("page after %d: %+v", hidden.ID, page)
		}

		spec := analysis.Spec{Name: "Modell", DatasetID: d.ID, Year: 1990, Missing: "reweight", Blocks: []analysis.BlockSpec{
			{Name: "B", Weight: 1, Aggregation: "arithmetic", Indicators: []analysis.IndicatorSpec{{Indicator: "a", Weight: 1, Direction: 1, Normalisation: "minmax"}}}}}
		m := &analysis.Model{OrganisationID: org, Visibility: analysis.Public, Spec: spec, CreatedAt: at, UpdatedAt: at}
		if err := st.CreateModel(ctx, m); err != nil {
			t.Fatal(err)
		}
		m.Spec.Year, m.Version, m.UpdatedAt = 1991, 2, at.Add(time.Hour)
		if err := st.SaveModelVersion(ctx, m); err != nil {
			t.Fatal(err)
		}
		m.Version = 2 // a second save of version 2 (a stale form): Conflict
		if err := st.SaveModelVersion(ctx, m); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale save: %v", err)
		}
		cur, err := st.Model(ctx, m.ID)
		if err != nil || cur.Version != 2 || cur.Spec.Year != 1991 || cur.DatasetName != "Testdata" {
			t.Fatalf("current model %+v %v", cur, err)
		}
		v1, err := st.ModelAt(ctx, m.ID, 1)
		if err != nil || v1.Version != 1 || v1.Spec.Year != 1990 {
			t.Fatalf("version 1 %+v %v", v1, err)
		}
		if _, err := st.ModelAt(ctx, m.ID, 3); !errs.Is(err, errs.NotFound) {
			t.Errorf("version 3: %v", err)
		}
		models, err := st.ListModels(ctx, analysis.ListQuery{Viewer: search.Viewer{}, Limit: 5})
		if err != nil || len(models) != 1 || models[0].Version != 2 {
			t.Errorf("models %+v %v", models, err)
		}

		an := &analysis.Analysis{OrganisationID: org, Title: "Omställningsförmåga i norr", Body: "Vi jämför **länen**.",
			Visibility: analysis.Public, DatasetID: d.ID, ModelID: m.ID, ModelVersion: 2, CreatedAt: at, UpdatedAt: at}
		if err := st.CreateAnalysis(ctx, an); err != nil {
			t.Fatal(err)
		}
		back, err := st.Analysis(ctx, an.ID)
		if err != nil || back.ModelVersion != 2 || back.DatasetID != d.ID || back.OrgSlug != "analys-a" {
			t.Fatalf("analysis %+v %v", back, err)
		}
		if got := kindHits(t, db, search.Viewer{}, analysis.KindAnalysis, "omställningsförmåga"); !slices.Equal(got, []int64{an.ID}) {
			t.Errorf("search hits %v", got)
		}
		list, err := st.ListAnalyses(ctx, analysis.ListQuery{Viewer: search.Viewer{}, OrganisationID: org, Limit: 5})
		if err != nil || len(list) != 1 {
			t.Errorf("analyses %+v %v", list, err)
		}
		if _, err := st.Dataset(ctx, 99999); !errs.Is(err, errs.NotFound) {
			t.Error(fmt.Sprint("missing dataset: ", err))
		}
	})
}
