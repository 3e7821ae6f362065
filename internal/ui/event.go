package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// eventPages serve the network's events: the list, the month view, an
// event with registration, the forms, and the iCal files.
type eventPages struct {
	*Server
	svc      *event.Service
	comments *comment.Service // nil: no comments
}

// Events returns the events' pages over svc, with comments from comments.
func (s *Server) Events(svc *event.Service, comments *comment.Service) route.Area {
	return &eventPages{Server: s, svc: svc, comments: comments}
}

// Register adds the events' pages to t. Reading is public and the domain
// applies each event's audience; writing needs an account.
func (ep *eventPages) Register(t *route.Table) {
	s, P, U := ep.Server, route.Public, route.SignedIn
	t.Handle(P, "GET /evenemang", s.h(ep.listEvents))
	t.Handle(P, "GET /evenemang/manad", s.h(ep.showMonth))
	t.Handle(P, "GET /evenemang/kalender.ics", s.h(ep.networkICal))
	t.Handle(U, "GET /evenemang/ny", s.h(ep.showNewEvent))
	t.Handle(U, "POST /evenemang", s.h(ep.createEvent))
	t.Handle(P, "GET /evenemang/{id}", s.h(ep.showEvent))
	t.Handle(P, "GET /evenemang/{id}/kalender.ics", s.h(ep.eventICal))
	t.Handle(U, "GET /evenemang/{id}/redigera", s.h(ep.showEditEvent))
	t.Handle(U, "POST /evenemang/{id}", s.h(ep.updateEvent))
	t.Handle(U, "POST /evenemang/{id}/ta-bort", s.h(ep.deleteEvent))
	t.Handle(U, "POST /evenemang/{id}/anmalan", s.h(ep.register))
	t.Handle(U, "POST /evenemang/{id}/anmalan/ta-bort", s.h(ep.cancel))
	t.Handle(U, "POST /evenemang/{id}/vardar", s.h(ep.inviteHost))
	t.Handle(U, "POST /evenemang/{id}/vardar/{org}/bekrafta", s.h(ep.confirmHost))
	t.Handle(U, "POST /evenemang/{id}/vardar/{org}/ta-bort", s.h(ep.removeHost))
	t.Handle(P, "GET /organisationer/{slug}/evenemang.ics", s.h(ep.organisationICal))
}

// eventsPerPage bounds the list.
const eventsPerPage = 30

// eventView is an event with what a page says about it.
type eventView struct {
	event.Event
	b *base // the page, whose translator formats
}

// When is the event's date and time in Stockholm, as precise as known.
func (v eventView) When() string { return eventWhen(v.b, &v.Event) }

// Path is the event's page.
func (v eventView) Path() string { return paths.Event(v.ID) }

// ICal is the event's iCal file, or "" when its day is not known.
func (v eventView) ICal() string {
	if !v.Calendarable() {
		return ""
	}
	return paths.EventICal(v.ID)
}

// Start is the start as an HTML datetime value.
func (v eventView) Start() string {
	if v.Precision != event.Exact {
		return v.LocalStart().Format("2006-01")
	}
	if v.AllDay {
		return v.LocalStart().Format("2006-01-02")
	}
	return v.LocalStart().Format("2006-01-02T15:04-07:00")
}

// Full reports whether all places are taken.
func (v eventView) Full() bool { return v.Event.Full() }

// Places is what is left, for the page: "12 av 80 platser kvar".
func (v eventView) Places() string {
	if v.Capacity == 0 {
		return v.b.T("event.places_unlimited", v.Registered)
	}
	return v.b.T("event.places_left", max(v.Capacity-v.Registered, 0), v.Capacity)
}

