package live

import (
	"context"
	"testing"
)

func TestRelay(t *testing.T) {
	ctx := context.Background()
	const buffer = 16
	n := newNode(buffer)
	topic, other := Topic{"workshop", 1}, Topic{"inbox", 1}
	start := n.publish(topic, "före").seq

	w1, err := n.relay.Watch(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer w1.Close()
	lagger, err := n.relay.Watch(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer lagger.Close()
	elsewhere, err := n.relay.Watch(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	defer elsewhere.Close()
	if n.relay.Streams() != 3 {
		t.Fatalf("%d streams", n.relay.Streams())
	}
	t.Run("InOrderOnce", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			n.publish(topic, "lapp")
		}
		for i := int64(1); i <= 5; i++ {
			if ev := next(t, w1); ev.seq != start+i {
				t.Fatalf("got seq %d, want %d", ev.seq, start+i)
			}
		}
	})
	t.Run("LaggerDropped", func(t *testing.T) {
		// A watch that stops reading is dropped once buffer events wait
		// for it; the reading one keeps up.
		for i := 0; i < buffer+10; i++ {
			ev := n.publish(topic, "flod")
			if got := next(t, w1); got != ev {
				t.Fatalf("got seq %d, want %d", got.seq, ev.seq)
			}
		}
		got := 0
		for range lagger.C {
			got++
		}
		if got != buffer {
			t.Fatalf("lagger got %d events before the drop, want %d", got, buffer)
		}
		lagger.Close() // harmless after the drop
	})
	t.Run("OtherTopicQuiet", func(t *testing.T) {
		select {
		case ev := <-elsewhere.C:
			t.Fatalf("another area's topic got seq %d", ev.seq)
		default:
		}
	})
	t.Run("WokenWithoutOffer", func(t *testing.T) {
		// Committed by another instance: only the broker's wake-up says so.
		ev := n.log.append(topic, "från en annan", false)
		_ = n.broker.Publish(ctx, topic, ev.seq)
		if got := next(t, w1); got != ev {
			t.Fatalf("got seq %d, want %d", got.seq, ev.seq)
		}
	})
	t.Run("OfferOutOfOrder", func(t *testing.T) {
		// An offer that skips one makes the feed read the gap from the log.
		a := n.log.append(topic, "a", false)
		b := n.log.append(topic, "b", false)
		n.relay.Offer(topic, b)
		if got := next(t, w1); got != a {
			t.Fatalf("got seq %d, want %d", got.seq, a.seq)
		}
		if got := next(t, w1); got != b {
			t.Fatalf("got seq %d, want %d", got.seq, b.seq)
		}
	})
	w1.Close()
	elsewhere.Close()
	if n.relay.Streams() != 0 {
		t.Fatalf("%d streams after closing", n.relay.Streams())
	}
}

// Close ends every watch, and a watch begun after it ends at once, so a
// graceful shutdown is not held up by streams.
func TestRelay_Close(t *testing.T) {
	ctx := context.Background()
	n := newNode(16)
	topic := Topic{"workshop", 1}
	w1, err := n.relay.Watch(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := n.relay.Watch(ctx, Topic{"inbox", 7})
	if err != nil {
		t.Fatal(err)
	}
	n.relay.Close()
	for _, w := range []*Watch[*testEvent]{w1, w2} {
		for range w.C { // drains, then ends
		}
		w.Close() // harmless after the end
	}
	if s := n.relay.Streams(); s != 0 {
		t.Fatalf("%d streams after close", s)
	}
	late, err := n.relay.Watch(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	n.publish(topic, "efter stängning")
	if _, ok := <-late.C; ok {
		t.Fatal("a watch after close got an event")
	}
	late.Close()
	n.relay.Close() // twice is fine
}
