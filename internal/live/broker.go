package live

import (
	"context"
	"sync"
)

// Broker carries wake-ups: "topic T has events up to seq". It is not
// durable and need not be: the event log in the database is, and readers
// read events from it, so a lost wake-up only delays delivery until the
// next one (or a periodic check). The Hub serves one instance; the
// Notifier adds LISTEN/NOTIFY for several.
type Broker interface {
	// Publish announces that the topic's events up to seq are committed.
	Publish(ctx context.Context, t Topic, seq int64) error
	// Subscribe returns the topic's wake-ups until Close. A subscriber
	// that falls behind is dropped: its channel closes, and it subscribes
	// again and reads what it missed from the log.
	Subscribe(t Topic) *Subscription
}

// Subscription is one subscriber's wake-ups.
type Subscription struct {
	C     <-chan int64 // closed when dropped or closed
	close func()
}

// Close ends the subscription; it may be called more than once.
func (s *Subscription) Close() { s.close() }

// Hub is the in-process Broker: one buffered channel per subscriber.
type Hub struct {
	mu     sync.Mutex
	subs   map[Topic]map[*hubSub]struct{}
	buffer int
}

type hubSub struct {
	ch    chan int64
	topic Topic
}

var _ Broker = (*Hub)(nil)

// NewHub returns a hub whose subscribers may lag by buffer wake-ups.
func NewHub(buffer int) *Hub {
	if buffer < 1 {
		buffer = 1
	}
	return &Hub{subs: map[Topic]map[*hubSub]struct{}{}, buffer: buffer}
}

// Publish wakes every subscriber of the topic without waiting; one whose
// buffer is full is dropped.
func (h *Hub) Publish(_ context.Context, t Topic, seq int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[t] {
		select {
		case s.ch <- seq:
		default:
			h.remove(s)
		}
	}
	return nil
}

// Subscribe returns the topic's wake-ups.
func (h *Hub) Subscribe(t Topic) *Subscription {
	s := &hubSub{ch: make(chan int64, h.buffer), topic: t}
	h.mu.Lock()
	if h.subs[t] == nil {
		h.subs[t] = map[*hubSub]struct{}{}
	}
	h.subs[t][s] = struct{}{}
	h.mu.Unlock()
	return &Subscription{C: s.ch, close: func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.remove(s)
	}}
}

// remove drops a subscriber; h.mu is held.
func (h *Hub) remove(s *hubSub) {
	set := h.subs[s.topic]
	if _, ok := set[s]; !ok {
		return
	}
	delete(set, s)
	close(s.ch)
	if len(set) == 0 {
		delete(h.subs, s.topic)
	}
}

// Topics returns the topics that have subscribers.
func (h *Hub) Topics() []Topic {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Topic, 0, len(h.subs))
	for t := range h.subs {
		out = append(out, t)
	}
	return out
}

// Wake is one topic's "events up to Seq are committed".
type Wake struct {
	Topic Topic
	Seq   int64
}

// batchPublisher is a broker that announces many wake-ups at once.
type batchPublisher interface {
	PublishAll(ctx context.Context, wakes []Wake) error
}

// PublishAll announces wakes on b: in one go when b can (a Notifier
// sends them to the other instances in one round trip: a notification
// fanned out to thousands of inboxes is one statement, not thousands),
// else one by one.
func PublishAll(ctx context.Context, b Broker, wakes []Wake) error {
	if bp, ok := b.(batchPublisher); ok {
		return bp.PublishAll(ctx, wakes)
	}
	var first error
	for _, w := range wakes {
		if err := b.Publish(ctx, w.Topic, w.Seq); err != nil && first == nil {
			first = err
		}
	}
	return first
}
