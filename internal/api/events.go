package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// eventsAPI serves the network's events and their registrations.
type eventsAPI struct {
	*Server
	svc *event.Service
}

// Events returns the events' API over svc.
func (s *Server) Events(svc *event.Service) route.Area { return &eventsAPI{Server: s, svc: svc} }

// Register adds the events' API to t; the domain checks each event's
// audience and hosts.
func (s *eventsAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/events", s.h(s.listEvents))
	t.Handle(U, "POST /api/v1/events", s.h(s.createEvent))
	t.Handle(P, "GET /api/v1/events/{id}", s.h(s.getEvent))
	t.Handle(U, "PUT /api/v1/events/{id}", s.h(s.updateEvent))
	t.Handle(U, "DELETE /api/v1/events/{id}", s.h(s.deleteEvent))
	t.Handle(U, "GET /api/v1/events/{id}/registrations", s.h(s.listRegistrations))
	t.Handle(U, "POST /api/v1/events/{id}/registrations", s.h(s.register))
	t.Handle(U, "DELETE /api/v1/events/{id}/registrations/me", s.h(s.cancel))
	t.Handle(U, "POST /api/v1/events/{id}/hosts", s.h(s.inviteHost))
	t.Handle(U, "POST /api/v1/events/{id}/hosts/{org}/confirm", s.h(s.confirmHost))
	t.Handle(U, "DELETE /api/v1/events/{id}/hosts/{org}", s.h(s.removeHost))
}

// EventHost is a hosting organisation.
type EventHost struct {
	OrganizationID int64  `json:"organization_id"`
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	Confirmed      bool   `json:"confirmed"`
}

// EventLink is a work or workshop of an event.
type EventLink struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

// Event is an event as the API shows it. Times are RFC 3339 in UTC;
// date_precision says how much of the date is known.
type Event struct {
	ID            int64          `json:"id"`
	Title         string         `json:"title"`
	Description   string         `json:"description"`
	Start         time.Time      `json:"start"`
	End           time.Time      `json:"end"`
	AllDay        bool           `json:"all_day"`
	DatePrecision string         `json:"date_precision"`
	Place         string         `json:"place"`
	OnlineURL     string         `json:"online_url"`
	Audience      event.Audience `json:"audience"`
	Capacity      int            `json:"capacity"`
	Registration  bool           `json:"registration"`
	Registered    int            `json:"registered"`
	Waiting       int            `json:"waiting"`
	Example       bool           `json:"example"`
	Source        string         `json:"source,omitempty"`
	Hosts         []EventHost    `json:"hosts"`
	Links         []EventLink    `json:"links"`
	URL           string         `json:"url"`
	ICalURL       string         `json:"ical_url,omitempty"`
}

func (s *eventsAPI) eventOut(e *event.Event) Event {
	out := Event{ID: e.ID, Title: e.Title, Description: e.Description, Start: e.StartsAt, End: e.EndsAt, AllDay: e.AllDay,
		DatePrecision: string(e.Precision), Place: e.Place, OnlineURL: e.OnlineURL, Audience: e.Audience, Capacity: e.Capacity,
		Registration: e.Registration, Registered: e.Registered, Waiting: e.Waiting, Example: e.Example, Source: e.Source,
		Hosts: []EventHost{}, Links: []EventLink{}, URL: s.baseURL + paths.Event(e.ID)}
	if out.DatePrecision == "" {
		out.DatePrecision = "exact"
		out.ICalURL = s.baseURL + paths.EventICal(e.ID)
	}
	for _, h := range e.Hosts {
		out.Hosts = append(out.Hosts, EventHost{OrganizationID: h.OrganisationID, Slug: h.Slug, Name: h.Name, Confirmed: h.Confirmed})
	}
	for _, l := range e.Links {
		out.Links = append(out.Links, EventLink{Kind: l.Kind, ID: l.RefID})
	}
	return out
}

