package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// instance is one "framsyn serve" on the shared database.
type instance struct {
	db  *storage.DB
	n   *storage.Notifier
	svc *workshop.Service
}

func newInstance(t *testing.T, dsn string, poll time.Duration, notify bool) *instance {
	t.Helper()
	db := storagetest.MustOpen(t, dsn)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in := &instance{db: db}
	var b workshop.Broker = workshop.NewHub(64) // as if every NOTIFY were lost
	if notify {
		n, err := storage.NewNotifier(db, log, poll)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		select {
		case <-n.Ready():
		case <-time.After(5 * time.Second):
			t.Fatal("notifier not listening")
		}
		in.n, b = n, n
	}
	in.svc = workshop.NewService(db, b, log)
	return in
}

// collect reads a watch until it holds seq through want, in order, each once.
func collect(t *testing.T, w *workshop.Watch, from, want int64, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for next := from; next <= want; {
		select {
		case ev, ok := <-w.C:
			if !ok {
				t.Fatal("watch dropped")
			}
			if ev.Seq != next {
				t.Fatalf("got seq %d, want %d", ev.Seq, next)
			}
			next++
		case <-deadline:
			t.Fatalf("events up to %d not in within %s (next %d)", want, within, next)
		}
	}
}

func TestNotifier_TwoInstances(t *testing.T) {
	base := os.Getenv(storagetest.EnvPostgres)
	if base == "" {
		t.Skip("needs " + storagetest.EnvPostgres)
	}
	ctx := context.Background()
	dsn := storagetest.PostgresDSN(t, base)
	// Polling is off (an hour) on both, so only NOTIFY and the catch-up
	// after a reconnect can deliver.
	a := newInstance(t, dsn, time.Hour, true)
	b := newInstance(t, dsn, time.Hour, true)

	u := &account.User{Email: "fac@example.se", Name: "Fia"}
	uid, err := a.db.CreateUser(ctx, u, "x")
	if err != nil {
		t.Fatal(err)
	}
	u.ID = uid
	actor := &account.Actor{User: u}
	w, err := a.svc.Create(ctx, actor, workshop.Workshop{Title: "Två instanser", FocalQuestion: "Syns allt överallt?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	host, _ := a.svc.Participant(ctx, actor, w.ID, "")
	n := 0
	cid := func() string { n++; return fmt.Sprintf("two-inst-%04d", n) }
	do := func(s *workshop.Service, p *workshop.Participant, c workshop.Command) *workshop.Event {
		t.Helper()
		c.ClientID = cid()
		ev, err := s.Do(ctx, p, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
		return ev
	}
	do(a.svc, host, workshop.Command{Kind: workshop.WorkshopOpen})
	do(a.svc, host, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})
	onA, _, err := a.svc.Join(ctx, &account.Actor{}, w.Code, "På A", cid(), "x")
	if err != nil {
		t.Fatal(err)
	}
	onB, _, err := b.svc.Join(ctx, &account.Actor{}, w.Code, "På B", cid(), "x")
	if err != nil {
		t.Fatal(err)
	}
	watchB, err := b.svc.Watch(ctx, onB)
	if err != nil {
		t.Fatal(err)
	}
	defer watchB.Close()
	watchA, err := a.svc.Watch(ctx, onA)
	if err != nil {
		t.Fatal(err)
	}
	defer watchA.Close()
	seq, _ := a.db.LastSeq(ctx, w.ID)

	t.Run("AReachesB", func(t *testing.T) {
		start := time.Now()
		ev := do(a.svc, onA, workshop.Command{Kind: workshop.NoteAdd, Text: "från A"})
		collect(t, watchB, seq+1, ev.Seq, 2*time.Second)
		collect(t, watchA, seq+1, ev.Seq, 2*time.Second)
		t.Logf("A→B in %s", time.Since(start))
		seq = ev.Seq
	})
	t.Run("BReachesA", func(t *testing.T) {
		ev := do(b.svc, onB, workshop.Command{Kind: workshop.NoteAdd, Text: "från B"})
		collect(t, watchA, seq+1, ev.Seq, 2*time.Second)
		collect(t, watchB, seq+1, ev.Seq, 2*time.Second)
		seq = ev.Seq
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
		var last *workshop.Event
		for i := 0; i < 5; i++ {
			last = do(a.svc, onA, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("medan B lyssnar inte %d", i)})
		}
		collect(t, watchB, seq+1, last.Seq, 5*time.Second)
		collect(t, watchA, seq+1, last.Seq, 2*time.Second)
		if nb := b.n.ListenerPID(); nb == 0 || nb == pid {
			t.Fatalf("listener pid %d after kill of %d", nb, pid)
		}
		seq = last.Seq
		// And it listens again.
		ev := do(a.svc, onA, workshop.Command{Kind: workshop.NoteAdd, Text: "efter återanslutning"})
		collect(t, watchB, seq+1, ev.Seq, 2*time.Second)
		collect(t, watchA, seq+1, ev.Seq, 2*time.Second)
		seq = ev.Seq
	})
	t.Run("NotificationNeverArrives", func(t *testing.T) {
		// C sends no NOTIFY at all; B finds C's events by its periodic check.
		c := newInstance(t, dsn, time.Hour, false)
		b2 := newInstance(t, dsn, 200*time.Millisecond, true)
		watch, err := b2.svc.Watch(ctx, onB)
		if err != nil {
			t.Fatal(err)
		}
		defer watch.Close()
		start := time.Now()
		ev := do(c.svc, onA, workshop.Command{Kind: workshop.NoteAdd, Text: "tyst från C"})
		collect(t, watch, ev.Seq, ev.Seq, 2*time.Second)
		t.Logf("found by the periodic check after %s", time.Since(start))
	})
}
