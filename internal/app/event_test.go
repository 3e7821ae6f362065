package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/mail/mailtest"
)

const conflict = http.StatusConflict

// mustEvent publishes an event as u through the service, coming in days.
func (ta *testApp) mustEvent(u *account.User, e event.Event, coHosts ...int64) *event.Event {
	ta.t.Helper()
	if e.StartsAt.IsZero() {
		start := event.DayStart(time.Now().AddDate(0, 0, 30)).Add(9 * time.Hour)
		e.StartsAt, e.EndsAt = start, start.Add(7*time.Hour)
	}
	got, err := ta.Events.Create(context.Background(), ta.actorOf(u), &e, coHosts)
	if err != nil {
		ta.t.Fatalf("create event: %v", err)
	}
	return got
}

// matrixEvents: a public event of A with one place and C invited to
// co-host, a second one for the API, an internal event of A, a public
// event of the hidden B, one to delete per front end, and one known only
// by its month.
type matrixEvents struct {
	pub, pub2, internal, hidden, gone, gone2, undated int64
}

func newMatrixEvents(t *testing.T, f *matrixFixture) matrixEvents {
	ta, admin := f.ta, f.users[5]
	a, b := f.orgs["org-a"].ID, f.orgs["org-b"].ID
	reg := func(title string, org int64, aud event.Audience, capacity int, co ...int64) int64 {
		return ta.mustEvent(admin, event.Event{OrganisationID: org, Title: title, Audience: aud, Capacity: capacity, Registration: aud != event.Internal}, co...).ID
	}
	m := matrixEvents{
		pub: reg("Regiondag", a, event.Public, 1, b), pub2: reg("Masterclass", a, event.Public, 0, b),
		internal: reg("Intern planering", a, event.Internal, 0), hidden: reg("Dold träff", b, event.Public, 0),
		gone: reg("Inställd", a, event.Network, 0), gone2: reg("Inställd igen", a, event.Network, 0),
	}
	jan := time.Date(2018, 1, 1, 0, 0, 0, 0, event.Stockholm)
	m.undated = ta.mustEvent(admin, event.Event{OrganisationID: a, Title: "Regiondagarna i januari", Audience: event.Public,
		Precision: event.NoYear, AllDay: true, StartsAt: jan, EndsAt: jan.AddDate(0, 1, 0)}).ID
	return m
}

