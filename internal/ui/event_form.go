package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// eventFormPage is the form of a new event or of an event's edit.
type eventFormPage struct {
	base
	ID        int64 // 0: a new event
	Orgs      []account.Membership
	AllOrgs   []account.Organisation // co-hosts to invite (new events)
	Audiences []event.Audience
	Action    string
}

func (ep *eventPages) formPage(r *http.Request, id int64) (*eventFormPage, error) {
	p := &eventFormPage{base: ep.base(r, "event.new.title"), ID: id, Audiences: event.Audiences, Action: paths.Events()}
	// A start that does not fit the precision or the end is the start
	// date's error in the summary.
	p.errIDs = map[string]string{"start": "start_date"}
	if id != 0 {
		p.Title, p.Action = p.T("event.edit.title"), paths.Event(id)
		return p, nil
	}
	p.Orgs = creatableOrgs(p.Actor)
	orgs, err := ep.cfg.Accounts.Organisations(r.Context(), p.Actor, account.OrgFilter{})
	if err != nil {
		return nil, err
	}
	sortByName(orgs)
	p.AllOrgs = orgs
	if p.Actor.IsAdmin() && len(p.Orgs) == 0 {
		for _, o := range orgs {
			p.Orgs = append(p.Orgs, account.Membership{OrganisationID: o.ID, OrgName: o.Name, OrgSlug: o.Slug})
		}
	}
	return p, nil
}

// Checked reports whether the co-host box of org is ticked.
func (p *eventFormPage) Checked(org int64) bool {
	return p.Form != nil && slices.Contains(p.Form["cohosts"], strconv.FormatInt(org, 10))
}

func (ep *eventPages) showNewEvent(w http.ResponseWriter, r *http.Request) error {
	p, err := ep.formPage(r, 0)
	if err != nil {
		return err
	}
	if len(p.Orgs) == 0 {
		return errs.E(errs.Forbidden, "event.forbidden")
	}
	ep.render(w, r, http.StatusOK, "event_form", p)
	return nil
}

func (ep *eventPages) showEditEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	e, err := ep.svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !event.CanEdit(a, e) {
		return errs.E(errs.Forbidden, "event.forbidden")
	}
	p, err := ep.formPage(r, id)
	if err != nil {
		return err
	}
	p.Form = ep.eventForm(r, e)
	ep.render(w, r, http.StatusOK, "event_form", p)
	return nil
}

// eventForm fills the form's values from an event.
func (ep *eventPages) eventForm(r *http.Request, e *event.Event) map[string][]string {
	s, t := e.LocalStart(), e.LocalEnd()
	f := map[string][]string{
		"title": {e.Title}, "description": {e.Description}, "place": {e.Place}, "online_url": {e.OnlineURL},
		"audience": {string(e.Audience)}, "start_date": {s.Format("2006-01-02")}, "end_date": {t.Format("2006-01-02")},
		"capacity": {strconv.Itoa(e.Capacity)},
	}
	if !e.AllDay {
		f["start_time"], f["end_time"] = []string{s.Format("15:04")}, []string{t.Format("15:04")}
	} else {
		f["all_day"] = []string{"1"}
	}
	if e.Registration {
		f["registration"] = []string{"1"}
	}
	var works, workshops []string
	var ids []int64
	for _, l := range e.Links {
		if l.Kind == event.LinkWork {
			ids = append(ids, l.RefID)
		} else {
			workshops = append(workshops, strconv.FormatInt(l.RefID, 10))
		}
	}
	if len(ids) > 0 {
		if ws, err := ep.cfg.Library.Visible(r.Context(), account.ActorFrom(r.Context()), ids); err == nil {
			for _, w := range ws {
				works = append(works, w.Slug)
			}
		}
	}
	f["works"], f["workshops"] = []string{strings.Join(works, " ")}, []string{strings.Join(workshops, " ")}
	return f
}

