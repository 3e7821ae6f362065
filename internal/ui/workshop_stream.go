package ui

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/workshop"
)

// Stream timing: a comment every 15 s keeps proxies with 60 s idle
// timeouts from cutting a quiet stream; a write that takes longer than
// 10 s means a stalled client, which is cut and resumes later.
var (
	streamKeepalive    = 15 * time.Second // a variable, so a test can wait less
	streamWriteTimeout = 10 * time.Second
)

const streamReplayPage = 500

// stream sends the workshop's events as server-sent events: first those
// after Last-Event-ID (or ?since=, the sequence the page was rendered at),
// then new ones as they commit, each once and in order, with id: seq so
// the browser resumes where it left off. It ends when the participant is
// removed, when the client lags too far (it reconnects and replays), and
// when the request ends.
func (wp *workshopPages) stream(w http.ResponseWriter, r *http.Request) {
	p, err := wp.participant(r)
	if err != nil {
		// EventSource gives up on a non-200 answer, which is right here.
		wp.plainError(w, r, err)
		return
	}
	since, err := streamStart(r)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	done, ok := wp.openStream(p)
	if !ok {
		wp.plainError(w, r, errs.E(errs.TooMany, "workshop.too_many_streams"))
		return
	}
	defer done()
	ctx := r.Context()
	// Watch before reading the log, so nothing commits unseen in between.
	watch, err := wp.svc.Watch(ctx, p)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	defer watch.Close()
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would end the stream; each write gets its
	// own deadline instead.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		wp.log.Warn("workshop stream: write deadline", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	s := &sseWriter{dst: w, rc: rc, p: p, last: since}
	defer s.release()
	s.raw("retry: 2000\n\n")
	if err := wp.replay(ctx, s); err != nil || s.removed {
		s.flush()
		return
	}
	if err := s.flush(); err != nil {
		return
	}
	tick := time.NewTicker(streamKeepalive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.raw(": keepalive\n\n")
		case ev, ok := <-watch.C:
			if !ok {
				return // lagged and dropped: the client reconnects and replays
			}
			if err := wp.send(ctx, s, ev); err != nil {
				return
			}
			// Everything already waiting goes out with one flush.
		drain:
			for !s.removed {
				select {
				case ev, ok := <-watch.C:
					if !ok {
						s.flush()
						return
					}
					if err := wp.send(ctx, s, ev); err != nil {
						return
					}
				default:
					break drain
				}
			}
		}
		if err := s.flush(); err != nil || s.removed {
			return
		}
	}
}

// streamStart reads where to resume: Last-Event-ID (sent by the browser on
// reconnect) before ?since= (the page's sequence on the first connect).
func streamStart(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("since")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.E(errs.Invalid, "workshop.bad_event_id")
	}
	return n, nil
}

// replay sends the stored events after s.last. An id beyond the log (a
// client from before a restore, or a forged one) starts over from 1 after
// a reset event, so the client rebuilds its board instead of waiting.
func (wp *workshopPages) replay(ctx context.Context, s *sseWriter) error {
	for {
		evs, err := wp.svc.Events(ctx, s.p, s.last, streamReplayPage)
		if err != nil {
			return err
		}
		if len(evs) == 0 && s.last > 0 {
			seq, err := wp.svc.LastSeq(ctx, s.p)
			if err != nil {
				return err
			}
			if s.last > seq {
				s.raw("event: reset\ndata: {}\n\n")
				s.last = 0
				continue
			}
		}
		for _, ev := range evs {
			if err := s.event(ev); err != nil || s.removed {
				return err
			}
		}
		if len(evs) < streamReplayPage {
			return nil
		}
		if err := s.flush(); err != nil {
			return err
		}
	}
}

// send writes a live event, first filling any gap from the store.
func (wp *workshopPages) send(ctx context.Context, s *sseWriter, ev *workshop.Event) error {
	if ev.Seq <= s.last {
		return nil // already sent by the replay
	}
	if ev.Seq > s.last+1 {
		if err := wp.replay(ctx, s); err != nil || s.removed {
			return err
		}
		if ev.Seq <= s.last {
			return nil
		}
	}
	return s.event(ev)
}

// sseBuffers lend streams a write buffer only while they write: an idle
// stream, which is most of them most of the time, holds none (8 KiB less
// per connection).
var sseBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 8<<10) }}

// sseWriter writes one stream's frames; the handler goroutine is its only user.
type sseWriter struct {
	dst     io.Writer
	w       *bufio.Writer // borrowed from sseBuffers between writes and flush
	rc      *http.ResponseController
	p       *workshop.Participant
	last    int64
	removed bool
	err     error
}

// buf borrows a buffer for the writes up to the next flush. A batch that
// outgrows it writes through to the connection before the flush, so the
// batch's write deadline starts here, not at the flush: a deadline left
// from the last flush may have passed while the stream was idle.
func (s *sseWriter) buf() *bufio.Writer {
	if s.w == nil {
		_ = s.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		s.w = sseBuffers.Get().(*bufio.Writer)
		s.w.Reset(s.dst)
	}
	return s.w
}

// release returns the buffer, dropping anything unflushed.
func (s *sseWriter) release() {
	if s.w != nil {
		s.w.Reset(nil)
		sseBuffers.Put(s.w)
		s.w = nil
	}
}

func (s *sseWriter) raw(v string) {
	if s.err == nil {
		_, s.err = s.buf().WriteString(v)
	}
}

// event writes one event as the participant may see it.
func (s *sseWriter) event(ev *workshop.Event) error {
	s.raw("id: ")
	s.raw(strconv.FormatInt(ev.Seq, 10))
	s.raw("\ndata: ")
	if s.err == nil {
		_, s.err = s.buf().Write(ev.JSON(workshop.AudienceOf(s.p, ev.ParticipantID)))
	}
	s.raw("\n\n")
	s.last = ev.Seq
	if ev.Removes(s.p.ID) {
		s.removed = true
	}
	return s.err
}

// flush sends what is buffered, within the write timeout of the batch.
func (s *sseWriter) flush() error {
	if s.err != nil {
		return s.err
	}
	if s.w == nil {
		return nil // nothing written since the last flush
	}
	// The deadline set when the buffer was borrowed covers the flush.
	if s.err = s.w.Flush(); s.err == nil {
		s.err = s.rc.Flush()
	}
	s.release()
	return s.err
}

// plainError answers a stream or JSON request that failed before it began.
func (wp *workshopPages) plainError(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	if e.Kind == errs.Internal {
		wp.log.Error("workshop request failed", "path", r.URL.Path, "err", err)
	}
	wsWriteError(w, wp.tr(r), statusOf(e.Kind), e)
}
