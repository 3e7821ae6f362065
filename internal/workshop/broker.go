package workshop

import (
	"context"
	"sync"
)

// Broker carries wake-ups: "workshop W has events up to seq". It is not
// durable and need not be: the event log in the database is, and readers
// read events from it, so a lost wake-up only delays delivery until the
// next one (or a periodic check). The Hub serves one instance; the
// PostgreSQL broker in storage adds LISTEN/NOTIFY for several.
type Broker interface {
	// Publish announces that the workshop's events up to seq are committed.
	Publish(ctx context.Context, workshopID, seq int64) error
	// Subscribe returns the workshop's wake-ups until Close. A subscriber
	// that falls behind is dropped: its channel closes, and it subscribes
	// again and reads what it missed from the database.
	Subscribe(workshopID int64) *Subscription
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
	subs   map[int64]map[*hubSub]struct{}
	buffer int
}

type hubSub struct {
	ch chan int64
	id int64
}

var _ Broker = (*Hub)(nil)

// NewHub returns a hub whose subscribers may lag by buffer wake-ups.
func NewHub(buffer int) *Hub {
	if buffer < 1 {
		buffer = 1
	}
	return &Hub{subs: map[int64]map[*hubSub]struct{}{}, buffer: buffer}
}

// Publish wakes every subscriber of the workshop without waiting; one
// whose buffer is full is dropped.
func (h *Hub) Publish(_ context.Context, workshopID, seq int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[workshopID] {
		select {
		case s.ch <- seq:
		default:
			h.remove(s)
		}
	}
	return nil
}

// Subscribe returns the workshop's wake-ups.
func (h *Hub) Subscribe(workshopID int64) *Subscription {
	s := &hubSub{ch: make(chan int64, h.buffer), id: workshopID}
	h.mu.Lock()
	if h.subs[workshopID] == nil {
		h.subs[workshopID] = map[*hubSub]struct{}{}
	}
	h.subs[workshopID][s] = struct{}{}
	h.mu.Unlock()
	return &Subscription{C: s.ch, close: func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.remove(s)
	}}
}

// remove drops a subscriber; h.mu is held.
func (h *Hub) remove(s *hubSub) {
	set := h.subs[s.id]
	if _, ok := set[s]; !ok {
		return
	}
	delete(set, s)
	close(s.ch)
	if len(set) == 0 {
		delete(h.subs, s.id)
	}
}

// Topics returns the workshops that have subscribers.
func (h *Hub) Topics() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]int64, 0, len(h.subs))
	for id := range h.subs {
		out = append(out, id)
	}
	return out
}
