package ui

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The projector link: a facilitator makes it (or a new one, which ends
// the old) and copies it to the room's PC, which then shows the projector
// view without anyone signed in; the facilitator can revoke it. The link
// is shown once, when made: only its hash is kept.

// projectorLinkPage shows a newly made projector link.
type projectorLinkPage struct {
	base
	WorkshopID int64
	Title      string
	Link       string
}

// newProjectorLink makes the workshop's projector link and shows it.
func (wp *workshopPages) newProjectorLink(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	token, err := wp.svc.NewProjectorLink(r.Context(), p)
	if err != nil {
		return err
	}
	b, err := wp.svc.Board(r.Context(), p)
	if err != nil {
		return err
	}
	pg := &projectorLinkPage{base: wp.base(r, "workshop.projector.link_title"), WorkshopID: p.WorkshopID,
		Title: b.Workshop.Title, Link: wp.cfg.BaseURL + "/projektor/" + url.PathEscape(token)}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	wp.render(w, r, http.StatusOK, "workshop_projector_link", pg)
	return nil
}

// revokeProjectorLink ends the workshop's projector link.
func (wp *workshopPages) revokeProjectorLink(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	if err := wp.svc.RevokeProjectorLink(r.Context(), p); err != nil {
		return err
	}
	wp.redirect(w, r, paths.Workshop(p.WorkshopID), "workshop.projector.link_revoked")
	return nil
}

// projectorRecheck is how often a projector link's stream asks whether
// its link still stands (on the next event after that long).
const projectorRecheck = 5 * time.Second

// linkedProjectorStream is a projector link's stream: each event's
// sequence number and kind only (projector.js then fetches the view).
// It ends soon after the link is revoked or replaced.
func (wp *workshopPages) linkedProjectorStream(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	pr, err := wp.svc.ProjectorByToken(r.Context(), token)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	since, err := live.Since(r)
	if err != nil {
		wp.plainError(w, r, errs.E(errs.Invalid, "workshop.bad_event_id"))
		return
	}
	done, ok := wp.openStream(&workshop.Participant{WorkshopID: pr.WorkshopID, ID: -1})
	if !ok {
		wp.plainError(w, r, errs.E(errs.TooMany, "workshop.too_many_streams"))
		return
	}
	defer done()
	watch, err := wp.svc.WatchProjector(r.Context(), pr)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	defer watch.Close()
	var mu sync.Mutex
	checked := time.Now()
	live.Stream[*workshop.Event]{Watch: watch, Since: since, Logger: wp.log,
		Data: func(ev *workshop.Event) ([]byte, bool) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(checked) > projectorRecheck {
				checked = time.Now()
				if _, err := wp.svc.ProjectorByToken(r.Context(), token); err != nil {
					return []byte(`{"seq":0,"kind":"projector.revoked"}`), true
				}
			}
			return workshop.ProjectorFrame(ev), false
		}}.Serve(w, r)
}
