package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

var wsSeq atomic.Int64

func wsID() string { return fmt.Sprintf("apptest-%08d", wsSeq.Add(1)) }

// wsUser is one browser in a workshop test: a session and/or guest cookies.
type wsUser struct {
	ta      *testApp
	session string
	cookies map[string]string
}

func (u *wsUser) req(method, path string, form url.Values, body string) *http.Response {
	u.ta.t.Helper()
	r := req{method: method, path: path, form: form, session: u.session, header: map[string]string{}}
	if body != "" {
		r.body, r.ctype = strings.NewReader(body), "application/json"
	}
	var cs []string
	for k, v := range u.cookies {
		cs = append(cs, k+"="+v)
	}
	if len(cs) > 0 {
		r.header["Cookie"] = strings.Join(cs, "; ")
		if u.session != "" {
			r.header["Cookie"] += "; " + u.ta.Config.SessionCookie() + "=" + u.session
			r.session = ""
		}
	}
	resp := u.ta.do(r)
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "framsyn_ws_") {
			u.cookies[c.Name] = c.Value
		}
	}
	return resp
}

// cmd posts one JSON command and returns the status and body.
func (u *wsUser) cmd(ws int64, c map[string]any) (int, string) {
	u.ta.t.Helper()
	if _, ok := c["id"]; !ok {
		c["id"] = wsID()
	}
	b, _ := json.Marshal(c)
	resp := u.req("POST", fmt.Sprintf("/workshoppar/%d/handling", ws), nil, string(b))
	return resp.StatusCode, readBody(u.ta.t, resp)
}

func (u *wsUser) mustCmd(ws int64, c map[string]any) int64 {
	u.ta.t.Helper()
	st, body := u.cmd(ws, c)
	if st != http.StatusOK {
		u.ta.t.Fatalf("%v: %d %s", c, st, body)
	}
	var out struct{ Seq int64 }
	json.Unmarshal([]byte(body), &out)
	return out.Seq
}

var locID = regexp.MustCompile(`^/workshoppar/(\d+)$`)

// wsRoom is a workshop made through the pages: a facilitator (signed in)
// who created and opened it, and its code.
type wsRoom struct {
	ta   *testApp
	fac  *wsUser
	id   int64
	code string
}

func newWSRoom(t *testing.T, dsn string) *wsRoom {
	ta := mustApp(t, dsn)
	u := ta.mustUser("fia@example.se", "Fia Facilitator", false)
	fac := &wsUser{ta: ta, session: ta.mintSession(u), cookies: map[string]string{}}
	resp := fac.req("POST", "/workshoppar", url.Values{"title": {"Välfärd 2050"}, "question": {"Hur ser välfärden ut i Region X 2050?"},
		"horizon": {"2050"}, "template": {"scenario-cross"}}, "")
	m := locID.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), readBody(t, resp))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	r := &wsRoom{ta: ta, fac: fac, id: id}
	r.fac.mustCmd(id, map[string]any{"kind": "workshop.open"})
	page := readBody(t, fac.req("GET", fmt.Sprintf("/workshoppar/%d", id), nil, ""))
	cm := regexp.MustCompile(`id="ws-code">([A-Z0-9]{6})<`).FindStringSubmatch(page)
	if cm == nil {
		t.Fatalf("no code on the board:\n%s", page)
	}
	r.code = cm[1]
	return r
}

func (r *wsRoom) guest(t *testing.T, nick string) *wsUser {
	t.Helper()
	g := &wsUser{ta: r.ta, cookies: map[string]string{}}
	if resp := g.req("GET", "/j/"+strings.ToLower(r.code), nil, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("join page: %d", resp.StatusCode)
	}
	resp := g.req("POST", "/j/"+r.code, url.Values{"nickname": {nick}, "id": {wsID()}}, "")
	if resp.StatusCode != http.StatusSeeOther || len(g.cookies) != 1 {
		t.Fatalf("join %s: %d %v %s", nick, resp.StatusCode, g.cookies, readBody(t, resp))
	}
	return g
}

func (r *wsRoom) board(t *testing.T, u *wsUser) string {
	t.Helper()
	resp := u.req("GET", fmt.Sprintf("/workshoppar/%d", r.id), nil, "")
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("board: %d %s", resp.StatusCode, body)
	}
	return body
}