// The events' cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	ev := newMatrixEvents(t, f)
	c, b := f.orgs["org-c"].ID, f.orgs["org-b"].ID
	p := func(id int64, rest string) string { return fmt.Sprintf("/evenemang/%d%s", id, rest) }
	api := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/events/%d%s", id, rest) }
	day := time.Now().AddDate(0, 0, 40).Format("2006-01-02")
	valid := v("organisation", fmt.Sprint(f.orgs["org-a"].ID), "title", "Workshopdag", "start_date", day, "start_time", "09:00",
		"end_date", day, "end_time", "16:00", "audience", "network", "registration", "1")
	backwards := v("organisation", fmt.Sprint(f.orgs["org-a"].ID), "title", "Baklänges", "start_date", day, "start_time", "16:00",
		"end_date", day, "end_time", "09:00", "audience", "network")
	start := time.Now().AddDate(0, 0, 40).UTC().Format(time.RFC3339)
	end := time.Now().AddDate(0, 0, 40).Add(3 * time.Hour).UTC().Format(time.RFC3339)
	apiEvent := fmt.Sprintf(`{"organization_id": %d, "title": "Framsynsdag", "start": %q, "end": %q, "audience": "public", "registration": true}`, f.orgs["org-a"].ID, start, end)
	return []matrixCase{
		{pattern: "GET /evenemang", method: "GET", path: "/evenemang", want: all(ok)},
		{pattern: "GET /evenemang", method: "GET", path: "/evenemang?tidigare=1", want: all(ok)},
		{pattern: "GET /evenemang/manad", method: "GET", path: "/evenemang/manad?m=2018-01", want: all(ok)},
		{pattern: "GET /evenemang/manad", method: "GET", path: "/evenemang/manad?m=2018-13", want: all(nf)},
		{pattern: "GET /evenemang/kalender.ics", method: "GET", path: "/evenemang/kalender.ics", want: all(ok)},
		{pattern: "GET /evenemang/ny", method: "GET", path: "/evenemang/ny", want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "POST /evenemang", method: "POST", path: "/evenemang", form: valid, want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /evenemang", method: "POST", path: "/evenemang", form: backwards, want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "GET /evenemang/{id}", method: "GET", path: p(ev.pub, ""), want: all(ok)},
		{pattern: "GET /evenemang/{id}", method: "GET", path: p(ev.internal, ""), want: [6]int{nf, ok, ok, ok, nf, ok}},
		{pattern: "GET /evenemang/{id}", method: "GET", path: p(ev.hidden, ""), want: [6]int{nf, nf, nf, nf, ok, ok}},
		{pattern: "GET /evenemang/{id}", method: "GET", path: "/evenemang/inte-ett-id", want: all(nf)},
		{pattern: "GET /evenemang/{id}/kalender.ics", method: "GET", path: p(ev.pub, "/kalender.ics"), want: all(ok)},
		// An internal event's .ics asked for by an outsider: 404, as its page.
		{pattern: "GET /evenemang/{id}/kalender.ics", method: "GET", path: p(ev.internal, "/kalender.ics"), want: [6]int{nf, ok, ok, ok, nf, ok}},
		{pattern: "GET /evenemang/{id}/kalender.ics", method: "GET", path: p(ev.undated, "/kalender.ics"), want: all(nf)},
		{pattern: "GET /evenemang/{id}/redigera", method: "GET", path: p(ev.pub, "/redigera"), want: [6]int{see, forb, ok, ok, forb, ok}},
		{pattern: "POST /evenemang/{id}", method: "POST", path: p(ev.pub, ""), form: valid, want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /evenemang/{id}", method: "POST", path: p(ev.hidden, ""), form: valid, want: [6]int{see, nf, nf, nf, see, see}},
		{pattern: "POST /evenemang/{id}", method: "POST", path: p(ev.pub, ""), form: backwards, want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "POST /evenemang/{id}/ta-bort", method: "POST", path: p(ev.gone, "/ta-bort"), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /evenemang/{id}/anmalan", method: "POST", path: p(ev.pub, "/anmalan"), want: [6]int{see, see, see, see, see, see}},
		// Registering twice: a clear message and nothing changed.
		{pattern: "POST /evenemang/{id}/anmalan", method: "POST", path: p(ev.pub, "/anmalan"), want: [6]int{see, conflict, conflict, conflict, conflict, conflict}},
		{pattern: "POST /evenemang/{id}/anmalan", method: "POST", path: p(ev.internal, "/anmalan"), want: [6]int{see, bad, bad, bad, nf, bad}},
		{pattern: "POST /evenemang/{id}/anmalan", method: "POST", path: p(ev.hidden, "/anmalan"), want: [6]int{see, nf, nf, nf, see, see}},
		{pattern: "POST /evenemang/{id}/anmalan/ta-bort", method: "POST", path: p(ev.pub, "/anmalan/ta-bort"), want: [6]int{see, see, see, see, see, see}},
		{pattern: "POST /evenemang/{id}/anmalan/ta-bort", method: "POST", path: p(ev.pub, "/anmalan/ta-bort"), want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /evenemang/{id}/vardar", method: "POST", path: p(ev.pub, "/vardar"), form: v("organisation", fmt.Sprint(c)), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /evenemang/{id}/vardar/{org}/bekrafta", method: "POST", path: p(ev.pub, fmt.Sprintf("/vardar/%d/bekrafta", b)), want: [6]int{see, forb, forb, forb, see, see}},
		{pattern: "POST /evenemang/{id}/vardar/{org}/ta-bort", method: "POST", path: p(ev.pub, fmt.Sprintf("/vardar/%d/ta-bort", b)), want: [6]int{see, forb, see, see, see, see}},
		{pattern: "GET /organisationer/{slug}/evenemang.ics", method: "GET", path: "/organisationer/org-a/evenemang.ics", want: all(ok)},
		{pattern: "GET /organisationer/{slug}/evenemang.ics", method: "GET", path: "/organisationer/org-b/evenemang.ics", want: [6]int{nf, nf, nf, nf, ok, ok}},

		{pattern: "GET /api/v1/events", method: "GET", path: "/api/v1/events", want: all(ok)},
		{pattern: "GET /api/v1/events", method: "GET", path: "/api/v1/events?cursor=nonsens", want: all(bad)},
		{pattern: "POST /api/v1/events", method: "POST", path: "/api/v1/events", json: apiEvent, want: [6]int{unath, forb, http.StatusCreated, http.StatusCreated, forb, http.StatusCreated}},
		{pattern: "GET /api/v1/events/{id}", method: "GET", path: api(ev.internal, ""), want: [6]int{nf, ok, ok, ok, nf, ok}},
		{pattern: "PUT /api/v1/events/{id}", method: "PUT", path: api(ev.pub2, ""), json: apiEvent, want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "DELETE /api/v1/events/{id}", method: "DELETE", path: api(ev.gone2, ""), want: [6]int{unath, forb, http.StatusNoContent, http.StatusNoContent, forb, http.StatusNoContent}},
		{pattern: "GET /api/v1/events/{id}/registrations", method: "GET", path: api(ev.pub2, "/registrations"), want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "POST /api/v1/events/{id}/registrations", method: "POST", path: api(ev.pub2, "/registrations"), want: [6]int{unath, http.StatusCreated, http.StatusCreated, http.StatusCreated, http.StatusCreated, http.StatusCreated}},
		{pattern: "POST /api/v1/events/{id}/registrations", method: "POST", path: api(ev.pub2, "/registrations"), want: [6]int{unath, conflict, conflict, conflict, conflict, conflict}},
		{pattern: "DELETE /api/v1/events/{id}/registrations/me", method: "DELETE", path: api(ev.pub2, "/registrations/me"), want: [6]int{unath, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent}},
		{pattern: "POST /api/v1/events/{id}/hosts", method: "POST", path: api(ev.pub2, "/hosts"), json: fmt.Sprintf(`{"organization_id": %d}`, c), want: [6]int{unath, forb, http.StatusCreated, http.StatusCreated, forb, http.StatusCreated}},
		{pattern: "POST /api/v1/events/{id}/hosts/{org}/confirm", method: "POST", path: api(ev.pub2, fmt.Sprintf("/hosts/%d/confirm", b)), want: [6]int{unath, forb, forb, forb, ok, ok}},
		{pattern: "DELETE /api/v1/events/{id}/hosts/{org}", method: "DELETE", path: api(ev.pub2, fmt.Sprintf("/hosts/%d", b)), want: [6]int{unath, forb, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent}},
	}
})

// TestEvents_RegistrationAndWaitingList: two places; the third to
// register is told they wait; registering twice changes nothing; when a
// registered one cancels, the first waiting moves up and is e-mailed
// through the configured SMTP server.
func TestEvents_RegistrationAndWaitingList(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		smtp := mailtest.Start(t)
		ta := mustApp(t, dsn, func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" })
		org := ta.mustOrg("region-a", true)
		editor := ta.mustUser("redaktor@a.se", "Redaktör", false)
		ta.mustMember(editor, org, account.RoleEditor)
		e := ta.mustEvent(editor, event.Event{OrganisationID: org.ID, Title: "Regiondag om framsyn", Audience: event.Network, Capacity: 2, Registration: true})
		var sessions []string
		for i := range 4 {
			sessions = append(sessions, ta.mintSession(ta.mustUser(fmt.Sprintf("d%d@x.se", i), fmt.Sprintf("Deltagare %d", i), false)))
		}
		path := fmt.Sprintf("/evenemang/%d", e.ID)
		for i, s := range sessions[:3] {
			resp := ta.do(req{method: "POST", path: path + "/anmalan", session: s})
			expect(t, resp, http.StatusSeeOther)
			flash := flashOf(resp)
			page := expect(t, ta.do(req{method: "GET", path: path, session: s}), http.StatusOK)
			if i < 2 && (flash != "event.registered" || !strings.Contains(page, "Du är anmäld.")) {
				t.Errorf("participant %d: no confirmation (flash %q)", i, flash)
			}
			if i == 2 && (flash != "event.registered_waiting" || !strings.Contains(page, "nummer 1 på väntelistan")) {
				t.Errorf("the third is not told they wait (flash %q):\n%.2000s", flash, page)
			}
		}
		page := expect(t, ta.do(req{method: "GET", path: path, session: sessions[3]}), http.StatusOK)
		if !strings.Contains(page, "Alla platser är tagna") || !strings.Contains(page, "Ställ mig på väntelistan") {
			t.Error("a fourth does not see that the event is full")
		}
		// Twice: 409 with the message, counts unchanged.
		body := expect(t, ta.do(req{method: "POST", path: path + "/anmalan", session: sessions[0]}), http.StatusConflict)
		if !strings.Contains(body, "Du är redan anmäld") {
			t.Errorf("registering twice says:\n%.1500s", body)
		}
		got, _ := ta.Events.Get(context.Background(), nil, e.ID)
		if got != nil {
			t.Error("the public sees a network event")
		}
		got, _ = ta.Events.Get(context.Background(), ta.actorOf(editor), e.ID)
		if got.Registered != 2 || got.Waiting != 1 {
			t.Fatalf("counts %d/%d", got.Registered, got.Waiting)
		}
		// Participant 1 cancels: participant 2 moves up and gets a mail.
		expect(t, ta.do(req{method: "POST", path: path + "/anmalan/ta-bort", session: sessions[1]}), http.StatusSeeOther)
		msg := smtp.Wait(1)[0]
		if msg.To[0] != "d2@x.se" || !strings.Contains(msg.Data, "flyttats upp") || !strings.Contains(msg.Data, path) {
			t.Errorf("mail to %v:\n%s", msg.To, msg.Data)
		}
		page = expect(t, ta.do(req{method: "GET", path: path, session: sessions[2]}), http.StatusOK)
		if !strings.Contains(page, "Du är anmäld.") {
			t.Error("the one moved up is not shown as registered")
		}
		regs := expect(t, ta.do(req{method: "GET", path: path, session: ta.mintSession(editor)}), http.StatusOK)
		if !strings.Contains(regs, "Deltagare 0") || !strings.Contains(regs, "Deltagare 2") || strings.Contains(regs, "Deltagare 1") {
			t.Errorf("the editor's list of registrants is wrong:\n%.3000s", regs)
		}
	})
}

