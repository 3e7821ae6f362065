package ui

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/workshop"
)

// stream sends the workshop's events as server-sent events (live.Stream:
// replay after Last-Event-ID or ?since=, then live, each once and in
// order), each as the participant may see it. It ends when the
// participant is removed, when the client lags too far (it reconnects
// and replays), and when the request ends.
func (wp *workshopPages) stream(w http.ResponseWriter, r *http.Request) {
	// The setup reads the database on a goroutine of its own (live.Apart),
	// so the stack the stream then waits on for hours stays small.
	st := live.Apart(func() *streamSetup { return wp.setupStream(w, r) })
	if st == nil {
		return
	}
	defer st.done()
	defer st.watch.Close()
	p, view := st.p, st.view
	live.Stream[*workshop.Event]{Watch: st.watch, Since: st.since, Logger: wp.log,
		Data: func(ev *workshop.Event) ([]byte, bool) {
			return view.JSON(ev), ev.Removes(p.ID)
		}}.Serve(w, r)
}

// streamSetup is what a stream follows, once set up.
type streamSetup struct {
	p     *workshop.Participant
	since int64
	done  func()
	watch *live.Watch[*workshop.Event]
	view  *workshop.Viewer
}

// setupStream finds the participant and starts watching, or answers the
// error and returns nil.
func (wp *workshopPages) setupStream(w http.ResponseWriter, r *http.Request) *streamSetup {
	p, err := wp.participant(r)
	if err != nil {
		// EventSource gives up on a non-200 answer, which is right here.
		wp.plainError(w, r, err)
		return nil
	}
	since, err := live.Since(r)
	if err != nil {
		wp.plainError(w, r, errs.E(errs.Invalid, "workshop.bad_event_id"))
		return nil
	}
	done, ok := wp.openStream(p)
	if !ok {
		wp.plainError(w, r, errs.E(errs.TooMany, "workshop.too_many_streams"))
		return nil
	}
	// Watch before reading the log, so nothing commits unseen in between.
	watch, err := wp.svc.Watch(r.Context(), p)
	if err != nil {
		done()
		wp.plainError(w, r, err)
		return nil
	}
	// What of group work p sees, followed through the events sent.
	view, err := wp.svc.Viewer(r.Context(), p, since)
	if err != nil {
		watch.Close()
		done()
		wp.plainError(w, r, err)
		return nil
	}
	return &streamSetup{p: p, since: since, done: done, watch: watch, view: view}
}

// plainError answers a stream or JSON request that failed before it began.
func (wp *workshopPages) plainError(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Gone(r) {
		httpx.Abandon(w, r, wp.log, err)
		return
	}
	e := errs.As(err)
	if e.Kind == errs.Internal {
		wp.log.Error("workshop request failed", "path", r.URL.Path, "err", err)
	}
	httpx.WriteError(w, wp.tr(r), e)
}
