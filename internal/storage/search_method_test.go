package storage_test

import (
	"testing"

	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestDB_SearchMethodsEnglish: the method guides are found by their
// English names and words as by their Swedish ones, stemmed alike, on
// every engine.
func TestDB_SearchMethodsEnglish(t *testing.T) {
	t.Parallel()
	ids := map[string]int64{}
	for _, g := range method.Guides {
		ids[g.Slug] = g.ID
	}
	tests := []struct {
		name  string
		query string
		first int64
	}{
		{"FuturesWheel", "futures wheel", ids["framtidshjul"]},
		{"FuturesWheelSingular", "future wheel", ids["framtidshjul"]},
		{"ThreeHorizons", "three horizons", ids["tre-horisonter"]},
		{"WeakSignals", "weak signals", ids["svaga-signaler"]},
		{"DesignFiction", "design fiction", ids["designfiktion"]},
		{"SwedishStill", "framtidshjulet", ids["framtidshjul"]},
		{"SwedishStemmed", "horisonterna", ids["tre-horisonter"]},
	}
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		if err := db.Search().PutSearchDocuments(ctx, method.SearchDocuments()...); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := db.Search().Search(ctx, search.Query{Text: tt.query, Kinds: []string{method.Kind}, Viewer: search.Viewer{All: true}})
				if err != nil {
					t.Fatal(err)
				}
				got := hitIDs(res)
				if len(got) == 0 || got[0] != tt.first {
					t.Errorf("Search(%q) = %v, want %d first (stems %v)", tt.query, got, tt.first, res.Terms)
				}
			})
		}
	})
}
