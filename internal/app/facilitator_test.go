package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/facilitator"
)

func (ta *testApp) mustProfile(u *account.User, org int64, methods []string, regions ...string) *facilitator.Profile {
	ta.t.Helper()
	p, err := ta.Facilitators.SaveProfile(context.Background(), ta.actorOf(u), &facilitator.Profile{OrganisationID: org, Methods: methods,
		Languages: []string{"sv"}, Regions: regions, DigitalOnly: len(regions) == 0, Active: true, About: "Leder **scenarioövningar**."})
	if err != nil {
		ta.t.Fatalf("profile: %v", err)
	}
	return p
}

func (ta *testApp) mustAsk(u *account.User, org, fac int64) *facilitator.Request {
	ta.t.Helper()
	r, err := ta.Facilitators.Ask(context.Background(), ta.actorOf(u), fac, &facilitator.Request{RequesterOrg: org,
		What: "Leda en scenarioövning", When: time.Now().AddDate(0, 1, 0), Participants: 30})
	if err != nil {
		ta.t.Fatalf("ask: %v", err)
	}
	return r
}

// The facilitators' cases of the authorization matrix: B's editor offers
// themselves; A's editor and the platform admin (for C) ask.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	ta := f.ta
	a, b, c := f.orgs["org-a"].ID, f.orgs["org-b"].ID, f.orgs["org-c"].ID
	fac := ta.mustProfile(f.users[4], b, []string{"scenario_cross"}, "13").UserID
	req := ta.mustAsk(f.users[2], a, fac).ID
	req2 := ta.mustAsk(f.users[5], c, fac).ID
	req3 := ta.mustAsk(f.users[2], a, fac).ID
	own := v("organisation", fmt.Sprint(a), "methods", "backcasting", "languages", "sv", "digital_only", "1", "active", "1")
	when := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	ask := v("organisation", fmt.Sprint(a), "what", "En scenariodag", "when", when, "participants", "25")
	page := func(id int64) string { return fmt.Sprintf("/natverket/processledare/%d", id) }
	up := func(id int64) string { return fmt.Sprintf("/natverket/uppdrag/%d", id) }
	api := func(id int64) string { return fmt.Sprintf("/api/v1/facilitators/requests/%d", id) }
	signed := [6]int{see, ok, ok, ok, ok, ok}
	apiSigned := [6]int{unath, ok, ok, ok, ok, ok}
	cr := http.StatusCreated
	return []matrixCase{
		{pattern: "GET /natverket/processledare", method: "GET", path: "/natverket/processledare?metod=scenario_cross&lan=13", want: signed},
		{pattern: "GET /natverket/processledare", method: "GET", path: "/natverket/processledare?metod=trolleri", want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "GET /natverket/processledare/jag", method: "GET", path: "/natverket/processledare/jag", want: signed},
		{pattern: "POST /natverket/processledare/jag", method: "POST", path: "/natverket/processledare/jag", form: own, want: [6]int{see, see, see, see, bad, see}},
		{pattern: "POST /natverket/processledare/jag", method: "POST", path: "/natverket/processledare/jag", form: v("organisation", fmt.Sprint(a)), want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "GET /natverket/processledare/{id}", method: "GET", path: page(fac), want: signed},
		{pattern: "GET /natverket/processledare/{id}", method: "GET", path: page(999999), want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /natverket/processledare/{id}", method: "POST", path: page(fac), form: ask, want: [6]int{see, forb, see, see, bad, see}},
		{pattern: "GET /natverket/uppdrag", method: "GET", path: "/natverket/uppdrag", want: signed},
		{pattern: "GET /natverket/uppdrag/{id}", method: "GET", path: up(req), want: signed},
		{pattern: "GET /natverket/uppdrag/{id}", method: "GET", path: up(req2), want: [6]int{see, nf, nf, nf, ok, ok}},
		{pattern: "POST /natverket/uppdrag/{id}", method: "POST", path: up(req), form: v("do", "accept"), want: [6]int{see, forb, forb, forb, see, see}},
		{pattern: "POST /natverket/uppdrag/{id}", method: "POST", path: up(req2), form: v("do", "cancel"), want: [6]int{see, nf, nf, nf, forb, see}},

		{pattern: "GET /api/v1/facilitators", method: "GET", path: "/api/v1/facilitators?method=scenario_cross", want: apiSigned},
		{pattern: "PUT /api/v1/facilitators/me", method: "PUT", path: "/api/v1/facilitators/me",
			json: fmt.Sprintf(`{"organization_id": %d, "methods": ["megatrends"], "languages": ["sv", "en"], "regions": ["07"], "active": true}`, a), want: [6]int{unath, ok, ok, ok, bad, ok}},
		{pattern: "GET /api/v1/facilitators/{id}", method: "GET", path: fmt.Sprintf("/api/v1/facilitators/%d", fac), want: apiSigned},
		{pattern: "GET /api/v1/facilitators/requests", method: "GET", path: "/api/v1/facilitators/requests", want: apiSigned},
		{pattern: "POST /api/v1/facilitators/requests", method: "POST", path: "/api/v1/facilitators/requests",
			json: fmt.Sprintf(`{"facilitator_id": %d, "organization_id": %d, "what": "Trendworkshop", "when": %q, "participants": 12}`, fac, a, when), want: [6]int{unath, forb, cr, cr, bad, cr}},
		{pattern: "GET /api/v1/facilitators/requests/{id}", method: "GET", path: api(req2), want: [6]int{unath, nf, nf, nf, ok, ok}},
		{pattern: "POST /api/v1/facilitators/requests/{id}/actions", method: "POST", path: api(req3) + "/actions", json: `{"action": "decline"}`, want: [6]int{unath, forb, forb, forb, ok, ok}},

		{pattern: "POST /natverket/processledare/jag/ta-bort", method: "POST", path: "/natverket/processledare/jag/ta-bort", want: [6]int{see, see, see, see, see, see}},
		{pattern: "DELETE /api/v1/facilitators/me", method: "DELETE", path: "/api/v1/facilitators/me", want: [6]int{unath, nf, nf, nf, nf, nf}}, // the page just removed it
	}
})

