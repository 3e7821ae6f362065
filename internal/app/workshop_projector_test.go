package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestWorkshopProjector: the projector view shows the room what it may
// see – the code with its QR, the number of participants, the stage and
// its content – with no controls and no site navigation; ratings wait for
// the reveal, and only facilitators open it.
func TestWorkshopProjector(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			alva, bosse := r.guest(t, "Alva"), r.guest(t, "Bosse")
			proj := func() string {
				t.Helper()
				resp := r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/projektor", r.id), nil, "")
				body := readBody(t, resp)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("projector: %d %s", resp.StatusCode, body)
				}
				return body
			}
			page := proj()
			for _, want := range []string{r.code, `class="proj-qr"`, "<title id=\"proj-qr-t\">", "2 deltagare", "Fokusfråga", "Hur ser välfärden ut i Region X 2050?"} {
				if !strings.Contains(page, want) {
					t.Errorf("projector lacks %q", want)
				}
			}
			for _, not := range []string{"<form", `class="site"`, "<nav", "<select", "<button"} {
				if strings.Contains(page, not) {
					t.Errorf("projector has %q (it has no controls)", not)
				}
			}
			if resp := alva.req("GET", fmt.Sprintf("/workshoppar/%d/projektor", r.id), nil, ""); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a participant opens the projector: %d", resp.StatusCode)
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			alva.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "Fler äldre", "steep": "social"})
			bosse.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "Elflyg", "steep": "technological"})
			bosse.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "Utan område"})
			frag := readBody(t, r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/projektor.html", r.id), nil, ""))
			if strings.Contains(frag, "<html") || !strings.Contains(frag, `id="proj"`) {
				t.Fatalf("the fragment is not the projector alone: %.200s", frag)
			}
			for _, want := range []string{"Socialt", "Fler äldre", "Teknik", "Elflyg", "Övrigt", "Utan område", "3 lappar"} {
				if !strings.Contains(frag, want) {
					t.Errorf("wall lacks %q", want)
				}
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "rating"})
			notes := noteIDs(t, r)
			alva.mustCmd(r.id, map[string]any{"kind": "rating.set", "note": notes[0], "impact": 5, "uncertainty": 5})
			page = proj()
			if !strings.Contains(page, "Bedömningar hittills: 1") || strings.Contains(page, "ws-scatter") {
				t.Errorf("before the reveal the projector shows how many rated, not the ratings")
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "reveal.set", "on": true})
			if page = proj(); !strings.Contains(page, "ws-scatter") || !strings.Contains(page, "<circle") {
				t.Errorf("after the reveal the projector draws the scatter")
			}
		})
	}
}

// noteIDs returns the ids of the board's notes, oldest first.
func noteIDs(t *testing.T, r *wsRoom) []int64 {
	t.Helper()
	var b struct {
		Notes []struct{ ID int64 }
	}
	resp := r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/tavla.json", r.id), nil, "")
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var out []int64
	for _, n := range b.Notes {
		out = append(out, n.ID)
	}
	return out
}

// TestWorkshopFacilitatorControls: the facilitator's page has a button
// for each command of theirs (next stage, lock, reveal, gather, undo, a
// new code, groups apart, who clusters) with its shortcut shown, and
// moves the participants selected to a group in one form.
func TestWorkshopFacilitatorControls(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			r.guest(t, "Alva")
			bosse := r.guest(t, "Bosse")
			r.fac.mustCmd(r.id, map[string]any{"kind": "group.create", "name": "Grupp Norr"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "clustering"})
			page := r.board(t, r.fac)
			for _, want := range []string{`id="ws-next" aria-keyshortcuts="n"`, `<kbd class="ws-kbd">N</kbd>`, `id="ws-lock"`, `id="ws-reveal" aria-keyshortcuts="r"`,
				`id="ws-summon"`, `id="ws-undo"`, `id="ws-code-new"`, `id="ws-apart"`, `id="ws-cluster-who-btn"`, `id="ws-keys-on"`, `id="ws-projector"`, `id="ws-bulk-form"`} {
				if !strings.Contains(page, want) {
					t.Errorf("the facilitator's page lacks %s", want)
				}
			}
			var b struct {
				Groups       []struct{ ID int64 }
				Participants []struct {
					ID       int64
					Nickname string
					Group    int64
				}
			}
			resp := r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/tavla.json", r.id), nil, "")
			if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			form := url.Values{"id": {wsID()}, "kind": {"group.assign"}, "group": {fmt.Sprint(b.Groups[0].ID)}, "return": {fmt.Sprintf("/workshoppar/%d", r.id)}}
			for _, p := range b.Participants {
				if p.Nickname == "Alva" || p.Nickname == "Bosse" {
					form.Add("participants", fmt.Sprint(p.ID))
				}
			}
			if resp := r.fac.req("POST", fmt.Sprintf("/workshoppar/%d/handling", r.id), form, ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("bulk move: %d", resp.StatusCode)
			}
			if !strings.Contains(r.board(t, bosse), "Grupp Norr") {
				t.Error("the bulk move did not reach Bosse")
			}
		})
	}
}

