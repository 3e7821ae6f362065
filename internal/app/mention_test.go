package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/paths"
)

// TestComments_Mentions: a comment on an internal event @mentions a
// member (who also follows the thread), an outsider who may not see the
// event, its author and an unknown handle, and one in code: the member
// is told once, as mentioned; the outsider, the author and nobody else
// are not, and the outsider still cannot read the thread. An edit that
// adds a mention tells only the newly mentioned. The API lists the
// mentions and the page shows them as names.
func TestComments_Mentions(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := context.Background()
		org := ta.mustOrg("region-a", true)
		author, ann, cec := ta.mustUser("f@a.se", "Författare", false), ta.mustUser("ann@a.se", "Ann Berg", false), ta.mustUser("cec@a.se", "Cecilia Åström", false)
		out := ta.mustUser("olle@x.se", "Olle Ute", false)
		for _, u := range []*account.User{author, ann, cec} {
			ta.mustMember(u, org, account.RoleEditor)
		}
		handle := func(u *account.User) string {
			got, err := ta.Stores.Accounts.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Handle
		}
		if h := handle(cec); h != "cecilia-astrom" {
			t.Fatalf("handle from name: %q", h)
		}
		ev := ta.mustEvent(author, event.Event{OrganisationID: org.ID, Title: "Intern dag", Audience: event.Internal})
		if _, err := ta.Notify.Follow(ctx, ta.actorOf(ann), notify.FollowThread, fmt.Sprintf("event:%d", ev.ID)); err != nil {
			t.Fatal(err)
		}
		inbox := func(u *account.User) []notify.Notification {
			t.Helper()
			ns, err := ta.Notify.Inbox(ctx, ta.actorOf(u))
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}
		body := fmt.Sprintf("Hej @%s, @%s och @%s och @okand-person! `@%s`", handle(ann), handle(out), handle(author), handle(cec))
		c := ta.mustComment(author, event.Kind, ev.ID, 0, body)

		if ns := inbox(ann); len(ns) != 1 || ns[0].Reason != notify.ReasonMention || ns[0].RefID != c.ID {
			t.Fatalf("ann's inbox: %+v, want one mention of %d", ns, c.ID)
		} else {
			cat, err := i18n.Load()
			if err != nil {
				t.Fatal(err)
			}
			if got := ns[0].Item.Text(cat.For("sv")); got != "Författare nämnde dig i en kommentar" {
				t.Errorf("mention text: %q", got)
			}
		}
		for _, u := range []*account.User{out, author, cec} {
			if ns := inbox(u); len(ns) != 0 {
				t.Errorf("%s was told: %+v", u.Email, ns)
			}
		}
		// The outsider learns nothing: no notification row either, and
		// the thread stays closed to them.
		if seq, err := ta.DB.Notifications().LastSeq(ctx, out.ID); err != nil || seq != 0 {
			t.Errorf("outsider's inbox log: %d, %v", seq, err)
		}
		if _, _, err := ta.Comments.Thread(ctx, ta.actorOf(out), event.Kind, ev.ID); err == nil {
			t.Error("the outsider reads the thread")
		}

		// The API and the page show the known mentions, not the unknown
		// one nor the one in code.
		resp := ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/comments?kind=event&target=%d", ev.ID), session: ta.mintSession(ann)})
		var list struct {
			Items []struct {
				Mentions []struct{ Handle, Name string }
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("api: %d %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		if len(list.Items) != 1 || len(list.Items[0].Mentions) != 3 {
			t.Fatalf("api mentions: %+v", list.Items)
		}
		resp = ta.do(req{method: "GET", path: paths.Event(ev.ID), session: ta.mintSession(ann)})
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`<span class="mention" title="@ann-berg">@Ann Berg</span>`, "@okand-person", "<code>@cecilia-astrom</code>"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("page lacks %q", want)
			}
		}

		// An edit adding cec tells cec alone; ann is not told again.
		if _, err := ta.Comments.Edit(ctx, ta.actorOf(author), c.ID, body+" @"+handle(cec)); err != nil {
			t.Fatal(err)
		}
		if ns := inbox(cec); len(ns) != 1 || ns[0].Reason != notify.ReasonMention {
			t.Errorf("cec after the edit: %+v", ns)
		}
		if ns := inbox(ann); len(ns) != 1 {
			t.Errorf("ann after the edit: %d notifications, want still 1", len(ns))
		}

		// A reply that does not mention ann reaches her as the thread's
		// follower; a self-mention tells nobody.
		ta.mustComment(author, event.Kind, ev.ID, c.ID, "Svar till mig själv @"+handle(author))
		if ns := inbox(ann); len(ns) != 2 || ns[0].Reason != notify.FollowThread {
			t.Errorf("ann after a reply: %+v", ns)
		}
		if ns := inbox(author); len(ns) != 0 {
			t.Errorf("self-mention told the author: %+v", ns)
		}
	})
}

