package demo_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// The analysis demo: Reglab's totals attributed and with the doubt about
// 2021, the models' indicator values marked exempeldata, computable, and
// made once.
func TestSeedAnalysis(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := account.NewService(db.Accounts(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		store := demo.Store{Accounts: db.Accounts(), Library: db.Works(), Posts: db.Posts(), Workshops: db.Workshops()}
		if _, err := demo.Seed(ctx, svc, store); err != nil {
			t.Fatal(err)
		}
		an := analysis.NewService(db.Analysis())
		set, err := demo.SeedAnalysis(ctx, svc, an)
		if err != nil {
			t.Fatal(err)
		}
		r := set.Reglab
		if r.Source != "Källa: Reglab Innovationsindex" || r.Example || !strings.Contains(r.Description, "2021") || !strings.Contains(r.Description, "Blekinge") {
			t.Errorf("Reglab dataset %+v", r)
		}
		full, err := an.Dataset(ctx, nil, r.ID)
		if err != nil || len(full.Values) != 168 || len(full.Years()) != 8 {
			t.Fatalf("Reglab values: %d, %v", len(full.Values), err)
		}
		if !set.Example.Example || !strings.Contains(set.Example.Description, "exempeldata") {
			t.Errorf("example dataset not marked: %+v", set.Example)
		}
		for _, m := range []*analysis.Model{set.ReglabM, set.InnovM, set.OmstM} {
			c, err := an.Results(ctx, nil, m.ID, 0)
			if err != nil || len(c.Results) != 21 || c.Results[0].Rank != 1 {
				t.Errorf("model %s: %v", m.Spec.Name, err)
			}
			if m != set.ReglabM && !c.Example {
				t.Errorf("model %s over exempeldata is not marked", m.Spec.Name)
			}
		}
		// Uppsala (118.1) tops the 2021 totals in the file, Stockholm (117.0) second.
		c, _ := an.Results(ctx, nil, set.ReglabM.ID, 0)
		if c.Results[0].Region != "03" || c.Results[1].Region != "01" {
			t.Errorf("2021 first: %s", c.Results[0].Region)
		}
		again, err := demo.SeedAnalysis(ctx, svc, an)
		if err != nil || again.Reglab.ID != r.ID || again.OmstM.ID != set.OmstM.ID || again.Analysis.ID != set.Analysis.ID {
			t.Errorf("second run made new things: %v", err)
		}
	})
}