// eventWhen formats an event's time for people: "19 maj 2020 13:00–15:30",
// "24–26 oktober 2026", "november 2017", "januari (år okänt)".
func eventWhen(b *base, e *event.Event) string {
	month := func(t time.Time) string { return b.T("month." + strconv.Itoa(int(t.Month()))) }
	s, t := e.LocalStart(), e.LocalEnd()
	day := func(x time.Time) string { return b.DateText(x, library.DateDay) }
	switch e.Precision {
	case event.Month:
		return b.DateText(s, library.DateMonth)
	case event.NoYear:
		return b.T("event.month_no_year", month(s))
	}
	switch {
	case e.AllDay && !e.MultiDay():
		return day(s)
	case e.AllDay:
		if s.Year() == t.Year() && s.Month() == t.Month() {
			return strconv.Itoa(s.Day()) + "–" + day(t)
		}
		return day(s) + " – " + day(t)
	case !e.MultiDay():
		return day(s) + " " + s.Format("15:04") + "–" + t.Format("15:04")
	}
	return day(s) + " " + s.Format("15:04") + " – " + day(t) + " " + t.Format("15:04")
}

type eventListPage struct {
	base
	Events   []eventView
	Past     bool
	NextURL  string
	MonthURL string
	ICalURL  string
	CanMake  bool
}

func (ep *eventPages) listEvents(w http.ResponseWriter, r *http.Request) error {
	p := &eventListPage{base: ep.base(r, "event.list.title"), Past: r.URL.Query().Get("tidigare") == "1",
		ICalURL: paths.EventsICal()}
	now := ep.svc.Now()
	p.MonthURL = paths.EventsMonth(now.In(event.Stockholm).Format("2006-01"))
	p.CanMake = len(creatableOrgs(p.Actor)) > 0 || p.Actor.IsAdmin()
	q := event.ListQuery{Past: p.Past, Limit: eventsPerPage + 1}
	if p.Past {
		q.To = now
	} else {
		q.From = now
	}
	if v := r.URL.Query().Get("efter"); v != "" {
		var ok bool
		if q.AfterStart, q.AfterID, ok = event.ParseCursor(v); !ok {
			return errs.E(errs.NotFound, "error.not_found")
		}
	}
	evs, err := ep.svc.List(r.Context(), p.Actor, q)
	if err != nil {
		return err
	}
	if len(evs) > eventsPerPage {
		evs = evs[:eventsPerPage]
		p.NextURL = paths.Events() + "?efter=" + event.Cursor(&evs[len(evs)-1])
		if p.Past {
			p.NextURL += "&tidigare=1"
		}
	}
	p.Events = ep.views(&p.base, evs)
	ep.render(w, r, http.StatusOK, "events", p)
	return nil
}

func (ep *eventPages) views(b *base, evs []event.Event) []eventView {
	out := make([]eventView, len(evs))
	for i := range evs {
		out[i] = eventView{Event: evs[i], b: b}
	}
	return out
}

// creatableOrgs are the organisations a may create events for.
func creatableOrgs(a *account.Actor) []account.Membership {
	var out []account.Membership
	if !a.SignedIn() {
		return nil
	}
	for _, m := range a.Memberships {
		if event.CanCreate(a, m.OrganisationID) {
			out = append(out, m)
		}
	}
	return out
}

// monthPage is a month of events as a calendar table, Monday first.
type monthPage struct {
	base
	Month     time.Time
	Label     string
	Weeks     [][]monthDay
	Undated   []eventView // events known only by their month
	PrevURL   string
	NextURL   string
	Weekdays  []string
	ListURL   string
	Truncated bool
}

type monthDay struct {
	Day    int // 0: a day of another month
	Date   string
	Events []eventView
}

// monthMax bounds the events one month shows.
const monthMax = 200

