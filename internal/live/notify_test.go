package live

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// envPostgres names the variable holding the PostgreSQL server URL (as
// storagetest's does).
const envPostgres = "FRAMSYN_TEST_POSTGRES"

// pgDSN creates a database for this test and drops it when the test ends.
func pgDSN(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "framsyn_live_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// pgLog is an area's event log in PostgreSQL, its heads and its NOTIFY.
type pgLog struct{ db *sql.DB }

var (
	_ Log[*testEvent] = pgLog{}
	_ Sender          = pgLog{}
)

func (l pgLog) append(t *testing.T, topic Topic, text string) *testEvent {
	t.Helper()
	ev := &testEvent{}
	err := l.db.QueryRow(`INSERT INTO events (area, id, seq, data)
		SELECT $1, $2, coalesce(max(seq), 0) + 1, $3 FROM events WHERE area = $1 AND id = $2
		RETURNING seq`, topic.Area, topic.ID, text).Scan(&ev.seq)
	if err != nil {
		t.Fatal(err)
	}
	ev.data = fmt.Appendf(nil, `{"seq":%d,"text":%q}`, ev.seq, text)
	return ev
}

func (l pgLog) Events(ctx context.Context, t Topic, after int64, limit int) ([]*testEvent, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT seq, data FROM events WHERE area = $1 AND id = $2 AND seq > $3
		ORDER BY seq LIMIT $4`, t.Area, t.ID, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*testEvent
	for rows.Next() {
		var seq int64
		var text string
		if err := rows.Scan(&seq, &text); err != nil {
			return nil, err
		}
		out = append(out, &testEvent{seq: seq, data: fmt.Appendf(nil, `{"seq":%d,"text":%q}`, seq, text)})
	}
	return out, rows.Err()
}

func (l pgLog) LastSeq(ctx context.Context, t Topic) (int64, error) {
	var seq int64
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events WHERE area = $1 AND id = $2`, t.Area, t.ID).Scan(&seq)
	return seq, err
}

func (l pgLog) Notify(ctx context.Context, channel, payload string) error {
	_, err := l.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
	return err
}

// pgHeads is one area's heads.
type pgHeads struct {
	db   *sql.DB
	area string
}

