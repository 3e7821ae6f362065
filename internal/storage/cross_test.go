package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// crossFixture: two organisations with an editor each, a member of A,
// the public and a platform admin, over a cross.Service on one engine.
type crossFixture struct {
	db                        *storage.DB
	svc                       *cross.Service
	a, b                      int64
	editorA, editorB, memberA *account.Actor
	public, admin             *account.Actor
}

func newCrossFixture(t testing.TB, db *storage.DB) *crossFixture {
	t.Helper()
	f := &crossFixture{db: db, svc: cross.NewService(db.Crosses()),
		a: searchOrg(t, db, "region-a", account.LevelRegional), b: searchOrg(t, db, "region-b", account.LevelRegional)}
	user := func(email string, admin bool) *account.User {
		u := &account.User{Email: email, Name: "Namn " + email, IsAdmin: admin}
		id, err := db.Users().CreateUser(context.Background(), u, "x")
		if err != nil {
			t.Fatal(err)
		}
		u.ID = id
		return u
	}
	f.editorA = &account.Actor{User: user("ea@x.se", false), Memberships: []account.Membership{{OrganisationID: f.a, Role: account.RoleEditor}}}
	f.editorB = &account.Actor{User: user("eb@x.se", false), Memberships: []account.Membership{{OrganisationID: f.b, Role: account.RoleEditor}}}
	f.memberA = &account.Actor{User: user("ma@x.se", false), Memberships: []account.Membership{{OrganisationID: f.a, Role: account.RoleMember}}}
	f.admin = &account.Actor{User: user("admin@x.se", true)}
	f.public = &account.Actor{}
	return f
}

// sampleCross is a valid cross of org with axes named after tag.
func sampleCross(org int64, tag string, vis library.Visibility) *cross.Cross {
	c := &cross.Cross{OrganisationID: org, Title: "Välfärden 2050 " + tag, Question: "Hur ser välfärden ut 2050?", Horizon: 2050,
		Level: cross.LevelNational, Domain: "välfärd", Status: cross.StatusPublished, Visibility: vis,
		X: cross.Axis{Name: "Teknik " + tag, Low: "Långsam", High: "Snabb", Forces: []string{"AI", "Automatisering"}},
		Y: cross.Axis{Name: "Tillit " + tag, Low: "Låg tillit", High: "Hög tillit"}}
	for q := 1; q <= 4; q++ {
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q, Name: fmt.Sprintf("Scenario %d %s", q, tag), Story: "En **berättelse** om år 2050."})
	}
	return c
}

