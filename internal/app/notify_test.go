package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/mail/mailtest"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// The notifications' cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	nc := http.StatusNoContent
	signed := [6]int{see, see, see, see, see, see}
	return []matrixCase{
		{pattern: "GET /notiser", method: "GET", path: "/notiser", want: [6]int{see, ok, ok, ok, ok, ok}},
		// The stream is of the session's own inbox; there is no parameter
		// naming a user.
		{pattern: "GET /notiser/strom", method: "GET", path: "/notiser/strom", want: [6]int{see, ok, ok, ok, ok, ok}},
		{pattern: "GET /notiser/strom", method: "GET", path: "/notiser/strom?since=x", want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "POST /notiser/las", method: "POST", path: "/notiser/las", want: signed},
		{pattern: "POST /notiser/folj", method: "POST", path: "/notiser/folj", form: v("what", "kind", "ref", "event"), want: signed},
		{pattern: "POST /notiser/folj", method: "POST", path: "/notiser/folj", form: v("what", "kind", "ref", "trolleri"), want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "POST /notiser/folj/{id}/ta-bort", method: "POST", path: "/notiser/folj/999999/ta-bort", want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /notiser/epost", method: "POST", path: "/notiser/epost", form: v("mode", "weekly"), want: signed},
		{pattern: "GET /avregistrera/{user}/{token}", method: "GET", path: "/avregistrera/1/abc", want: all(ok)},
		// A forged token: 404 and nothing changed, whoever asks.
		{pattern: "POST /avregistrera/{user}/{token}", method: "POST", path: "/avregistrera/1/forfalskad", want: all(nf)},
		{pattern: "GET /api/v1/notifications", method: "GET", path: "/api/v1/notifications", want: [6]int{unath, ok, ok, ok, ok, ok}},
		{pattern: "POST /api/v1/notifications/read", method: "POST", path: "/api/v1/notifications/read", want: [6]int{unath, nc, nc, nc, nc, nc}},
		{pattern: "GET /api/v1/notifications/follows", method: "GET", path: "/api/v1/notifications/follows", want: [6]int{unath, ok, ok, ok, ok, ok}},
		{pattern: "POST /api/v1/notifications/follows", method: "POST", path: "/api/v1/notifications/follows", json: `{"what": "kind", "ref": "board"}`, want: [6]int{unath, http.StatusCreated, http.StatusCreated, http.StatusCreated, http.StatusCreated, http.StatusCreated}},
		{pattern: "DELETE /api/v1/notifications/follows/{id}", method: "DELETE", path: "/api/v1/notifications/follows/999999", want: [6]int{unath, nf, nf, nf, nf, nf}},
		{pattern: "PUT /api/v1/notifications/email", method: "PUT", path: "/api/v1/notifications/email", json: `{"mode": "hourly"}`, want: [6]int{unath, bad, bad, bad, bad, bad}},
	}
})

var unsubRE = regexp.MustCompile(`/avregistrera/[0-9]+/[0-9a-f]{64}`)