func (h pgHeads) LastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT id, max(seq) FROM events WHERE area = $1 AND id = ANY($2) GROUP BY id`, h.area, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, rows.Err()
}

// instance is one "framsyn serve" on the shared database, following two
// areas.
type instance struct {
	log   pgLog
	n     *Notifier // nil: sends no NOTIFY, as if every one were lost
	relay *Relay[*testEvent]
	b     Broker
}

func newInstance(t *testing.T, dsn string, poll time.Duration, notify bool) *instance {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in := &instance{log: pgLog{db}, b: NewHub(64)}
	logger := slog.New(slog.DiscardHandler)
	if notify {
		n, err := NewNotifier(NotifierConfig{DSN: dsn, Sender: in.log, Logger: logger, Poll: poll,
			Heads: map[string]Heads{"workshop": pgHeads{db, "workshop"}, "inbox": pgHeads{db, "inbox"}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		select {
		case <-n.Ready():
		case <-time.After(5 * time.Second):
			t.Fatal("notifier not listening")
		}
		in.n, in.b = n, n
	}
	in.relay = NewRelay[*testEvent](in.log, in.b, logger, 256)
	t.Cleanup(in.relay.Close)
	return in
}

func (in *instance) publish(t *testing.T, topic Topic, text string) *testEvent {
	t.Helper()
	ev := in.log.append(t, topic, text)
	in.relay.Offer(topic, ev)
	if err := in.b.Publish(context.Background(), topic, ev.seq); err != nil {
		t.Fatal(err)
	}
	return ev
}

func (in *instance) watch(t *testing.T, topic Topic) *Watch[*testEvent] {
	t.Helper()
	w, err := in.relay.Watch(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

// collect reads a watch until it holds seq from through want, in order, each once.
func collect(t *testing.T, w *Watch[*testEvent], from, want int64, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for next := from; next <= want; {
		select {
		case ev, ok := <-w.C:
			if !ok {
				t.Fatal("watch dropped")
			}
			if ev.seq != next {
				t.Fatalf("got seq %d, want %d", ev.seq, next)
			}
			next++
		case <-deadline:
			t.Fatalf("events up to %d not in within %s (next %d)", want, within, next)
		}
	}
}

func TestNotifier_TwoInstances(t *testing.T) {
	base := os.Getenv(envPostgres)
	if base == "" {
		// live cannot import storagetest (storage imports live), so it
		// reads the same switch: CI requires PostgreSQL.
		if os.Getenv(envPostgres+"_REQUIRED") == "1" {
			t.Fatalf("%s_REQUIRED=1 but %s is empty", envPostgres, envPostgres)
		}
		t.Skip("needs " + envPostgres)
	}
	dsn := pgDSN(t, base)
	setup, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer setup.Close()
	if _, err := setup.Exec(`CREATE TABLE events (area text, id bigint, seq bigint, data text NOT NULL,
		PRIMARY KEY (area, id, seq))`); err != nil {
		t.Fatal(err)
	}
	// Polling is off (an hour) on both, so only NOTIFY and the catch-up
	// after a reconnect can deliver.
	a := newInstance(t, dsn, time.Hour, true)
	b := newInstance(t, dsn, time.Hour, true)
	topic := Topic{"workshop", 1}
	a.publish(t, topic, "första")
	watchA, watchB := a.watch(t, topic), b.watch(t, topic)
	seq := int64(1)

	t.Run("AReachesB", func(t *testing.T) {
		start := time.Now()
		ev := a.publish(t, topic, "från A")
		collect(t, watchB, seq+1, ev.seq, 2*time.Second)
		collect(t, watchA, seq+1, ev.seq, 2*time.Second)
		t.Logf("A→B in %s", time.Since(start))
		seq = ev.seq
	})
	t.Run("BReachesA", func(t *testing.T) {
		ev := b.publish(t, topic, "från B")
		collect(t, watchA, seq+1, ev.seq, 2*time.Second)
		collect(t, watchB, seq+1, ev.seq, 2*time.Second)
		seq = ev.seq
	})
	t.Run("AreasApart", func(t *testing.T) {
		// The same id in another area is another log on the same channel.
		inbox := Topic{"inbox", topic.ID}
		watchInbox := b.watch(t, inbox)
		ev := a.publish(t, inbox, "till inkorgen")
		collect(t, watchInbox, 1, ev.seq, 2*time.Second)
		select {
		case ev := <-watchB.C:
			t.Fatalf("the workshop topic got the inbox's seq %d", ev.seq)
		case <-time.After(100 * time.Millisecond):
		}
	})
	t.Run("ListenerKilled", func(t *testing.T) {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		pid := b.n.ListenerPID()
		var ok bool
		if err := admin.QueryRow(`SELECT pg_terminate_backend($1)`, int(pid)).Scan(&ok); err != nil || !ok {
			t.Fatalf("terminate %d: %v %v", pid, ok, err)
		}
		// Written while B is not listening: these NOTIFYs are lost to B.
		var last *testEvent
		for i := 0; i < 5; i++ {
			last = a.publish(t, topic, fmt.Sprintf("medan B lyssnar inte %d", i))
		}
		collect(t, watchB, seq+1, last.seq, 5*time.Second)
		collect(t, watchA, seq+1, last.seq, 2*time.Second)
		if nb := b.n.ListenerPID(); nb == 0 || nb == pid {
			t.Fatalf("listener pid %d after kill of %d", nb, pid)
		}
		seq = last.seq
		// And it listens again.
		ev := a.publish(t, topic, "efter återanslutning")
		collect(t, watchB, seq+1, ev.seq, 2*time.Second)
		collect(t, watchA, seq+1, ev.seq, 2*time.Second)
		seq = ev.seq
	})
	t.Run("NotificationNeverArrives", func(t *testing.T) {
		// C sends no NOTIFY at all; B2 finds C's events by its periodic check.
		c := newInstance(t, dsn, time.Hour, false)
		b2 := newInstance(t, dsn, 200*time.Millisecond, true)
		watch := b2.watch(t, topic)
		start := time.Now()
		ev := c.publish(t, topic, "tyst från C")
		collect(t, watch, ev.seq, ev.seq, 2*time.Second)
		t.Logf("found by the periodic check after %s", time.Since(start))
	})
}

func TestNewNotifier_Errors(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  NotifierConfig
	}{
		{"ErrNoDSN", NotifierConfig{Sender: pgLog{}}},
		{"ErrSQLitePath", NotifierConfig{DSN: "data/framsyn.db", Sender: pgLog{}}},
		{"ErrBadURL", NotifierConfig{DSN: "postgres://[::1", Sender: pgLog{}}},
		{"ErrNoSender", NotifierConfig{DSN: "postgres://localhost/x"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if n, err := NewNotifier(tt.cfg); err == nil {
				n.Close()
				t.Fatal("no error")
			}
		})
	}
}
