package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestHome_CachedForThePublic: the public's front page lists are kept a
// few seconds (ui.homeTTL, 5 s), so a new organisation shows there within
// that bound; a signed-in viewer's are read fresh every time.
func TestHome_CachedForThePublic(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			ta.mustOrg("org-a", true)
			u := ta.mustUser("u@example.se", "U", false)
			s := ta.mintSession(u)
			home := func(session string) string {
				return readBody(t, ta.do(req{method: "GET", path: "/", session: session}))
			}
			if !strings.Contains(home(""), "Org org-a") {
				t.Fatal("the front page does not list the organisation")
			}
			if err := ta.Accounts.PutOrganisations(context.Background(), []account.Organisation{{Slug: "org-b", Name: "Org org-b",
				Kind: account.KindOther, Level: account.LevelLocal, Public: true}}); err != nil {
				t.Fatal(err)
			}
			written := time.Now()
			if !strings.Contains(home(s), "Org org-b") {
				t.Error("a signed-in viewer does not see the new organisation at once")
			}
			for !strings.Contains(home(""), "Org org-b") {
				if time.Since(written) > 5*time.Second+2*time.Second {
					t.Fatal("the public's front page is older than the cache's bound")
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
