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
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/event"
)

func (ta *testApp) mustComment(u *account.User, kind string, target, parent int64, body string) *comment.Comment {
	ta.t.Helper()
	c, err := ta.Comments.Add(context.Background(), ta.actorOf(u), kind, target, parent, body)
	if err != nil {
		ta.t.Fatalf("comment: %v", err)
	}
	return c
}

// The comments' cases of the authorization matrix: a public event of A
// and an internal one; B's editor comments on A's public event.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	ta := f.ta
	a := f.orgs["org-a"].ID
	pub := ta.mustEvent(f.users[5], event.Event{OrganisationID: a, Title: "Öppen dag med kommentarer", Audience: event.Public}).ID
	internal := ta.mustEvent(f.users[5], event.Event{OrganisationID: a, Title: "Intern dag med kommentarer", Audience: event.Internal}).ID
	byB := ta.mustComment(f.users[4], event.Kind, pub, 0, "B:s **kommentar**").ID
	byB2 := ta.mustComment(f.users[4], event.Kind, pub, 0, "B:s andra kommentar").ID
	onInternal := ta.mustComment(f.users[2], event.Kind, internal, 0, "Intern kommentar").ID
	c := func(id int64, rest string) string { return fmt.Sprintf("/kommentarer/%d%s", id, rest) }
	api := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/comments/%d%s", id, rest) }
	add := func(target int64) url.Values {
		return v("kind", "event", "target", fmt.Sprint(target), "body", "Bra dag!")
	}
	cr, nc := http.StatusCreated, http.StatusNoContent
	return []matrixCase{
		{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: add(pub), want: [6]int{see, see, see, see, see, see}},
		// A comment on something the caller cannot see: 404, nothing saved.
		{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: add(internal), want: [6]int{see, see, see, see, nf, see}},
		{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: v("kind", "trolleri", "target", "1", "body", "x"), want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: v("kind", "event", "target", fmt.Sprint(pub), "body", " "), want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "POST /kommentarer/{id}", method: "POST", path: c(byB, ""), form: v("body", "Ändrad"), want: [6]int{see, forb, forb, forb, see, forb}},
		{pattern: "POST /kommentarer/{id}", method: "POST", path: c(onInternal, ""), form: v("body", "Ändrad"), want: [6]int{see, forb, see, forb, nf, forb}},
		{pattern: "POST /kommentarer/{id}/dolj", method: "POST", path: c(byB2, "/dolj"), form: v("reason", "Utanför ämnet"), want: [6]int{see, forb, forb, see, forb, see}},
		{pattern: "POST /kommentarer/{id}/ta-bort", method: "POST", path: c(byB, "/ta-bort"), want: [6]int{see, forb, forb, forb, see, forb}},

		{pattern: "GET /api/v1/comments", method: "GET", path: fmt.Sprintf("/api/v1/comments?kind=event&target=%d", pub), want: all(ok)},
		{pattern: "GET /api/v1/comments", method: "GET", path: fmt.Sprintf("/api/v1/comments?kind=event&target=%d", internal), want: [6]int{nf, ok, ok, ok, nf, ok}},
		{pattern: "POST /api/v1/comments", method: "POST", path: "/api/v1/comments", json: fmt.Sprintf(`{"kind": "event", "target_id": %d, "parent_id": %d, "body": "Svar"}`, pub, byB2), want: [6]int{unath, cr, cr, cr, cr, cr}},
		{pattern: "PATCH /api/v1/comments/{id}", method: "PATCH", path: api(onInternal, ""), json: `{"body": "Ändrad igen"}`, want: [6]int{unath, forb, ok, forb, nf, forb}},
		{pattern: "POST /api/v1/comments/{id}/hide", method: "POST", path: api(onInternal, "/hide"), json: `{"reason": "Dubblett"}`, want: [6]int{unath, forb, forb, nc, nf, nc}},
		{pattern: "DELETE /api/v1/comments/{id}", method: "DELETE", path: api(onInternal, ""), want: [6]int{unath, forb, nc, forb, nf, forb}},
	}
})