// eventFromForm reads the form; field errors for what cannot be read.
func (ep *eventPages) eventFromForm(r *http.Request) (*event.Event, []int64, errs.Fields) {
	f := errs.Fields{}
	e := &event.Event{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Place: r.PostFormValue("place"),
		OnlineURL: r.PostFormValue("online_url"), Audience: event.Audience(r.PostFormValue("audience")),
		AllDay: r.PostFormValue("all_day") != "", Registration: r.PostFormValue("registration") != ""}
	if v := r.PostFormValue("organisation"); v != "" {
		e.OrganisationID, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := strings.TrimSpace(r.PostFormValue("capacity")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f["capacity"] = "event.capacity_range"
		}
		e.Capacity = n
	}
	startClock, endClock := r.PostFormValue("start_time"), r.PostFormValue("end_time")
	if e.AllDay {
		startClock, endClock = "", ""
	} else {
		if strings.TrimSpace(startClock) == "" {
			f["start_time"] = "event.time_required"
		}
		if strings.TrimSpace(endClock) == "" {
			f["end_time"] = "event.time_required"
		}
	}
	endDate := r.PostFormValue("end_date")
	if strings.TrimSpace(endDate) == "" {
		endDate = r.PostFormValue("start_date")
	}
	if v, ok := event.ParseLocal(r.PostFormValue("start_date"), startClock); ok {
		e.StartsAt = v
	} else if _, bad := f["start_time"]; !bad {
		f["start_date"] = "event.date_invalid"
	}
	if v, ok := event.ParseLocal(endDate, endClock); ok {
		if e.AllDay {
			v = v.AddDate(0, 0, 1) // the day after the last, as iCal
		}
		e.EndsAt = v
	} else if _, bad := f["end_time"]; !bad {
		f["end_date"] = "event.date_invalid"
	}
	var coHosts []int64
	for _, v := range r.PostForm["cohosts"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			coHosts = append(coHosts, id)
		} else {
			f["cohosts"] = "event.cohost_invalid"
		}
	}
	a := account.ActorFrom(r.Context())
	for _, slug := range strings.FieldsFunc(r.PostFormValue("works"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' }) {
		slug = strings.TrimPrefix(slug, "/bibliotek/")
		wk, err := ep.cfg.Library.GetBySlug(r.Context(), a, slug)
		if err != nil {
			f["works"] = "event.work_unknown"
			continue
		}
		e.Links = append(e.Links, event.Link{Kind: event.LinkWork, RefID: wk.ID})
	}
	for _, v := range strings.Fields(strings.ReplaceAll(r.PostFormValue("workshops"), ",", " ")) {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			f["workshops"] = "event.workshop_invalid"
			continue
		}
		e.Links = append(e.Links, event.Link{Kind: event.LinkWorkshop, RefID: id})
	}
	return e, coHosts, f
}

// mergeFields adds the domain's field errors to the form's own.
func mergeFields(f errs.Fields, err error) error {
	if err != nil {
		e := errs.As(err)
		if e.Kind != errs.Invalid {
			return err
		}
		for k, v := range e.Fields {
			if _, ok := f[k]; !ok {
				f[k] = v
			}
		}
		if len(e.Fields) == 0 && len(f) == 0 {
			return err
		}
	}
	return f.Err()
}

func (ep *eventPages) createEvent(w http.ResponseWriter, r *http.Request) error {
	in, coHosts, f := ep.eventFromForm(r)
	a := account.ActorFrom(r.Context())
	var e *event.Event
	var err error
	if len(f) == 0 {
		e, err = ep.svc.Create(r.Context(), a, in, coHosts)
	} else if !event.CanCreate(a, in.OrganisationID) {
		err = errs.E(errs.Forbidden, "event.forbidden")
	} else {
		err = in.Validate()
	}
	if err = mergeFields(f, err); err != nil {
		p, perr := ep.formPage(r, 0)
		if perr != nil {
			return perr
		}
		return ep.formError(w, r, "event_form", p, err)
	}
	ep.redirect(w, r, paths.Event(e.ID), "event.created")
	return nil
}

func (ep *eventPages) updateEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	in, _, f := ep.eventFromForm(r)
	in.ID = id
	a := account.ActorFrom(r.Context())
	if len(f) == 0 {
		_, err = ep.svc.Update(r.Context(), a, in)
	} else {
		// Who may not edit hears so before any field message.
		var old *event.Event
		if old, err = ep.svc.Get(r.Context(), a, id); err == nil && !event.CanEdit(a, old) {
			err = errs.E(errs.Forbidden, "event.forbidden")
		}
	}
	if err = mergeFields(f, err); err != nil {
		p, perr := ep.formPage(r, id)
		if perr != nil {
			return perr
		}
		return ep.formError(w, r, "event_form", p, err)
	}
	ep.redirect(w, r, paths.Event(id), "event.saved")
	return nil
}