// listEvents: upcoming (soonest first) or, with past=1, ended (newest
// first); from/to (RFC 3339 or YYYY-MM-DD) bound the window; organization
// narrows to one host; cursor is the previous page's next.
func (s *eventsAPI) listEvents(w http.ResponseWriter, r *http.Request) error {
	qv := r.URL.Query()
	q := event.ListQuery{Past: qv.Get("past") == "1" || qv.Get("past") == "true"}
	now := s.svc.Now()
	f := errs.Fields{}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		if v := qv.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				var ok bool
				if t, ok = event.ParseLocal(v, ""); !ok {
					f[p.name] = "error.invalid"
				}
			}
			*p.dst = t
		}
	}
	if q.From.IsZero() && q.To.IsZero() {
		if q.Past {
			q.To = now
		} else {
			q.From = now
		}
	}
	if v := qv.Get("organization"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			f["organization"] = "error.invalid"
		}
		q.OrganisationID = id
	}
	limit, bad := readLimit(qv)
	if bad != "" {
		f["limit"] = bad
	}
	if v := qv.Get("cursor"); v != "" {
		var ok bool
		if q.AfterStart, q.AfterID, ok = event.ParseCursor(v); !ok {
			f["cursor"] = "error.invalid"
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	q.Limit = limit + 1
	evs, err := s.svc.List(r.Context(), account.ActorFrom(r.Context()), q)
	if err != nil {
		return err
	}
	out := List[Event]{Items: []Event{}}
	evs, out.Next = trimPage(evs, limit, event.Cursor)
	for i := range evs {
		out.Items = append(out.Items, s.eventOut(&evs[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// EventInput is a new or changed event. Times are RFC 3339; for an
// all-day event start and end are the first and last day (YYYY-MM-DD).
type EventInput struct {
	OrganizationID int64          `json:"organization_id"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Start          string         `json:"start"`
	End            string         `json:"end"`
	AllDay         bool           `json:"all_day"`
	Place          string         `json:"place"`
	OnlineURL      string         `json:"online_url"`
	Audience       event.Audience `json:"audience"`
	Capacity       int            `json:"capacity"`
	Registration   bool           `json:"registration"`
	CoHosts        []int64        `json:"cohosts"`
	Links          []EventLink    `json:"links"`
}

func (in *EventInput) event() (*event.Event, error) {
	e := &event.Event{OrganisationID: in.OrganizationID, Title: in.Title, Description: in.Description, AllDay: in.AllDay,
		Place: in.Place, OnlineURL: in.OnlineURL, Audience: in.Audience, Capacity: in.Capacity, Registration: in.Registration}
	f := errs.Fields{}
	parse := func(v, field string, end bool) time.Time {
		if v == "" {
			return time.Time{}
		}
		if in.AllDay {
			d, ok := event.ParseLocal(v, "")
			if !ok {
				f[field] = "event.date_invalid"
			} else if end {
				d = d.AddDate(0, 0, 1)
			}
			return d
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			f[field] = "event.date_invalid"
		}
		return t
	}
	e.StartsAt, e.EndsAt = parse(in.Start, "start", false), parse(in.End, "end", true)
	for _, l := range in.Links {
		e.Links = append(e.Links, event.Link{Kind: l.Kind, RefID: l.ID})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *eventsAPI) createEvent(w http.ResponseWriter, r *http.Request) error {
	var in EventInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	e, err := in.event()
	if err != nil {
		return err
	}
	e, err = s.svc.Create(r.Context(), account.ActorFrom(r.Context()), e, in.CoHosts)
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL+"/api/v1/events/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, s.eventOut(e))
	return nil
}

func (s *eventsAPI) getEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.eventOut(e))
	return nil
}

// updateEvent replaces the event's fields; organization_id and cohosts
// are ignored (hosts change through /hosts).
func (s *eventsAPI) updateEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in EventInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	e, err := in.event()
	if err != nil {
		return err
	}
	e.ID = id
	if e, err = s.svc.Update(r.Context(), account.ActorFrom(r.Context()), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.eventOut(e))
	return nil
}

func (s *eventsAPI) deleteEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// EventRegistration is one registration; name and e-mail are shown to
// the hosts' editors only.
type EventRegistration struct {
	EventID  int64        `json:"event_id"`
	UserID   int64        `json:"user_id,omitempty"`
	Name     string       `json:"name,omitempty"`
	Email    string       `json:"email,omitempty"`
	Status   event.Status `json:"status"`
	Position int          `json:"position,omitempty"`
	Created  time.Time    `json:"created"`
}

func registrationOut(r *event.Registration, full bool) EventRegistration {
	out := EventRegistration{EventID: r.EventID, Status: r.Status, Position: r.Position, Created: r.CreatedAt}
	if full {
		out.UserID, out.Name, out.Email = r.UserID, r.UserName, r.UserEmail
	}
	return out
}

func (s *eventsAPI) listRegistrations(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	regs, err := s.svc.Registrations(r.Context(), account.ActorFrom(r.Context()), id, 0)
	if err != nil {
		return err
	}
	out := List[EventRegistration]{Items: []EventRegistration{}}
	for i := range regs {
		out.Items = append(out.Items, registrationOut(&regs[i], true))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// register registers the caller: 201 with status confirmed, or waiting
// with the place on the waiting list.
func (s *eventsAPI) register(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	reg, err := s.svc.Register(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, registrationOut(reg, false))
	return nil
}

func (s *eventsAPI) cancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Cancel(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// HostInput names an organisation to invite.
type HostInput struct {
	OrganizationID int64 `json:"organization_id"`
}

func (s *eventsAPI) inviteHost(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in HostInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	if err := s.svc.InviteHost(r.Context(), a, id, in.OrganizationID); err != nil {
		return err
	}
	return s.writeEvent(w, r, id, http.StatusCreated)
}

func (s *eventsAPI) confirmHost(w http.ResponseWriter, r *http.Request) error {
	id, org, err := eventAndOrg(r)
	if err != nil {
		return err
	}
	if err := s.svc.ConfirmHost(r.Context(), account.ActorFrom(r.Context()), id, org); err != nil {
		return err
	}
	return s.writeEvent(w, r, id, http.StatusOK)
}

func (s *eventsAPI) removeHost(w http.ResponseWriter, r *http.Request) error {
	id, org, err := eventAndOrg(r)
	if err != nil {
		return err
	}
	if err := s.svc.RemoveHost(r.Context(), account.ActorFrom(r.Context()), id, org); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *eventsAPI) writeEvent(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	e, err := s.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, s.eventOut(e))
	return nil
}

func eventAndOrg(r *http.Request) (int64, int64, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	org, err := httpx.ID(r, "org")
	return id, org, err
}
