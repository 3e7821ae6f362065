package workshop_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

func TestHub(t *testing.T) {
	ctx := context.Background()
	h := workshop.NewHub(2)
	fast, slow, other := h.Subscribe(1), h.Subscribe(1), h.Subscribe(2)
	defer fast.Close()
	defer other.Close()
	for seq := int64(1); seq <= 3; seq++ {
		_ = h.Publish(ctx, 1, seq)
		if got := <-fast.C; got != seq {
			t.Fatalf("fast got %d, want %d", got, seq)
		}
	}
	// slow read nothing: two buffered, then dropped on the third.
	n := 0
	for range slow.C {
		n++
	}
	if n != 2 {
		t.Fatalf("slow got %d before the drop, want 2", n)
	}
	slow.Close() // harmless after a drop
	select {
	case seq := <-other.C:
		t.Fatalf("workshop 2 woken with %d", seq)
	default:
	}
	if got := h.Topics(); len(got) != 2 {
		t.Fatalf("topics %v", got)
	}
}

// next waits for the next event on a watch.
func next(t testing.TB, w *workshop.Watch) *workshop.Event {
	t.Helper()
	select {
	case ev, ok := <-w.C:
		if !ok {
			t.Fatal("watch dropped")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return nil
}

func TestRelay(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		g := r.Guest(t, "Wilma")
		r.Stage(t, "drivers")
		start := r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "före"}).Seq

		w1, err := r.svc.Watch(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		defer w1.Close()
		lagger, err := r.svc.Watch(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		defer lagger.Close()
		if r.svc.Relay().Streams() != 2 {
			t.Fatalf("%d streams", r.svc.Relay().Streams())
		}
		// Events committed after Watch arrive in order, each once.
		for i := 0; i < 5; i++ {
			r.Do(t, r.host, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("lapp %d", i)})
		}
		for i := int64(1); i <= 5; i++ {
			if ev := next(t, w1); ev.Seq != start+i {
				t.Fatalf("got seq %d, want %d", ev.Seq, start+i)
			}
		}
		// The facilitator's rate limit would stop the flood below: let a
		// second pass per command.
		var tick atomic.Int64
		r.svc.SetClock(func() time.Time { return time.Now().Add(time.Duration(tick.Add(1)) * time.Second) })
		// A watch that stops reading is dropped once StreamBuffer events
		// wait for it; the reading one keeps up.
		go func() {
			for i := 0; i < workshop.StreamBuffer+10; i++ {
				r.Do(t, r.host, workshop.Command{Kind: workshop.StageLock, On: i%2 == 0})
			}
		}()
		want := start + 6
		for ; want <= start+5+int64(workshop.StreamBuffer)+10; want++ {
			if ev := next(t, w1); ev.Seq != want {
				t.Fatalf("got seq %d, want %d", ev.Seq, want)
			}
		}
		n := 0
		for range lagger.C {
			n++
		}
		if n != workshop.StreamBuffer {
			t.Fatalf("lagger got %d events before the drop, want %d", n, workshop.StreamBuffer)
		}
		lagger.Close()
		w1.Close()
		if r.svc.Relay().Streams() != 0 {
			t.Fatalf("%d streams after closing", r.svc.Relay().Streams())
		}
	})
}