// TestWorkshopProjectorLink: a facilitator's projector link opens the
// projector view and its stream on a PC nobody signed in on; the token
// is no guest (it reads no board, sends no command), the stream carries
// no content, and a replaced or revoked link is not found.
func TestWorkshopProjectorLink(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			alva := r.guest(t, "Alva")
			ws := fmt.Sprintf("/workshoppar/%d", r.id)
			linkRE := regexp.MustCompile(`value="http://[^"]+(/projektor/[^"]+)"`)
			makeLink := func() string {
				t.Helper()
				resp := r.fac.req("POST", ws+"/projektorlank", url.Values{}, "")
				body := readBody(t, resp)
				m := linkRE.FindStringSubmatch(body)
				if resp.StatusCode != http.StatusOK || m == nil {
					t.Fatalf("new projector link: %d %.300s", resp.StatusCode, body)
				}
				return m[1]
			}
			if resp := alva.req("POST", ws+"/projektorlank", url.Values{}, ""); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a participant makes a projector link: %d", resp.StatusCode)
			}
			link := makeLink()
			if !strings.Contains(r.board(t, r.fac), "Projektorlänken skapades") {
				t.Errorf("the facilitator's page does not say a link is out")
			}
			pc := &wsUser{ta: r.ta, cookies: map[string]string{}} // the room's PC
			page := readBody(t, pc.req("GET", link, nil, ""))
			for _, want := range []string{r.code, `data-stream="` + link + `/strom"`, `data-fragment="` + link + `/projektor.html"`, "1 deltagare"} {
				if !strings.Contains(page, want) {
					t.Errorf("the linked projector lacks %q", want)
				}
			}
			if strings.Contains(page, "<form") {
				t.Errorf("the linked projector has a form")
			}

			// The token is no participant's: as a guest cookie it opens nothing.
			token := strings.TrimPrefix(link, "/projektor/")
			thief := &wsUser{ta: r.ta, cookies: map[string]string{fmt.Sprintf("framsyn_ws_%d", r.id): token}}
			for _, c := range []struct{ method, path, body string }{{"GET", ws, ""}, {"GET", ws + "/tavla.json", ""}, {"GET", ws + "/tavla.html", ""},
				{"GET", ws + "/projektor", ""}, {"GET", ws + "/strom?since=0", ""}, {"GET", ws + "/resultat.json", ""},
				{"POST", ws + "/handling", `{"id":"apptest-proj-steal","kind":"note.add","text":"Inbrott"}`}} {
				if resp := thief.req(c.method, c.path, nil, c.body); resp.StatusCode != http.StatusForbidden {
					t.Errorf("the projector token as a guest: %s %s: %d", c.method, c.path, resp.StatusCode)
				}
			}

			// The stream says only that something happened.
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			alva.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "Hemlig lapp"})
			resp := pc.req("GET", link+"/strom?since=0", nil, "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("linked stream: %d", resp.StatusCode)
			}
			sc := bufio.NewScanner(resp.Body)
			seen := false
			for !seen && sc.Scan() {
				line, ok := strings.CutPrefix(sc.Text(), "data: ")
				if !ok {
					continue
				}
				var f map[string]any
				if err := json.Unmarshal([]byte(line), &f); err != nil {
					t.Fatalf("frame %q: %v", line, err)
				}
				if len(f) != 2 || f["seq"] == nil || f["kind"] == nil {
					t.Errorf("the linked stream carries more than seq and kind: %s", line)
				}
				seen = f["kind"] == "note.add"
			}
			resp.Body.Close()
			if !seen {
				t.Fatalf("the linked stream never told of the note")
			}
			if frag := readBody(t, pc.req("GET", link+"/projektor.html", nil, "")); !strings.Contains(frag, "Hemlig lapp") {
				t.Errorf("the linked fragment lacks the note")
			}

			// A new link ends the old; revoking ends the new.
			second := makeLink()
			for _, l := range []string{link, link + "/projektor.html", link + "/strom"} {
				if resp := pc.req("GET", l, nil, ""); resp.StatusCode != http.StatusNotFound {
					t.Errorf("replaced link %s: %d", l, resp.StatusCode)
				}
			}
			if resp := pc.req("GET", second, nil, ""); resp.StatusCode != http.StatusOK {
				t.Errorf("new link: %d", resp.StatusCode)
			}
			if resp := alva.req("POST", ws+"/projektorlank/aterkalla", url.Values{}, ""); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a participant revokes the link: %d", resp.StatusCode)
			}
			if resp := r.fac.req("POST", ws+"/projektorlank/aterkalla", url.Values{}, ""); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("revoke: %d", resp.StatusCode)
			}
			for _, l := range []string{second, second + "/projektor.html", second + "/strom"} {
				if resp := pc.req("GET", l, nil, ""); resp.StatusCode != http.StatusNotFound {
					t.Errorf("revoked link %s: %d", l, resp.StatusCode)
				}
			}
			if strings.Contains(r.board(t, r.fac), "Projektorlänken skapades") {
				t.Errorf("the facilitator's page still shows a revoked link")
			}
		})
	}
}
