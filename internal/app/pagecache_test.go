package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestPageCache_SeesEveryWrite: two instances on one database; a page
// the public has had from one instance (so it is kept there) shows a
// change written through the other on the next request, pages and API.
func TestPageCache_SeesEveryWrite(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta, tb := mustApp(t, dsn), mustApp(t, dsn)
			org := ta.mustOrg("org-a", true)
			admin := tb.mustUser("admin@example.se", "Admin", true)
			get := func(path string) string {
				t.Helper()
				resp := ta.do(req{method: "GET", path: path})
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d", path, resp.StatusCode)
				}
				return readBody(t, resp)
			}
			pages := []string{"/organisationer", "/natverket", "/api/v1/organizations", "/organisationer/org-a"}
			for _, p := range pages {
				for range 2 { // the second from the cache
					if !strings.Contains(get(p), "Org org-a") {
						t.Fatalf("%s does not show the organisation", p)
					}
				}
			}
			org.Name = "Omdöpt organisation"
			if err := tb.Stores.Accounts.UpdateOrganisation(context.Background(), org); err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				if body := get(p); !strings.Contains(body, "Omdöpt organisation") || strings.Contains(body, "Org org-a") {
					t.Errorf("%s after a rename on the other instance still shows the old name", p)
				}
			}

			for range 2 {
				if strings.Contains(get("/bibliotek"), "Ett nytt scenario") {
					t.Fatal("the library shows a work not yet made")
				}
			}
			tb.mustWork(tb.actorOf(admin), org.ID, "Ett nytt scenario", library.Public)
			if !strings.Contains(get("/bibliotek"), "Ett nytt scenario") {
				t.Error("/bibliotek does not show a work made on the other instance")
			}
			if !strings.Contains(get("/api/v1/works"), "Ett nytt scenario") {
				t.Error("/api/v1/works does not show a work made on the other instance")
			}
		})
	}
}

// TestPageCache_NoLeak: what a signed-in member sees is never kept for
// the public, and the public's kept page is never served to a member; a
// flash message is not kept; each language has its own page.
func TestPageCache_NoLeak(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			org := ta.mustOrg("org-a", true)
			admin := ta.mustUser("admin@example.se", "Admin", true)
			ta.mustWork(ta.actorOf(admin), org.ID, "Öppet scenario", library.Public)
			ta.mustWork(ta.actorOf(admin), org.ID, "Nätverkets scenario", library.Network)
			member := ta.mintSession(admin)
			get := func(r req) string {
				t.Helper()
				r.method = "GET"
				resp := ta.do(r)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d", r.path, resp.StatusCode)
				}
				return readBody(t, resp)
			}
			for _, path := range []string{"/bibliotek", "/api/v1/works"} {
				// Member first, then the public, then the member again, then
				// the public with a token-less API call.
				for i, step := range []struct {
					session string
					sees    bool
				}{{member, true}, {"", false}, {"", false}, {member, true}, {"", false}} {
					body := get(req{path: path, session: step.session})
					if !strings.Contains(body, "Öppet scenario") {
						t.Fatalf("%s step %d: no public work", path, i)
					}
					if got := strings.Contains(body, "Nätverkets scenario"); got != step.sees {
						t.Errorf("%s step %d (signed in %v): network work shown = %v", path, i, step.session != "", got)
					}
				}
			}

			// A flash message shows once and is not kept for the next visitor.
			if !strings.Contains(get(req{path: "/bibliotek", header: map[string]string{"Cookie": "framsyn_flash=login.goodbye"}}), "Du är utloggad.") {
				t.Fatal("the flash message is not shown")
			}
			if strings.Contains(get(req{path: "/bibliotek"}), "Du är utloggad.") {
				t.Error("the next visitor sees another's flash message")
			}

			// Swedish and English pages are kept apart.
			for range 2 {
				if !strings.Contains(get(req{path: "/workshoppar"}), "Workshoppar") {
					t.Fatal("the Swedish page is not Swedish")
				}
				en := get(req{path: "/workshoppar", header: map[string]string{"Cookie": "framsyn_lang=en"}})
				if !strings.Contains(en, "Workshops") || strings.Contains(en, "Workshoppar") {
					t.Fatal("the English page is not English")
				}
			}
		})
	}
}