// TestComments_MentionLimit: only the first MaxMentions handles of a
// comment are told.
func TestComments_MentionLimit(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := context.Background()
		org := ta.mustOrg("region-a", true)
		author := ta.mustUser("f@a.se", "Författare", false)
		ta.mustMember(author, org, account.RoleEditor)
		var users []*account.User
		var b strings.Builder
		for i := range 12 {
			u := ta.mustUser(fmt.Sprintf("m%d@a.se", i), fmt.Sprintf("Medlem %02d", i), false)
			users = append(users, u)
			fmt.Fprintf(&b, "@medlem-%02d ", i)
		}
		ev := ta.mustEvent(author, event.Event{OrganisationID: org.ID, Title: "Öppen dag", Audience: event.Public})
		ta.mustComment(author, event.Kind, ev.ID, 0, b.String())
		told := 0
		for _, u := range users {
			ns, err := ta.Notify.Inbox(ctx, ta.actorOf(u))
			if err != nil {
				t.Fatal(err)
			}
			told += len(ns)
		}
		if told != 10 {
			t.Errorf("%d told, want 10", told)
		}
	})
}

// TestAccount_HandleForm: the account page shows the handle; a taken or
// invalid one is refused in Swedish with nothing saved, a new one saved.
func TestAccount_HandleForm(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		u, other := ta.mustUser("u@a.se", "Ulla Ek", false), ta.mustUser("o@a.se", "Åke Ås", false)
		s := ta.mintSession(u)
		page := func(r req) (int, string) {
			t.Helper()
			resp := ta.do(r)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(b)
		}
		if _, body := page(req{method: "GET", path: "/konto", session: s}); !strings.Contains(body, "@ulla-ek") || !strings.Contains(body, `value="ulla-ek"`) {
			t.Error("the account page does not show the handle")
		}
		for _, tt := range []struct{ handle, msg string }{
			{"ake-as", "Det användarnamnet är upptaget."},
			{"Å!", "Användarnamnet ska vara 3–30 tecken"},
		} {
			code, body := page(req{method: "POST", path: "/konto/namn", session: s, form: form("name", "Ulla Ny", "handle", tt.handle)})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, tt.msg) {
				t.Errorf("%q: %d, message %q missing", tt.handle, code, tt.msg)
			}
		}
		if got, _ := ta.Stores.Accounts.UserByID(context.Background(), u.ID); got.Name != "Ulla Ek" || got.Handle != "ulla-ek" {
			t.Errorf("a refused form saved: %+v", got)
		}
		if code, _ := page(req{method: "POST", path: "/konto/namn", session: s, form: form("name", "Ulla Ek", "handle", "ullis")}); code != http.StatusSeeOther {
			t.Errorf("valid handle: %d", code)
		}
		if got, _ := ta.Stores.Accounts.UserByID(context.Background(), u.ID); got.Handle != "ullis" {
			t.Errorf("handle = %q", got.Handle)
		}
		_ = other
	})
}
