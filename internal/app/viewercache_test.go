package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// viewerFixture: two instances on one database; organisations A and B;
// Alice and Carol editors of A (one scope), Bob editor of B, and a
// platform admin; a work of A's and one of B's seen only by their
// organisations' members, and a public one.
type viewerFixture struct {
	ta, tb                   *testApp
	orgA, orgB               *account.Organisation
	alice, carol, bob, admin *account.User
	sess                     map[string]string // by name, sessions on the shared database
}

func newViewerFixture(t *testing.T, dsn string) *viewerFixture {
	f := &viewerFixture{ta: mustApp(t, dsn)}
	f.tb = mustApp(t, dsn, func(c *app.Config) { c.NoMigrate = true })
	f.orgA, f.orgB = f.ta.mustOrg("org-a", true), f.ta.mustOrg("org-b", true)
	f.alice = f.ta.mustUser("alice@example.se", "Alice Andersson", false)
	f.carol = f.ta.mustUser("carol@example.se", "Carol Carlsson", false)
	f.bob = f.ta.mustUser("bob@example.se", "Bob Berg", false)
	f.admin = f.ta.mustUser("admin@example.se", "Ada Admin", true)
	f.ta.mustMember(f.alice, f.orgA, account.RoleEditor)
	f.ta.mustMember(f.carol, f.orgA, account.RoleEditor)
	f.ta.mustMember(f.bob, f.orgB, account.RoleEditor)
	adm := f.ta.actorOf(f.admin)
	f.ta.mustWork(adm, f.orgA.ID, "Öppet scenario", library.Public)
	f.ta.mustWork(adm, f.orgA.ID, "Organisation A:s scenario", library.Organisation)
	f.ta.mustWork(adm, f.orgB.ID, "Organisation B:s scenario", library.Organisation)
	f.sess = map[string]string{"alice": f.ta.mintSession(f.alice), "carol": f.ta.mintSession(f.carol),
		"bob": f.ta.mintSession(f.bob), "admin": f.ta.mintSession(f.admin), "public": ""}
	return f
}

func (f *viewerFixture) get(t *testing.T, ta *testApp, who, path string, header map[string]string) string {
	t.Helper()
	resp := ta.do(req{method: "GET", path: path, session: f.sess[who], header: header})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s = %d", path, who, resp.StatusCode)
	}
	body := readBody(t, resp)
	if strings.Contains(body, "<!--chrome ") {
		t.Fatalf("GET %s as %s: a hole for the viewer's header left unfilled", path, who)
	}
	return body
}