func (r *wsRoom) seq(t *testing.T) int64 {
	var b struct {
		Workshop struct{ Seq int64 }
	}
	resp := r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/tavla.json", r.id), nil, "")
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Workshop.Seq
}

// TestWorkshopPages walks a whole workshop through the HTML forms (as a
// browser without JavaScript does) and the JSON commands, on both engines.
func TestWorkshopPages(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			a, b, c := r.guest(t, "Alva"), r.guest(t, "Bosse"), r.guest(t, "Cissi")
			page := r.board(t, a)
			if !strings.Contains(page, "Hur ser välfärden ut") || !strings.Contains(page, `data-seq="`) {
				t.Fatalf("board without question or seq")
			}
			if !strings.Contains(page, "/igen/") {
				t.Errorf("guest board without a rejoin link")
			}
			// A rejoin link works on another device.
			link := regexp.MustCompile(`href="http://[^"]+(/j/[A-Z0-9]+/igen/[^"]+)"`).FindStringSubmatch(page)
			if link == nil {
				t.Fatal("no rejoin link")
			}
			other := &wsUser{ta: r.ta, cookies: map[string]string{}}
			if resp := other.req("GET", link[1], nil, ""); resp.StatusCode != http.StatusOK || len(other.cookies) != 0 {
				t.Fatalf("rejoin page: %d, cookies %v", resp.StatusCode, other.cookies)
			}
			if resp := other.req("POST", link[1], url.Values{}, ""); resp.StatusCode != http.StatusSeeOther || len(other.cookies) != 1 {
				t.Fatalf("rejoin: %d", resp.StatusCode)
			}
			if !strings.Contains(r.board(t, other), `data-me="`+regexp.MustCompile(`data-me="(\d+)"`).FindStringSubmatch(page)[1]+`"`) {
				t.Errorf("rejoin is another participant")
			}

			// Groups: by form, as the facilitator's page does.
			back := fmt.Sprintf("/workshoppar/%d", r.id)
			post := func(u *wsUser, f url.Values) *http.Response {
				f.Set("id", wsID())
				f.Set("return", back)
				return u.req("POST", back+"/handling", f, "")
			}
			if resp := post(r.fac, url.Values{"kind": {"group.create"}, "name": {"Grupp Norr"}, "quadrant": {"1"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("group.create: %d", resp.StatusCode)
			}
			g2 := r.fac.mustCmd(r.id, map[string]any{"kind": "group.create", "name": "Grupp Syd", "quadrant": 2})
			var board struct {
				Groups       []struct{ ID int64 }
				Participants []struct {
					ID       int64
					Nickname string
				}
			}
			json.NewDecoder(r.fac.req("GET", back+"/tavla.json", nil, "").Body).Decode(&board)
			ids := map[string]int64{}
			for _, p := range board.Participants {
				ids[p.Nickname] = p.ID
			}
			g1 := board.Groups[0].ID
			for nick, g := range map[string]int64{"Alva": g1, "Bosse": g1, "Cissi": g2} {
				r.fac.mustCmd(r.id, map[string]any{"kind": "group.assign", "participant": ids[nick], "group": g})
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers", "seconds": 300})
			if p := r.board(t, a); !strings.Contains(p, "ws-countdown") || !strings.Contains(p, "Grupp Norr") {
				t.Errorf("drivers page without countdown or group")
			}
			// A note by form (no JavaScript), then by JSON.
			if resp := post(a, url.Values{"kind": {"note.add"}, "text": {"Fler äldre"}, "steep": {"social"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("note by form: %d", resp.StatusCode)
			}
			n2 := b.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "Åldrande befolkning", "steep": "social"})
			n3 := c.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "AI i vården <script>x</script>", "steep": "technological"})
			pa, pc := r.board(t, a), r.board(t, c)
			if !strings.Contains(pa, "Åldrande befolkning") || strings.Contains(pa, "AI i vården") {
				t.Errorf("group 1 sees the wrong notes")
			}
			if !strings.Contains(pc, "AI i vården &lt;script&gt;") || strings.Contains(pc, "<script>x") {
				t.Errorf("note not escaped on group 2's board")
			}
			n1 := n2 - 1
			for _, n := range []int64{n2, n3} {
				if n <= 0 {
					t.Fatal("bad seq")
				}
			}
			// The facilitator looks into group 2.
			if p := readBody(t, r.fac.req("GET", back+fmt.Sprintf("?grupp=%d", g2), nil, "")); !strings.Contains(p, "AI i vården") || strings.Contains(p, "Fler äldre") {
				t.Errorf("look into group 2 shows the wrong notes")
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "clustering"})
			b.mustCmd(r.id, map[string]any{"kind": "cluster.merge", "note": n2, "into": n1})
			a.mustCmd(r.id, map[string]any{"kind": "cluster.name", "note": n1, "name": "Demografi"})
			r.board(t, a)

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "rating"})
			r.board(t, a)
			for _, u := range []*wsUser{a, b, c} {
				if resp := post(u, url.Values{"kind": {"rating.set"}, "note": {strconv.FormatInt(n1, 10)}, "impact": {"5"}, "uncertainty": {"4"}}); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("rating by form: %d", resp.StatusCode)
				}
				u.mustCmd(r.id, map[string]any{"kind": "rating.set", "note": n3, "impact": 4, "uncertainty": 5})
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "reveal.set", "on": true})
			if p := r.board(t, a); !strings.Contains(p, "ws-scatter") || !strings.Contains(p, "Demografi") {
				t.Errorf("rating page without scatter after reveal")
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "axes"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "x", "note": n3, "text": "AI i vården", "low": "Lite AI", "high": "AI överallt"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "y", "note": n1, "text": "Demografi", "low": "Unga", "high": "Äldre"})
			if p := r.board(t, b); !strings.Contains(p, "ws-cross") || !strings.Contains(p, "AI överallt") {
				t.Errorf("axes page without cross")
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "scenarios"})
			if resp := post(a, url.Values{"kind": {"scenario.edit"}, "quadrant": {"1"}, "name": {"Region Vänern"}, "story": {"En berättelse."}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("scenario by form: %d", resp.StatusCode)
			}
			c.mustCmd(r.id, map[string]any{"kind": "scenario.edit", "quadrant": 2, "name": "Senior City", "signs": "Fler äldreboenden"})
			r.board(t, c)

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "vote"})
			r.board(t, a)
			for _, u := range []*wsUser{a, b, c} {
				if resp := post(u, url.Values{"kind": {"vote.add"}, "quadrant": {"1"}}); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("vote by form: %d", resp.StatusCode)
				}
			}
			c.mustCmd(r.id, map[string]any{"kind": "vote.add", "quadrant": 2})

			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "backcasting"})
			m := b.mustCmd(r.id, map[string]any{"kind": "milestone.add", "year": 2040, "text": "Vård hemma är norm", "owner": "Regionen"})
			if resp := post(c, url.Values{"kind": {"action.add"}, "item": {strconv.FormatInt(m, 10)}, "text": {"Pilot i två kommuner"}, "owner": {"Kommunerna"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("action by form: %d", resp.StatusCode)
			}
			if p := r.board(t, a); !strings.Contains(p, "Pilot i två kommuner") {
				t.Errorf("backcasting without the action")
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "results"})

			res := readBody(t, a.req("GET", back+"/resultat", nil, ""))
			for _, want := range []string{"Hur ser välfärden ut", "Demografi", "Region Vänern", "Senior City", "Vård hemma är norm", "Pilot i två kommuner", "Lite AI", `data-total="1">3<`} {
				if !strings.Contains(res, want) {
					t.Errorf("results page lacks %q", want)
				}
			}
			md := a.req("GET", back+"/resultat.md", nil, "")
			mdText := readBody(t, md)
			if !strings.HasPrefix(md.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(mdText, "Region Vänern") || !strings.Contains(mdText, `\<script\>`) {
				t.Errorf("markdown export: %s\n%s", md.Header.Get("Content-Type"), mdText)
			}
			var js struct {
				Question  string
				Scenarios []struct{ Name string }
				Votes     []struct{ Dots int }
			}
			if err := json.NewDecoder(a.req("GET", back+"/resultat.json", nil, "").Body).Decode(&js); err != nil || js.Scenarios[0].Name != "Region Vänern" || js.Votes[0].Dots != 3 {
				t.Errorf("json export: %v %+v", err, js)
			}
			// The board at each stage change, for the facilitator.
			fb := r.board(t, r.fac)
			sm := regexp.MustCompile(`href="(/workshoppar/\d+/ogonblick/\d+)">Bedömning<`).FindStringSubmatch(fb)
			if sm == nil {
				t.Fatalf("no snapshot of the rating stage on the facilitator's board")
			}
			snap := readBody(t, r.fac.req("GET", sm[1], nil, ""))
			if !strings.Contains(snap, "Demografi") || strings.Contains(snap, "Region Vänern") || !strings.Contains(snap, "steget Bedömning") {
				t.Errorf("snapshot at rating: %s", snap)
			}
			if resp := a.req("GET", sm[1], nil, ""); resp.StatusCode != 403 {
				t.Errorf("a guest's snapshot: %d", resp.StatusCode)
			}
			svg := a.req("GET", back+"/kors.svg", nil, "")
			if body := readBody(t, svg); svg.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<title") || !strings.Contains(body, "Region Vänern") || !strings.Contains(body, "AI överallt") {
				t.Errorf("cross SVG: %s %s", svg.Header.Get("Content-Type"), body)
			}
			for _, q := range []string{"/qr.png", "/qr.svg"} {
				resp := a.req("GET", "/j/"+r.code+q, nil, "")
				if body := readBody(t, resp); resp.StatusCode != 200 || len(body) < 100 {
					t.Errorf("%s: %d", q, resp.StatusCode)
				}
			}
			// Copy and close.
			if resp := r.fac.req("POST", back+"/kopiera", url.Values{}, ""); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == back {
				t.Errorf("copy: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "workshop.close"})
			if st, body := a.cmd(r.id, map[string]any{"kind": "note.add", "text": "efteråt"}); st != http.StatusConflict || !strings.Contains(body, "stängd") {
				t.Errorf("note after close: %d %s", st, body)
			}
		})
	}
}

