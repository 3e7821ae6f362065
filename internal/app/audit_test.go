package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
)

// The audit log's cases of the authorization matrix: platform admins only.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	return []matrixCase{
		{pattern: "GET /admin/logg", method: "GET", path: "/admin/logg", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "GET /admin/logg", method: "GET", path: "/admin/logg?typ=work", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events", want: [6]int{unath, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events?kind=membership&limit=5", want: [6]int{unath, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events?kind=nope", want: [6]int{unath, forb, forb, forb, forb, bad}},
	}
})

// TestAudit_ThroughTheApp: a role change made by a platform admin and a
// visibility change made by an editor each show once in the API with
// their actor; once the editor's account is deleted, the page shows the
// change as a former member's.
func TestAudit_ThroughTheApp(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := t.Context()
		org := ta.mustOrg("logg-a", true)
		admin := ta.mustUser("admin@logg.se", "Plattformsadmin", true)
		ed := ta.mustUser("ed@logg.se", "Redaktör Rut", false)
		ta.mustMember(ed, org, account.RoleMember)
		if err := ta.Accounts.SetMemberRole(ctx, ta.actorOf(admin), org.ID, ed.ID, account.RoleEditor); err != nil {
			t.Fatal(err)
		}
		edActor := ta.actorOf(ed)
		w := ta.mustWork(edActor, org.ID, "Loggat verk", library.Organisation)
		w.Visibility = library.Public
		if _, err := ta.Library.Update(ctx, edActor, w); err != nil {
			t.Fatal(err)
		}
		session := ta.mintSession(admin)
		var list struct {
			Items []struct {
				ActorID   *int64 `json:"actor_id"`
				ActorName string `json:"actor_name"`
				Action    string `json:"action"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		for kind, want := range map[string][2]string{"membership": {"membership.role", admin.Name}, "work": {"work.visibility", ed.Name}} {
			body := expect(t, ta.do(req{method: "GET", path: "/api/v1/audit-events?kind=" + kind, session: session}), http.StatusOK)
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 1 || list.Items[0].Action != want[0] || list.Items[0].ActorName != want[1] || list.Next != nil {
				t.Errorf("%s: %s, want one %s by %s", kind, body, want[0], want[1])
			}
		}
		if _, err := ta.DB.Privacy().DeleteUser(ctx, ed.ID); err != nil {
			t.Fatal(err)
		}
		page := expect(t, ta.do(req{method: "GET", path: "/admin/logg?typ=work", session: session}), http.StatusOK)
		if !strings.Contains(page, "tidigare medlem") || strings.Contains(page, ed.Name) {
			t.Errorf("after deleting the editor the log does not show a former member")
		}
	})
}
