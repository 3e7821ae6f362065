package demo

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
)

// The analysis area's demo: Reglab's published Innovationsindex totals per
// län 2004–2021 (shared/data/innovationsindex.csv, copied here byte for
// byte), and, for the index models' indicators, for which no public figure
// is at hand, values marked exempeldata.

//go:embed innovationsindex.csv
var innovationsindexCSV []byte

// The demo's datasets, models and analysis, by name: SeedAnalysis finds
// them by these and makes each once.
const (
	ReglabDataset  = "Reglab Innovationsindex, totalvärde per län 2004–2021"
	ExampleDataset = "Exempeldata för indexmallarna"
	ReglabModel    = "Reglab Innovationsindex (publicerat totalvärde)"
	InnovModel     = "Innovationsindexets struktur (exempeldata)"
	OmstModel      = "Omställningsförmåga (exempeldata)"
	DemoAnalysis   = "Exempel: kan vi skruva i Innovationsindex?"
)

// reglabSource is how the pages attribute the totals.
const reglabSource = "Källa: Reglab Innovationsindex"

// reglabDoubt is the stated doubt about 2021 (shared/data/SOURCE.md).
const reglabDoubt = "Totalvärdet per län ur Reglabs Innovationsindex (rapporterna 2004–2021), i den kopia Region Dalarna publicerar " +
	"(socioekonomisk_analys_nms, Indata/Innovationsindex.csv). Osäkert: för 2021 nämner Reglabs nyhet Södermanland, Blekinge och " +
	"Gävleborg som lägst, men här har Blekinge 2021 värdet 88,3 (rang 8 av 21), och Gotland 2021 (87,3) är ett hopp på +10. " +
	"Blekinge 2021 och Gotland 2021 är inte kontrollerade mot Reglabs rapport för 2021."

// DemoAnalysisSet is what SeedAnalysis made or found.
type DemoAnalysisSet struct {
	Reglab, Example        *analysis.Dataset
	ReglabM, InnovM, OmstM *analysis.Model
	Analysis               *analysis.Analysis
}

// exampleCSV is made-up values (exempeldata) for every preset indicator,
// 21 län, 2019 and 2021, from a fixed seed: the same on every run.
func exampleCSV() []byte {
	rng := rand.New(rand.NewPCG(2026, 22))
	var b strings.Builder
	b.WriteString("region_code,indicator,year,value,unit\n")
	seen := map[string]bool{}
	for _, p := range analysis.Presets {
		for _, bl := range p.Blocks {
			for _, ind := range bl.Indicators {
				if seen[ind] {
					continue
				}
				seen[ind] = true
				for _, r := range analysis.Regions {
					base := 20 + 60*rng.Float64()
					for _, y := range []int{2019, 2021} {
						v := base * (0.9 + 0.2*rng.Float64())
						fmt.Fprintf(&b, "%s,%s,%d,%.1f,exempel\n", r.Code, ind, y, v)
					}
				}
			}
		}
	}
	return []byte(b.String())
}

