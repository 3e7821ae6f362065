package storage_test

import (
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/sitepage"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestDB_SitePages stores a page per language and replaces it, on every
// engine.
func TestDB_SitePages(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		s := db.SitePages()
		if _, err := s.SitePage(ctx, "kakor", "sv"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("before any edit: %v, want NotFound", err)
		}
		at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		for _, p := range []sitepage.Page{
			{Slug: "kakor", Lang: "sv", Title: "Kakor", Body: "Första", UpdatedAt: at, UpdatedBy: "Admin"},
			{Slug: "kakor", Lang: "en", Title: "Cookies", Body: "English", UpdatedAt: at, UpdatedBy: "Admin"},
			{Slug: "kakor", Lang: "sv", Title: "Kakor på framsyn", Body: "Andra", UpdatedAt: at.Add(time.Hour), UpdatedBy: "Annan"},
		} {
			if err := s.PutSitePage(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		sv, err := s.SitePage(ctx, "kakor", "sv")
		if err != nil || sv.Title != "Kakor på framsyn" || sv.Body != "Andra" || sv.UpdatedBy != "Annan" || !sv.UpdatedAt.Equal(at.Add(time.Hour)) {
			t.Errorf("sv = %+v, %v", sv, err)
		}
		if en, err := s.SitePage(ctx, "kakor", "en"); err != nil || en.Body != "English" {
			t.Errorf("en = %+v, %v", en, err)
		}
	})
}