// TestComments_Thread: a comment and a reply on a board post, Markdown
// sanitised; a reply to a reply is refused; editing works within 15
// minutes and not after; the admin hides with a reason, the page shows
// the reason and not the text; deleting a comment with a reply leaves a
// stub; the thread of an event the caller may not see is 404.
func TestComments_Thread(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a := ta.mustOrg("region-a", true)
		admin, ed, u := ta.mustUser("adm@a.se", "Admin A", false), ta.mustUser("ed@a.se", "Redaktör A", false), ta.mustUser("u@x.se", "Ulla", false)
		ta.mustMember(admin, a, account.RoleAdmin)
		ta.mustMember(ed, a, account.RoleEditor)
		sAdmin, sU := ta.mintSession(admin), ta.mintSession(u)
		post := ta.mustBoardPost(ed, a.ID, "share_data", "public")
		form := func(kv ...string) url.Values {
			f := url.Values{"kind": {"board"}, "target": {fmt.Sprint(post.ID)}}
			for i := 0; i < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return f
		}
		resp := ta.do(req{method: "POST", path: "/kommentarer", session: sU, form: form("body", "Vi delar gärna <script>x()</script> **data**.")})
		expect(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, fmt.Sprintf("/natverket/samarbeten/%d#comment-", post.ID)) {
			t.Errorf("back to %q", loc)
		}
		thread, _, err := ta.Comments.Thread(context.Background(), nil, "board", post.ID)
		if err != nil || len(thread) != 1 {
			t.Fatalf("thread %+v %v", thread, err)
		}
		top := thread[0]
		expect(t, ta.do(req{method: "POST", path: "/kommentarer", session: sAdmin, form: form("parent", fmt.Sprint(top.ID), "body", "Tack!")}), http.StatusSeeOther)
		thread, _, _ = ta.Comments.Thread(context.Background(), nil, "board", post.ID)
		reply := thread[0].Replies[0]
		body := expect(t, ta.do(req{method: "POST", path: "/kommentarer", session: sU, form: form("parent", fmt.Sprint(reply.ID), "body", "Svar på svar")}), http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Svar går bara på kommentarer") {
			t.Error("a reply to a reply is not refused with its message")
		}
		page := expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/natverket/samarbeten/%d", post.ID)}), http.StatusOK)
		if strings.Contains(page, "<script>x()") || !strings.Contains(page, "<strong>data</strong>") || !strings.Contains(page, "Tack!") {
			t.Error("the thread is not shown sanitised with its reply")
		}
		// Edit now: fine; in 16 minutes: refused.
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d", top.ID), session: sU, form: url.Values{"body": {"Vi delar gärna data."}}}), http.StatusSeeOther)
		ta.Comments.SetClock(func() time.Time { return time.Now().Add(16 * time.Minute) })
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d", top.ID), session: sU, form: url.Values{"body": {"För sent"}}}), http.StatusForbidden)
		ta.Comments.SetClock(time.Now)
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d/dolj", reply.ID), session: sU, form: url.Values{"reason": {"x"}}}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d/dolj", top.ID), session: sAdmin, form: url.Values{"reason": {"Personuppgifter"}}}), http.StatusSeeOther)
		page = expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/natverket/samarbeten/%d", post.ID)}), http.StatusOK)
		if !strings.Contains(page, "Dold av en moderator: Personuppgifter") || strings.Contains(page, "Vi delar gärna data.") {
			t.Error("the hidden comment shows its text to the public, or no reason")
		}
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("/kommentarer/%d/ta-bort", top.ID), session: sU}), http.StatusSeeOther)
		thread, _, _ = ta.Comments.Thread(context.Background(), nil, "board", post.ID)
		if len(thread) != 1 || !thread[0].Deleted || len(thread[0].Replies) != 1 {
			t.Errorf("after deleting the comment with a reply: %+v", thread)
		}
		internal := ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Intern", Audience: event.Internal})
		ta.mustComment(ed, event.Kind, internal.ID, 0, "Hemligt")
		expect(t, ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/comments?kind=event&target=%d", internal.ID), session: sU}), http.StatusNotFound)
	})
}
