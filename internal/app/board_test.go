package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
)

func (ta *testApp) mustBoardPost(u *account.User, org int64, topic, vis string) *board.Post {
	ta.t.Helper()
	p, err := ta.Board.Create(context.Background(), ta.actorOf(u), &board.Post{OrganisationID: org, Kind: board.Need, Topic: topic,
		Title: "Vi söker partner", Body: "Vi skulle kunna **upphandla** gemensamt.", Visibility: vis})
	if err != nil {
		ta.t.Fatalf("board post: %v", err)
	}
	return p
}

// The board's cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	ta := f.ta
	a, b, c := f.orgs["org-a"].ID, f.orgs["org-b"].ID, f.orgs["org-c"].ID
	pub := ta.mustBoardPost(f.users[2], a, "joint_procurement", board.Public).ID
	hidden := ta.mustBoardPost(f.users[4], b, "share_data", board.Public).ID
	net := ta.mustBoardPost(f.users[5], c, "learning_visit", board.Network).ID
	// B's editor is interested in A's post: A's editors pick them.
	in, err := ta.Board.Interest(context.Background(), ta.actorOf(f.users[5]), pub, c, "Vi är med.")
	if err != nil {
		t.Fatal(err)
	}
	interest := in.Interests[0].ID
	p := func(id int64, rest string) string { return fmt.Sprintf("/natverket/samarbeten/%d%s", id, rest) }
	api := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/board/%d%s", id, rest) }
	newPost := v("organisation", fmt.Sprint(a), "kind", "offer", "topic", "borrow_facilitator", "title", "Vi lånar ut en processledare", "visibility", "network")
	cr := http.StatusCreated
	return []matrixCase{
		{pattern: "GET /natverket/samarbeten", method: "GET", path: "/natverket/samarbeten?amne=joint_procurement", want: all(ok)},
		{pattern: "GET /natverket/samarbeten", method: "GET", path: "/natverket/samarbeten?amne=trolleri", want: all(bad)},
		{pattern: "POST /natverket/samarbeten", method: "POST", path: "/natverket/samarbeten", form: newPost, want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /natverket/samarbeten", method: "POST", path: "/natverket/samarbeten", form: v("organisation", fmt.Sprint(a), "kind", "need"), want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "GET /natverket/samarbeten/{id}", method: "GET", path: p(pub, ""), want: all(ok)},
		{pattern: "GET /natverket/samarbeten/{id}", method: "GET", path: p(net, ""), want: [6]int{nf, ok, ok, ok, ok, ok}},
		{pattern: "GET /natverket/samarbeten/{id}", method: "GET", path: p(hidden, ""), want: [6]int{nf, nf, nf, nf, ok, ok}},
		{pattern: "POST /natverket/samarbeten/{id}/intresse", method: "POST", path: p(net, "/intresse"), form: v("organisation", fmt.Sprint(a), "message", "Gärna!"), want: [6]int{see, see, see, see, forb, see}},
		// Twice: 409 and nothing changed (for those who could the first time).
		{pattern: "POST /natverket/samarbeten/{id}/intresse", method: "POST", path: p(net, "/intresse"), form: v("organisation", fmt.Sprint(a), "message", "Igen!"), want: [6]int{see, conflict, conflict, conflict, forb, conflict}},
		{pattern: "POST /natverket/samarbeten/{id}/intresse", method: "POST", path: p(hidden, "/intresse"), form: v("organisation", fmt.Sprint(a), "message", "Hej"), want: [6]int{see, nf, nf, nf, forb, see}},
		{pattern: "POST /natverket/samarbeten/{id}/intresse/{interest}/valj", method: "POST", path: p(pub, fmt.Sprintf("/intresse/%d/valj", interest)), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /natverket/samarbeten/{id}/status", method: "POST", path: p(pub, "/status"), form: v("status", "done"), want: [6]int{see, forb, see, see, forb, see}},

		{pattern: "GET /api/v1/board", method: "GET", path: "/api/v1/board", want: all(ok)},
		{pattern: "POST /api/v1/board", method: "POST", path: "/api/v1/board", json: fmt.Sprintf(`{"organization_id": %d, "kind": "need", "topic": "cohost_workshop", "title": "Hålla workshop ihop"}`, a), want: [6]int{unath, forb, cr, cr, forb, cr}},
		{pattern: "GET /api/v1/board/{id}", method: "GET", path: api(hidden, ""), want: [6]int{nf, nf, nf, nf, ok, ok}},
		{pattern: "POST /api/v1/board/{id}/interests", method: "POST", path: api(net, "/interests"), json: fmt.Sprintf(`{"organization_id": %d, "message": "Vi också"}`, b), want: [6]int{unath, forb, forb, forb, cr, cr}},
		{pattern: "POST /api/v1/board/{id}/interests/{interest}/choose", method: "POST", path: api(pub, fmt.Sprintf("/interests/%d/choose", interest)), want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "PUT /api/v1/board/{id}/status", method: "PUT", path: api(pub, "/status"), json: `{"status": "open"}`, want: [6]int{unath, forb, ok, ok, forb, ok}},
	}
})

