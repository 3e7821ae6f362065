package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
