package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/post"
)

// The personal-data cases of the authorization matrix; deleting the
// account comes last in the fixture's life, so the matrix only asks with
// a wrong confirmation (422, nothing deleted).
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	return []matrixCase{
		{pattern: "GET /konto/mina-uppgifter", method: "GET", path: "/konto/mina-uppgifter", want: [6]int{see, ok, ok, ok, ok, ok}},
		{pattern: "GET /konto/mina-uppgifter.json", method: "GET", path: "/konto/mina-uppgifter.json", want: [6]int{see, ok, ok, ok, ok, ok}},
		{pattern: "POST /konto/radera", method: "POST", path: "/konto/radera", form: form("confirm", "fel@adress.se"), want: [6]int{see, bad, bad, bad, bad, bad}},
	}
})

// TestPrivacy_ExportHoldsAllAboutMeNothingAboutOthers: two members of one
// organisation who did the same things (posts, event registrations,
// comments in one thread, a facilitator request between them); each
// export holds the user's own records, none of the other's name, address,
// words or sign-ins. Deleting the account keeps the comments and the post,
// attributed to a former member, and ends the sessions.
func TestPrivacy_ExportHoldsAllAboutMeNothingAboutOthers(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		org := ta.mustOrg("region-a", true)
		ann := ta.mustUser("ann@a.se", "Ann Andersson", false)
		bo := ta.mustUser("bo@a.se", "Bo Bengtsson", false)
		ta.mustMember(ann, org, account.RoleEditor)
		ta.mustMember(bo, org, account.RoleEditor)
		sAnn, sBo := ta.mintSession(ann), ta.mintSession(bo)
		ta.mustPost(ann, org.ID, "Anns post om scenarier.", post.Public)
		ta.mustPost(bo, org.ID, "Bos post om megatrender.", post.Public)
		e := ta.mustEvent(ann, event.Event{OrganisationID: org.ID, Title: "Regiondag", Audience: event.Network, Registration: true})
		for _, s := range []string{sAnn, sBo} {
			expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/evenemang/%d/anmalan", e.ID), session: s}), http.StatusSeeOther)
		}
		ta.mustComment(ann, event.Kind, e.ID, 0, "Anns kommentar om dagen")
		ta.mustComment(bo, event.Kind, e.ID, 0, "Bos kommentar om dagen")
		ta.mustProfile(bo, org.ID, []string{"backcasting"})
		r := ta.mustAsk(ann, org.ID, bo.ID)
		if _, err := ta.Facilitators.Act(context.Background(), ta.actorOf(bo), r.ID, facilitatorAccept("Bos svar till Ann")); err != nil {
			t.Fatal(err)
		}

		export := func(s string) (string, map[string][]map[string]any) {
			body := expect(t, ta.do(req{method: "GET", path: "/konto/mina-uppgifter.json", session: s}), http.StatusOK)
			var doc map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("export is not JSON: %v", err)
			}
			out := map[string][]map[string]any{}
			for k, v := range doc {
				var rows []map[string]any
				if json.Unmarshal(v, &rows) == nil {
					out[k] = rows
				}
			}
			return body, out
		}
		body, doc := export(sAnn)
		for _, want := range []string{"ann@a.se", "Ann Andersson", "Anns post om scenarier.", "Anns kommentar om dagen", "Regiondag", "Leda en scenarioövning"} {
			if !strings.Contains(body, want) {
				t.Errorf("Ann's export lacks %q", want)
			}
		}
		for _, never := range []string{"bo@a.se", "Bo Bengtsson", "Bos post", "Bos kommentar", "Bos svar till Ann", "backcasting"} {
			if strings.Contains(body, never) {
				t.Errorf("Ann's export holds %q about Bo", never)
			}
		}
		for section, n := range map[string]int{"account": 1, "memberships": 1, "posts": 1, "event_registrations": 1, "events_created": 1,
			"comments": 1, "facilitator_requests": 1, "facilitator_profile": 0} {
			if len(doc[section]) != n {
				t.Errorf("Ann's %s: %d rows, want %d: %v", section, len(doc[section]), n, doc[section])
			}
		}
		// Ann's own sessions (the test minted several), none of Bo's.
		if len(doc["sessions"]) == 0 {
			t.Error("Ann's export has no sessions")
		}
		if strings.Contains(body, "token_hash") || strings.Contains(body, "password") {
			t.Error("the export holds hashes")
		}
		body, doc = export(sBo)
		if !strings.Contains(body, "Bos svar till Ann") || !strings.Contains(body, "backcasting") || strings.Contains(body, "Anns kommentar") || strings.Contains(body, "ann@a.se") {
			t.Error("Bo's export is wrong")
		}
		if len(doc["facilitator_profile"]) != 1 || doc["facilitator_requests"][0]["your_part"] != "facilitator" {
			t.Errorf("Bo's facilitator sections: %v %v", doc["facilitator_profile"], doc["facilitator_requests"])
		}

		// Bo deletes his account: a wrong confirmation first.
		expect(t, ta.do(req{method: "POST", path: "/konto/radera", session: sBo, form: url.Values{"confirm": {"ann@a.se"}}}), http.StatusUnprocessableEntity)
		expect(t, ta.do(req{method: "POST", path: "/konto/radera", session: sBo, form: url.Values{"confirm": {"BO@a.se"}}}), http.StatusSeeOther)
		expect(t, ta.do(req{method: "GET", path: "/konto", session: sBo}), http.StatusSeeOther)
		page := expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/evenemang/%d", e.ID), session: sAnn}), http.StatusOK)
		if !strings.Contains(page, "Bos kommentar om dagen") || !strings.Contains(page, "tidigare medlem") || strings.Contains(page, "Bo Bengtsson") {
			t.Error("Bo's comment is not kept as a former member's")
		}
		if posts, _ := ta.Posts.List(context.Background(), nil, org.ID, 10); len(posts) != 2 {
			t.Errorf("posts after the deletion: %d", len(posts))
		}
		if got, _ := ta.Events.Get(context.Background(), ta.actorOf(ann), e.ID); got.Registered != 1 {
			t.Errorf("registrations after the deletion: %d", got.Registered)
		}
	})
}
