package storage_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// BenchmarkCrossTree reads a lineage of 500 crosses with stories of 2,000
// characters (bodies larger than a SQLite page), per engine: what the
// lineage page and the API's lineage read.
func BenchmarkCrossTree(b *testing.B) {
	for engine, dsn := range storagetest.DSNs(b) {
		b.Run(engine, func(b *testing.B) {
			db := storagetest.MustOpen(b, dsn)
			f := newCrossFixture(b, db)
			story := strings.Repeat("En berättelse om välfärden år 2050. ", 55)
			mk := func(i int) *cross.Cross {
				c := sampleCross(f.a, fmt.Sprint(i), library.Public)
				c.X.Name = "Teknik"
				for q := range c.Scenarios {
					c.Scenarios[q].Story = story
				}
				return c
			}
			root, err := f.svc.Create(b.Context(), f.admin, mk(0))
			if err != nil {
				b.Fatal(err)
			}
			ids := []int64{root.ID}
			rnd := rand.New(rand.NewPCG(1, 2))
			for i := 1; i < 500; i++ {
				c := mk(i)
				c.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Renamed, Why: "Vår fråga."}}
				saved, err := f.svc.Derive(b.Context(), f.admin, ids[rnd.IntN(len(ids))], c)
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, saved.ID)
			}
			b.ResetTimer()
			for b.Loop() {
				nodes, err := db.Crosses().Tree(b.Context(), root.ID, cross.MaxTree+1)
				if err != nil || len(nodes) != 500 {
					b.Fatal(len(nodes), err)
				}
			}
		})
	}
}

// BenchmarkCrossSummaries reads a list page of 50 summaries among 100
// crosses with four 2,000-character stories each, per engine: what
// GET /api/v1/crosses and the crosses' page read.
func BenchmarkCrossSummaries(b *testing.B) {
	for engine, dsn := range storagetest.DSNs(b) {
		b.Run(engine, func(b *testing.B) {
			db := storagetest.MustOpen(b, dsn)
			f := newCrossFixture(b, db)
			story := strings.Repeat("En berättelse om välfärden år 2050. ", 55)
			for i := range 100 {
				c := sampleCross(f.a, fmt.Sprint(i), library.Public)
				c.X.Description = story
				for q := range c.Scenarios {
					c.Scenarios[q].Story = story
				}
				if _, err := f.svc.Create(b.Context(), f.admin, c); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				cs, err := db.Crosses().ListCrosses(b.Context(), cross.ListQuery{Viewer: account.ViewerOf(f.public), Limit: 50, Summary: true})
				if err != nil || len(cs) != 50 {
					b.Fatal(len(cs), err)
				}
			}
		})
	}
}