// TestWorkshopBadInput: each bad input is refused with a clear message
// and changes nothing (the sequence stays where it was).
func TestWorkshopBadInput(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			a, b := r.guest(t, "Alva"), r.guest(t, "Bosse")
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
			note := a.mustCmd(r.id, map[string]any{"kind": "note.add", "text": "En drivkraft"})
			var board struct {
				Participants []struct {
					ID       int64
					Nickname string
				}
			}
			json.NewDecoder(r.fac.req("GET", fmt.Sprintf("/workshoppar/%d/tavla.json", r.id), nil, "").Body).Decode(&board)
			var bosse int64
			for _, p := range board.Participants {
				if p.Nickname == "Bosse" {
					bosse = p.ID
				}
			}
			type bad struct {
				name   string
				u      *wsUser
				cmd    map[string]any
				raw    string
				status int
				msg    string
			}
			cases := []bad{
				{"empty note", a, map[string]any{"kind": "note.add", "text": "   "}, "", 422, "Skriv något"},
				{"10 kB note", a, map[string]any{"kind": "note.add", "text": strings.Repeat("å", 10000)}, "", 422, "för lång"},
				{"vote in the drivers stage", a, map[string]any{"kind": "vote.add", "quadrant": 1}, "", 409, "går inte i det här steget"},
				{"forged participant id", a, nil, `{"id":"forged-000001","kind":"note.add","text":"x","participant_id":` + strconv.FormatInt(bosse, 10) + `}`, 422, `"participant_id":"Okänt fält."`},
				{"guest locks the stage", a, map[string]any{"kind": "stage.lock", "on": true}, "", 403, "Bara workshoppens ledare"},
				{"guest removes a participant", a, map[string]any{"kind": "participant.remove", "participant": bosse}, "", 403, "Bara workshoppens ledare"},
				{"guest reveals", b, map[string]any{"kind": "reveal.set", "on": true}, "", 403, "Bara workshoppens ledare"},
				{"guest closes", b, map[string]any{"kind": "workshop.close"}, "", 403, "Bara workshoppens ledare"},
				{"someone else's note", b, map[string]any{"kind": "note.remove", "note": note}, "", 403, "bara ändra det du själv"},
				{"unknown kind", a, map[string]any{"kind": "note.explode"}, "", 422, "Okänd handling"},
				{"rating as a string", a, nil, `{"id":"strrate-00001","kind":"rating.set","note":1,"impact":"5","uncertainty":3}`, 422, `"impact":"Fältet har fel typ av värde."`},
			}
			for _, c := range cases {
				before := r.seq(t)
				var st int
				var body string
				if c.raw != "" {
					resp := c.u.req("POST", fmt.Sprintf("/workshoppar/%d/handling", r.id), nil, c.raw)
					st, body = resp.StatusCode, readBody(t, resp)
				} else {
					st, body = c.u.cmd(r.id, c.cmd)
				}
				if st != c.status || !strings.Contains(body, c.msg) {
					t.Errorf("%s: %d %s, want %d %q", c.name, st, body, c.status, c.msg)
				}
				if after := r.seq(t); after != before {
					t.Errorf("%s changed the board: seq %d → %d", c.name, before, after)
				}
			}
			// Ratings out of range and a vote in a closed stage.
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "rating"})
			for _, v := range [][2]int{{0, 3}, {6, 3}, {3, -1}, {3, 99}} {
				before := r.seq(t)
				st, body := a.cmd(r.id, map[string]any{"kind": "rating.set", "note": note, "impact": v[0], "uncertainty": v[1]})
				if st != 422 || !strings.Contains(body, "mellan 1 och 5") || r.seq(t) != before {
					t.Errorf("rating %v: %d %s", v, st, body)
				}
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "vote"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.lock", "on": true})
			if st, body := a.cmd(r.id, map[string]any{"kind": "vote.add", "quadrant": 1}); st != 409 || !strings.Contains(body, "låst") {
				t.Errorf("vote in a locked stage: %d %s", st, body)
			}
			// A resend with the same client id is applied once.
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.lock", "on": false})
			id := wsID()
			s1 := a.mustCmd(r.id, map[string]any{"id": id, "kind": "vote.add", "quadrant": 1})
			s2 := a.mustCmd(r.id, map[string]any{"id": id, "kind": "vote.add", "quadrant": 1})
			if s1 != s2 {
				t.Errorf("resend made a second event: %d, %d", s1, s2)
			}
			// A removed participant: clear message, nothing changes, board closed to them.
			r.fac.mustCmd(r.id, map[string]any{"kind": "participant.remove", "participant": bosse})
			before := r.seq(t)
			if st, body := b.cmd(r.id, map[string]any{"kind": "vote.add", "quadrant": 1}); st != 403 || !strings.Contains(body, "tagit bort dig") {
				t.Errorf("removed participant's vote: %d %s", st, body)
			}
			f := url.Values{"kind": {"vote.add"}, "quadrant": {"1"}, "id": {wsID()}}
			if resp := b.req("POST", fmt.Sprintf("/workshoppar/%d/handling", r.id), f, ""); resp.StatusCode != 403 || !strings.Contains(readBody(t, resp), "tagit bort dig") {
				t.Errorf("removed participant's form: %d", resp.StatusCode)
			}
			if resp := b.req("GET", fmt.Sprintf("/workshoppar/%d", r.id), nil, ""); resp.StatusCode != 403 {
				t.Errorf("removed participant's board: %d", resp.StatusCode)
			}
			if r.seq(t) != before {
				t.Errorf("a removed participant changed the board")
			}
			// Bad join input.
			g := &wsUser{ta: r.ta, cookies: map[string]string{}}
			for _, nick := range []string{"", strings.Repeat("x", 200), "Alva"} {
				resp := g.req("POST", "/j/"+r.code, url.Values{"nickname": {nick}, "id": {wsID()}}, "")
				if body := readBody(t, resp); resp.StatusCode != 422 || !strings.Contains(body, `aria-invalid="true"`) {
					t.Errorf("nickname %q: %d", nick, resp.StatusCode)
				}
			}
			if resp := g.req("GET", "/j/QQQQQQ", nil, ""); resp.StatusCode != 404 {
				t.Errorf("unknown code: %d", resp.StatusCode)
			}
			// A guest cannot publish or copy; another user is not in the workshop.
			if resp := a.req("POST", fmt.Sprintf("/workshoppar/%d/kopiera", r.id), url.Values{}, ""); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logga-in") {
				t.Errorf("guest copy: %d", resp.StatusCode)
			}
			stranger := &wsUser{ta: r.ta, session: r.ta.mintSession(r.ta.mustUser("x@example.se", "X", false)), cookies: map[string]string{}}
			if resp := stranger.req("GET", fmt.Sprintf("/workshoppar/%d/resultat", r.id), nil, ""); resp.StatusCode != 403 {
				t.Errorf("stranger's results: %d", resp.StatusCode)
			}
		})
	}
}