// TestViewerCache_NoLeak: members of different organisations, an admin and
// the public each see their own lists however the requests interleave; two
// members of one scope share a kept page but each sees their own name;
// one's own workshops are not another's; each language has its own page.
func TestViewerCache_NoLeak(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newViewerFixture(t, dsn)
			sees := map[string][2]bool{ // A's work, B's work
				"alice": {true, false}, "carol": {true, false}, "bob": {false, true}, "admin": {true, true}, "public": {false, false},
			}
			names := map[string]string{"alice": "Alice Andersson", "carol": "Carol Carlsson", "bob": "Bob Berg", "admin": "Ada Admin"}
			order := []string{"alice", "bob", "carol", "admin", "public", "alice", "carol", "bob", "public", "admin"}
			for _, path := range []string{"/bibliotek", "/api/v1/works", "/sok?q=scenario", "/api/v1/search?q=scenario", "/organisationer/org-a"} {
				for i, who := range order {
					body := f.get(t, f.ta, who, path, nil)
					if !strings.Contains(body, "Öppet") { // hits mark "scenario"
						t.Fatalf("%s step %d (%s): no public work", path, i, who)
					}
					want := sees[who]
					if path == "/organisationer/org-a" {
						want[1] = false // B's work is not A's
					}
					if got := strings.Contains(body, "Organisation A:s"); got != want[0] {
						t.Errorf("%s step %d (%s): A's work shown = %v", path, i, who, got)
					}
					if got := strings.Contains(body, "Organisation B:s"); got != want[1] {
						t.Errorf("%s step %d (%s): B's work shown = %v", path, i, who, got)
					}
					if strings.HasPrefix(path, "/api/") {
						continue
					}
					for other, name := range names {
						if got := strings.Contains(body, name); got != (other == who) {
							t.Errorf("%s step %d (%s): %s's name shown = %v", path, i, who, other, got)
						}
					}
					if got := strings.Contains(body, `href="/admin/anvandare"`); got != (who == "admin") {
						t.Errorf("%s step %d (%s): the admin link shown = %v", path, i, who, got)
					}
					if got := strings.Contains(body, `action="/logga-ut"`); got != (who != "public") {
						t.Errorf("%s step %d (%s): the sign-out button shown = %v", path, i, who, got)
					}
				}
			}

			// One's own workshops: Alice's is not on Carol's list, though the
			// two share a scope.
			ctx := context.Background()
			for range 2 {
				f.get(t, f.ta, "carol", "/workshoppar", nil)
				f.get(t, f.ta, "alice", "/workshoppar", nil)
			}
			w, err := f.tb.Workshops.Create(ctx, f.tb.actorOf(f.alice), workshop.Workshop{Title: "Alices verkstad", FocalQuestion: "Vad?", HorizonYear: 2050})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if !strings.Contains(f.get(t, f.ta, "alice", "/workshoppar", nil), "Alices verkstad") {
					t.Fatal("Alice's list of workshops does not show the one she made on the other instance")
				}
				if strings.Contains(f.get(t, f.ta, "carol", "/workshoppar", nil), "Alices verkstad") {
					t.Fatal("Carol's list of workshops shows Alice's")
				}
				if strings.Contains(f.get(t, f.ta, "carol", "/api/v1/workshops", nil), "Alices verkstad") {
					t.Fatal("Carol's API list of workshops shows Alice's")
				}
			}
			// Carol joins through the other instance: her list shows it at
			// once (migration 45: a signed-in participant bumps the version).
			p, err := f.tb.Workshops.Participant(ctx, f.tb.actorOf(f.alice), w.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.tb.Workshops.Do(ctx, p, workshop.Command{ClientID: "viewer-open-1", Kind: workshop.WorkshopOpen}); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				f.get(t, f.ta, "carol", "/workshoppar", nil)
				f.get(t, f.ta, "carol", "/api/v1/workshops", nil)
			}
			if _, _, err := f.tb.Workshops.Join(ctx, f.tb.actorOf(f.carol), w.Code, "", "viewer-join-1", "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.get(t, f.ta, "carol", "/workshoppar", nil), "Alices verkstad") {
				t.Error("Carol's list of workshops does not show the one she joined on the other instance")
			}
			if !strings.Contains(f.get(t, f.ta, "carol", "/api/v1/workshops", nil), "Alices verkstad") {
				t.Error("Carol's API list of workshops does not show the one she joined on the other instance")
			}

			// Swedish and English apart, for the same viewer.
			for range 2 {
				sv := f.get(t, f.ta, "alice", "/workshoppar", nil)
				en := f.get(t, f.ta, "alice", "/workshoppar", map[string]string{"Cookie": "framsyn_lang=en"})
				if !strings.Contains(sv, "Workshoppar") || !strings.Contains(sv, `lang="sv"`) {
					t.Fatal("the Swedish page is not Swedish")
				}
				if strings.Contains(en, "Workshoppar") || !strings.Contains(en, `lang="en"`) {
					t.Fatal("the English page is not English")
				}
			}

			// A flash message shows once, for its viewer only.
			flash := map[string]string{"Cookie": "framsyn_flash=login.goodbye"}
			if !strings.Contains(f.get(t, f.ta, "alice", "/bibliotek", flash), "Du är utloggad.") {
				t.Fatal("the flash message is not shown")
			}
			if strings.Contains(f.get(t, f.ta, "carol", "/bibliotek", nil), "Du är utloggad.") {
				t.Error("Carol sees Alice's flash message")
			}
		})
	}
}

