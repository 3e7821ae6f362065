package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestWorkshopAPI: the JSON API creates, lists, reads and acts on a
// workshop through the same domain calls as the board, and refuses what
// the board refuses.
func TestWorkshopAPI(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			u := ta.mustUser("api@example.se", "Api Användare", false)
			fac := &wsUser{ta: ta, session: ta.mintSession(u), cookies: map[string]string{}}
			resp := fac.req("POST", "/api/v1/workshops", nil, `{"title":"API-workshop","question":"Hur?","horizon":2050}`)
			var w struct {
				ID      int64  `json:"id"`
				Code    string `json:"code"`
				Status  string `json:"status"`
				JoinURL string `json:"join_url"`
			}
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("create: %d %s", resp.StatusCode, readBody(t, resp))
			}
			json.NewDecoder(resp.Body).Decode(&w)
			if w.Status != "draft" || len(w.Code) != 6 || !strings.HasSuffix(w.JoinURL, "/j/"+w.Code) {
				t.Fatalf("created %+v", w)
			}
			// Bad input: refused with field messages.
			resp = fac.req("POST", "/api/v1/workshops", nil, `{"title":"","question":"Hur?","horizon":1999}`)
			if body := readBody(t, resp); resp.StatusCode != 422 || !strings.Contains(body, `"horizon"`) || !strings.Contains(body, `"title"`) {
				t.Errorf("bad create: %d %s", resp.StatusCode, body)
			}
			var list struct{ Items []struct{ ID int64 } }
			json.NewDecoder(fac.req("GET", "/api/v1/workshops", nil, "").Body).Decode(&list)
			if len(list.Items) != 1 || list.Items[0].ID != w.ID {
				t.Errorf("list %+v", list)
			}
			act := func(u *wsUser, body string) (int, string) {
				resp := u.req("POST", fmt.Sprintf("/api/v1/workshops/%d/actions", w.ID), nil, body)
				return resp.StatusCode, readBody(t, resp)
			}
			if st, body := act(fac, `{"id":"api-open-0001","kind":"workshop.open"}`); st != 200 || !strings.Contains(body, `"seq":2`) {
				t.Fatalf("open: %d %s", st, body)
			}
			act(fac, `{"id":"api-stage-0001","kind":"stage.set","stage":"drivers"}`)
			// A guest joins through the page and acts through the API with the guest cookie.
			r := &wsRoom{ta: ta, fac: fac, id: w.ID, code: w.Code}
			g := r.guest(t, "Gäst")
			if st, body := act(g, `{"id":"api-note-0001","kind":"note.add","text":"Från API:t","steep":"political"}`); st != 200 {
				t.Fatalf("guest note: %d %s", st, body)
			}
			if st, body := act(g, `{"id":"api-note-0002","kind":"note.add","text":"x","participant_id":1}`); st != 422 {
				t.Errorf("forged participant: %d %s", st, body)
			}
			if st, body := act(g, `{"id":"api-lock-0001","kind":"stage.lock","on":true}`); st != 403 || !strings.Contains(body, "ledare") {
				t.Errorf("guest lock: %d %s", st, body)
			}
			var board struct {
				Notes []struct{ Text string }
				Me    int64
			}
			json.NewDecoder(g.req("GET", fmt.Sprintf("/api/v1/workshops/%d", w.ID), nil, "").Body).Decode(&board)
			if len(board.Notes) != 1 || board.Notes[0].Text != "Från API:t" || board.Me == 0 {
				t.Errorf("board %+v", board)
			}
			var res struct {
				Question string
				Drivers  []struct{ Name, STEEP string }
			}
			json.NewDecoder(g.req("GET", fmt.Sprintf("/api/v1/workshops/%d/results", w.ID), nil, "").Body).Decode(&res)
			if res.Question != "Hur?" || len(res.Drivers) != 1 || res.Drivers[0].STEEP != "political" {
				t.Errorf("results %+v", res)
			}
			// Someone who has not joined sees nothing.
			other := &wsUser{ta: ta, session: ta.mintSession(ta.mustUser("o@example.se", "O", false)), cookies: map[string]string{}}
			if resp := other.req("GET", fmt.Sprintf("/api/v1/workshops/%d", w.ID), nil, ""); resp.StatusCode != 403 {
				t.Errorf("stranger's board: %d", resp.StatusCode)
			}
		})
	}
}

// TestErrors_BoardAndAPIAgree sends the same bad bodies to the board's
// command route and the API's action route: each answers with the same
// status and the same error body (one decoder, one error table).
func TestErrors_BoardAndAPIAgree(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	u := ta.mustUser("fac@example.se", "Fia", false)
	fac := &wsUser{ta: ta, session: ta.mintSession(u), cookies: map[string]string{}}
	resp := fac.req("POST", "/api/v1/workshops", nil, `{"title":"Fel","question":"Hur?","horizon":2050}`)
	var w struct{ ID int64 }
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, readBody(t, resp))
	}
	json.NewDecoder(resp.Body).Decode(&w)
	for _, tt := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"ErrMalformed", `{"id":"agree-000001","kind":`, http.StatusBadRequest, "bad_request"},
		{"ErrTrailing", `{"id":"agree-000002","kind":"note.add","text":"x"}{}`, http.StatusBadRequest, "bad_request"},
		{"ErrUnknownField", `{"id":"agree-000003","kind":"note.add","text":"x","participant_id":1}`, http.StatusUnprocessableEntity, "invalid"},
		{"ErrFieldType", `{"id":"agree-000004","kind":"rating.set","note":1,"impact":"5"}`, http.StatusUnprocessableEntity, "invalid"},
		{"ErrTooLarge", `{"id":"agree-000005","kind":"note.add","text":"` + strings.Repeat("x", 2<<20) + `"}`, http.StatusRequestEntityTooLarge, "too_large"},
		{"ErrUnknownKind", `{"id":"agree-000006","kind":"note.explode"}`, http.StatusUnprocessableEntity, "invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			board := fac.req("POST", fmt.Sprintf("/workshoppar/%d/handling", w.ID), nil, tt.body)
			api := fac.req("POST", fmt.Sprintf("/api/v1/workshops/%d/actions", w.ID), nil, tt.body)
			bb, ab := readBody(t, board), readBody(t, api)
			if board.StatusCode != tt.status || api.StatusCode != tt.status {
				t.Errorf("status: board %d, API %d, want %d", board.StatusCode, api.StatusCode, tt.status)
			}
			if bb != ab {
				t.Errorf("bodies differ:\nboard %s\nAPI   %s", bb, ab)
			}
			var e struct {
				Error struct{ Code, Key, Message string }
			}
			if err := json.Unmarshal([]byte(ab), &e); err != nil || e.Error.Code != tt.code || e.Error.Key == "" || e.Error.Message == "" {
				t.Errorf("body %s (%v), want code %q with a key and a message", ab, err, tt.code)
			}
		})
	}
}
