package library_test

import (
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestService_PublicRecent: what a feed carries is ordered by the last
// change, not by the work's own date, and holds public works only; when a
// work first became public comes from its revisions.
func TestService_PublicRecent(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		create := func(title string, vis library.Visibility, date string) *library.Work {
			w := f.work(title, vis)
			w.Date, _ = time.Parse(time.DateOnly, date)
			return f.mustCreate(t, w)
		}
		update := func(w *library.Work, edit func(*library.Work)) *library.Work {
			t.Helper()
			c := *w
			edit(&c)
			got, err := f.svc.Update(ctx, f.editorA, &c)
			if err != nil {
				t.Fatalf("Update(%q): %v", w.Title, err)
			}
			return got
		}
		recent := func(filter library.Filter) ([]string, map[string]library.Published) {
			t.Helper()
			got, err := f.svc.PublicRecent(ctx, filter, 10)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			by := map[string]library.Published{}
			for _, p := range got {
				titles = append(titles, p.Title)
				by[p.Title] = p
			}
			return titles, by
		}
		want := func(step string, filter library.Filter, titles ...string) map[string]library.Published {
			t.Helper()
			got, by := recent(filter)
			if strings.Join(got, "|") != strings.Join(titles, "|") {
				t.Errorf("%s: %q, want %q", step, got, titles)
			}
			return by
		}

		fresh := create("Färskt datum", library.Public, "2026-06-01")
		old := create("Gammalt datum", library.Public, "2009-05-01")
		by := want("OldDatedCreatedNow", library.Filter{}, "Gammalt datum", "Färskt datum")
		if p := by["Gammalt datum"]; !p.FirstPublic.Equal(old.CreatedAt) || !p.UpdatedAt.Equal(old.CreatedAt) {
			t.Errorf("created public: first public %v, updated %v, want both %v", p.FirstPublic, p.UpdatedAt, old.CreatedAt)
		}

		fresh = update(fresh, func(w *library.Work) { w.Summary = "Nu med en bättre sammanfattning." })
		by = want("EditMovesUp", library.Filter{}, "Färskt datum", "Gammalt datum")
		if p := by["Färskt datum"]; !p.UpdatedAt.Equal(fresh.UpdatedAt) || !p.UpdatedAt.After(p.CreatedAt) || !p.FirstPublic.Equal(p.CreatedAt) {
			t.Errorf("edited: %+v", p)
		}

		draft := create("Utkastet", library.Draft, "2012-01-01")
		want("DraftHidden", library.Filter{}, "Färskt datum", "Gammalt datum")
		draft = update(draft, func(w *library.Work) { w.Visibility = library.Public })
		by = want("DraftMadePublic", library.Filter{}, "Utkastet", "Färskt datum", "Gammalt datum")
		if p := by["Utkastet"]; !p.FirstPublic.Equal(draft.UpdatedAt) || !p.FirstPublic.After(p.CreatedAt) {
			t.Errorf("made public at %v: first public %v (created %v)", draft.UpdatedAt, p.FirstPublic, p.CreatedAt)
		}
		// Hidden and public again: it first became public the first time.
		draft = update(draft, func(w *library.Work) { w.Visibility = library.Network })
		want("MadeNetworkOnly", library.Filter{}, "Färskt datum", "Gammalt datum")
		madePublic := by["Utkastet"].FirstPublic
		update(draft, func(w *library.Work) { w.Visibility = library.Public })
		if by = want("PublicAgain", library.Filter{}, "Utkastet", "Färskt datum", "Gammalt datum"); !by["Utkastet"].FirstPublic.Equal(madePublic) {
			t.Errorf("public again: first public %v, want %v", by["Utkastet"].FirstPublic, madePublic)
		}

		update(old, func(w *library.Work) { w.Visibility = library.Organisation })
		want("MadeOrganisationOnly", library.Filter{}, "Utkastet", "Färskt datum")

		// The feeds' scopes: an organisation (owner or co-organiser) and a type.
		want("CoOrganiser", library.Filter{OrganisationID: f.orgC}, "Utkastet", "Färskt datum")
		want("OtherOrganisation", library.Filter{OrganisationID: f.orgB})
		want("OtherType", library.Filter{Type: library.TypePodcast})
	})
}
