package app_test

import (
	"encoding/json"
	"fmt"
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
