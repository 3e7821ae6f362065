package app_test

import (
	"context"
	"fmt"
	"net/http"
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

// TestNotify_ImmediateOnceTwoInstances: with two instances on one
// PostgreSQL and a real SMTP listener, a follower who chose "direkt" gets
// one mail per notification, the moment it is made, even when both
// instances sweep for unsent ones at once afterwards; a follower outside
// the organisation is never mailed its internal event; a daily follower
// gets nothing at once; one that an instance made but never sent is sent
// once by the sweeps; the mail carries RFC 8058's headers.
func TestNotify_ImmediateOnceTwoInstances(t *testing.T) {
	base := storagetest.RequirePostgres(t)
	dsn := storagetest.PostgresDSN(t, base)
	smtp := mailtest.Start(t)
	withSMTP := func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" }
	one, two := mustApp(t, dsn, withSMTP), mustApp(t, dsn, withSMTP)
	ctx := context.Background()
	a, b := one.mustOrg("region-a", true), one.mustOrg("region-b", true)
	ed := one.mustUser("ed@a.se", "Redaktör", false)
	one.mustMember(ed, a, account.RoleEditor)
	inside := one.mustUser("inne@a.se", "Medlem A", false)
	one.mustMember(inside, a, account.RoleMember)
	outside := one.mustUser("ute@b.se", "Medlem B", false)
	one.mustMember(outside, b, account.RoleMember)
	daily := one.mustUser("dag@b.se", "Daglig B", false)
	for u, mode := range map[*account.User]string{inside: notify.EmailImmediate, outside: notify.EmailImmediate, daily: notify.EmailDaily} {
		s := one.mintSession(u)
		expect(t, one.do(req{method: "POST", path: "/notiser/folj", session: s, form: form("what", "org", "ref", fmt.Sprint(a.ID))}), http.StatusSeeOther)
		expect(t, two.do(req{method: "POST", path: "/notiser/epost", session: s, form: form("mode", mode)}), http.StatusSeeOther)
	}
	page := expect(t, one.do(req{method: "GET", path: "/notiser", session: one.mintSession(inside)}), http.StatusOK)
	if !strings.Contains(page, `value="immediate" checked`) {
		t.Error("the inbox page does not show the chosen immediate mode")
	}
	one.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Öppen regiondag", Audience: event.Public})
	one.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Intern planering", Audience: event.Internal})
	// inside: both; outside: the public one only.
	smtp.Wait(3)
	// A third instance without SMTP (as one that stopped between its
	// commit and its sends) makes one more; nobody has claimed its mail.
	mute := mustApp(t, dsn)
	mute.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Kvarglömd dag", Audience: event.Public})
	// Both instances sweep for unclaimed mail at once, an hour on.
	later := time.Now().Add(time.Hour)
	for _, ta := range []*testApp{one, two} {
		ta.Notify.SetClock(func() time.Time { return later })
	}
	var wg sync.WaitGroup
	for _, ta := range []*testApp{one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ta.SweepMail(ctx, later); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	one.WaitMail()
	two.WaitMail()
	got := map[string][]string{}
	for _, m := range smtp.Messages() {
		got[m.To[0]] = append(got[m.To[0]], m.Data)
		if !strings.Contains(m.Data, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") || !unsubRE.MatchString(m.Data) {
			t.Errorf("an immediate mail lacks RFC 8058's headers:\n%s", m.Data)
		}
	}
	if len(got[inside.Email]) != 3 || len(got[outside.Email]) != 2 || len(got[daily.Email]) != 0 || len(smtp.Messages()) != 5 {
		t.Fatalf("mails by recipient: inside %d, outside %d, daily %d (all %d); want 3, 2, 0",
			len(got[inside.Email]), len(got[outside.Email]), len(got[daily.Email]), len(smtp.Messages()))
	}
	if m := strings.Join(got[outside.Email], "\n"); !strings.Contains(m, "Öppen regiondag") || !strings.Contains(m, "Kvarglömd dag") || strings.Contains(m, "Intern planering") {
		t.Errorf("the outsider's mails:\n%s", m)
	}
	if all := strings.Join(got[inside.Email], "\n"); !strings.Contains(all, "Öppen regiondag") || !strings.Contains(all, "Intern planering") {
		t.Errorf("the member's mails:\n%s", all)
	}
}

// TestNotify_ImmediateWithoutSMTP: without an SMTP server "direkt" is in
// the inbox only, and nothing is claimed, so a later sweep with SMTP
// configured would still have it.
func TestNotify_ImmediateWithoutSMTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a := ta.mustOrg("region-a", true)
		ed := ta.mustUser("ed@a.se", "Redaktör", false)
		ta.mustMember(ed, a, account.RoleEditor)
		fan := ta.mustUser("fan@x.se", "Följare", false)
		s := ta.mintSession(fan)
		expect(t, ta.do(req{method: "POST", path: "/notiser/folj", session: s, form: form("what", "org", "ref", fmt.Sprint(a.ID))}), http.StatusSeeOther)
		expect(t, ta.do(req{method: "POST", path: "/notiser/epost", session: s, form: form("mode", notify.EmailImmediate)}), http.StatusSeeOther)
		ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Öppen regiondag", Audience: event.Public})
		ta.WaitMail()
		if n, err := ta.SweepMail(context.Background(), time.Now().Add(time.Hour)); n != 0 || err != nil {
			t.Errorf("a sweep without SMTP sent %d, %v", n, err)
		}
		if page := expect(t, ta.do(req{method: "GET", path: "/notiser", session: s}), http.StatusOK); !strings.Contains(page, "Öppen regiondag") {
			t.Error("the notification is not in the inbox")
		}
	})
}

// TestPrivacy_DeleteMovesUpTheWaiting: a user who held the last place of
// an event deletes their account; the first waiting moves up at once and
// is e-mailed, as when a place is cancelled.
func TestPrivacy_DeleteMovesUpTheWaiting(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		smtp := mailtest.Start(t)
		ta := mustApp(t, dsn, func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" })
		org := ta.mustOrg("region-a", true)
		ed := ta.mustUser("ed@a.se", "Redaktör", false)
		ta.mustMember(ed, org, account.RoleEditor)
		e := ta.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Masterclass i scenarier", Audience: event.Public, Capacity: 1, Registration: true})
		leaver, waiter := ta.mustUser("gar@x.se", "Går", false), ta.mustUser("vantar@x.se", "Väntar", false)
		for _, u := range []*account.User{leaver, waiter} {
			if _, err := ta.Events.Register(context.Background(), ta.actorOf(u), e.ID); err != nil {
				t.Fatal(err)
			}
		}
		expect(t, ta.do(req{method: "POST", path: "/konto/radera", session: ta.mintSession(leaver), form: form("confirm", leaver.Email)}), http.StatusSeeOther)
		r, err := ta.Stores.Events.Registration(context.Background(), e.ID, waiter.ID)
		if err != nil || r.Status != event.Confirmed {
			t.Fatalf("the waiting after the deletion: %+v %v", r, err)
		}
		m := smtp.Wait(1)[0]
		if m.To[0] != waiter.Email || !strings.Contains(m.Data, "Masterclass i scenarier") {
			t.Errorf("the mail to the one who moved up: %v\n%s", m.To, m.Data)
		}
	})
}