// TestWorkshopPublish: a facilitator who edits for an organisation
// publishes the results as a library work.
func TestWorkshopPublish(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			org := r.ta.mustOrg("region-x", true)
			u, _ := r.ta.Accounts.UserByEmail(t.Context(), "fia@example.se")
			r.ta.mustMember(u, org, account.RoleEditor)
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "scenarios"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "scenario.edit", "quadrant": 1, "name": "Region Vänern"})
			back := fmt.Sprintf("/workshoppar/%d", r.id)
			resp := r.fac.req("POST", back+"/publicera", url.Values{"organisation": {strconv.FormatInt(org.ID, 10)}, "visibility": {"public"}}, "")
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "publicerad=") {
				t.Fatalf("publish: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			slug := strings.SplitN(resp.Header.Get("Location"), "publicerad=", 2)[1]
			w, err := r.ta.Library.GetBySlug(t.Context(), nil, slug)
			if err != nil || !strings.Contains(w.BodyMD, "Region Vänern") || w.Type != "workshop_documentation" {
				t.Fatalf("work: %v %+v", err, w)
			}
			// Not for an organisation the facilitator does not edit for.
			other := r.ta.mustOrg("annan", true)
			if resp := r.fac.req("POST", back+"/publicera", url.Values{"organisation": {strconv.FormatInt(other.ID, 10)}}, ""); resp.StatusCode != 403 {
				t.Errorf("publish for another org: %d", resp.StatusCode)
			}
		})
	}
}

