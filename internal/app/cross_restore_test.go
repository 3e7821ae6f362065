package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestCrossRestore: restoring an old version makes a new version with the
// old content that records what it restored; a form or request from
// before a later save is a conflict and saves nothing. Both engines.
func TestCrossRestore(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			ctx := context.Background()
			org := ta.mustOrg("region-x", true)
			u := ta.mustUser("red@x.se", "Redaktör", false)
			ta.mustMember(u, org, account.RoleEditor)
			ed := &account.Actor{User: u, Memberships: []account.Membership{{OrganisationID: org.ID, Role: account.RoleEditor}}}
			session := ta.mintSession(u)
			c, err := ta.Crosses.Create(ctx, ed, crossOf(org.ID, "ett", library.Public, cross.StatusPublished))
			if err != nil {
				t.Fatal(err)
			}
			two := crossOf(org.ID, "två", library.Public, cross.StatusPublished)
			two.ID, two.X.Name = c.ID, "Klimat"
			two.Scenarios[0].Story = "En ny berättelse."
			if _, err := ta.Crosses.Update(ctx, ed, two, 1); err != nil {
				t.Fatal(err)
			}
			page := fmt.Sprintf("/scenariekors/%d/versioner", c.ID)
			body := expect(t, ta.do(req{method: "GET", path: page, session: session}), http.StatusOK)
			if !strings.Contains(body, `action="`+page+`/1/aterstall"`) || strings.Contains(body, `action="`+page+`/2/aterstall"`) {
				t.Fatal("the revisions page should offer version 1 and not the current 2")
			}

			// Restore version 1 through the page, as seen at version 2.
			resp := ta.do(req{method: "POST", path: page + "/1/aterstall", session: session, form: form("version", "2")})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
				t.Fatalf("restore: %d %s", resp.StatusCode, readBody(t, resp))
			}
			got, err := ta.Crosses.Get(ctx, ed, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != 3 || got.Title != "Kors ett" || got.X.Name != "Teknik" || got.Scenarios[0].Story != "" || got.OrganisationID != org.ID {
				t.Fatalf("after restoring 1: version %d title %q x %q", got.Version, got.Title, got.X.Name)
			}
			if body = expect(t, ta.do(req{method: "GET", path: page, session: session}), http.StatusOK); !strings.Contains(body, "Återställd från version 1") {
				t.Error("the revisions page does not say version 3 restored 1")
			}

			// The same form again (it showed version 2): a conflict, nothing saved.
			resp = ta.do(req{method: "POST", path: page + "/2/aterstall", session: session, form: form("version", "2")})
			if body := readBody(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Någon annan har sparat korset under tiden") {
				t.Fatalf("stale restore: %d", resp.StatusCode)
			}
			// The API: the same rule; then version 2 back, as seen at 3.
			api := fmt.Sprintf("/api/v1/crosses/%d/revisions", c.ID)
			var e apiError
			decode(t, ta.do(jsonReq("POST", api+"/2/restore", `{"version": 2}`, session)), http.StatusConflict, &e)
			if got, _ = ta.Crosses.Get(ctx, ed, c.ID); got.Version != 3 {
				t.Fatalf("a conflict saved: version %d", got.Version)
			}
			var out struct {
				Title   string `json:"title"`
				Version int    `json:"version"`
			}
			decode(t, ta.do(jsonReq("POST", api+"/2/restore", `{"version": 3}`, session)), http.StatusOK, &out)
			if out.Version != 4 || out.Title != "Kors två" {
				t.Fatalf("API restore: %+v", out)
			}
			var revs struct {
				Items []struct {
					Version      int `json:"version"`
					RestoredFrom int `json:"restored_from"`
				} `json:"items"`
			}
			decode(t, ta.do(req{method: "GET", path: api, session: session}), http.StatusOK, &revs)
			if len(revs.Items) != 4 || revs.Items[0].RestoredFrom != 2 || revs.Items[1].RestoredFrom != 1 || revs.Items[3].RestoredFrom != 0 {
				t.Fatalf("revisions: %+v", revs.Items)
			}
			decode(t, ta.do(jsonReq("POST", api+"/9/restore", `{"version": 0}`, session)), http.StatusNotFound, &e)
			decode(t, ta.do(jsonReq("POST", api+"/4/restore", `{"version": 0}`, session)), http.StatusUnprocessableEntity, &e)
			if !strings.Contains(e.Error.Message, "redan den nuvarande") {
				t.Errorf("restoring the current version: %q", e.Error.Message)
			}
		})
	}
}
