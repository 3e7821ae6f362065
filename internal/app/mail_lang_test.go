package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/mail/mailtest"
	"github.com/framsyn/framsyn/internal/notify"
)

// TestMail_InTheUsersLanguage: the language a signed-in user switches to
// is kept with the account (and /konto shows and changes it), and their
// notification and waiting-list mails are written in it; one who never
// chose gets Swedish.
func TestMail_InTheUsersLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		smtp := mailtest.Start(t)
		ta := mustApp(t, dsn, func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" })
		ctx := context.Background()
		org := ta.mustOrg("region-a", true)
		ed := ta.mustUser("ed@a.se", "Redaktör", false)
		ta.mustMember(ed, org, account.RoleEditor)
		sv, en := ta.mustUser("sv@a.se", "Svensk", false), ta.mustUser("en@a.se", "English Speaker", false)
		ssv, sen := ta.mintSession(sv), ta.mintSession(en)
		language := func(u *account.User) string {
			t.Helper()
			a, err := ta.Accounts.ActorOf(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a.User.Language
		}

		// The header's switch, signed in: kept with the account.
		expect(t, ta.do(req{method: "POST", path: "/sprak", session: sen, form: form("lang", "en", "return", "/")}), http.StatusSeeOther)
		if got := language(en); got != "en" {
			t.Fatalf("after switching to English: language %q", got)
		}
		// /konto shows it and changes it (the page in English: the cookie
		// is not sent here, the account's choice is what the form shows).
		page := expect(t, ta.do(req{method: "GET", path: "/konto", session: sen}), http.StatusOK)
		if !strings.Contains(page, `name="lang" value="en" checked`) {
			t.Error("/konto does not show English as chosen")
		}
		expect(t, ta.do(req{method: "POST", path: "/sprak", session: sen, form: form("lang", "sv", "return", "/konto")}), http.StatusSeeOther)
		if got := language(en); got != "sv" {
			t.Errorf("after choosing Swedish on /konto: %q", got)
		}
		expect(t, ta.do(req{method: "POST", path: "/sprak", session: sen, form: form("lang", "en", "return", "/konto")}), http.StatusSeeOther)
		expect(t, ta.do(req{method: "POST", path: "/sprak", session: sen, form: form("lang", "xx", "return", "/konto")}), http.StatusUnprocessableEntity)
		if got := language(sv); got != "" {
			t.Errorf("one who never chose has %q", got)
		}
		// A visitor's switch stays a cookie.
		expect(t, ta.do(req{method: "POST", path: "/sprak", form: form("lang", "en", "return", "/")}), http.StatusSeeOther)

		t.Run("Notifications", func(t *testing.T) {
			for _, s := range []string{ssv, sen} {
				expect(t, ta.do(req{method: "POST", path: "/notiser/folj", session: s, form: form("what", "org", "ref", fmt.Sprint(org.ID))}), http.StatusSeeOther)
				expect(t, ta.do(req{method: "POST", path: "/notiser/epost", session: s, form: form("mode", notify.EmailImmediate)}), http.StatusSeeOther)
			}
			ta.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Öppen regiondag", Audience: event.Public})
			ta.WaitMail()
			got := map[string]string{}
			for _, m := range smtp.Wait(2) {
				got[m.To[0]] = m.Data
			}
			if m := got[en.Email]; !strings.Contains(m, "Hello English Speaker!") || !strings.Contains(m, "New in what you follow") || strings.Contains(m, "Nytt i det du följer") {
				t.Errorf("the English user's mail:\n%s", m)
			}
			if m := got[sv.Email]; !strings.Contains(m, "Hej Svensk!") || !strings.Contains(m, "Nytt i det du följer") {
				t.Errorf("the Swedish user's mail:\n%s", m)
			}
		})
		t.Run("Digest", func(t *testing.T) {
			// Two more who chose a daily digest, one in English; an event
			// of yesterday, Stockholm time.
			dsv, den := ta.mustUser("dsv@a.se", "Daglig", false), ta.mustUser("den@a.se", "Daily", false)
			for _, u := range []*account.User{dsv, den} {
				a := ta.actorOf(u)
				if _, err := ta.Notify.Follow(ctx, a, notify.FollowOrg, fmt.Sprint(org.ID)); err != nil {
					t.Fatal(err)
				}
				if err := ta.Notify.SetEmailMode(ctx, a, notify.EmailDaily); err != nil {
					t.Fatal(err)
				}
			}
			if err := ta.Accounts.SetLanguage(ctx, ta.actorOf(den), "en"); err != nil {
				t.Fatal(err)
			}
			yesterday := time.Now().Add(-24 * time.Hour)
			ta.Notify.SetClock(func() time.Time { return yesterday })
			ta.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Gårdagens regiondag", Audience: event.Public})
			ta.Notify.SetClock(time.Now)
			ta.WaitMail()
			before := len(smtp.Messages())
			if _, err := ta.Digest(ctx, notify.EmailDaily, time.Now()); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, m := range smtp.Wait(before + 2)[before:] {
				got[m.To[0]] = strings.ReplaceAll(m.Data, "=\r\n", "")
			}
			if m := got[den.Email]; !strings.Contains(m, "Hello Daily,") || !strings.Contains(m, "New in what you follow on framsyn") || !strings.Contains(m, "No more digests?") || !strings.Contains(m, "Gårdagens regiondag") {
				t.Errorf("the English digest:\n%s", m)
			}
			if m := got[dsv.Email]; !strings.Contains(m, "Hej Daglig!") || !strings.Contains(m, "Nytt i det du följer i framsyn") || !strings.Contains(m, "Gårdagens regiondag") {
				t.Errorf("the Swedish digest:\n%s", m)
			}
		})
		t.Run("WaitingList", func(t *testing.T) {
			total := len(smtp.Messages())
			for _, tt := range []struct {
				name       string
				first, nxt string // sessions: the one who cancels, the one who moves up
				to, want   string
				day        func(time.Time) string // the event's day as the mail writes it
			}{
				{"English", ssv, sen, en.Email, "A place came free and you moved up from the waiting list", enDay},
				{"Swedish", sen, ssv, sv.Email, "En plats blev ledig och du har flyttats upp från väntelistan", svDay},
			} {
				t.Run(tt.name, func(t *testing.T) {
					e := ta.mustEvent(ed, event.Event{OrganisationID: org.ID, Title: "Regiondag " + tt.name, Audience: event.Network, Capacity: 1, Registration: true})
					path := fmt.Sprintf("/evenemang/%d", e.ID)
					expect(t, ta.do(req{method: "POST", path: path + "/anmalan", session: tt.first}), http.StatusSeeOther)
					expect(t, ta.do(req{method: "POST", path: path + "/anmalan", session: tt.nxt}), http.StatusSeeOther)
					expect(t, ta.do(req{method: "POST", path: path + "/anmalan/ta-bort", session: tt.first}), http.StatusSeeOther)
					total++
					// The followers' notices of the event may come after it:
					// look for the one to who moved up.
					var msg *mailtest.Message
					for deadline := time.Now().Add(5 * time.Second); msg == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
						for _, m := range smtp.Wait(total) {
							if strings.Contains(m.Data, "Regiondag "+tt.name) && m.To[0] == tt.to && strings.Contains(m.Data, tt.want) {
								msg = &m
							}
						}
					}
					if msg == nil || msg.To[0] != tt.to || !strings.Contains(msg.Data, tt.want) {
						t.Fatalf("mail %+v, want to %s saying %q", msg, tt.to, tt.want)
					}
					// The event's time as its page writes it, not in ISO.
					if when := tt.day(e.StartsAt) + " 09:00–16:00"; !strings.Contains(msg.Data, when) || isoDate.MatchString(msg.Data) {
						t.Errorf("the mail does not say %q:\n%s", when, msg.Data)
					}
				})
			}
		})
	})
}
