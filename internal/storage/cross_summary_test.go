package storage_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestDB_CrossSummaries: a list read as summaries has the names a list
// shows (title, axes and poles, scenarios) and none of the texts, and the
// same crosses in the same order as the whole read.
func TestDB_CrossSummaries(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newCrossFixture(t, db)
		for _, tag := range []string{"ett", "två"} {
			c := sampleCross(f.a, tag, library.Public)
			c.X.Description, c.Authors = "Hur snabbt tekniken kommer.", []string{"Anna"}
			if _, err := f.svc.Create(ctx, f.editorA, c); err != nil {
				t.Fatal(err)
			}
		}
		whole, err := f.svc.List(ctx, f.public, cross.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		heads, err := f.svc.List(ctx, f.public, cross.ListQuery{Summary: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(heads) != 2 || len(whole) != 2 {
			t.Fatalf("%d summaries, %d crosses; want 2", len(heads), len(whole))
		}
		for i, h := range heads {
			w := whole[i]
			if h.ID != w.ID || h.Title != w.Title || h.Question != w.Question || h.UpdatedAt != w.UpdatedAt {
				t.Errorf("summary %d: %d %q, want %d %q", i, h.ID, h.Title, w.ID, w.Title)
			}
			if h.X.Name != w.X.Name || h.X.Low != w.X.Low || h.Y.High != w.Y.High || len(h.Scenarios) != 4 || h.Scenarios[2].Name != w.Scenarios[2].Name || h.Scenarios[2].Quadrant != 3 {
				t.Errorf("summary %d: axes %+v %+v, scenarios %+v", i, h.X, h.Y, h.Scenarios)
			}
			if h.X.Description != "" || h.X.Forces != nil || h.Authors != nil || h.Scenarios[0].Story != "" {
				t.Errorf("summary %d carries texts: %+v", i, h)
			}
			if w.X.Description == "" || w.X.Forces == nil || w.Scenarios[0].Story == "" {
				t.Errorf("cross %d lost its texts", i)
			}
		}
	})
}

// TestDB_CrossSummaryKept: whatever writes a cross's body (create, update,
// derive, import, restoring a revision), its summary column says what the
// body says.
func TestDB_CrossSummaryKept(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newCrossFixture(t, db)
		same := func(t *testing.T, step string) {
			t.Helper()
			whole, err := f.svc.List(ctx, f.admin, cross.ListQuery{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			heads, err := f.svc.List(ctx, f.admin, cross.ListQuery{Limit: 100, Summary: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(heads) != len(whole) {
				t.Fatalf("%s: %d summaries, %d crosses", step, len(heads), len(whole))
			}
			head := func(c cross.Cross) string {
				s := fmt.Sprintf("%d %s|%s|%s %s|%s|%s", c.ID, c.X.Name, c.X.Low, c.X.High, c.Y.Name, c.Y.Low, c.Y.High)
				for _, sc := range c.Scenarios {
					s += fmt.Sprintf(" %d:%s", sc.Quadrant, sc.Name)
				}
				return s
			}
			for i := range whole {
				if got, want := head(heads[i]), head(whole[i]); got != want {
					t.Errorf("%s: summary %q, body %q", step, got, want)
				}
			}
		}
		root, err := f.svc.Create(ctx, f.editorA, sampleCross(f.a, "ett", library.Public))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "create")
		c := *root
		c.X.Name, c.Y.High = `Teknik "ny" \ ✓`, "Hög\ntillit"
		c.Scenarios = append([]cross.Scenario(nil), root.Scenarios...)
		c.Scenarios[3].Name = "Fyra, omdöpt"
		updated, err := f.svc.Update(ctx, f.editorA, &c, root.Version)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "update")
		d := cross.DeriveDraft(updated)
		d.Title, d.Y = "Härledd", cross.Axis{Name: "Kompetens", Low: "Brist", High: "Överskott"}
		d.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Replaced, Why: "Vår region."}}
		if _, err := f.svc.Derive(ctx, f.editorA, root.ID, d); err != nil {
			t.Fatal(err)
		}
		same(t, "derive")
		imp := sampleCross(f.a, "importerad", library.Public)
		imp.ID = 1
		data, err := json.Marshal(cross.Export{Format: cross.ExportFormat, Crosses: []cross.Cross{*imp}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Import(ctx, f.editorA, data); err != nil {
			t.Fatal(err)
		}
		same(t, "import")
		if _, err := f.svc.Restore(ctx, f.editorA, root.ID, root.Version, updated.Version); err != nil {
			t.Fatal(err)
		}
		same(t, "restore")
	})
}