func (ep *eventPages) showMonth(w http.ResponseWriter, r *http.Request) error {
	month := r.URL.Query().Get("m")
	if month == "" {
		month = ep.svc.Now().In(event.Stockholm).Format("2006-01")
	}
	m, err := time.ParseInLocation("2006-01", month, event.Stockholm)
	if err != nil || m.Year() < 1900 || m.Year() > 2200 {
		return errs.E(errs.NotFound, "error.not_found")
	}
	p := &monthPage{base: ep.base(r, "event.month.title"), Month: m, ListURL: paths.Events(),
		PrevURL: paths.EventsMonth(m.AddDate(0, -1, 0).Format("2006-01")), NextURL: paths.EventsMonth(m.AddDate(0, 1, 0).Format("2006-01"))}
	p.Label = p.DateText(m, library.DateMonth)
	p.Title = p.Label
	for i := 1; i <= 7; i++ {
		p.Weekdays = append(p.Weekdays, p.T("weekday."+strconv.Itoa(i)))
	}
	end := m.AddDate(0, 1, 0)
	evs, err := ep.svc.List(r.Context(), p.Actor, event.ListQuery{From: m, To: end, Limit: monthMax + 1})
	if err != nil {
		return err
	}
	if len(evs) > monthMax {
		evs, p.Truncated = evs[:monthMax], true
	}
	// Monday of the first week.
	first := m.AddDate(0, 0, -((int(m.Weekday()) + 6) % 7))
	for d := first; d.Before(end); {
		var week []monthDay
		for i := 0; i < 7; i++ {
			md := monthDay{}
			if d.Month() == m.Month() {
				md.Day, md.Date = d.Day(), d.Format("2006-01-02")
				next := d.AddDate(0, 0, 1)
				for _, e := range evs {
					if e.Precision == event.Exact && e.StartsAt.Before(next) && e.EndsAt.After(d) {
						md.Events = append(md.Events, eventView{Event: e, b: &p.base})
					}
				}
			}
			week = append(week, md)
			d = d.AddDate(0, 0, 1)
		}
		p.Weeks = append(p.Weeks, week)
	}
	for _, e := range evs {
		if e.Precision != event.Exact {
			p.Undated = append(p.Undated, eventView{Event: e, b: &p.base})
		}
	}
	ep.render(w, r, http.StatusOK, "events_month", p)
	return nil
}

// eventPage is one event: when, where, who hosts it, registration, and
// for its editors the registrations and the co-hosts.
type eventPage struct {
	base
	E            eventView
	Mine         *event.Registration
	CanEdit      bool
	CanInvite    bool
	Confirmable  []event.Host // invitations the actor may confirm
	Registrants  []event.Registration
	Works        []library.Work
	Workshops    []int64
	OtherOrgs    []account.Organisation // that may be invited
	Past         bool
	CanRegister  bool
	SignInToJoin string
	Comments     *commentsView
}

func (ep *eventPages) eventPage(r *http.Request) (*eventPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &eventPage{base: ep.base(r, "")}
	ctx := r.Context()
	e, err := ep.svc.Get(ctx, p.Actor, id)
	if err != nil {
		return nil, err
	}
	p.Title = e.Title
	p.E = eventView{Event: *e, b: &p.base}
	p.Past = e.Past(ep.svc.Now())
	p.CanEdit, p.CanInvite = event.CanEdit(p.Actor, e), event.CanInvite(p.Actor, e)
	p.CanRegister = e.Registration && !p.Past
	p.SignInToJoin = "/logga-in?return=" + paths.Event(e.ID)
	for _, h := range e.CoHosts() {
		if !h.Confirmed && event.CanConfirm(p.Actor, h.OrganisationID) {
			p.Confirmable = append(p.Confirmable, h)
		}
	}
	if p.Comments, err = loadComments(r, ep.comments, &p.base, event.Kind, e.ID); err != nil {
		return nil, err
	}
	if p.Mine, err = ep.svc.MyRegistration(ctx, p.Actor, e); err != nil {
		return nil, err
	}
	if p.CanEdit {
		if p.Registrants, err = ep.svc.Registrations(ctx, p.Actor, e.ID, 0); err != nil {
			return nil, err
		}
	}
	var workIDs []int64
	for _, l := range e.Links {
		switch l.Kind {
		case event.LinkWork:
			workIDs = append(workIDs, l.RefID)
		case event.LinkWorkshop:
			p.Workshops = append(p.Workshops, l.RefID)
		}
	}
	if len(workIDs) > 0 {
		if p.Works, err = ep.cfg.Library.Visible(ctx, p.Actor, workIDs); err != nil {
			return nil, err
		}
	}
	if p.CanInvite {
		orgs, err := ep.cfg.Accounts.Organisations(ctx, p.Actor, account.OrgFilter{})
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if !isHost(e, o.ID) {
				p.OtherOrgs = append(p.OtherOrgs, o)
			}
		}
		sortByName(p.OtherOrgs)
	}
	return p, nil
}

