package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// While groups work apart, a guest of group A reads nothing of group B
// through any route they can reach (the stream: workshop's
// TestService_GroupsApart); after the facilitator gathers everyone, they do.
func TestWorkshopGroupsApart(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			a, b := r.guest(t, "Anna"), r.guest(t, "Bertil")
			id := func(u *wsUser) int64 {
				var me struct{ Me int64 }
				body := readBody(t, u.req("GET", fmt.Sprintf("/workshoppar/%d/tavla.json", r.id), nil, ""))
				if err := json.Unmarshal([]byte(body), &me); err != nil {
					t.Fatal(err)
				}
				return me.Me
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			ga := r.fac.mustCmd(r.id, map[string]any{"kind": "group.create", "name": "A", "quadrant": 1})
			gb := r.fac.mustCmd(r.id, map[string]any{"kind": "group.create", "name": "B", "quadrant": 2})
			r.fac.mustCmd(r.id, map[string]any{"kind": "group.assign", "participant": id(a), "group": ga})
			r.fac.mustCmd(r.id, map[string]any{"kind": "group.assign", "participant": id(b), "group": gb})
			a.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "anna-lapp"})
			b.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "hemlig-bertil-lapp"})

			ws := fmt.Sprintf("/workshoppar/%d", r.id)
			api := fmt.Sprintf("/api/v1/workshops/%d", r.id)
			routes := []string{ws, ws + "/tavla.json", ws + "/tavla.html", ws + "/resultat", ws + "/resultat.json",
				ws + "/resultat.md", api, api + "/results"}
			read := func(u *wsUser, path string) string {
				t.Helper()
				resp := u.req("GET", path, nil, "")
				body := readBody(t, resp)
				if resp.StatusCode != 200 {
					t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
				}
				return body
			}
			for _, path := range routes {
				if body := read(a, path); strings.Contains(body, "hemlig-bertil-lapp") {
					t.Errorf("while apart, A reads B's note at %s", path)
				}
			}
			if body := read(r.fac, ws+"/tavla.json"); !strings.Contains(body, "hemlig-bertil-lapp") {
				t.Error("the facilitator does not read B's note")
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "groups.plenary"})
			for _, path := range []string{ws + "/tavla.json", ws + "/tavla.html", api} {
				if body := read(a, path); !strings.Contains(body, "hemlig-bertil-lapp") {
					t.Errorf("after the gather, A does not read B's note at %s", path)
				}
			}
		})
	}
}

// The facilitator's control of who is in: a new join code stops the old
// one; a browser holding a removed guest's token is refused on the board,
// the stream and the join form with any code; joins are limited per
// client; a rejoin link asks before it replaces another guest's cookie.
func TestWorkshopFacilitatorControl(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			a, b := r.guest(t, "Anna"), r.guest(t, "Bertil")
			ws := fmt.Sprintf("/workshoppar/%d", r.id)
			var board struct {
				Me       int64
				Workshop struct{ Code string }
			}
			body := readBody(t, a.req("GET", ws+"/tavla.json", nil, ""))
			if err := json.Unmarshal([]byte(body), &board); err != nil {
				t.Fatal(err)
			}
			old := r.code
			r.fac.mustCmd(r.id, map[string]any{"kind": "code.new"})
			body = readBody(t, r.fac.req("GET", ws+"/tavla.json", nil, ""))
			var fb struct{ Workshop struct{ Code string } }
			if err := json.Unmarshal([]byte(body), &fb); err != nil {
				t.Fatal(err)
			}
			if fb.Workshop.Code == old || len(fb.Workshop.Code) != 6 {
				t.Fatalf("new code %q, old %q", fb.Workshop.Code, old)
			}
			r.code = fb.Workshop.Code
			stranger := &wsUser{ta: r.ta, cookies: map[string]string{}}
			if resp := stranger.req("GET", "/j/"+old, nil, ""); resp.StatusCode != http.StatusNotFound {
				t.Errorf("old code: %d", resp.StatusCode)
			}
			r.guest(t, "Cissi") // the new code works

			r.fac.mustCmd(r.id, map[string]any{"kind": "participant.remove", "participant": board.Me})
			for _, c := range []struct{ method, path string }{{"GET", ws}, {"GET", ws + "/tavla.json"}, {"GET", ws + "/strom?since=0"},
				{"GET", "/j/" + r.code}} {
				if resp := a.req(c.method, c.path, nil, ""); resp.StatusCode != http.StatusForbidden {
					t.Errorf("removed guest %s %s: %d", c.method, c.path, resp.StatusCode)
				}
			}
			if resp := a.req("POST", "/j/"+r.code, url.Values{"nickname": {"Anna igen"}, "id": {wsID()}}, ""); resp.StatusCode != http.StatusForbidden {
				t.Errorf("removed guest rejoins: %d", resp.StatusCode)
			}

			// B's rejoin link opened in C's browser asks first.
			link := regexp.MustCompile(`href="http://[^"]+(/j/[A-Z0-9]+/igen/[^"]+)"`).FindStringSubmatch(r.board(t, b))
			if link == nil {
				t.Fatal("no rejoin link")
			}
			c := r.guest(t, "Doris")
			before := fmt.Sprint(c.cookies)
			if resp := c.req("POST", link[1], url.Values{}, ""); resp.StatusCode != http.StatusConflict || fmt.Sprint(c.cookies) != before {
				t.Fatalf("rejoin over another guest: %d, cookies changed %v", resp.StatusCode, fmt.Sprint(c.cookies) != before)
			}
			if resp := c.req("POST", link[1], url.Values{"confirm": {"1"}}, ""); resp.StatusCode != http.StatusSeeOther || fmt.Sprint(c.cookies) == before {
				t.Fatalf("confirmed rejoin: %d", resp.StatusCode)
			}

			// Joins from one client: 20, then refused.
			var last int
			for i := 0; i < 25; i++ {
				g := &wsUser{ta: r.ta, cookies: map[string]string{}}
				last = g.req("POST", "/j/"+r.code, url.Values{"nickname": {fmt.Sprintf("Gäst %d", i)}, "id": {wsID()}}, "").StatusCode
			}
			if last != http.StatusTooManyRequests {
				t.Errorf("25 joins from one client: last %d", last)
			}
		})
	}
}
