package live

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// testEvent is an area's event: its data is the JSON a client sees.
type testEvent struct {
	seq  int64
	data []byte
	end  bool // the stream ends after it (as a removed participant's)
}

func (e *testEvent) LogSeq() int64 { return e.seq }

// memLog is an event log in memory.
type memLog struct {
	mu    sync.Mutex
	logs  map[Topic][]*testEvent
	reads int // Events calls
}

var _ Log[*testEvent] = (*memLog)(nil)

func (l *memLog) append(t Topic, text string, end bool) *testEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.logs == nil {
		l.logs = map[Topic][]*testEvent{}
	}
	seq := int64(len(l.logs[t]) + 1)
	ev := &testEvent{seq: seq, data: fmt.Appendf(nil, `{"seq":%d,"text":%q}`, seq, text), end: end}
	l.logs[t] = append(l.logs[t], ev)
	return ev
}

func (l *memLog) Events(_ context.Context, t Topic, after int64, limit int) ([]*testEvent, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	evs := l.logs[t]
	if after >= int64(len(evs)) {
		return nil, nil
	}
	evs = evs[after:]
	return append([]*testEvent(nil), evs[:min(limit, len(evs))]...), nil
}

// readCount returns how many times Events was called.
func (l *memLog) readCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reads
}

func (l *memLog) LastSeq(_ context.Context, t Topic) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(l.logs[t])), nil
}

// node is one instance of an area: its log, broker and relay.
type node struct {
	log    *memLog
	broker Broker
	relay  *Relay[*testEvent]
}

func newNode(buffer int) *node {
	n := &node{log: &memLog{}, broker: NewHub(64)}
	n.relay = NewRelay[*testEvent](n.log, n.broker, slog.New(slog.DiscardHandler), buffer)
	return n
}

// publish commits an event and announces it, as an area's service does.
func (n *node) publish(t Topic, text string) *testEvent {
	ev := n.log.append(t, text, false)
	n.relay.Offer(t, ev)
	_ = n.broker.Publish(context.Background(), t, ev.seq)
	return ev
}

// next waits for the next event on a watch.
func next(t testing.TB, w *Watch[*testEvent]) *testEvent {
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