func TestDB_Crosses(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newCrossFixture(t, db)
		root, err := f.svc.Create(ctx, f.editorA, sampleCross(f.a, "nationell", library.Public))
		if err != nil {
			t.Fatal(err)
		}
		if root.RootID != root.ID || root.Version != 1 {
			t.Fatalf("root %d version %d, want root = id and version 1", root.RootID, root.Version)
		}

		t.Run("ErrBadInput", func(t *testing.T) {
			bad := []struct {
				name, field, key string
				edit             func(c *cross.Cross)
			}{
				{"AxisWithoutPoles", "x_poles", "cross.axis_poles_required", func(c *cross.Cross) { c.X.Low, c.X.High = "", "" }},
				{"FifthScenario", "scenarios", "cross.scenarios_four", func(c *cross.Cross) {
					c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: 5, Name: "Femte"})
				}},
				{"LongStory", "s2_story", "cross.story_too_long", func(c *cross.Cross) { c.Scenarios[1].Story = strings.Repeat("å", cross.MaxStoryLen+1) }},
			}
			for _, tc := range bad {
				t.Run(tc.name, func(t *testing.T) {
					before, _ := f.svc.List(ctx, f.admin, cross.ListQuery{Limit: 100})
					c := sampleCross(f.a, "fel", library.Public)
					tc.edit(c)
					_, err := f.svc.Create(ctx, f.editorA, c)
					if e := errs.As(err); e.Kind != errs.Invalid || e.Fields[tc.field] != tc.key {
						t.Fatalf("err %v, want %s: %s", err, tc.field, tc.key)
					}
					after, _ := f.svc.List(ctx, f.admin, cross.ListQuery{Limit: 100})
					if len(after) != len(before) {
						t.Fatalf("%d crosses after a refused create, want %d", len(after), len(before))
					}
				})
			}
		})

		t.Run("Update", func(t *testing.T) {
			c := *root
			c.Scenarios = append([]cross.Scenario(nil), root.Scenarios...)
			c.Scenarios[0].Name = "Ny framtid"
			got, err := f.svc.Update(ctx, f.editorA, &c, root.Version)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != 2 || got.Scenario(1).Name != "Ny framtid" {
				t.Fatalf("version %d name %q", got.Version, got.Scenario(1).Name)
			}
			if _, err := f.svc.Update(ctx, f.editorA, &c, 1); !errs.Is(err, errs.Conflict) {
				t.Fatalf("stale update: %v, want conflict", err)
			}
			if _, err := f.svc.Update(ctx, f.editorB, &c, 0); !errs.Is(err, errs.Forbidden) {
				t.Fatalf("other organisation's update: %v, want forbidden", err)
			}
			_, revs, err := f.svc.Revisions(ctx, f.editorA, root.ID)
			if err != nil || len(revs) != 2 || revs[0].Changed[0] != "scenarios" {
				t.Fatalf("revisions %+v, %v", revs, err)
			}
			root = got
		})

		t.Run("Search", func(t *testing.T) {
			if ids := kindHits(t, db, search.Viewer{}, cross.Kind, "välfärden"); len(ids) != 1 || ids[0] != root.ID {
				t.Fatalf("hits %v, want [%d]", ids, root.ID)
			}
		})

		t.Run("DeriveAndLineage", func(t *testing.T) {
			d := cross.DeriveDraft(root)
			d.OrganisationID, d.Title, d.Level, d.Visibility = f.b, "Välfärd i region B", cross.LevelRegional, library.Organisation
			d.Y = cross.Axis{Name: "Kompetens", Low: "Brist", High: "Överskott"}
			d.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Replaced}}
			if _, err := f.svc.Derive(ctx, f.editorB, root.ID, d); errs.As(err).Fields["y_why"] != "cross.change_why_required" {
				t.Fatalf("derive without a reason: %v", err)
			}
			d.AxisChanges[1].Why = "Kompetensförsörjningen avgör mer i vår region."
			child, err := f.svc.Derive(ctx, f.editorB, root.ID, d)
			if err != nil {
				t.Fatal(err)
			}
			if child.ParentID != root.ID || child.RootID != root.ID || child.X.Name != root.X.Name {
				t.Fatalf("child %+v", child)
			}
			// Editing the child without its axis changes (as the edit form
			// does) keeps them.
			edit := *child
			edit.AxisChanges, edit.Title = nil, "Välfärd i region B, reviderad"
			if got, err := f.svc.Update(ctx, f.editorB, &edit, 0); err != nil || got.ChangeOf("y").Change != cross.Replaced {
				t.Fatalf("edit of a derived cross: %+v, %v", got, err)
			}
			child, _ = f.svc.Get(ctx, f.editorB, child.ID)
			grand := cross.DeriveDraft(child)
			grand.OrganisationID, grand.Visibility, grand.Status = f.b, library.Public, cross.StatusPublished
			grandchild, err := f.svc.Derive(ctx, f.editorB, child.ID, grand)
			if err != nil {
				t.Fatal(err)
			}
			// A member of A cannot see B's organisation cross: the
			// grandchild shows it as a placeholder, with nothing of it.
			l, err := f.svc.Lineage(ctx, f.memberA, grandchild.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !l.ParentHidden || len(l.Ancestors) != 2 || l.Ancestors[0].ID != root.ID || !l.Ancestors[1].Hidden || l.Ancestors[1].Title != "" || l.Ancestors[1].ID != 0 {
				t.Fatalf("lineage as member of A: hidden parent %v ancestors %+v", l.ParentHidden, l.Ancestors)
			}
			if l.Size != 2 {
				t.Fatalf("member of A sees %d crosses, want 2", l.Size)
			}
			// Derive from a cross the caller cannot see: as if missing.
			if _, err := f.svc.Derive(ctx, f.memberA, child.ID, cross.DeriveDraft(root)); !errs.Is(err, errs.NotFound) {
				t.Fatalf("derive from a hidden cross: %v", err)
			}
			if _, err := f.svc.Compare(ctx, f.memberA, []int64{root.ID, child.ID}); !errs.Is(err, errs.NotFound) {
				t.Fatalf("compare with a hidden cross: %v", err)
			}
			cmp, err := f.svc.Compare(ctx, f.editorB, []int64{root.ID, child.ID, grandchild.ID})
			if err != nil {
				t.Fatal(err)
			}
			if r := cmp.Rows[3]; r.Key != "cross.y_name" || r.Cells[0].Differs || !r.Cells[1].Differs || r.Cells[2].Differs {
				t.Fatalf("y name row %+v", r)
			}
			// Deleting the middle cross: the grandchild stays derived,
			// its lineage still draws, from a placeholder.
			if err := f.svc.Delete(ctx, f.editorB, child.ID); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.Get(ctx, f.public, grandchild.ID)
			if err != nil || got.ParentID != 0 || !got.Derived() {
				t.Fatalf("grandchild after delete: %+v, %v", got, err)
			}
			l, err = f.svc.Lineage(ctx, f.public, grandchild.ID)
			if err != nil || !l.ParentHidden || l.Size != 2 {
				t.Fatalf("lineage after delete: %+v, %v", l, err)
			}
		})

		t.Run("Visibility", func(t *testing.T) {
			draft := sampleCross(f.a, "utkast", library.Public)
			draft.Status = cross.StatusDraft
			d, err := f.svc.Create(ctx, f.editorA, draft)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name string
				a    *account.Actor
				want bool
			}{{"Public", f.public, false}, {"MemberA", f.memberA, false}, {"EditorB", f.editorB, false}, {"EditorA", f.editorA, true}, {"Admin", f.admin, true}} {
				list, err := f.svc.List(ctx, tc.a, cross.ListQuery{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, c := range list {
					found = found || c.ID == d.ID
					if !cross.CanSee(tc.a, &c) {
						t.Errorf("%s: list holds %d, which CanSee refuses", tc.name, c.ID)
					}
				}
				_, getErr := f.svc.Get(ctx, tc.a, d.ID)
				if found != tc.want || (getErr == nil) != tc.want {
					t.Errorf("%s: listed %v, get %v; want %v", tc.name, found, getErr, tc.want)
				}
			}
		})
	})
}

