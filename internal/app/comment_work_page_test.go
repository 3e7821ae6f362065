package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
)

// TestComments_WorkPage: the one comment component on a work's page,
// without JavaScript: a member posts, replies and edits by forms; the
// owning organisation's editor hides one with a reason, which the page
// says; the public reads the thread with a link to sign in; on a work the
// caller may not see, a comment is refused 404 and nothing is saved, and
// its page shows no thread.
func TestComments_WorkPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := context.Background()
		a, b := ta.mustOrg("region-a", true), ta.mustOrg("region-b", true)
		ed := ta.mustUser("ed@a.se", "Redaktör A", false)
		ta.mustMember(ed, a, account.RoleAdmin) // moderators: the organisation's admins
		mem := ta.mustUser("mem@b.se", "Medlem B", false)
		ta.mustMember(mem, b, account.RoleMember)
		pub := ta.mustWork(ta.actorOf(ed), a.ID, "Scenarier för Halland 2040", library.Public)
		internal := ta.mustWork(ta.actorOf(ed), a.ID, "Intern omvärldsanalys", library.Organisation)
		sEd, sMem := ta.mintSession(ed), ta.mintSession(mem)
		path := paths.Work(pub.Slug)

		page := expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
		if !strings.Contains(page, `id="comments"`) || !strings.Contains(page, "Logga in för att kommentera") || strings.Contains(page, `action="/kommentarer"`) {
			t.Fatalf("the public's work page lacks the read-only thread:\n%.3000s", page)
		}
		add := func(session string, target int64, parent int64, body string) *http.Response {
			f := form("kind", library.Kind, "target", fmt.Sprint(target), "body", body)
			if parent != 0 {
				f.Set("parent", fmt.Sprint(parent))
			}
			return ta.do(req{method: "POST", path: "/kommentarer", session: session, form: f})
		}
		expect(t, add(sMem, pub.ID, 0, "Hur *valde* ni nyckelosäkerheterna?"), http.StatusSeeOther)
		list, _, err := ta.Comments.Thread(ctx, ta.actorOf(mem), library.Kind, pub.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("thread: %d %v", len(list), err)
		}
		first := list[0].ID
		expect(t, add(sEd, pub.ID, first, "Genom en omröstning i workshoppen."), http.StatusSeeOther)
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d", first), session: sMem, form: form("body", "Hur *valde* ni de två nyckelosäkerheterna?")}), http.StatusSeeOther)
		page = expect(t, ta.do(req{method: "GET", path: path, session: sMem}), http.StatusOK)
		for _, want := range []string{"<em>valde</em> ni de två nyckelosäkerheterna?", "Genom en omröstning i workshoppen.", `action="/kommentarer"`, "Medlem B", "Redaktör A"} {
			if !strings.Contains(page, want) {
				t.Errorf("the member's work page lacks %q", want)
			}
		}
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d/dolj", first), session: sEd, form: form("reason", "Utanför ämnet")}), http.StatusSeeOther)
		page = expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
		if !strings.Contains(page, "Dold av en moderator: Utanför ämnet") || strings.Contains(page, "nyckelosäkerheterna") {
			t.Errorf("the public's page after hiding:\n%.3000s", page)
		}
		// The member of B may not see A's internal work: nothing is saved.
		expect(t, add(sMem, internal.ID, 0, "Smyger in"), http.StatusNotFound)
		if got, _, err := ta.Comments.Thread(ctx, ta.actorOf(ed), library.Kind, internal.ID); err != nil || len(got) != 0 {
			t.Errorf("the internal work's thread: %d %v", len(got), err)
		}
		expect(t, ta.do(req{method: "GET", path: paths.Work(internal.Slug), session: sMem}), http.StatusNotFound)
		if page := expect(t, ta.do(req{method: "GET", path: paths.Work(internal.Slug), session: sEd}), http.StatusOK); !strings.Contains(page, `id="comments"`) {
			t.Error("the internal work's page lacks its thread for its own editor")
		}
	})
}
