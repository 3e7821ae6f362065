package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// NotifyChannel is the PostgreSQL channel of every area's wake-ups.
// Payloads are "area:id:seq" only: every role on the database can
// listen, so nothing else goes in them.
const NotifyChannel = "framsyn_live"

// DefaultPoll is how often a Notifier checks for events a lost
// notification did not announce.
const DefaultPoll = time.Second

// Sender sends a notification through the application's connection pool.
type Sender interface {
	Notify(ctx context.Context, channel, payload string) error
}

// Heads reads the last sequence number of each of an area's logs in ids
// that exists, for the Notifier's periodic check.
type Heads interface {
	LastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error)
}

// NotifierConfig is what a Notifier needs.
type NotifierConfig struct {
	DSN    string           // the PostgreSQL database; LISTEN runs on a connection of its own
	Sender Sender           // sends NOTIFY (storage.DB: through its pool)
	Heads  map[string]Heads // per area, the heads of its logs; a topic of another area is not checked
	Logger *slog.Logger
	Poll   time.Duration // DefaultPoll when 0
}

// Notifier is the Broker for several instances on one PostgreSQL
// database. Local subscribers are woken by an in-process hub at once;
// other instances by NOTIFY, which is only a hint: they read the events
// from the log. NOTIFY is not durable (a notification sent while a
// listener is reconnecting is gone), so a periodic check publishes each
// watched topic's last sequence number, and every reconnect does the same
// at once; readers skip what they already have.
type Notifier struct {
	cfg NotifierConfig
	hub *Hub
	log *slog.Logger

	pid    atomic.Uint32 // backend pid of the listening connection
	ready  chan struct{}
	once   sync.Once
	cancel context.CancelFunc
	done   sync.WaitGroup
}

var _ Broker = (*Notifier)(nil)

// NewNotifier starts listening on cfg.DSN and checking every cfg.Poll.
// Close stops it.
func NewNotifier(cfg NotifierConfig) (*Notifier, error) {
	if !strings.HasPrefix(cfg.DSN, "postgres://") && !strings.HasPrefix(cfg.DSN, "postgresql://") || cfg.Sender == nil {
		return nil, errors.New("live: notifier needs a postgres:// DSN and a sender")
	}
	if _, err := pgx.ParseConfig(cfg.DSN); err != nil {
		return nil, fmt.Errorf("live: notifier: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Notifier{cfg: cfg, hub: NewHub(64), log: cfg.Logger, ready: make(chan struct{}), cancel: cancel}
	n.done.Add(2)
	go n.listen(ctx)
	go n.check(ctx)
	return n, nil
}

// Publish wakes local subscribers and notifies the other instances.
func (n *Notifier) Publish(ctx context.Context, t Topic, seq int64) error {
	if !t.valid() {
		return fmt.Errorf("notify: bad topic %q", t.String())
	}
	_ = n.hub.Publish(ctx, t, seq)
	if err := n.cfg.Sender.Notify(ctx, NotifyChannel, payload(t, seq)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Announcement returns the notification that wakes the other instances
// to topic t's event seq, for a store to send in the transaction that
// commits the event: PostgreSQL delivers it with the commit, and not at
// all if the transaction rolls back. The instance that committed then
// hands the event to its own subscribers itself (a relay's Offer), sparing
// Publish's round trip after the commit.
func (n *Notifier) Announcement(t Topic, seq int64) (channel, text string) {
	return NotifyChannel, payload(t, seq)
}

// BatchSender sends many notifications on one channel in one round trip.
type BatchSender interface {
	NotifyAll(ctx context.Context, channel string, payloads []string) error
}

// PublishAll is Publish for many topics: local subscribers at once, the
// other instances in one round trip when the Sender is a BatchSender.
func (n *Notifier) PublishAll(ctx context.Context, wakes []Wake) error {
	payloads := make([]string, 0, len(wakes))
	for _, w := range wakes {
		if !w.Topic.valid() {
			return fmt.Errorf("notify: bad topic %q", w.Topic.String())
		}
		_ = n.hub.Publish(ctx, w.Topic, w.Seq)
		payloads = append(payloads, payload(w.Topic, w.Seq))
	}
	bs, ok := n.cfg.Sender.(BatchSender)
	if !ok {
		for _, p := range payloads {
			if err := n.cfg.Sender.Notify(ctx, NotifyChannel, p); err != nil {
				return fmt.Errorf("notify: %w", err)
			}
		}
		return nil
	}
	if err := bs.NotifyAll(ctx, NotifyChannel, payloads); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Subscribe returns a topic's wake-ups on this instance.
func (n *Notifier) Subscribe(t Topic) *Subscription { return n.hub.Subscribe(t) }

// Ready is closed once the first LISTEN has succeeded.
func (n *Notifier) Ready() <-chan struct{} { return n.ready }

// ListenerPID returns the backend pid of the listening connection (0 while
// reconnecting), for operators and the test that kills it.
func (n *Notifier) ListenerPID() uint32 { return n.pid.Load() }

// Close stops listening and checking.
func (n *Notifier) Close() error {
	n.cancel()
	n.done.Wait()
	return nil
}

// listen keeps one connection LISTENing, reconnecting with backoff.
func (n *Notifier) listen(ctx context.Context) {
	defer n.done.Done()
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := n.listenOnce(ctx)
		n.pid.Store(0)
		if ctx.Err() != nil {
			return
		}
		n.log.Warn("live notifier: listener lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (n *Notifier) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, n.cfg.DSN)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+NotifyChannel); err != nil {
		return err
	}
	n.pid.Store(conn.PgConn().PID())
	n.once.Do(func() { close(n.ready) })
	// Whatever was notified while no one listened is gone: look now.
	n.wakeWatched(ctx)
	for {
		note, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		t, seq, ok := parsePayload(note.Payload)
		if !ok {
			n.log.Warn("live notifier: bad payload", "payload", note.Payload)
			continue
		}
		_ = n.hub.Publish(ctx, t, seq)
	}
}

// check publishes the last sequence number of every watched topic every
// poll, covering notifications that never arrived.
func (n *Notifier) check(ctx context.Context) {
	defer n.done.Done()
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n.wakeWatched(ctx)
		}
	}
}

// wakeWatched reads the heads of the watched topics, one query per area.
func (n *Notifier) wakeWatched(ctx context.Context) {
	byArea := map[string][]int64{}
	for _, t := range n.hub.Topics() {
		byArea[t.Area] = append(byArea[t.Area], t.ID)
	}
	for area, ids := range byArea {
		heads := n.cfg.Heads[area]
		if heads == nil {
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		seqs, err := heads.LastSeqs(qctx, ids)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				n.log.Warn("live notifier: check", "area", area, "err", err)
			}
			continue
		}
		for id, seq := range seqs {
			_ = n.hub.Publish(ctx, Topic{Area: area, ID: id}, seq)
		}
	}
}
