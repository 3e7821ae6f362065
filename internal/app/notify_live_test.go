package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
)

// inboxEvent is one frame of an inbox stream as the test reads it.
type inboxEvent struct {
	ID   string
	Data struct {
		Title, Path, At string
		Unread          int
		UnreadText      string `json:"unread_text"`
	}
}

// openInbox opens session's inbox stream on ta after since (or with
// Last-Event-ID when lastID is set) and returns its frames; the stream
// closes at the test's end.
func openInbox(t *testing.T, ta *testApp, session, since, lastID string) <-chan inboxEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hr, err := http.NewRequestWithContext(ctx, "GET", ta.srv.URL+"/notiser/strom?since="+since, nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.AddCookie(&http.Cookie{Name: ta.Config.SessionCookie(), Value: session})
	if lastID != "" {
		hr.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		t.Fatalf("inbox stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan inboxEvent, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var ev inboxEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				ev.ID = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data); err != nil {
					t.Errorf("inbox frame: %v", err)
				}
			case line == "" && ev.ID != "":
				out <- ev
				ev = inboxEvent{}
			}
		}
	}()
	return out
}

// next waits for the stream's next frame.
func next(t *testing.T, ch <-chan inboxEvent) inboxEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("the inbox stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no inbox event within 10 s")
	}
	return inboxEvent{}
}

// quiet checks that nothing arrives on ch while the others' frames do:
// it is called after a frame that was sent later has arrived elsewhere.
func quiet(t *testing.T, who string, ch <-chan inboxEvent) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Errorf("%s's stream got %+v", who, ev)
	default:
	}
}

// TestNotify_LiveInbox: an open inbox stream gets the notification a
// board post made by another request creates, with the unread count, on
// the same instance and (PostgreSQL) on another; a user following the
// same organisation gets their own numbered frame, a user following
// nothing gets nothing; an internal event shows its follower outside
// the organisation only the unchanged count; a reconnect by Last-Event-ID
// replays what was missed, once; the page names where its stream starts.
func TestNotify_LiveInbox(t *testing.T) {
	eachEngineNamed(t, func(t *testing.T, engine, dsn string) {
		one := mustApp(t, dsn)
		two := one // SQLite: one instance
		if engine == "postgres" {
			two = mustApp(t, dsn)
		}
		a, b := one.mustOrg("region-a", true), one.mustOrg("region-b", true)
		ed := one.mustUser("ed@a.se", "Redaktör A", false)
		fan := one.mustUser("fan@b.se", "Följare B", false)
		other := one.mustUser("other@b.se", "Annan B", false)
		snoop := one.mustUser("snoop@b.se", "Nyfiken B", false)
		one.mustMember(ed, a, account.RoleEditor)
		for _, u := range []*account.User{fan, other, snoop} {
			one.mustMember(u, b, account.RoleMember)
		}
		sEd, sFan, sOther, sSnoop := one.mintSession(ed), one.mintSession(fan), one.mintSession(other), one.mintSession(snoop)
		for _, s := range []string{sFan, sOther} {
			expect(t, one.do(req{method: "POST", path: "/notiser/folj", session: s, form: form("what", "org", "ref", fmt.Sprint(a.ID))}), http.StatusSeeOther)
		}
		// One notification before the page is opened: the page lists it
		// and its stream starts after it.
		one.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Regiondag", Audience: event.Public})
		page := expect(t, two.do(req{method: "GET", path: "/notiser", session: sFan}), http.StatusOK)
		if !strings.Contains(page, `data-stream="/notiser/strom?since=1"`) || !strings.Contains(page, "Regiondag") || !strings.Contains(page, "1 olästa") {
			t.Fatalf("the inbox page does not start its stream after its one notification:\n%.3000s", page)
		}
		fanCh := openInbox(t, two, sFan, "1", "")
		otherCh := openInbox(t, two, sOther, "1", "")
		snoopCh := openInbox(t, two, sSnoop, "0", "")

		// Another request, on the other instance, posts to the board.
		expect(t, one.do(req{method: "POST", path: "/natverket/samarbeten", session: sEd, form: form("organisation", fmt.Sprint(a.ID), "kind", "offer",
			"topic", "borrow_facilitator", "title", "Vi lånar ut en processledare", "visibility", "network")}), http.StatusSeeOther)
		ev := next(t, fanCh)
		if ev.ID != "2" || ev.Data.Title != "Org region-a: Vi lånar ut en processledare" || !strings.HasPrefix(ev.Data.Path, "/natverket/samarbeten/") ||
			ev.Data.Unread != 2 || ev.Data.UnreadText != "2 olästa" || !strings.HasPrefix(ev.Data.At, svDay(time.Now())+" kl. ") {
			t.Errorf("the follower's frame: %+v", ev)
		}
		if ev := next(t, otherCh); ev.ID != "2" || ev.Data.Title == "" {
			t.Errorf("the other follower's frame: %+v", ev)
		}
		// An internal event: numbered in the log, but the follower outside
		// the organisation is told nothing of it.
		one.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Intern dag", Audience: event.Internal})
		if ev := next(t, fanCh); ev.ID != "3" || ev.Data.Title != "" || ev.Data.Path != "" || ev.Data.Unread != 2 {
			t.Errorf("an internal event reached an outsider's stream: %+v", ev)
		}
		next(t, otherCh)
		quiet(t, "the user who follows nothing", snoopCh)

		// A reconnect after 2 replays 3, once, then follows live.
		again := openInbox(t, two, sFan, "0", "2")
		if ev := next(t, again); ev.ID != "3" {
			t.Errorf("the replay after Last-Event-ID 2 began with %+v", ev)
		}
		one.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Öppen dag", Audience: event.Public})
		if ev := next(t, again); ev.ID != "4" || ev.Data.Title != "Org region-a: Öppen dag" || ev.Data.Unread != 3 {
			t.Errorf("after the replay: %+v", ev)
		}
		next(t, otherCh)
		quiet(t, "the user who follows nothing", snoopCh)
	})
}