func TestCheckAcyclic(t *testing.T) {
	if err := cross.CheckAcyclic(map[int64]int64{1: 0, 2: 1, 3: 2}); err != nil {
		t.Fatal(err)
	}
	if err := cross.CheckAcyclic(map[int64]int64{1: 3, 2: 1, 3: 2}); errs.As(err).Key != "cross.cycle" {
		t.Fatalf("cycle: %v", err)
	}
}

func TestDB_CrossStress(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newCrossFixture(t, db)
		c, err := f.svc.Create(ctx, f.editorA, sampleCross(f.a, "stress", library.Public))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddActions(ctx, f.memberA, c.ID, "Bygg ut kollektivtrafiken"); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a member adds actions: %v", err)
		}
		long := "1. Ok\n2. " + strings.Repeat("x", cross.MaxActionLen+1)
		if err := f.svc.AddActions(ctx, f.editorA, c.ID, long); errs.As(err).Fields["actions"] != "cross.stress.action_too_long" {
			t.Fatalf("an over-long action: %v", err)
		}
		if err := f.svc.AddActions(ctx, f.editorA, c.ID, "- Bygg ut kollektivtrafiken\n2) Stärk vården i hemmet\n\n• Bygg ut kollektivtrafiken"); err != nil {
			t.Fatal(err)
		}
		st, err := f.svc.Stress(ctx, f.public, c.ID)
		if err != nil || len(st.Rows) != 2 || st.Rows[0].Action.Text != "Bygg ut kollektivtrafiken" || st.Rows[1].Action.Text != "Stärk vården i hemmet" {
			t.Fatalf("actions after a refused and a good list: %+v, %v", st, err)
		}
		a1, a2 := st.Rows[0].Action.ID, st.Rows[1].Action.ID
		all := func(id int64, v cross.Verdict) []cross.Judgement {
			var js []cross.Judgement
			for q := 1; q <= 4; q++ {
				js = append(js, cross.Judgement{ActionID: id, Quadrant: q, Verdict: v})
			}
			return js
		}
		if err := f.svc.Judge(ctx, f.editorB, c.ID, all(a1, cross.Robust)); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an outsider judges: %v", err)
		}
		if err := f.svc.Judge(ctx, f.memberA, c.ID, []cross.Judgement{{ActionID: a1, Quadrant: 5, Verdict: cross.Robust}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a fifth quadrant: %v", err)
		}
		if err := f.svc.Judge(ctx, f.memberA, c.ID, append(all(a1, cross.Robust), all(a2, cross.Adapt)...)); err != nil {
			t.Fatal(err)
		}
		js := all(a1, cross.Robust)
		js[3] = cross.Judgement{ActionID: a1, Quadrant: 4, Verdict: cross.Robust, Comment: "Håller även här."}
		if err := f.svc.Judge(ctx, f.editorA, c.ID, append(js, all(a2, cross.Fails)...)); err != nil {
			t.Fatal(err)
		}
		st, err = f.svc.Stress(ctx, f.memberA, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Judges != 2 || !st.Rows[0].Holds || st.Rows[1].Holds || st.Rows[0].Cells[0].Agreement != 100 {
			t.Fatalf("judges %d, holds %v %v, agreement %d", st.Judges, st.Rows[0].Holds, st.Rows[1].Holds, st.Rows[0].Cells[0].Agreement)
		}
		if cell := st.Rows[1].Cells[0]; cell.Majority != "" || cell.Agreement != 50 || cell.N != 2 {
			t.Fatalf("a split cell: %+v", cell)
		}
		if got := st.Holding(); len(got) != 1 || got[0].ID != a1 {
			t.Fatalf("holding %+v", got)
		}
		if cm := st.Rows[0].Cells[3].Comments; len(cm) != 1 || cm[0].UserName == "" {
			t.Fatalf("comments %+v", cm)
		}
		if st, _ := f.svc.Stress(ctx, f.public, c.ID); len(st.Rows[0].Cells[3].Comments) != 1 || st.Rows[0].Cells[3].Comments[0].UserName != "" {
			t.Fatalf("the public sees names: %+v", st.Rows[0].Cells[3].Comments)
		}
	})
}