// SeedAnalysis makes the analysis demo once (it finds what an earlier run
// made by name): Reglab's totals as a public dataset of Reglab, an
// example dataset, a model over each and a short example analysis of the
// demo editor's organisation.
func SeedAnalysis(ctx context.Context, accounts *account.Service, svc *analysis.Service) (*DemoAnalysisSet, error) {
	adminUser, err := accounts.UserByEmail(ctx, AdminEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: analysis: %w (seed the network first)", err)
	}
	admin := &account.Actor{User: adminUser}
	reglab, err := accounts.Organisation(ctx, admin, "reglab")
	if err != nil {
		return nil, fmt.Errorf("demo: analysis: %w", err)
	}
	home, err := accounts.Organisation(ctx, admin, editorOrg)
	if err != nil {
		return nil, fmt.Errorf("demo: analysis: %w", err)
	}
	out := &DemoAnalysisSet{}
	datasets, err := svc.Datasets(ctx, admin, 0, analysis.MaxLimit)
	if err != nil {
		return nil, err
	}
	for i := range datasets {
		switch datasets[i].Name {
		case ReglabDataset:
			out.Reglab = &datasets[i]
		case ExampleDataset:
			out.Example = &datasets[i]
		}
	}
	if out.Reglab == nil {
		out.Reglab, err = svc.Import(ctx, admin, analysis.Dataset{OrganisationID: reglab.ID, Name: ReglabDataset, Description: reglabDoubt,
			Source: reglabSource, Licence: "Reglabs publicerade siffror; kopian: MPL-2.0 (Region Dalarna)",
			FetchedAt: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), Visibility: analysis.Public}, analysis.CSVLong, innovationsindexCSV)
		if err != nil {
			return nil, fmt.Errorf("demo: reglab dataset: %w", err)
		}
	}
	if out.Example == nil {
		out.Example, err = svc.Import(ctx, admin, analysis.Dataset{OrganisationID: home.ID, Name: ExampleDataset, Example: true,
			Description: "Påhittade värden (exempeldata) för indikatorerna i indexmallarna, så att verktyget kan visas. Inga offentliga siffror.",
			Source:      "exempeldata", Licence: "CC0", Visibility: analysis.Public}, analysis.CSVLong, exampleCSV())
		if err != nil {
			return nil, fmt.Errorf("demo: example dataset: %w", err)
		}
	}
	models, err := svc.Models(ctx, admin, 0, analysis.MaxLimit)
	if err != nil {
		return nil, err
	}
	for i := range models {
		switch models[i].Spec.Name {
		case ReglabModel:
			out.ReglabM = &models[i]
		case InnovModel:
			out.InnovM = &models[i]
		case OmstModel:
			out.OmstM = &models[i]
		}
	}
	if out.ReglabM == nil {
		spec := analysis.Spec{Name: ReglabModel, DatasetID: out.Reglab.ID, Year: 2021, Missing: "reweight", Blocks: []analysis.BlockSpec{
			{Name: "Innovationsindex", Weight: 1, Aggregation: "arithmetic", Indicators: []analysis.IndicatorSpec{
				{Indicator: "innovationsindex_total", Weight: 1, Direction: 1, Normalisation: "minmax"}}}}}
		if out.ReglabM, err = svc.CreateModel(ctx, admin, reglab.ID, analysis.Public, spec); err != nil {
			return nil, fmt.Errorf("demo: reglab model: %w", err)
		}
	}
	for _, m := range []struct {
		dst          **analysis.Model
		preset, name string
	}{{&out.InnovM, "innovationsindex", InnovModel}, {&out.OmstM, "omstallning", OmstModel}} {
		if *m.dst != nil {
			continue
		}
		spec, _ := analysis.PresetSpec(m.preset, m.name, out.Example.ID, 2021)
		if *m.dst, err = svc.CreateModel(ctx, admin, home.ID, analysis.Public, spec); err != nil {
			return nil, fmt.Errorf("demo: %s: %w", m.name, err)
		}
	}
	list, err := svc.Analyses(ctx, admin, home.ID, 0, analysis.MaxLimit)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Title == DemoAnalysis {
			out.Analysis = &list[i]
		}
	}
	if out.Analysis == nil {
		body := "I seminariets grupp 2 frågade man:\n\n> En annan fråga: Kan vi utveckla Reglabs *Innovationsindex* – finns det en möjlighet att skruva i det? Så att det kan visa \"omställningsförmåga\".\n\n" +
			"*Exempel:* den här analysen visar hur det kan gå till. Modellen Omställningsförmåga har fem block med lika vikter över exempeldata " +
			"(påhittade värden, inga offentliga siffror). Öppna modellen, dra i vikterna och se hur rangordningen, staplarna och kartan ändras – " +
			"och läs rangintervallen innan du drar slutsatser om ett enskilt län.\n\nReglabs publicerade totalvärden finns som ett eget dataset."
		out.Analysis, err = svc.Publish(ctx, admin, &analysis.Analysis{OrganisationID: home.ID, Title: DemoAnalysis, Body: body,
			Visibility: analysis.Public, DatasetID: out.Example.ID, ModelID: out.OmstM.ID})
		if err != nil {
			return nil, fmt.Errorf("demo: analysis: %w", err)
		}
	}
	return out, nil
}
