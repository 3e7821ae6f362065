package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
)

// TestContacts_DetailsOnlyWherePublic is issue 21 item 10: a contact
// person shows a role and organisation; the e-mail and phone only where
// the organisation made them public, else only to the signed-in network,
// on the pages and in the API.
func TestContacts_DetailsOnlyWherePublic(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		o := ta.mustOrg("org-a", true)
		ctx := context.Background()
		for _, c := range []account.Contact{
			{OrganisationID: o.ID, Name: "Öppen Person", Title: "Samordnare", Email: "oppen@example.se", Phone: "010-111 11 11", DetailsPublic: true},
			{OrganisationID: o.ID, Name: "Sluten Person", Title: "Analytiker", Email: "sluten@example.se", Phone: "010-222 22 22"},
		} {
			if _, err := ta.Stores.Accounts.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		session := ta.mintSession(ta.mustUser("any@x.se", "Någon", false))
		for _, who := range []struct {
			name, session string
			closed        bool
		}{{"Public", "", false}, {"SignedIn", session, true}} {
			for _, path := range []string{"/organisationer/org-a", "/natverket"} {
				body := readBody(t, ta.do(req{method: "GET", path: path, session: who.session}))
				if !strings.Contains(body, "oppen@example.se") || !strings.Contains(body, "Samordnare") {
					t.Errorf("%s %s: the public contact's details or role are missing", who.name, path)
				}
				if strings.Contains(body, "sluten@example.se") != who.closed {
					t.Errorf("%s %s: the other contact's e-mail shown %v, want %v", who.name, path, !who.closed, who.closed)
				}
			}
			var api struct {
				Contacts []struct{ Name, Email, Phone string }
			}
			resp := ta.do(req{method: "GET", path: "/api/v1/organizations/org-a", session: who.session})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("API: %d", resp.StatusCode)
			}
			if err := json.NewDecoder(resp.Body).Decode(&api); err != nil {
				t.Fatal(err)
			}
			for _, c := range api.Contacts {
				shown := c.Email != "" || c.Phone != ""
				if want := c.Name == "Öppen Person" || who.closed; shown != want {
					t.Errorf("%s API: %s details shown %v, want %v", who.name, c.Name, shown, want)
				}
			}
		}
	})
}
