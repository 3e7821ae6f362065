package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/framsyn/framsyn/internal/workshop"
)

// notifyChannel is the PostgreSQL channel of workshop wake-ups. Payloads
// are "workshopID:seq" only: every role on the database can listen, so
// nothing else goes in them.
const notifyChannel = "framsyn_workshop"

// Notifier is the workshop.Broker for several instances on one PostgreSQL
// database. Local subscribers are woken by an in-process hub at once;
// other instances by NOTIFY, which is only a hint: they read the events
// from the database. NOTIFY is not durable (a notification sent while a
// listener is reconnecting is gone), so a periodic check publishes each
// watched workshop's last sequence number, and every reconnect does the
// same at once; readers skip what they already have.
type Notifier struct {
	db   *DB
	hub  *workshop.Hub
	log  *slog.Logger
	poll time.Duration

	pid    atomic.Uint32 // backend pid of the listening connection
	ready  chan struct{}
	once   sync.Once
	cancel context.CancelFunc
	done   sync.WaitGroup
}

var _ workshop.Broker = (*Notifier)(nil)

// DefaultPoll is how often a Notifier checks for events a lost
// notification did not announce.
const DefaultPoll = time.Second

// NewNotifier starts listening on db (which must be PostgreSQL) on its own
// connection, and checking every poll (DefaultPoll when 0). Close stops it.
func NewNotifier(db *DB, log *slog.Logger, poll time.Duration) (*Notifier, error) {
	if db.Engine != Postgres {
		return nil, errors.New("storage: notifier needs PostgreSQL")
	}
	if log == nil {
		log = slog.Default()
	}
	if poll <= 0 {
		poll = DefaultPoll
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Notifier{db: db, hub: workshop.NewHub(64), log: log, poll: poll, ready: make(chan struct{}), cancel: cancel}
	n.done.Add(2)
	go n.listen(ctx)
	go n.check(ctx)
	return n, nil
}

// Publish wakes local subscribers and notifies the other instances.
func (n *Notifier) Publish(ctx context.Context, workshopID, seq int64) error {
	_ = n.hub.Publish(ctx, workshopID, seq)
	payload := strconv.FormatInt(workshopID, 10) + ":" + strconv.FormatInt(seq, 10)
	if _, err := n.db.rw.ExecContext(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Subscribe returns a workshop's wake-ups on this instance.
func (n *Notifier) Subscribe(workshopID int64) *workshop.Subscription {
	return n.hub.Subscribe(workshopID)
}

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
		n.log.Warn("workshop notifier: listener lost; reconnecting", "err", err, "in", backoff)
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
	conn, err := pgx.Connect(cctx, n.db.DSN)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
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
		ws, seq, ok := parsePayload(note.Payload)
		if !ok {
			n.log.Warn("workshop notifier: bad payload", "payload", note.Payload)
			continue
		}
		_ = n.hub.Publish(ctx, ws, seq)
	}
}

func parsePayload(s string) (ws, seq int64, ok bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	ws, err1 := strconv.ParseInt(a, 10, 64)
	seq, err2 := strconv.ParseInt(b, 10, 64)
	return ws, seq, err1 == nil && err2 == nil && ws > 0 && seq > 0
}

// check publishes the last sequence number of every watched workshop
// every poll, covering notifications that never arrived.
func (n *Notifier) check(ctx context.Context) {
	defer n.done.Done()
	t := time.NewTicker(n.poll)
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

func (n *Notifier) wakeWatched(ctx context.Context) {
	ids := n.hub.Topics()
	if len(ids) == 0 {
		return
	}
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	seqs, err := n.db.LastSeqs(qctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("workshop notifier: check", "err", err)
		}
		return
	}
	for id, seq := range seqs {
		_ = n.hub.Publish(ctx, id, seq)
	}
}
