package library_test

import (
	"slices"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestService_Suggestions: the filter suggests the methods and themes of
// public works, most used first, never a word only a draft, a network or
// an organisation's own work carries; a new word appears once the cached
// answer is older than its time to live.
func TestService_Suggestions(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		now := clock
		f.svc.SetClock(func() time.Time { return now })
		for _, c := range []struct {
			vis            library.Visibility
			methods, theme []string
		}{
			{library.Public, []string{"Backcasting"}, []string{"Klimat"}},
			{library.Public, []string{"backcasting", "Scenariokors"}, nil},
			{library.Draft, []string{"Hemlig metod"}, []string{"Utkast"}},
			{library.Organisation, []string{"Intern metod"}, []string{"Internt"}},
			{library.Network, nil, []string{"Nätverk"}},
		} {
			w := f.work("Verk "+string(c.vis), c.vis)
			w.Methods, w.Themes = c.methods, c.theme
			f.mustCreate(t, w)
		}
		got, err := f.svc.Suggestions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Backcasting", "Scenariokors"}; !slices.Equal(got.Methods, want) {
			t.Errorf("methods %v, want %v", got.Methods, want)
		}
		if want := []string{"Klimat"}; !slices.Equal(got.Themes, want) {
			t.Errorf("themes %v, want %v", got.Themes, want)
		}
		w := f.work("Senare", library.Public)
		w.Themes = []string{"Energi"}
		f.mustCreate(t, w)
		if got, _ := f.svc.Suggestions(ctx); slices.Contains(got.Themes, "Energi") {
			t.Errorf("themes %v: the cache was counted again before its time", got.Themes)
		}
		now = now.Add(time.Hour)
		f.svc.Suggestions(ctx) // stale: served while counted again in the background
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, _ := f.svc.Suggestions(ctx)
			if slices.Contains(got.Themes, "Energi") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("themes %v: never counted again", got.Themes)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// TestService_Visible: a page of hits loads its works at once, in the
// order asked, without the ones the actor may not see or that are gone.
func TestService_Visible(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		pub := f.mustCreate(t, f.work("Öppet", library.Public))
		draft := f.mustCreate(t, f.work("Utkast", library.Draft))
		net := f.mustCreate(t, f.work("Nätverk", library.Network))
		ids := []int64{net.ID, draft.ID, 999999, pub.ID}
		for _, c := range []struct {
			name string
			got  func() ([]library.Work, error)
			want []int64
		}{
			{"Public", func() ([]library.Work, error) { return f.svc.Visible(t.Context(), f.public, ids) }, []int64{pub.ID}},
			{"SignedIn", func() ([]library.Work, error) { return f.svc.Visible(t.Context(), f.signedIn, ids) }, []int64{net.ID, pub.ID}},
			{"EditorA", func() ([]library.Work, error) { return f.svc.Visible(t.Context(), f.editorA, ids) }, []int64{net.ID, draft.ID, pub.ID}},
		} {
			t.Run(c.name, func(t *testing.T) {
				works, err := c.got()
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, w := range works {
					got = append(got, w.ID)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("Visible = %v, want %v", got, c.want)
				}
			})
		}
	})
}