// flashOf is the message key a redirect leaves for the next page.
func flashOf(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "flash") {
			return c.Value
		}
	}
	return ""
}

// TestEvents_FormAndICal: an event across the end of summer time made
// through the form reads back from its .ics to the same instants; an end
// before the start is refused with its message and nothing saved; the
// co-host confirms and then hosts; an organisation's feed holds its
// events only.
func TestEvents_FormAndICal(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a, b := ta.mustOrg("region-a", true), ta.mustOrg("region-b", true)
		ea, eb := ta.mustUser("a@a.se", "Redaktör A", false), ta.mustUser("b@b.se", "Redaktör B", false)
		ta.mustMember(ea, a, account.RoleEditor)
		ta.mustMember(eb, b, account.RoleEditor)
		sa, sb := ta.mintSession(ea), ta.mintSession(eb)
		year := time.Now().Year() + 1
		// The last Sunday of October: summer time ends that night.
		sun := time.Date(year, 11, 1, 12, 0, 0, 0, event.Stockholm).AddDate(0, 0, -1)
		for sun.Weekday() != time.Sunday {
			sun = sun.AddDate(0, 0, -1)
		}
		sat, mon := sun.AddDate(0, 0, -1).Format("2006-01-02"), sun.AddDate(0, 0, 1).Format("2006-01-02")
		f := url.Values{"organisation": {fmt.Sprint(a.ID)}, "title": {"Konferens över helgen"}, "start_date": {sat}, "start_time": {"09:00"},
			"end_date": {mon}, "end_time": {"16:00"}, "audience": {"public"}, "place": {"Halmstad"}, "cohosts": {fmt.Sprint(b.ID)},
			"description": {"Med <script>alert(1)</script> **megatrender**."}}
		bad := url.Values{}
		for k, v := range f {
			bad[k] = v
		}
		bad.Set("end_date", sat)
		bad.Set("end_time", "08:00")
		body := expect(t, ta.do(req{method: "POST", path: "/evenemang", session: sa, form: bad}), http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Evenemanget måste sluta efter att det börjar.") || !strings.Contains(body, `value="Konferens över helgen"`) {
			t.Errorf("end before start:\n%.3000s", body)
		}
		if evs, _ := ta.Events.List(context.Background(), ta.actorOf(ea), event.ListQuery{}); len(evs) != 0 {
			t.Fatalf("a refused event was saved: %+v", evs)
		}
		resp := ta.do(req{method: "POST", path: "/evenemang", session: sa, form: f})
		expect(t, resp, http.StatusSeeOther)
		path := resp.Header.Get("Location")
		page := expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
		if strings.Contains(page, "<script>alert") || !strings.Contains(page, "<strong>megatrender</strong>") {
			t.Error("description not sanitised Markdown")
		}
		if !strings.Contains(page, "inbjuden, ej bekräftad") {
			t.Error("the invited co-host is not shown as pending")
		}
		cal := expect(t, ta.do(req{method: "GET", path: path + "/kalender.ics"}), http.StatusOK)
		parsed, err := ics.ParseCalendar(strings.NewReader(cal))
		if err != nil || len(parsed.Events()) != 1 {
			t.Fatalf("ics: %v\n%s", err, cal)
		}
		st, _ := parsed.Events()[0].GetStartAt()
		en, _ := parsed.Events()[0].GetEndAt()
		wantS, _ := event.ParseLocal(sat, "09:00")
		wantE, _ := event.ParseLocal(mon, "16:00")
		if !st.Equal(wantS) || !en.Equal(wantE) || en.Sub(st) != 56*time.Hour {
			t.Errorf("ics %v – %v, want %v – %v (56 h)", st, en, wantS, wantE)
		}
		if !bytes.Contains([]byte(cal), []byte("BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm")) {
			t.Error("no VTIMEZONE")
		}
		// B's feed is empty until B confirms.
		if feed := expect(t, ta.do(req{method: "GET", path: "/organisationer/region-b/evenemang.ics"}), http.StatusOK); strings.Contains(feed, "Konferens") {
			t.Error("an unconfirmed co-host's feed holds the event")
		}
		var id int64
		fmt.Sscanf(path, "/evenemang/%d", &id)
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("%s/vardar/%d/bekrafta", path, b.ID), session: sa}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: fmt.Sprintf("%s/vardar/%d/bekrafta", path, b.ID), session: sb}), http.StatusSeeOther)
		if feed := expect(t, ta.do(req{method: "GET", path: "/organisationer/region-b/evenemang.ics"}), http.StatusOK); !strings.Contains(feed, "Konferens") {
			t.Error("the confirmed co-host's feed lacks the event")
		}
		// The co-host's editor may now edit it.
		expect(t, ta.do(req{method: "GET", path: path + "/redigera", session: sb}), http.StatusOK)
		days := 0
		for _, m := range []string{sat[:7], mon[:7]} {
			month := expect(t, ta.do(req{method: "GET", path: "/evenemang/manad?m=" + m}), http.StatusOK)
			days += strings.Count(month, `href="`+path+`"`)
			if mon[:7] == sat[:7] {
				break
			}
		}
		if days != 3 {
			t.Errorf("the month view shows the three-day event on %d days", days)
		}
		list := expect(t, ta.do(req{method: "GET", path: "/api/v1/events"}), http.StatusOK)
		if !strings.Contains(list, `"title":"Konferens över helgen"`) || !strings.Contains(list, `"confirmed":true`) {
			t.Errorf("API list:\n%s", list)
		}
		atom := expect(t, ta.do(req{method: "GET", path: "/organisationer/region-b/flode.atom"}), http.StatusOK)
		if !strings.Contains(atom, "Konferens över helgen") || !strings.Contains(atom, path) {
			t.Error("the co-host's Atom feed lacks the event")
		}
		res := expect(t, ta.do(req{method: "GET", path: "/sok?q=konferens"}), http.StatusOK)
		if !strings.Contains(res, `href="`+path+`"`) {
			t.Error("search does not find the event")
		}
	})
}
