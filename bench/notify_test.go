package bench

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/mail/mailtest"
	"github.com/framsyn/framsyn/internal/notify"
)

// TestNotifyReport measures the two figures on each engine: the
// inbox of a user following 50 things with 100,000 notifications stored
// (p95 < 20 ms), and a daily digest for 5,000 users to a local SMTP
// listener (< 1 min). Beside the inbox it times one single-row read of
// the same pool (the user's e-mail mode), interleaved, as the baseline of
// the machine's load at that moment:
//
//	FRAMSYN_BENCH=1 FRAMSYN_TEST_POSTGRES=… go test -run TestNotifyReport -v ./bench
func TestNotifyReport(t *testing.T) {
	if os.Getenv("FRAMSYN_BENCH") == "" {
		t.Skip("set FRAMSYN_BENCH=1 to run the notification benchmark (minutes)")
	}
	for engine, dsn := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := loadNotify(t, engine, dsn)
			a, me := e.a, e.me
			var durs, base []time.Duration
			for range 400 {
				t0 := time.Now()
				items, err := a.Notify.Inbox(ctx, me)
				durs = append(durs, time.Since(t0))
				if err != nil || len(items) != notify.InboxMax {
					t.Fatalf("inbox: %d items, %v", len(items), err)
				}
				t0 = time.Now()
				if _, err := a.Notify.EmailMode(ctx, me); err != nil {
					t.Fatal(err)
				}
				base = append(base, time.Since(t0))
			}
			slices.Sort(durs)
			slices.Sort(base)
			p50, p95 := durs[len(durs)/2], durs[len(durs)*95/100]
			t.Logf("%s: inbox p50 %v, p95 %v (baseline single-row read p50 %v, p95 %v)", engine, p50.Round(10*time.Microsecond), p95.Round(10*time.Microsecond),
				base[len(base)/2].Round(10*time.Microsecond), base[len(base)*95/100].Round(10*time.Microsecond))
			if p95 > 20*time.Millisecond {
				t.Errorf("%s: inbox p95 %v, want < 20 ms", engine, p95)
			}

			received := make(chan struct{})
			go func() { e.smtp.Wait(followers); close(received) }() // the listener's queue is drained as it fills
			t0 := time.Now()
			sent, err := a.Digest(ctx, notify.EmailDaily, time.Now())
			if err != nil || sent != followers {
				t.Fatalf("digest sent %d, %v", sent, err)
			}
			<-received
			took := time.Since(t0)
			t.Logf("%s: daily digest for %d users in %v", engine, sent, took.Round(time.Millisecond))
			if took > time.Minute {
				t.Errorf("%s: digest took %v, want < 1 min", engine, took)
			}
		})
	}
}

