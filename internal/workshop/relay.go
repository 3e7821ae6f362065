package workshop

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Relay hands a workshop's events to the streams open on this instance.
// Per workshop it keeps one feed that reads each new event from the store
// once, however many streams are open, and gives it to every stream's
// buffered channel in sequence order. A stream that lags is dropped: its
// channel closes, and the client reconnects and replays from the store.
type Relay struct {
	store  Store
	broker Broker
	log    *slog.Logger
	buffer int

	mu     sync.Mutex
	feeds  map[int64]*feed
	closed bool
}

// NewRelay returns a relay reading from store, woken by broker; each
// stream may lag by buffer events.
func NewRelay(store Store, broker Broker, log *slog.Logger, buffer int) *Relay {
	if log == nil {
		log = slog.Default()
	}
	return &Relay{store: store, broker: broker, log: log, buffer: buffer, feeds: map[int64]*feed{}}
}

// Watch is one stream's view of a workshop's events.
type Watch struct {
	// C yields events in sequence order, each once, starting after the
	// workshop's last event when the watch began (replay earlier ones from
	// the store). It closes when the stream lagged and was dropped.
	C  <-chan *Event
	ch chan *Event
	f  *feed
	r  *Relay
}

// Close ends the watch; it may be called more than once.
func (w *Watch) Close() { w.r.unwatch(w) }

type feed struct {
	id       int64
	mu       sync.Mutex
	last     int64
	watchers map[*Watch]struct{}
	wake     chan struct{}
	stop     chan struct{}
}

// Watch starts watching a workshop. Events committed after it returns
// arrive on the watch; a caller then replays the store's events after
// the sequence it already has and skips the duplicates by seq.
func (r *Relay) Watch(ctx context.Context, workshopID int64) (*Watch, error) {
	r.mu.Lock()
	f, ok := r.feeds[workshopID]
	r.mu.Unlock()
	var last int64
	if !ok {
		var err error
		if last, err = r.store.LastSeq(ctx, workshopID); err != nil {
			return nil, err
		}
	}
	w := &Watch{ch: make(chan *Event, r.buffer), r: r}
	w.C = w.ch
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed { // shutting down: the stream ends at once and resumes elsewhere
		close(w.ch)
		return w, nil
	}
	if f, ok = r.feeds[workshopID]; !ok {
		f = &feed{id: workshopID, last: last, watchers: map[*Watch]struct{}{},
			wake: make(chan struct{}, 1), stop: make(chan struct{})}
		r.feeds[workshopID] = f
		go r.run(f)
	}
	w.f = f
	f.mu.Lock()
	f.watchers[w] = struct{}{}
	f.mu.Unlock()
	return w, nil
}

func (r *Relay) unwatch(w *Watch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := w.f
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.watchers[w]; ok {
		delete(f.watchers, w)
		close(w.ch)
	}
	if len(f.watchers) == 0 && r.feeds[f.id] == f {
		delete(r.feeds, f.id)
		close(f.stop)
	}
}

// Close ends every watch and every later one, so the streams on this
// instance end and their clients reconnect, to this instance's successor
// or another, resuming by Last-Event-ID. A graceful shutdown calls it:
// otherwise it waits for streams that never end.
func (r *Relay) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for id, f := range r.feeds {
		f.mu.Lock()
		for w := range f.watchers {
			delete(f.watchers, w)
			close(w.ch)
		}
		f.mu.Unlock()
		delete(r.feeds, id)
		close(f.stop)
	}
}

// Offer gives a just-committed event to the workshop's feed, sparing a
// read of the store when it is the next one; otherwise the feed reads.
func (r *Relay) Offer(ev *Event) {
	r.mu.Lock()
	f := r.feeds[ev.WorkshopID]
	r.mu.Unlock()
	if f == nil {
		return
	}
	f.mu.Lock()
	ok := f.deliver(ev)
	behind := !ok && ev.Seq > f.last
	f.mu.Unlock()
	if behind {
		f.poke()
	}
}

// Streams counts the open watches, for metrics and tests.
func (r *Relay) Streams() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, f := range r.feeds {
		f.mu.Lock()
		n += len(f.watchers)
		f.mu.Unlock()
	}
	return n
}

func (f *feed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// deliver hands ev to every watcher if it is the next event; f.mu is held.
func (f *feed) deliver(ev *Event) bool {
	if ev.Seq != f.last+1 {
		return false
	}
	f.last = ev.Seq
	for w := range f.watchers {
		select {
		case w.ch <- ev:
		default: // lagging: drop it; it resumes from the store
			delete(f.watchers, w)
			close(w.ch)
		}
	}
	return true
}

// run follows the broker's wake-ups for one workshop until its last
// watcher leaves.
func (r *Relay) run(f *feed) {
	sub := r.broker.Subscribe(f.id)
	defer func() { sub.Close() }()
	r.catchUp(f) // anything committed before the subscription existed
	for {
		select {
		case <-f.stop:
			return
		case seq, ok := <-sub.C:
			if !ok { // dropped by the broker: subscribe again and read
				sub = r.broker.Subscribe(f.id)
				r.catchUp(f)
				continue
			}
			f.mu.Lock()
			behind := seq > f.last
			f.mu.Unlock()
			if behind {
				r.catchUp(f)
			}
		case <-f.wake:
			r.catchUp(f)
		}
	}
}

// catchUp reads the events after the feed's last from the store and
// delivers them.
func (r *Relay) catchUp(f *feed) {
	const page = 500
	for {
		f.mu.Lock()
		last := f.last
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		evs, err := r.store.Events(ctx, f.id, last, page)
		cancel()
		if err != nil {
			r.log.Error("workshop relay: read events", "workshop", f.id, "err", err)
			time.AfterFunc(time.Second, f.poke)
			return
		}
		f.mu.Lock()
		for _, ev := range evs {
			if ev.Seq > f.last && !f.deliver(ev) {
				break
			}
		}
		f.mu.Unlock()
		if len(evs) < page {
			return
		}
	}
}
