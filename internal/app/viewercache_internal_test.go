package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/ui"
)

// TestViewerCache_Rules: a page is kept for everyone of one scope (by
// user where the route says so), rendered with the scope's actor alone,
// each viewer's own header put in its hole; never for the public, with a
// flash or another cookie, for an error, or past the version or the clock.
func TestViewerCache_Rules(t *testing.T) {
	version, renders := int64(1), 0
	now := time.Unix(1_000_000, 0)
	var seen []*account.Actor // the actors the pages were made with
	page := func(w http.ResponseWriter, r *http.Request) {
		renders++
		seen = append(seen, account.ActorFrom(r.Context()))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		hole := "no hole"
		if ui.HasChromeHole(r.Context()) {
			hole = string(ui.ChromeMarker())
		}
		fmt.Fprintf(w, "<header>%s</header>render %d", hole+"|"+hole, renders)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bibliotek", page)
	mux.HandleFunc("GET /workshoppar", page)
	mux.HandleFunc("GET /konto", page)
	mux.HandleFunc("GET /sok", func(w http.ResponseWriter, r *http.Request) {
		renders++
		http.Error(w, fmt.Sprintf("render %d", renders), http.StatusNotFound)
	})
	c := newViewerCache(func(context.Context) (int64, error) { return version, nil },
		func(r *http.Request) string { _, p := mux.Handler(r); return p },
		func(r *http.Request) ([]byte, error) {
			return []byte(account.ActorFrom(r.Context()).User.Name), nil
		}, "framsyn_session")
	c.now = func() time.Time { return now }
	h := c.wrap(mux)
	org := func(id int64, role account.Role) account.Membership {
		return account.Membership{OrganisationID: id, Role: role, UserID: 9, UserName: "x", UserEmail: "x@example.se"}
	}
	actors := map[string]*account.Actor{
		"alice": {User: &account.User{ID: 1, Name: "Alice", Email: "a@example.se"}, Memberships: []account.Membership{org(1, account.RoleEditor), org(2, account.RoleMember)}},
		// Carol: Alice's scope, her memberships in another order.
		"carol": {User: &account.User{ID: 2, Name: "Carol"}, Memberships: []account.Membership{org(2, account.RoleMember), org(1, account.RoleEditor)}},
		"bob":   {User: &account.User{ID: 3, Name: "Bob"}, Memberships: []account.Membership{org(1, account.RoleMember), org(2, account.RoleMember)}},
		"ada":   {User: &account.User{ID: 4, Name: "Ada", IsAdmin: true}, Memberships: []account.Membership{org(1, account.RoleEditor), org(2, account.RoleMember)}},
	}
	get := func(who, path, cookie string) string {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Cookie", "framsyn_session=s"+cookie)
		if a := actors[who]; a != nil {
			r = r.WithContext(account.WithActor(r.Context(), a))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Body.String()
	}
	steps := []struct {
		name, who, path, cookie string
		advance                 time.Duration
		bump                    bool
		want                    string
	}{
		{name: "first", who: "alice", path: "/bibliotek", want: "<header>Alice|Alice</header>render 1"},
		{name: "kept", who: "alice", path: "/bibliotek", want: "<header>Alice|Alice</header>render 1"},
		{name: "one scope, own header", who: "carol", path: "/bibliotek", want: "<header>Carol|Carol</header>render 1"},
		{name: "another role", who: "bob", path: "/bibliotek", want: "<header>Bob|Bob</header>render 2"},
		{name: "platform admin", who: "ada", path: "/bibliotek", want: "<header>Ada|Ada</header>render 3"},
		{name: "the public goes past", who: "", path: "/bibliotek", want: "<header>no hole|no hole</header>render 4"},
		{name: "query is another page", who: "carol", path: "/bibliotek?q=a", want: "<header>Carol|Carol</header>render 5"},
		{name: "English", who: "carol", path: "/bibliotek", cookie: "; framsyn_lang=en", want: "<header>Carol|Carol</header>render 6"},
		{name: "flash goes past", who: "carol", path: "/bibliotek", cookie: "; framsyn_flash=k", want: "<header>no hole|no hole</header>render 7"},
		{name: "another cookie goes past", who: "carol", path: "/bibliotek", cookie: "; other=1", want: "<header>no hole|no hole</header>render 8"},
		{name: "by user", who: "alice", path: "/workshoppar", want: "<header>Alice|Alice</header>render 9"},
		{name: "by user, not shared", who: "carol", path: "/workshoppar", want: "<header>Carol|Carol</header>render 10"},
		{name: "by user, kept", who: "alice", path: "/workshoppar", want: "<header>Alice|Alice</header>render 9"},
		{name: "route not kept", who: "alice", path: "/konto", want: "<header>no hole|no hole</header>render 11"},
		{name: "error shown", who: "alice", path: "/sok", want: "render 12\n"},
		{name: "error not kept", who: "alice", path: "/sok", want: "render 13\n"},
		{name: "written", who: "carol", path: "/bibliotek", bump: true, want: "<header>Carol|Carol</header>render 14"},
		{name: "expired", who: "carol", path: "/bibliotek", advance: pageCacheTTL, want: "<header>Carol|Carol</header>render 15"},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		if s.bump {
			version++
		}
		seen = nil
		if got := get(s.who, s.path, s.cookie); got != s.want {
			t.Errorf("%s: %s as %s = %q, want %q", s.name, s.path, s.who, got, s.want)
		}
		// A page kept by scope is made with nothing of the viewer's.
		if len(seen) == 1 && viewerRoutes["GET "+strings.Split(s.path, "?")[0]] == byScope && s.who != "" && !strings.Contains(s.want, "no hole") {
			a := seen[0]
			if a.User.ID != 0 || a.User.Name != "" || a.User.Email != "" || a.IsAdmin() != actors[s.who].IsAdmin() {
				t.Errorf("%s: made with user %+v", s.name, a.User)
			}
			for _, m := range a.Memberships {
				if m.UserID != 0 || m.UserName != "" || m.UserEmail != "" {
					t.Errorf("%s: made with membership %+v", s.name, m)
				}
			}
		}
	}
}