// TestBoard_JointProcurement: A asks for partners in a joint procurement;
// B and C express interest; A picks both; the post lists the three
// organisations in the procurement, and is matched, then done.
func TestBoard_JointProcurement(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a, b, c := ta.mustOrg("region-a", true), ta.mustOrg("region-b", true), ta.mustOrg("region-c", true)
		ea, mb, mc := ta.mustUser("a@a.se", "Redaktör A", false), ta.mustUser("b@b.se", "Medlem B", false), ta.mustUser("c@c.se", "Medlem C", false)
		ta.mustMember(ea, a, account.RoleEditor)
		ta.mustMember(mb, b, account.RoleMember)
		ta.mustMember(mc, c, account.RoleMember)
		sa, sb, sc := ta.mintSession(ea), ta.mintSession(mb), ta.mintSession(mc)
		resp := ta.do(req{method: "POST", path: "/natverket/samarbeten", session: sa, form: url.Values{"organisation": {fmt.Sprint(a.ID)},
			"kind": {"need"}, "topic": {"joint_procurement"}, "title": {"Expertstöd i scenarioarbete"}, "body": {"Behöver vi expertstöd? Vi skulle kunna upphandla gemensamt."}, "visibility": {"public"}}})
		expect(t, resp, http.StatusSeeOther)
		path := resp.Header.Get("Location")
		for _, x := range []struct {
			s   string
			org int64
		}{{sb, b.ID}, {sc, c.ID}} {
			expect(t, ta.do(req{method: "POST", path: path + "/intresse", session: x.s, form: url.Values{"organisation": {fmt.Sprint(x.org)}, "message": {"Vi vill vara med."}}}), http.StatusSeeOther)
		}
		body := expect(t, ta.do(req{method: "POST", path: path + "/intresse", session: sb, form: url.Values{"organisation": {fmt.Sprint(b.ID)}, "message": {"Igen"}}}), http.StatusConflict)
		if !strings.Contains(body, "redan anmält intresse") {
			t.Error("a second interest does not say so")
		}
		var id int64
		fmt.Sscanf(path, "/natverket/samarbeten/%d", &id)
		p, err := ta.Board.Get(context.Background(), ta.actorOf(ea), id)
		if err != nil || len(p.Interests) != 2 {
			t.Fatalf("interests %+v %v", p, err)
		}
		for _, i := range p.Interests {
			expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("%s/intresse/%d/valj", path, i.ID), session: sa}), http.StatusSeeOther)
		}
		page := expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
		if !strings.Contains(page, "Organisationer i den gemensamma upphandlingen") || strings.Count(page, "Org region-") < 3 || !strings.Contains(page, "partner funnen") {
			t.Errorf("the procurement does not list its organisations:\n%.3000s", page)
		}
		if strings.Contains(page, "Vi vill vara med.") {
			t.Error("the public reads the interests' messages")
		}
		expect(t, ta.do(req{method: "POST", path: path + "/status", session: sb, form: url.Values{"status": {"done"}}}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: path + "/status", session: sa, form: url.Values{"status": {"done"}}}), http.StatusSeeOther)
		list := expect(t, ta.do(req{method: "GET", path: "/api/v1/board?status=done"}), http.StatusOK)
		one := expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/board/%d", id)}), http.StatusOK)
		if !strings.Contains(list, `"title":"Expertstöd i scenarioarbete"`) || strings.Count(one, `"chosen":true`) != 2 || strings.Contains(one, "Vi vill vara med.") {
			t.Errorf("API: %s\n%s", list, one)
		}
	})
}

// The board's posts are in the Atom feeds as the public sees them: a
// public post of a public organisation in the network's feed and its
// organisation's, a network-only post and a hidden organisation's post in
// none.
func TestBoard_Feeds(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a, h := ta.mustOrg("region-a", true), ta.mustOrg("region-h", false)
		ea, eh := ta.mustUser("a@a.se", "Redaktör A", false), ta.mustUser("h@h.se", "Redaktör H", false)
		ta.mustMember(ea, a, account.RoleEditor)
		ta.mustMember(eh, h, account.RoleEditor)
		post := func(u *account.User, o *account.Organisation, title, vis string) {
			if _, err := ta.Board.Create(context.Background(), ta.actorOf(u), &board.Post{OrganisationID: o.ID, Kind: board.Offer,
				Topic: "learning_visit", Title: title, Body: "Kom och **besök** oss <script>x</script>.", Visibility: vis}); err != nil {
				t.Fatal(err)
			}
		}
		post(ea, a, "Studiebesök i Region A", board.Public)
		post(ea, a, "Bara för nätverket", board.Network)
		post(eh, h, "Dold organisations erbjudande", board.Public)
		for _, path := range []string{"/flode.atom", "/organisationer/region-a/flode.atom"} {
			atom := expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
			if !strings.Contains(atom, "Erbjudande: Studiebesök i Region A") || !strings.Contains(atom, "/natverket/samarbeten/") {
				t.Errorf("%s lacks the public post", path)
			}
			for _, hidden := range []string{"Bara för nätverket", "Dold organisations", "<script>"} {
				if strings.Contains(atom, hidden) {
					t.Errorf("%s holds %q", path, hidden)
				}
			}
		}
	})
}