// TestFacilitators_LendBetweenRegions: Halland's facilitator offers
// themselves; Kronoberg's editor finds them by method and region and
// asks; the facilitator proposes another date, Kronoberg accepts it, the
// facilitator marks it done with the workshop; both organisations see the
// history, a third does not; a stale answer is a conflict.
func TestFacilitators_LendBetweenRegions(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		halland, kronoberg, other := ta.mustOrg("region-halland", true), ta.mustOrg("region-kronoberg", true), ta.mustOrg("region-c", true)
		fac := ta.mustUser("fac@halland.se", "Processledare Halland", false)
		ed := ta.mustUser("ed@kronoberg.se", "Redaktör Kronoberg", false)
		mem := ta.mustUser("mem@halland.se", "Medlem Halland", false)
		out := ta.mustUser("ut@c.se", "Utomstående", false)
		ta.mustMember(fac, halland, account.RoleMember)
		ta.mustMember(mem, halland, account.RoleMember)
		ta.mustMember(ed, kronoberg, account.RoleEditor)
		ta.mustMember(out, other, account.RoleMember)
		sFac, sEd, sMem, sOut := ta.mintSession(fac), ta.mintSession(ed), ta.mintSession(mem), ta.mintSession(out)
		form := url.Values{"organisation": {fmt.Sprint(halland.ID)}, "methods": {"scenario_cross", "backcasting"}, "languages": {"sv"},
			"regions": {"13", "07"}, "availability": {"Vardagar under hösten"}, "active": {"1"}}
		expect(t, ta.do(req{method: "POST", path: "/natverket/processledare/jag", session: sFac, form: form}), http.StatusSeeOther)
		found := expect(t, ta.do(req{method: "GET", path: "/natverket/processledare?metod=backcasting&lan=07", session: sEd}), http.StatusOK)
		if !strings.Contains(found, "Processledare Halland") {
			t.Fatal("search by method and region does not find the facilitator")
		}
		if none := expect(t, ta.do(req{method: "GET", path: "/natverket/processledare?metod=design_fiction", session: sEd}), http.StatusOK); strings.Contains(none, "Processledare Halland") {
			t.Error("a method they do not lead finds them")
		}
		when := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
		resp := ta.do(req{method: "POST", path: fmt.Sprintf("/natverket/processledare/%d", fac.ID), session: sEd,
			form: url.Values{"organisation": {fmt.Sprint(kronoberg.ID)}, "what": {"Scenariodag med kommunerna"}, "when": {when}, "for_whom": {"Kommunernas planerare"}, "participants": {"40"}}})
		expect(t, resp, http.StatusSeeOther)
		path := resp.Header.Get("Location")
		// The requester cannot accept their own request.
		expect(t, ta.do(req{method: "POST", path: path, session: sEd, form: url.Values{"do": {"accept"}}}), http.StatusForbidden)
		other2 := time.Now().AddDate(0, 2, 7).Format("2006-01-02")
		expect(t, ta.do(req{method: "POST", path: path, session: sFac, form: url.Values{"do": {"propose"}, "when": {other2}, "note": {"Veckan efter passar bättre"}}}), http.StatusSeeOther)
		expect(t, ta.do(req{method: "POST", path: path, session: sEd, form: url.Values{"do": {"accept_proposal"}}}), http.StatusSeeOther)
		var id int64
		fmt.Sscanf(path, "/natverket/uppdrag/%d", &id)
		r, err := ta.Facilitators.Request(context.Background(), ta.actorOf(ed), id)
		if err != nil || r.Status != facilitator.Accepted || r.When.In(event.Stockholm).Format("2006-01-02") != other2 {
			t.Fatalf("after accepting the proposal: %+v %v", r, err)
		}
		// A stale second answer: conflict, nothing changed.
		if _, err := ta.Facilitators.Act(context.Background(), ta.actorOf(fac), id, facilitator.Action{Do: facilitator.ActAccept}); err == nil {
			t.Error("accepting an accepted request went through")
		}
		bad := expect(t, ta.do(req{method: "POST", path: path, session: sFac, form: url.Values{"do": {"finish"}, "workshop": {"424242"}}}), http.StatusUnprocessableEntity)
		if !strings.Contains(bad, "Det finns ingen sådan workshop") {
			t.Errorf("finishing with a missing workshop says:\n%.1500s", bad)
		}
		expect(t, ta.do(req{method: "POST", path: path, session: sFac, form: url.Values{"do": {"finish"}}}), http.StatusSeeOther)
		for _, s := range []string{sFac, sEd, sMem} {
			page := expect(t, ta.do(req{method: "GET", path: path, session: s}), http.StatusOK)
			for _, want := range []string{"skickade förfrågan", "föreslog ett annat datum", "Veckan efter passar bättre", "godtog det nya datumet", "genomförd"} {
				if !strings.Contains(page, want) {
					t.Errorf("history lacks %q", want)
				}
			}
		}
		expect(t, ta.do(req{method: "GET", path: path, session: sOut}), http.StatusNotFound)
		expect(t, ta.do(req{method: "GET", path: "/natverket/processledare"}), http.StatusSeeOther)
		// The facilitator withdraws the offer through the API; the history stays.
		expect(t, ta.do(req{method: "DELETE", path: "/api/v1/facilitators/me", session: sFac}), http.StatusNoContent)
		expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/facilitators/%d", fac.ID), session: sEd}), http.StatusNotFound)
		expect(t, ta.do(req{method: "GET", path: path, session: sEd}), http.StatusOK)
	})
}

func facilitatorAccept(note string) facilitator.Action {
	return facilitator.Action{Do: facilitator.ActAccept, Note: note}
}
