package demo_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestSeedCrosses: the demo's crosses are a national cross and crosses
// derived from it, every one labelled as an example, found again on a
// second run; the national one quotes the network's wish verbatim.
func TestSeedCrosses(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		store := demo.Store{Accounts: db.Accounts(), Library: db.Works(), Posts: db.Posts(), Workshops: db.Workshops(), Crosses: db.Crosses()}
		if _, err := demo.SeedAll(ctx, account.NewService(store.Accounts, slog.New(slog.NewTextHandler(io.Discard, nil))), store, nil); err != nil {
			t.Fatal(err)
		}
		svc := cross.NewService(db.Crosses())
		admin := &account.Actor{User: &account.User{ID: 1, IsAdmin: true}}
		cs, err := svc.List(ctx, admin, cross.ListQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 4 {
			t.Fatalf("%d demo crosses, want 4", len(cs))
		}
		seed := MustSeedText(t, seedMasterclass)
		national := 0
		for _, c := range cs {
			if !strings.Contains(c.Title, "(exempel)") || !strings.Contains(c.Question, "(exempel)") {
				t.Errorf("%q is not labelled as an example", c.Title)
			}
			for _, ax := range []cross.Axis{c.X, c.Y} {
				if !strings.Contains(ax.Name, "(exempel)") {
					t.Errorf("%q: axis %q is not labelled as an example", c.Title, ax.Name)
				}
			}
			if c.Level == cross.LevelNational {
				national++
				q := c.Source[strings.Index(c.Source, "”")+len("”") : strings.LastIndex(c.Source, "”")]
				if !strings.Contains(c.Source, "Exempel") || !strings.Contains(seed, normalise(q)) {
					t.Errorf("the national cross's source %q does not quote seed 003", c.Source)
				}
			} else if !c.Derived() {
				t.Errorf("%q is not derived", c.Title)
			}
		}
		if national != 1 {
			t.Errorf("%d national crosses", national)
		}
		if n, err := demo.SeedCrosses(ctx, svc, admin, store); err != nil || n != 0 {
			t.Errorf("a second run made %d crosses, %v", n, err)
		}
	})
}

// TestMethodExamples: every guide has an example, every quote is the
// seed's words, and every work or organisation it leads to is one the
// demo makes.
func TestMethodExamples(t *testing.T) {
	n, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	home := MustSeedText(t, seedHomeWork)
	works := map[string]bool{}
	for _, w := range n.Works(orgsBySlug(n)) {
		works[w.Slug] = true
	}
	titles := map[string]bool{demo.ExampleCrossTitle: true, "Välfärden i Kronoberg 2050 (exempel)": true, "Kompetensförsörjningen i Värmland 2050 (exempel)": true}
	ex := demo.MethodExamples()
	for _, g := range method.Guides {
		if len(ex[g.Slug]) == 0 {
			t.Errorf("guide %s has no example", g.Slug)
		}
		for _, e := range ex[g.Slug] {
			if e.Quote != "" && !strings.Contains(home, normalise(e.Quote)) {
				t.Errorf("%s: %q is not in the seed", g.Slug, e.Quote)
			}
			switch {
			case e.Work != "" && !works[e.Work]:
				t.Errorf("%s: no demo work %q", g.Slug, e.Work)
			case e.Cross != "" && !titles[e.Cross]:
				t.Errorf("%s: no demo cross %q", g.Slug, e.Cross)
			case e.Cross != "" && !strings.Contains(e.Label, "exempel"):
				t.Errorf("%s: the example cross's label %q does not say it is an example", g.Slug, e.Label)
			}
		}
		if g.Source == "" || g.Template == "" {
			t.Errorf("guide %s lacks a source or a template", g.Slug)
		}
	}
}

// orgsBySlug gives each of the network's organisations an id, as stored.
func orgsBySlug(n *demo.Network) map[string]*account.Organisation {
	out := map[string]*account.Organisation{}
	for i, o := range n.AccountOrganisations() {
		o := o
		o.ID = int64(i + 1)
		out[o.Slug] = &o
	}
	return out
}
