package live

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Event is one entry of a topic's log.
type Event interface {
	// LogSeq returns the entry's sequence number in its topic's log:
	// 1, 2, 3… without gaps, in commit order.
	LogSeq() int64
}

// Log reads topics' event logs; an area's store satisfies it.
type Log[E Event] interface {
	// Events returns up to limit of the topic's events with seq > after, in order.
	Events(ctx context.Context, t Topic, after int64, limit int) ([]E, error)
	// LastSeq returns the sequence number of the topic's last event.
	LastSeq(ctx context.Context, t Topic) (int64, error)
}

// Relay hands topics' events to the streams open on this instance. Per
// topic it keeps one feed that reads each new event from the log once,
// however many streams are open, and gives it to every stream's buffered
// channel in sequence order. A stream that lags is dropped: its channel
// closes, and the client reconnects and replays from the log.
type Relay[E Event] struct {
	log    Log[E]
	broker Broker
	logger *slog.Logger
	buffer int

	mu     sync.Mutex
	feeds  map[Topic]*feed[E]
	closed bool
}

// NewRelay returns a relay reading from log, woken by broker; each stream
// may lag by buffer events.
func NewRelay[E Event](log Log[E], broker Broker, logger *slog.Logger, buffer int) *Relay[E] {
	if logger == nil {
		logger = slog.Default()
	}
	return &Relay[E]{log: log, broker: broker, logger: logger, buffer: buffer, feeds: map[Topic]*feed[E]{}}
}

// Watch is one stream's view of a topic's events.
type Watch[E Event] struct {
	// C yields events in sequence order, each once, starting after the
	// topic's last event when the watch began (replay earlier ones from
	// the log). It closes when the stream lagged and was dropped, and when
	// the relay closes.
	C     <-chan E
	Topic Topic
	ch    chan E
	f     *feed[E]
	r     *Relay[E]
}

// Close ends the watch; it may be called more than once.
func (w *Watch[E]) Close() { w.r.unwatch(w) }

// held returns the topic's events after seq that the relay still holds,
// and whether it holds every one of them up to its last: a stream that
// resumes close behind (a restart's clients, a dropped slow one) replays
// from memory instead of reading the log. An id beyond the relay's last
// is for the log to judge (another instance may be ahead, or the id forged).
func (w *Watch[E]) held(after int64) ([]E, bool) {
	f := w.f
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case after > f.last:
		return nil, false
	case after == f.last:
		return nil, true
	case len(f.recent) == 0 || f.recent[0].LogSeq() > after+1:
		return nil, false
	}
	return append([]E(nil), f.recent[after+1-f.recent[0].LogSeq():]...), true
}

type feed[E Event] struct {
	topic    Topic
	mu       sync.Mutex
	last     int64
	recent   []E // the last events delivered, in order, ending at last: replays read them
	keep     int // how many of them recent holds at least
	watchers map[*Watch[E]]struct{}
	wake     chan struct{}
	stop     chan struct{}
}

// Watch starts watching a topic. Events committed after it returns arrive
// on the watch; a caller then replays the log's events after the
// sequence it already has and skips the duplicates by seq (Stream does).
func (r *Relay[E]) Watch(ctx context.Context, t Topic) (*Watch[E], error) {
	for {
		w, err := r.watch(ctx, t)
		if w != nil || err != nil {
			return w, err
		}
		// The topic's feed ended between the two looks: look again.
	}
}