// BenchmarkWorkshopBoardPage renders the board of a workshop with 200
// participants and 400 notes in the drivers stage, as one guest sees it;
// "burst-ms" is the wall time of all 200 participants loading it at once
// (what a stage change costs: every board reloads).
func BenchmarkWorkshopBoardPage(b *testing.B) {
	ta := mustApp(b, sqliteDSN(b))
	u := ta.mustUser("bench@example.se", "Bänk", false)
	ctx := b.Context()
	host := &account.Actor{User: u}
	w, err := ta.Workshops.Create(ctx, host, workshop.Workshop{Title: "Last", FocalQuestion: "Håller den?", HorizonYear: 2050})
	if err != nil {
		b.Fatal(err)
	}
	hp, _ := ta.Workshops.Participant(ctx, host, w.ID, "")
	do := func(p *workshop.Participant, c workshop.Command) {
		c.ClientID = wsID()
		if _, err := ta.Workshops.Do(ctx, p, c); err != nil {
			b.Fatal(err)
		}
	}
	do(hp, workshop.Command{Kind: workshop.WorkshopOpen})
	do(hp, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})
	guests := make([]*wsUser, 200)
	for i := range guests {
		p, token, err := ta.Workshops.Join(ctx, nil, w.Code, fmt.Sprintf("Deltagare %d", i), wsID(), fmt.Sprintf("10.0.%d.%d", i/250, i%250))
		if err != nil {
			b.Fatal(err)
		}
		guests[i] = &wsUser{ta: ta, cookies: map[string]string{fmt.Sprintf("framsyn_ws_%d", w.ID): token}}
		do(p, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("Drivkraft nummer %d om välfärden", i)})
		do(p, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("En annan drivkraft, %d", i)})
	}
	path := fmt.Sprintf("/workshoppar/%d", w.ID)
	for b.Loop() {
		resp := guests[0].req("GET", path, nil, "")
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode)
		}
		readBody(b, resp)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, g := range guests {
		wg.Go(func() {
			resp := g.req("GET", path, nil, "")
			readBody(b, resp)
		})
	}
	wg.Wait()
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "burst-ms")
}
