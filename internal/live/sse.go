package live

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Stream timing: a comment every 15 s keeps proxies with 60 s idle
// timeouts from cutting a quiet stream; a batch that takes longer than 9–
// 10 s (see sseWriter.buf) means a stalled client, which is cut and
// resumes later.
const (
	DefaultKeepalive    = 15 * time.Second
	DefaultWriteTimeout = 10 * time.Second
)

// Reconnect timing: each stream tells its client to reconnect after a
// delay drawn in [RetryMin, RetryMax), so after a restart (or a crash,
// which sends nothing at the end) every client is back within RetryMax
// of the new server listening, and a thousand of them arrive spread over
// the window instead of at one instant. The delay is the browser's for
// every attempt; the board's script backs off by itself when attempts
// keep failing, so an ordinary network drop does not retry twice a
// second for long.
const (
	RetryMin = 50 * time.Millisecond
	RetryMax = 500 * time.Millisecond
)

// retryFrame is a stream's first frame: "retry: ms" with ms drawn in the window.
func retryFrame() string {
	ms := RetryMin.Milliseconds() + rand.Int64N((RetryMax - RetryMin).Milliseconds())
	return "retry: " + strconv.FormatInt(ms, 10) + "\n\n"
}

const replayPage = 500

// ErrBadEventID is Since's answer to an id that is not a sequence number.
var ErrBadEventID = errors.New("live: bad event id")

// Since reads where a stream resumes: Last-Event-ID (sent by the browser
// on reconnect) before ?since= (the page's sequence on the first connect);
// 0 when neither is set.
func Since(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("since")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, ErrBadEventID
	}
	return n, nil
}

// Stream is one client's server-sent event stream of a watched topic.
type Stream[E Event] struct {
	Watch *Watch[E] // begun before Serve, so nothing commits unseen
	Since int64     // the last seq the client has (see Since)
	// Data returns ev's data as this client may see it (one line of
	// JSON), and whether the stream ends after it (the client was removed).
	Data func(ev E) (data []byte, end bool)

	Keepalive    time.Duration // DefaultKeepalive when 0
	WriteTimeout time.Duration // DefaultWriteTimeout when 0
	Logger       *slog.Logger
}

// Serve sends the topic's events as server-sent events: first those after
// Since, then new ones as they commit, each once and in order, with
// id: seq so the browser resumes where it left off. It returns when Data
// ends the stream, when the watch is dropped (the client lagged; it
// reconnects and replays) or closed, when a write fails or stalls, and
// when the request ends. The caller has checked the client may follow
// the topic; Serve writes the 200 and everything after.
func (s Stream[E]) Serve(w http.ResponseWriter, r *http.Request) {
	// The stream waits in follow for most of its life, on the handler's
	// goroutine below every middleware; Serve and follow keep their
	// frames small (the setup lives in begin), as the stack's size
	// follows the depth of that wait.
	if sw := Apart(func() *sseWriter { return s.begin(w, r) }); sw.err == nil && !sw.ended {
		s.follow(r.Context(), sw)
	}
}

// Apart runs fn on a goroutine of its own and returns its result, for a
// long-lived handler's setup: the database calls of a stream's setup grow
// a stack to 16 KiB or more, and a stack keeps that size while its
// goroutine waits on it for hours (a stream's handler); a goroutine that
// has ended gives its stack back.
func Apart[T any](fn func() T) T {
	var v T
	done := make(chan struct{})
	go func() {
		defer close(done)
		v = fn()
	}()
	<-done
	return v
}

// begin writes the 200, the retry and the replay.
func (s *Stream[E]) begin(w http.ResponseWriter, r *http.Request) *sseWriter {
	if s.Keepalive <= 0 {
		s.Keepalive = DefaultKeepalive
	}
	if s.WriteTimeout <= 0 {
		s.WriteTimeout = DefaultWriteTimeout
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would end the stream; the writes get
	// deadlines of their own instead.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.Logger.Warn("live stream: write deadline", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	sw := &sseWriter{dst: w, rc: rc, timeout: s.WriteTimeout, last: s.Since}
	sw.raw([]byte(retryFrame()))
	err := s.replay(r.Context(), sw)
	sw.flush() // what was replayed before any error
	if sw.err == nil {
		sw.err = err
	}
	return sw
}

// follow sends events as they come until the stream ends.
func (s *Stream[E]) follow(ctx context.Context, sw *sseWriter) {
	tick := time.NewTicker(s.Keepalive)
	defer tick.Stop()
	c := s.Watch.C
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			sw.raw(keepaliveFrame)
		case ev, ok := <-c:
			if !ok {
				return // lagged and dropped: the client reconnects and replays
			}
			if !s.batch(ctx, sw, ev) {
				return
			}
		}
		if err := sw.flush(); err != nil || sw.ended {
			return
		}
	}
}