// watch is Watch; nil, nil when the topic's feed ended while it looked.
func (r *Relay[E]) watch(ctx context.Context, t Topic) (*Watch[E], error) {
	r.mu.Lock()
	f, ok := r.feeds[t]
	r.mu.Unlock()
	var last int64
	var sub *Subscription
	if !ok {
		// Subscribed before the log's last is read, so that every event
		// committed after it wakes the feed, and none before it is read
		// again: a read at the feed's start could hand a stream an event
		// before its command's goroutine offers it (see Offer).
		sub = r.broker.Subscribe(t)
		var err error
		if last, err = r.log.LastSeq(ctx, t); err != nil {
			sub.Close()
			return nil, err
		}
	}
	w := &Watch[E]{Topic: t, ch: make(chan E, r.buffer), r: r}
	w.C = w.ch
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed { // shutting down: the stream ends at once and resumes elsewhere
		if sub != nil {
			sub.Close()
		}
		close(w.ch)
		return w, nil
	}
	switch f, ok = r.feeds[t]; {
	case !ok && sub == nil:
		return nil, nil
	case !ok:
		f = &feed[E]{topic: t, last: last, keep: r.buffer, watchers: map[*Watch[E]]struct{}{},
			wake: make(chan struct{}, 1), stop: make(chan struct{})}
		r.feeds[t] = f
		go r.run(f, sub)
	case sub != nil: // another watch started the feed meanwhile
		sub.Close()
	}
	w.f = f
	f.mu.Lock()
	f.watchers[w] = struct{}{}
	f.mu.Unlock()
	return w, nil
}

func (r *Relay[E]) unwatch(w *Watch[E]) {
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
	if len(f.watchers) == 0 && r.feeds[f.topic] == f {
		delete(r.feeds, f.topic)
		close(f.stop)
	}
}

// Close ends every watch and every later one, so the streams on this
// instance end and their clients reconnect, to this instance's successor
// or another, resuming by Last-Event-ID. A graceful shutdown calls it:
// otherwise it waits for streams that never end.
func (r *Relay[E]) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for t, f := range r.feeds {
		f.mu.Lock()
		for w := range f.watchers {
			delete(f.watchers, w)
			close(w.ch)
		}
		f.mu.Unlock()
		delete(r.feeds, t)
		close(f.stop)
	}
}

// Offer gives a just-committed event of topic t to its feed, sparing a
// read of the log when it is the next one; otherwise the feed reads.
func (r *Relay[E]) Offer(t Topic, ev E) {
	r.mu.Lock()
	f := r.feeds[t]
	r.mu.Unlock()
	if f == nil {
		return
	}
	f.mu.Lock()
	ok := f.deliver(ev)
	behind := !ok && ev.LogSeq() > f.last
	f.mu.Unlock()
	if behind {
		f.poke()
	}
}

// Streams counts the open watches, for metrics and tests.
func (r *Relay[E]) Streams() int {
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

func (f *feed[E]) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// deliver hands ev to every watcher if it is the next event; f.mu is held.
func (f *feed[E]) deliver(ev E) bool {
	seq := ev.LogSeq()
	if seq != f.last+1 {
		return false
	}
	f.last = seq
	f.recent = append(f.recent, ev)
	if len(f.recent) > 2*f.keep { // keep the last keep, copying once per keep events
		f.recent = append(f.recent[:0], f.recent[len(f.recent)-f.keep:]...)
		clear(f.recent[f.keep:cap(f.recent)])
	}
	for w := range f.watchers {
		select {
		case w.ch <- ev:
		default: // lagging: drop it; it resumes from the log
			delete(f.watchers, w)
			close(w.ch)
		}
	}
	return true
}

// run follows the broker's wake-ups for one topic until its last watcher
// leaves.
func (r *Relay[E]) run(f *feed[E], sub *Subscription) {
	defer func() { sub.Close() }()
	for {
		select {
		case <-f.stop:
			return
		case seq, ok := <-sub.C:
			if !ok { // dropped by the broker: subscribe again and read
				sub = r.broker.Subscribe(f.topic)
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

// catchUp reads the events after the feed's last from the log and
// delivers them.
func (r *Relay[E]) catchUp(f *feed[E]) {
	const page = 500
	for {
		f.mu.Lock()
		last := f.last
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		evs, err := r.log.Events(ctx, f.topic, last, page)
		cancel()
		if err != nil {
			r.logger.Error("live relay: read events", "topic", f.topic.String(), "err", err)
			time.AfterFunc(time.Second, f.poke)
			return
		}
		f.mu.Lock()
		for _, ev := range evs {
			if ev.LogSeq() > f.last && !f.deliver(ev) {
				break
			}
		}
		f.mu.Unlock()
		if len(evs) < page {
			return
		}
	}
}
