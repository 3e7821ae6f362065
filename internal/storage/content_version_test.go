package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestContentVersion: every committed write to content makes the version
// larger (creating, updating, deleting; many rows in one transaction),
// bookkeeping (rate limits) does not, and the triggers come back when the
// schema is migrated down below 38 and up again.
func TestContentVersion(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		version := func() int64 {
			t.Helper()
			v, err := db.ContentVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		orgs := db.Organisations()
		changes := func(name string, write func() error) {
			t.Helper()
			before := version()
			if err := write(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if after := version(); after <= before {
				t.Errorf("%s: version %d, then %d; want larger", name, before, after)
			}
		}
		keeps := func(name string, write func() error) {
			t.Helper()
			before := version()
			if err := write(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if after := version(); after != before {
				t.Errorf("%s: version %d, then %d; want unchanged", name, before, after)
			}
		}
		var o *account.Organisation
		changes("create", func() error { o = MustOrg(t, db, "kommun-a"); return nil })
		changes("update", func() error { o.Name = "Kommun A"; return orgs.UpdateOrganisation(ctx, o) })
		changes("many in one transaction", func() error {
			return orgs.PutOrganisations(ctx, []account.Organisation{
				{Slug: "kommun-b", Name: "Kommun B", Kind: account.KindMunicipality, Level: account.LevelLocal, Public: true},
				{Slug: "kommun-c", Name: "Kommun C", Kind: account.KindMunicipality, Level: account.LevelLocal, Public: true},
			})
		})
		changes("delete", func() error { return orgs.DeleteOrganisation(ctx, o.ID) })
		keeps("a read", func() error { _, err := orgs.ListOrganisations(ctx, account.OrgFilter{}); return err })
		keeps("a rate limit", func() error {
			_, err := db.RateLimits().Allow(ctx, time.Now(), ratelimit.Rule{Key: "k", Every: time.Second, Burst: 3})
			return err
		})

		// A workshop's commands are its live state; its title is content.
		var f *wsFixture
		changes("a workshop", func() error { f = mustWorkshop(t, db); return nil })
		g := f.guest(t, "Alva")
		keeps("a workshop's command", func() error {
			f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"})
			return nil
		})
		changes("a workshop's title", func() error {
			f.do(t, f.host, workshop.Command{Kind: workshop.WorkshopEdit, Name: "Omsorgen 2050", Text: "Hur ser omsorgen ut 2050?", Year: 2050, Budget: 3})
			return nil
		})

		if err := db.MigrateDownTo(ctx, 37); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		changes("create after migrating down and up", func() error { MustOrg(t, db, "kommun-d"); return nil })
		keeps("a workshop's command after migrating down and up", func() error {
			f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Färre bilar", STEEP: "technological"})
			return nil
		})
	})
}

// TestContentVersion_ConcurrentCommits: commits from many connections at
// once each count (none lost, none deadlocked), on PostgreSQL where the
// version is spread over rows.
func TestContentVersion_ConcurrentCommits(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		before, err := db.ContentVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		orgs := db.Organisations()
		const n = 20
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := &account.Organisation{Slug: "org-" + string(rune('a'+i)), Name: "Org", Kind: account.KindOther, Level: account.LevelLocal, Public: true}
				_, err := orgs.CreateOrganisation(context.WithoutCancel(ctx), o)
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		after, err := db.ContentVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after-before < n {
			t.Errorf("version grew by %d over %d commits, want at least %d", after-before, n, n)
		}
	})
}