func TestDB_CrossImport(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newCrossFixture(t, db)
		hidden, err := f.svc.Create(ctx, f.editorB, sampleCross(f.b, "dold", library.Organisation))
		if err != nil {
			t.Fatal(err)
		}
		file := func(cs ...*cross.Cross) []byte {
			ex := cross.Export{Format: cross.ExportFormat}
			for _, c := range cs {
				ex.Crosses = append(ex.Crosses, *c)
			}
			b, err := json.Marshal(ex)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		one, two, three := sampleCross(f.a, "ett", library.Public), sampleCross(f.a, "två", library.Public), sampleCross(f.a, "tre", library.Public)
		one.ID, two.ID, three.ID = 1, 2, 3
		two.ParentID, three.ParentID = 1, 2
		count := func() int {
			cs, err := f.svc.List(ctx, f.admin, cross.ListQuery{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(cs)
		}
		before := count()
		cyc := *one
		cyc.ParentID = 3
		bad := []struct {
			name, key string
			data      []byte
		}{
			{"Malformed", "cross.import_malformed", []byte(`{"format": "framsyn.crosses/1", "crosses": [{"id": 1, "titel": "x"}]}`)},
			{"NotJSON", "cross.import_malformed", []byte(`<kors/>`)},
			{"Cycle", "cross.cycle", file(&cyc, two, three)},
			{"HiddenParent", "cross.import_parent_unknown", file(&cross.Cross{ID: 9, ParentID: hidden.ID, OrganisationID: f.a, Title: "x", Question: "y", Horizon: 2050,
				X: one.X, Y: one.Y, Scenarios: one.Scenarios})},
			{"LastInvalid", "cross.import_invalid", file(one, two, &cross.Cross{ID: 4, OrganisationID: f.a, Title: "Utan axlar"})},
		}
		for _, tc := range bad {
			t.Run("Err"+tc.name, func(t *testing.T) {
				_, err := f.svc.Import(ctx, f.editorA, tc.data)
				if e := errs.As(err); e.Kind != errs.Invalid || e.Key != tc.key {
					t.Fatalf("err %v, want %s", err, tc.key)
				}
				if n := count(); n != before {
					t.Fatalf("%d crosses after a refused import, want %d", n, before)
				}
			})
		}
		got, err := f.svc.Import(ctx, f.editorA, file(three, two, one))
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]cross.Cross{}
		for _, c := range got {
			byTitle[c.Title] = c
		}
		a, b, c := byTitle[one.Title], byTitle[two.Title], byTitle[three.Title]
		if b.ParentID != a.ID || c.ParentID != b.ID || c.RootID != a.ID || a.RootID != a.ID {
			t.Fatalf("imported lineage: %d←%d←%d roots %d %d %d", a.ID, b.ParentID, c.ParentID, a.RootID, b.RootID, c.RootID)
		}
		if _, err := f.svc.Import(ctx, f.editorB, file(one)); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an import into another organisation: %v", err)
		}
	})
}