func isHost(e *event.Event, orgID int64) bool {
	for _, h := range e.Hosts {
		if h.OrganisationID == orgID {
			return true
		}
	}
	return false
}

func (ep *eventPages) showEvent(w http.ResponseWriter, r *http.Request) error {
	p, err := ep.eventPage(r)
	if err != nil {
		return err
	}
	ep.render(w, r, http.StatusOK, "event", p)
	return nil
}

// eventAction runs fn on the event {id} and redirects to its page with
// the flash fn returns.
func (ep *eventPages) eventAction(fn func(r *http.Request, a *account.Actor, id int64) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.ID(r, "id")
		if err != nil {
			return err
		}
		flash, err := fn(r, account.ActorFrom(r.Context()), id)
		if err != nil {
			if e := errs.As(err); e.Kind == errs.Invalid || e.Kind == errs.Conflict {
				// Show the event again with the message, nothing changed.
				p, perr := ep.eventPage(r)
				if perr != nil {
					return perr
				}
				p.Error = e.Key
				if e.Key == "" || len(e.Fields) > 0 {
					for _, k := range e.Fields {
						p.Error = k
					}
				}
				ep.render(w, r, httpx.Status(e.Kind), "event", p)
				return nil
			}
			return err
		}
		ep.redirect(w, r, paths.Event(id), flash)
		return nil
	}
}

func (ep *eventPages) register(w http.ResponseWriter, r *http.Request) error {
	return ep.eventAction(func(r *http.Request, a *account.Actor, id int64) (string, error) {
		reg, err := ep.svc.Register(r.Context(), a, id)
		if err != nil {
			return "", err
		}
		if reg.Status == event.Waiting {
			return "event.registered_waiting", nil
		}
		return "event.registered", nil
	})(w, r)
}

func (ep *eventPages) cancel(w http.ResponseWriter, r *http.Request) error {
	return ep.eventAction(func(r *http.Request, a *account.Actor, id int64) (string, error) {
		_, err := ep.svc.Cancel(r.Context(), a, id)
		return "event.cancelled", err
	})(w, r)
}

func (ep *eventPages) inviteHost(w http.ResponseWriter, r *http.Request) error {
	return ep.eventAction(func(r *http.Request, a *account.Actor, id int64) (string, error) {
		org, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("organisation")), 10, 64)
		if err != nil {
			return "", errs.Fields{"organisation": "event.cohost_invalid"}.Err()
		}
		return "event.host_invited", ep.svc.InviteHost(r.Context(), a, id, org)
	})(w, r)
}

func (ep *eventPages) confirmHost(w http.ResponseWriter, r *http.Request) error {
	return ep.eventAction(func(r *http.Request, a *account.Actor, id int64) (string, error) {
		org, err := httpx.ID(r, "org")
		if err != nil {
			return "", err
		}
		return "event.host_confirmed", ep.svc.ConfirmHost(r.Context(), a, id, org)
	})(w, r)
}

func (ep *eventPages) removeHost(w http.ResponseWriter, r *http.Request) error {
	return ep.eventAction(func(r *http.Request, a *account.Actor, id int64) (string, error) {
		org, err := httpx.ID(r, "org")
		if err != nil {
			return "", err
		}
		return "event.host_removed", ep.svc.RemoveHost(r.Context(), a, id, org)
	})(w, r)
}

func (ep *eventPages) deleteEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := ep.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	ep.redirect(w, r, paths.Events(), "event.deleted")
	return nil
}
