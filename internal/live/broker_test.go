package live

import (
	"context"
	"testing"
)

func TestHub(t *testing.T) {
	ctx := context.Background()
	h := NewHub(2)
	w1, w2, inbox := Topic{"workshop", 1}, Topic{"workshop", 2}, Topic{"inbox", 1}
	fast, slow, other, otherArea := h.Subscribe(w1), h.Subscribe(w1), h.Subscribe(w2), h.Subscribe(inbox)
	defer fast.Close()
	defer other.Close()
	defer otherArea.Close()
	for seq := int64(1); seq <= 3; seq++ {
		_ = h.Publish(ctx, w1, seq)
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
	// Another id, and the same id in another area: not woken.
	for _, s := range []*Subscription{other, otherArea} {
		select {
		case seq := <-s.C:
			t.Fatalf("another topic woken with %d", seq)
		default:
		}
	}
	if got := h.Topics(); len(got) != 3 {
		t.Fatalf("topics %v", got)
	}
}

func TestPayload(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		topic Topic
		seq   int64
		ok    bool
	}{
		{"OK", "workshop:42:17", Topic{"workshop", 42}, 17, true},
		{"OKOtherArea", "inbox:42:1", Topic{"inbox", 42}, 1, true},
		{"ErrOldFormat", "42:17", Topic{}, 0, false},
		{"ErrNoArea", ":42:17", Topic{}, 0, false},
		{"ErrZeroID", "workshop:0:17", Topic{}, 0, false},
		{"ErrZeroSeq", "workshop:42:0", Topic{}, 0, false},
		{"ErrExtraField", "workshop:42:17:1", Topic{}, 0, false},
		{"ErrNotNumber", "workshop:x:17", Topic{}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			topic, seq, ok := parsePayload(tt.in)
			if ok != tt.ok || (ok && (topic != tt.topic || seq != tt.seq)) {
				t.Fatalf("got %v %d %v, want %v %d %v", topic, seq, ok, tt.topic, tt.seq, tt.ok)
			}
			if ok && payload(topic, seq) != tt.in {
				t.Fatalf("round trip %q", payload(topic, seq))
			}
		})
	}
}