// TestNotify_DigestOncePerPeriodTwoInstances: two instances on one
// PostgreSQL send the daily digests at the same moment to a real SMTP
// listener; each user gets exactly one, holding what they follow and may
// see, not an internal event of an organisation they left; the mail
// carries RFC 8058's headers and its one-click link turns e-mail off,
// while a forged one changes nothing.
func TestNotify_DigestOncePerPeriodTwoInstances(t *testing.T) {
	base := storagetest.RequirePostgres(t)
	dsn := storagetest.PostgresDSN(t, base)
	smtp := mailtest.Start(t)
	withSMTP := func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" }
	one := mustApp(t, dsn, withSMTP)
	two := mustApp(t, dsn, withSMTP)
	ctx := context.Background()
	org := one.mustOrg("region-a", true)
	ed := one.mustUser("ed@a.se", "Redaktör", false)
	one.mustMember(ed, org, account.RoleEditor)
	const n = 20
	var users []*account.User
	for i := range n {
		u := one.mustUser(fmt.Sprintf("f%d@x.se", i), fmt.Sprintf("Följare %d", i), false)
		one.mustMember(u, org, account.RoleMember)
		a := one.actorOf(u)
		if _, err := one.Notify.Follow(ctx, a, notify.FollowOrg, fmt.Sprint(org.ID)); err != nil {
			t.Fatal(err)
		}
		if err := one.Notify.SetEmailMode(ctx, a, notify.EmailDaily); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	// Yesterday, Stockholm time: two events, one internal.
	yesterday := time.Now().Add(-24 * time.Hour)
	one.Notify.SetClock(func() time.Time { return yesterday })
	one.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Öppen regiondag", Audience: event.Network})
	one.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Intern planeringsdag", Audience: event.Internal})
	one.Notify.SetClock(time.Now)
	// The last follower leaves the organisation before the digest.
	leaver := users[n-1]
	if err := one.Stores.Accounts.RemoveMembership(ctx, leaver.ID, org.ID); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	sent := make([]int, 2)
	errsAt := make([]error, 2)
	for i, a := range []*testApp{one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent[i], errsAt[i] = a.Digest(ctx, notify.EmailDaily, time.Now())
		}()
	}
	wg.Wait()
	if errsAt[0] != nil || errsAt[1] != nil {
		t.Fatalf("digests: %v %v", errsAt[0], errsAt[1])
	}
	if sent[0]+sent[1] != n {
		t.Fatalf("sent %d + %d, want %d in all", sent[0], sent[1], n)
	}
	msgs := smtp.Wait(n)
	per := map[string]int{}
	for _, m := range msgs {
		per[m.To[0]]++
		data := strings.ReplaceAll(m.Data, "=\r\n", "")
		if !strings.Contains(data, "List-Unsubscribe: <http") || !strings.Contains(data, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") {
			t.Errorf("mail to %s lacks RFC 8058 headers", m.To[0])
		}
		if !strings.Contains(data, "Öppen regiondag") {
			t.Errorf("mail to %s lacks the open event", m.To[0])
		}
		leaverMail := m.To[0] == leaver.Email
		if strings.Contains(data, "Intern planeringsdag") == leaverMail {
			t.Errorf("mail to %s: internal event shown %v (left the organisation: %v)", m.To[0], !leaverMail, leaverMail)
		}
	}
	for _, u := range users {
		if per[u.Email] != 1 {
			t.Errorf("%s got %d digests", u.Email, per[u.Email])
		}
	}
	// Again, on either instance: nothing new.
	if again, err := two.Digest(ctx, notify.EmailDaily, time.Now()); err != nil || again != 0 {
		t.Errorf("a second run sent %d (%v)", again, err)
	}
	// One click: the first mail's link turns its user's e-mail off; a
	// forged token changes nothing.
	m := msgs[0]
	link := unsubRE.FindString(strings.ReplaceAll(m.Data, "=\r\n", ""))
	if link == "" {
		t.Fatalf("no unsubscribe link in:\n%s", m.Data)
	}
	forged := link[:len(link)-1] + map[bool]string{true: "0", false: "1"}[!strings.HasSuffix(link, "0")]
	expect(t, two.do(req{method: "POST", path: forged}), http.StatusNotFound)
	u, err := one.Accounts.UserByEmail(ctx, m.To[0])
	if err != nil {
		t.Fatal(err)
	}
	if mode, _ := one.Notify.EmailMode(ctx, one.actorOf(u)); mode != notify.EmailDaily {
		t.Fatalf("a forged token changed the mode to %q", mode)
	}
	expect(t, two.do(req{method: "POST", path: link}), http.StatusOK)
	if mode, _ := one.Notify.EmailMode(ctx, one.actorOf(u)); mode != notify.EmailNone {
		t.Errorf("after one click the mode is %q", mode)
	}
}

// TestNotify_InboxFollowsVisibility: following an event's comments and the
// board puts new ones in the inbox; the actor hears not of their own; an
// internal event's notification is not shown to a follower outside it.
func TestNotify_InboxFollowsVisibility(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a, b := ta.mustOrg("region-a", true), ta.mustOrg("region-b", true)
		ed := ta.mustUser("ed@a.se", "Redaktör A", false)
		fan := ta.mustUser("fan@b.se", "Följare B", false)
		ta.mustMember(ed, a, account.RoleEditor)
		ta.mustMember(fan, b, account.RoleMember)
		sFan, sEd := ta.mintSession(fan), ta.mintSession(ed)
		for _, f := range [][2]string{{"org", fmt.Sprint(a.ID)}, {"kind", "board"}} {
			expect(t, ta.do(req{method: "POST", path: "/notiser/folj", session: sFan, form: form("what", f[0], "ref", f[1])}), http.StatusSeeOther)
		}
		expect(t, ta.do(req{method: "POST", path: "/notiser/folj", session: sEd, form: form("what", "kind", "ref", "board")}), http.StatusSeeOther)
		pub := ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Öppen dag", Audience: event.Public})
		ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Intern dag", Audience: event.Internal})
		ta.mustBoardPost(ed, a.ID, "share_data", "public")
		expect(t, ta.do(req{method: "POST", path: "/notiser/folj", session: sFan, form: form("what", "thread", "ref", fmt.Sprintf("event:%d", pub.ID))}), http.StatusSeeOther)
		ta.mustComment(ed, event.Kind, pub.ID, 0, "Välkomna!")
		page := expect(t, ta.do(req{method: "GET", path: "/notiser", session: sFan}), http.StatusOK)
		for _, want := range []string{"Öppen dag", "Vi söker partner", "Ny kommentar av Redaktör A"} {
			if !strings.Contains(page, want) {
				t.Errorf("the inbox lacks %q", want)
			}
		}
		if strings.Contains(page, "Intern dag") {
			t.Error("the inbox shows an internal event to an outsider")
		}
		mine := expect(t, ta.do(req{method: "GET", path: "/api/v1/notifications", session: sEd}), http.StatusOK)
		if strings.Contains(mine, "Vi söker partner") {
			t.Error("the editor is told of their own post")
		}
	})
}
