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
	p, err := wp.participant(r)
	if err != nil {
		// EventSource gives up on a non-200 answer, which is right here.
		wp.plainError(w, r, err)
		return
	}
	since, err := live.Since(r)
	if err != nil {
		wp.plainError(w, r, errs.E(errs.Invalid, "workshop.bad_event_id"))
		return
	}
	done, ok := wp.openStream(p)
	if !ok {
		wp.plainError(w, r, errs.E(errs.TooMany, "workshop.too_many_streams"))
		return
	}
	defer done()
	// Watch before reading the log, so nothing commits unseen in between.
	watch, err := wp.svc.Watch(r.Context(), p)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	defer watch.Close()
	// What of group work p sees, followed through the events sent.
	view, err := wp.svc.Viewer(r.Context(), p)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	live.Stream[*workshop.Event]{Watch: watch, Since: since, Logger: wp.log,
		Data: func(ev *workshop.Event) ([]byte, bool) {
			return view.JSON(ev), ev.Removes(p.ID)
		}}.Serve(w, r)
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