// batch writes ev and everything already waiting behind it, for one
// flush; it reports false when the stream ends now.
func (s *Stream[E]) batch(ctx context.Context, sw *sseWriter, ev E) bool {
	if err := s.send(ctx, sw, ev); err != nil {
		return false
	}
	for !sw.ended {
		select {
		case ev, ok := <-s.Watch.C:
			if !ok {
				sw.flush()
				return false
			}
			if err := s.send(ctx, sw, ev); err != nil {
				return false
			}
		default:
			return true
		}
	}
	return true
}

// replay sends the logged events after sw.last. An id beyond the log (a
// client from before a restore, or a forged one) starts over from 1 after
// a reset event, so the client rebuilds its state instead of waiting.
func (s *Stream[E]) replay(ctx context.Context, sw *sseWriter) error {
	if evs, ok := s.Watch.held(sw.last); ok {
		for _, ev := range evs {
			if err := s.event(sw, ev); err != nil || sw.ended {
				return err
			}
		}
		return nil
	}
	log, t := s.Watch.r.log, s.Watch.Topic
	for {
		evs, err := log.Events(ctx, t, sw.last, replayPage)
		if err != nil {
			return err
		}
		if len(evs) == 0 && sw.last > 0 {
			seq, err := log.LastSeq(ctx, t)
			if err != nil {
				return err
			}
			if sw.last > seq {
				sw.raw(resetFrame)
				sw.last = 0
				continue
			}
		}
		for _, ev := range evs {
			if err := s.event(sw, ev); err != nil || sw.ended {
				return err
			}
		}
		if len(evs) < replayPage {
			return nil
		}
		if err := sw.flush(); err != nil {
			return err
		}
	}
}

// send writes a live event, first filling any gap from the log.
func (s *Stream[E]) send(ctx context.Context, sw *sseWriter, ev E) error {
	seq := ev.LogSeq()
	if seq <= sw.last {
		return nil // already sent by the replay
	}
	if seq > sw.last+1 {
		if err := s.replay(ctx, sw); err != nil || sw.ended {
			return err
		}
		if seq <= sw.last {
			return nil
		}
	}
	return s.event(sw, ev)
}

func (s *Stream[E]) event(sw *sseWriter, ev E) error {
	data, end := s.Data(ev)
	return sw.event(ev.LogSeq(), data, end)
}

// sseWriter writes one stream's frames; the handler goroutine is its only
// user. It writes straight to the response, whose own buffer (net/http's,
// held by every response anyway) gathers a batch for one flush, as a bare
// broadcast loop does: no buffer of ours to borrow, copy through and
// return per batch, and no allocation per event.
type sseWriter struct {
	dst      io.Writer
	rc       *http.ResponseController
	timeout  time.Duration
	deadline time.Time // of the connection's writes, as last set
	open     bool      // written to since the last flush
	head     [32]byte  // an event's "id: seq\ndata: ", built in place
	last     int64
	ended    bool
	err      error
}

// begin opens a batch: the writes up to the next flush. A batch that
// outgrows the response's buffer writes through to the connection before
// the flush, so the batch's write deadline is checked here, not at the
// flush: a deadline left from the last flush may have passed while the
// stream was idle. The deadline moves only once a tenth of the timeout
// has passed, so a batch has at least nine tenths of it to go out, and a
// busy stream does not pay for a deadline (a timer change on the
// connection, reached through every middleware's writer: a tenth of the
// fan-out's CPU) on each of its many small batches, but once a second at
// most.
func (s *sseWriter) begin() {
	if !s.open {
		s.open = true
		if now := time.Now(); s.deadline.Sub(now) < s.timeout*9/10 {
			s.deadline = now.Add(s.timeout)
			_ = s.rc.SetWriteDeadline(s.deadline)
		}
	}
}

// Frames as bytes: the middleware's writers have no WriteString, and a
// string written to them is copied into a new slice each time.
var (
	keepaliveFrame = []byte(": keepalive\n\n")
	resetFrame     = []byte("event: reset\ndata: {}\n\n")
	frameEnd       = []byte("\n\n")
)

func (s *sseWriter) raw(b []byte) {
	if s.err == nil {
		s.begin()
		_, s.err = s.dst.Write(b)
	}
}

// event writes one event; end marks the stream's last.
func (s *sseWriter) event(seq int64, data []byte, end bool) error {
	if s.err == nil {
		s.begin()
		head := append(strconv.AppendInt(append(s.head[:0], "id: "...), seq, 10), "\ndata: "...)
		if _, s.err = s.dst.Write(head); s.err == nil {
			if _, s.err = s.dst.Write(data); s.err == nil {
				_, s.err = s.dst.Write(frameEnd)
			}
		}
	}
	s.last = seq
	if end {
		s.ended = true
	}
	return s.err
}

// flush sends the batch, within the write deadline begin checked.
func (s *sseWriter) flush() error {
	if s.err != nil || !s.open {
		return s.err // nothing written since the last flush
	}
	s.open = false
	s.err = s.rc.Flush()
	return s.err
}