// TestNotifyExplain prints PostgreSQL's plans, with timings, of the
// inbox's and the digest's statements on the loaded data: where a slow
// figure comes from.
//
//	FRAMSYN_BENCH=1 FRAMSYN_TEST_POSTGRES=… go test -run TestNotifyExplain -v ./bench
func TestNotifyExplain(t *testing.T) {
	if os.Getenv("FRAMSYN_BENCH") == "" {
		t.Skip("set FRAMSYN_BENCH=1 to run the notification benchmark (minutes)")
	}
	base := storagetest.PostgresURL(t)
	if base == "" {
		t.Skip("needs FRAMSYN_TEST_POSTGRES")
	}
	e := loadNotify(t, "postgres", storagetest.PostgresDSN(t, base))
	raw, err := sql.Open("pgx", e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	from := time.Now().Add(-48 * time.Hour).UnixMilli()
	to := time.Now().UnixMilli()
	for _, q := range []struct {
		name, sql string
		args      []any
	}{
		{"inbox", `SELECT id, user_id, kind, ref_id, reason, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 50`, []any{e.me.UserID()}},
		{"since", `SELECT id, user_id, kind, ref_id, reason, created_at, read_at FROM notifications WHERE user_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id LIMIT 50`, []any{e.me.UserID(), from, to}},
		{"digest users", `SELECT p.user_id FROM notification_prefs p WHERE p.email_mode = $1 AND p.user_id > $2
			AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = p.user_id AND n.created_at >= $3) ORDER BY p.user_id LIMIT $4`, []any{"daily", 0, from, 500}},
	} {
		rows, err := raw.Query(`EXPLAIN (ANALYZE, BUFFERS) `+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		t.Logf("%s:\n%s", q.name, strings.Join(plan, "\n"))
	}
}

// notifyEnv is one engine loaded for the notification figures.
type notifyEnv struct {
	a    *app.App
	smtp *mailtest.Server
	me   *account.Actor
	dsn  string
}

// followers is how many users follow the organisation (and get a digest).
const followers = 5000

// loadNotify loads 5,001 users, 100,000 notifications and a measured
// user following 50 things into a fresh database of engine.
func loadNotify(t *testing.T, engine, dsn string) *notifyEnv {
	smtp := mailtest.Start(t)
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: t.TempDir(), SMTPAddr: smtp.Addr, SMTPFrom: "framsyn@x.se",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	orgID, err := a.Stores.Accounts.CreateOrganisation(ctx, &account.Organisation{Slug: "region-a", Name: "Region A", Kind: account.KindOther, Level: account.LevelRegional, Public: true})
	if err != nil {
		t.Fatal(err)
	}
	newUser := func(i int) int64 {
		id, err := a.Stores.Accounts.CreateUser(ctx, &account.User{Email: fmt.Sprintf("u%d@x.se", i), Name: fmt.Sprintf("Användare %d", i)}, "")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	actor := func(id int64) *account.Actor {
		act, err := a.Accounts.ActorOf(ctx, id)
		if err != nil || act == nil {
			t.Fatalf("actor %d: %v", id, err)
		}
		return act
	}
	ids := make([]int64, followers)
	start := time.Now()
	for i := range ids {
		ids[i] = newUser(i)
		act := &account.Actor{User: &account.User{ID: ids[i]}}
		if _, err := a.Notify.Follow(ctx, act, notify.FollowOrg, fmt.Sprint(orgID)); err != nil {
			t.Fatal(err)
		}
		if err := a.Notify.SetEmailMode(ctx, act, notify.EmailDaily); err != nil {
			t.Fatal(err)
		}
	}
	editor := &account.Actor{User: &account.User{ID: newUser(-1), IsAdmin: true}}
	// The measured user follows 50 things: the organisation, the two
	// kinds, 20 events' threads and 27 board posts' threads.
	me := actor(ids[0])
	if _, err := a.Notify.Follow(ctx, me, notify.FollowKind, "event"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Notify.Follow(ctx, me, notify.FollowKind, "board"); err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().Add(-24 * time.Hour)
	a.Notify.SetClock(func() time.Time { return yesterday })
	// 20 events fan out to 5,000 followers each: 100,000 notifications.
	day := event.DayStart(time.Now().AddDate(0, 1, 0)).Add(9 * time.Hour)
	for i := range 20 {
		e, err := a.Events.Create(ctx, editor, &event.Event{OrganisationID: orgID, Title: fmt.Sprintf("Regiondag %d", i), Audience: event.Network,
			StartsAt: day, EndsAt: day.Add(3 * time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Notify.Follow(ctx, me, notify.FollowThread, fmt.Sprintf("event:%d", e.ID)); err != nil {
			t.Fatal(err)
		}
	}
	// 40 board posts of another organisation, which only the measured
	// user hears of (through the kind): a full inbox page.
	other, err := a.Stores.Accounts.CreateOrganisation(ctx, &account.Organisation{Slug: "region-b", Name: "Region B", Kind: account.KindOther, Level: account.LevelRegional, Public: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if _, err := a.Board.Create(ctx, editor, &board.Post{OrganisationID: other, Kind: board.Need, Topic: "share_data",
			Title: fmt.Sprintf("Behov %d", i), Visibility: board.Network}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 27; i++ { // the rest of the 50 follows
		if _, err := a.Notify.Follow(ctx, me, notify.FollowThread, fmt.Sprintf("board:%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	a.Notify.SetClock(time.Now)
	fs, _ := a.Notify.Follows(ctx, me)
	if len(fs) != 50 {
		t.Fatalf("the measured user follows %d things", len(fs))
	}
	t.Logf("%s: %d users, %d follows of the measured user, 100,000 notifications, loaded in %v", engine, followers+1, len(fs), time.Since(start).Round(time.Millisecond))
	return &notifyEnv{a: a, smtp: smtp, me: me, dsn: dsn}
}