// TestViewerCache_SeesEveryWrite: what a member has had from one instance
// (kept there) changes at once with a write through the other: a new work,
// a membership (Bob joins A: the actor is kept under the version too), and
// signing out (the session is read on every request).
func TestViewerCache_SeesEveryWrite(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newViewerFixture(t, dsn)
			for _, path := range []string{"/bibliotek", "/api/v1/works"} {
				for range 2 {
					if strings.Contains(f.get(t, f.ta, "alice", path, nil), "Ett nytt scenario") {
						t.Fatal("a work not yet made is shown")
					}
					if strings.Contains(f.get(t, f.ta, "bob", path, nil), "Organisation A:s scenario") {
						t.Fatal("Bob sees A's work")
					}
				}
			}
			f.tb.mustWork(f.tb.actorOf(f.admin), f.orgA.ID, "Ett nytt scenario", library.Organisation)
			f.tb.mustMember(f.bob, f.orgA, account.RoleMember)
			for _, path := range []string{"/bibliotek", "/api/v1/works"} {
				if !strings.Contains(f.get(t, f.ta, "alice", path, nil), "Ett nytt scenario") {
					t.Errorf("%s: Alice does not see a work made on the other instance", path)
				}
				if !strings.Contains(f.get(t, f.ta, "bob", path, nil), "Organisation A:s scenario") {
					t.Errorf("%s: Bob, made a member of A on the other instance, does not see A's work", path)
				}
			}
			resp := f.tb.do(req{method: "POST", path: "/logga-ut", session: f.sess["alice"], header: map[string]string{"Origin": f.tb.srv.URL}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign out = %d", resp.StatusCode)
			}
			body := f.get(t, f.ta, "alice", "/bibliotek", nil)
			if strings.Contains(body, "Alice Andersson") || strings.Contains(body, "Organisation A:s scenario") {
				t.Error("after signing out on the other instance, Alice is still signed in here")
			}
		})
	}
}

// TestViewerCache_SameAsFresh: each kept route answers a member exactly as
// an instance without caches does, so rendering by scope alone drops
// nothing that is the member's own.
func TestViewerCache_SameAsFresh(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newViewerFixture(t, dsn)
			fresh := mustApp(t, dsn, func(c *app.Config) { c.NoMigrate, c.NoPageCache = true, true })
			ctx := context.Background()
			if _, err := f.ta.Workshops.Create(ctx, f.ta.actorOf(f.alice), workshop.Workshop{Title: "Alices verkstad", FocalQuestion: "Vad?", HorizonYear: 2050}); err != nil {
				t.Fatal(err)
			}
			paths := []string{"/", "/organisationer", "/organisationer/org-a", "/natverket", "/natverket/samarbeten",
				"/bibliotek", "/bibliotek/sa-har-gjorde-vi", "/sok?q=scenario", "/evenemang", "/scenariekors", "/metoder",
				"/analys", "/analys/data", "/analys/index", "/workshoppar", "/natverket/processledare",
				"/api/v1/organizations", "/api/v1/works", "/api/v1/events", "/api/v1/crosses", "/api/v1/board",
				"/api/v1/datasets", "/api/v1/index-models", "/api/v1/methods", "/api/v1/search?q=scenario",
				"/api/v1/facilitators", "/api/v1/workshops"}
			for _, who := range []string{"alice", "admin"} {
				for _, path := range paths {
					f.get(t, f.ta, who, path, nil)
					kept := f.get(t, f.ta, who, path, nil)
					// The API's links name each instance's own address.
					want := strings.ReplaceAll(f.get(t, fresh, who, path, nil), fresh.srv.URL, f.ta.srv.URL)
					if want = strings.ReplaceAll(want, strings.TrimPrefix(fresh.srv.URL, "http://"), strings.TrimPrefix(f.ta.srv.URL, "http://")); kept != want {
						t.Errorf("%s as %s: the kept answer differs from a fresh one", path, who)
					}
				}
			}
		})
	}
}
