package ui

import (
	"bytes"
	"net/http"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// The iCal files: one per event, a feed per organisation and one for the
// network. Each holds only what the caller may see (a calendar client
// without a session sees the public events); an internal event asked for
// by an outsider is 404, as its page.

// icalFeedMax bounds a feed: a year back and what is planned.
const icalFeedMax = 500

func (ep *eventPages) writeICal(w http.ResponseWriter, name, filename string, evs []event.Event, public bool) error {
	var buf bytes.Buffer
	if err := event.WriteICal(&buf, event.Calendar{Name: name, BaseURL: ep.cfg.BaseURL, Events: evs, Stamp: ep.svc.Now(), Path: paths.Event}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	if public {
		w.Header().Set("Cache-Control", "public, max-age=300")
	} else {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (ep *eventPages) eventICal(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	e, err := ep.svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !e.Calendarable() {
		return errs.E(errs.NotFound, "event.no_day")
	}
	return ep.writeICal(w, e.Title, "evenemang-"+r.PathValue("id")+".ics", []event.Event{*e}, e.Scope() == "public")
}

func (ep *eventPages) feed(r *http.Request, orgID int64) ([]event.Event, error) {
	return ep.svc.List(r.Context(), account.ActorFrom(r.Context()), event.ListQuery{OrganisationID: orgID, Calendar: true,
		From: ep.svc.Now().Add(-365 * 24 * time.Hour), Limit: icalFeedMax})
}

func (ep *eventPages) networkICal(w http.ResponseWriter, r *http.Request) error {
	evs, err := ep.feed(r, 0)
	if err != nil {
		return err
	}
	b := ep.base(r, "")
	w.Header().Set("Vary", "Cookie") // the calendar's name is in the chosen language
	return ep.writeICal(w, b.T("event.ical.network"), "framsyn.ics", evs, !b.Actor.SignedIn())
}

func (ep *eventPages) organisationICal(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	o, err := ep.cfg.Accounts.Organisation(r.Context(), a, httpx.Path(r, "slug"))
	if err != nil {
		return err
	}
	evs, err := ep.feed(r, o.ID)
	if err != nil {
		return err
	}
	return ep.writeICal(w, o.Name, o.Slug+".ics", evs, !a.SignedIn())
}
