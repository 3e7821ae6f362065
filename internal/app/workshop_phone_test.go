package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestWorkshopPhoneView: a participant's board has no site navigation but
// their nickname and group, the stage's task before the rest, the focal
// question once; a form refused without script comes back with the
// message next to its field, the focus there and the typed text kept.
func TestWorkshopPhoneView(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			alva := r.guest(t, "Alva")
			r.fac.mustCmd(r.id, map[string]any{"kind": "group.create", "name": "Grupp Norr"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "groups.random"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			page := r.board(t, alva)
			if strings.Contains(page, "<nav") || strings.Contains(page, `role="search"`) {
				t.Error("the phone view has the site navigation")
			}
			if !strings.Contains(page, `id="ws-me">Du är Alva · <strong>Grupp Norr</strong>`) {
				t.Error("the phone view does not say who and in which group")
			}
			if n := strings.Count(page, "Hur ser välfärden ut i Region X 2050?"); n != 1 {
				t.Errorf("the focal question is shown %d times", n)
			}
			if task, q := strings.Index(page, `id="stage-h"`), strings.Index(page, `class="ws-question"`); task < 0 || q < task {
				t.Error("the stage's task is not first")
			}
			if fp := r.board(t, r.fac); !strings.Contains(fp, "<nav") {
				t.Error("the facilitator lost the site navigation")
			}

			long := strings.Repeat("lång ", 70) // 350 characters: over the limit
			resp := alva.req("POST", fmt.Sprintf("/workshoppar/%d/handling", r.id), url.Values{"id": {wsID()}, "kind": {"note.add"}, "text": {long},
				"return": {fmt.Sprintf("/workshoppar/%d", r.id)}}, "")
			body := readBody(t, resp)
			if resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusOK {
				t.Fatalf("a note too long was taken: %d", resp.StatusCode)
			}
			for _, want := range []string{`aria-invalid="true" aria-describedby="note-text-error" autofocus`, `<p class="error" id="note-text-error">`, long + "</textarea>"} {
				if !strings.Contains(body, want) {
					t.Errorf("the refused form lacks %q", want)
				}
			}
			if strings.Index(body, `id="note-text-error"`) < strings.Index(body, `id="note-text"`) {
				t.Error("the error is not next to its field")
			}
		})
	}
}

// TestWorkshopRateOneAtATime: a participant rates one driver at a time,
// with progress and skip, without script; the next unrated comes up.
func TestWorkshopRateOneAtATime(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			alva := r.guest(t, "Alva")
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			for _, text := range []string{"Fler äldre", "Elflyg", "Bostadsbrist"} {
				alva.mustCmd(r.id, map[string]any{"kind": "note.add", "text": text})
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "rating"})
			ids := noteIDs(t, r)
			page := r.board(t, alva)
			if !strings.Contains(page, "Drivkraft 1 av 3") || !strings.Contains(page, `id="rate-name">Fler äldre<`) || strings.Count(page, `data-kind="rating.set"`) != 1 {
				t.Fatalf("not one driver at a time:\n%s", page)
			}
			if !strings.Contains(page, fmt.Sprintf(`?bedom=%d" id="ws-skip"`, ids[1])) {
				t.Error("no skip to the next driver")
			}
			resp := alva.req("POST", fmt.Sprintf("/workshoppar/%d/handling", r.id), url.Values{"id": {wsID()}, "kind": {"rating.set"}, "note": {fmt.Sprint(ids[0])},
				"impact": {"5"}, "uncertainty": {"4"}, "return": {fmt.Sprintf("/workshoppar/%d", r.id)}}, "")
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("rate: %d", resp.StatusCode)
			}
			if page = r.board(t, alva); !strings.Contains(page, "Drivkraft 2 av 3") || !strings.Contains(page, "Du har bedömt 1 av 3.") {
				t.Error("the next unrated driver did not come up")
			}
			skip := readBody(t, alva.req("GET", fmt.Sprintf("/workshoppar/%d?bedom=%d", r.id, ids[2]), nil, ""))
			if !strings.Contains(skip, "Drivkraft 3 av 3") || !strings.Contains(skip, `id="rate-name">Bostadsbrist<`) {
				t.Error("skipping does not show the driver asked for")
			}
		})
	}
}
