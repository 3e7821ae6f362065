package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/facilitator"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// facilitatorPages serve the facilitators' directory under /natverket
// and the requests ("uppdrag") between organisations. Everything needs an
// account: the directory is about people.
type facilitatorPages struct {
	*Server
	svc *facilitator.Service
}

// Facilitators returns the facilitators' pages over svc.
func (s *Server) Facilitators(svc *facilitator.Service) route.Area {
	return &facilitatorPages{Server: s, svc: svc}
}

// Register adds the facilitators' pages to t.
func (fp *facilitatorPages) Register(t *route.Table) {
	s, U := fp.Server, route.SignedIn
	t.Handle(U, "GET /natverket/processledare", s.h(fp.listFacilitators))
	t.Handle(U, "GET /natverket/processledare/jag", s.h(fp.showOwnProfile))
	t.Handle(U, "POST /natverket/processledare/jag", s.h(fp.saveOwnProfile))
	t.Handle(U, "POST /natverket/processledare/jag/ta-bort", s.h(fp.deleteOwnProfile))
	t.Handle(U, "GET /natverket/processledare/{id}", s.h(fp.showFacilitator))
	t.Handle(U, "POST /natverket/processledare/{id}", s.h(fp.ask))
	t.Handle(U, "GET /natverket/uppdrag", s.h(fp.listRequests))
	t.Handle(U, "GET /natverket/uppdrag/{id}", s.h(fp.showRequest))
	t.Handle(U, "POST /natverket/uppdrag/{id}", s.h(fp.act))
}

// regionChoice is a län to choose, named by its region.
type regionChoice struct{ Code, Name string }

func (fp *facilitatorPages) regions(r *http.Request) ([]regionChoice, error) {
	// One region per län, without contacts: reading every region whole
	// took 0.8 s at 2,100 regions (bench/pages at 100×).
	orgs, err := fp.cfg.Accounts.Organisations(r.Context(), account.ActorFrom(r.Context()),
		account.OrgFilter{Kind: account.KindRegion, NoContacts: true, OnePerLan: true})
	if err != nil {
		return nil, err
	}
	sortByName(orgs)
	out := make([]regionChoice, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, regionChoice{o.LanCode, o.Name})
	}
	return out, nil
}

type facilitatorListPage struct {
	base
	Profiles []facilitator.Profile
	Methods  []string
	Regions  []regionChoice
	Method   string
	Region   string
	HasOwn   bool
}

// RegionName names a län code.
func (p *facilitatorListPage) RegionName(code string) string { return regionName(p.Regions, code) }

func regionName(rs []regionChoice, code string) string {
	for _, r := range rs {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

func (fp *facilitatorPages) listFacilitators(w http.ResponseWriter, r *http.Request) error {
	p := &facilitatorListPage{base: fp.base(r, "facilitator.list.title"), Methods: facilitator.Methods,
		Method: r.URL.Query().Get("metod"), Region: r.URL.Query().Get("lan")}
	var err error
	if p.Regions, err = fp.regions(r); err != nil {
		return err
	}
	if p.Profiles, err = fp.svc.Search(r.Context(), p.Actor, facilitator.Query{Method: p.Method, Lan: p.Region}); err != nil {
		return err
	}
	if _, err := fp.svc.Profile(r.Context(), p.Actor, p.Actor.UserID()); err == nil {
		p.HasOwn = true
	}
	fp.render(w, r, http.StatusOK, "facilitators", p)
	return nil
}

type facilitatorFormPage struct {
	base
	Methods   []string
	Languages []string
	Regions   []regionChoice
	Orgs      []account.Membership
	Exists    bool
}

// Has reports whether the list field holds v.
func (p *facilitatorFormPage) Has(field, v string) bool {
	return p.Form != nil && slices.Contains(p.Form[field], v)
}

func (fp *facilitatorPages) formPage(r *http.Request) (*facilitatorFormPage, error) {
	p := &facilitatorFormPage{base: fp.base(r, "facilitator.form.title"), Methods: facilitator.Methods, Languages: facilitator.Languages}
	p.Orgs = p.Actor.Memberships
	var err error
	p.Regions, err = fp.regions(r)
	return p, err
}

func (fp *facilitatorPages) showOwnProfile(w http.ResponseWriter, r *http.Request) error {
	p, err := fp.formPage(r)
	if err != nil {
		return err
	}
	own, err := fp.svc.Profile(r.Context(), p.Actor, p.Actor.UserID())
	switch {
	case err == nil:
		p.Exists = true
		p.Form = map[string][]string{"methods": own.Methods, "languages": own.Languages, "regions": own.Regions,
			"availability": {own.Availability}, "about": {own.About}, "organisation": {strconv.FormatInt(own.OrganisationID, 10)}}
		if own.DigitalOnly {
			p.Form["digital_only"] = []string{"1"}
		}
		if own.Active {
			p.Form["active"] = []string{"1"}
		}
	case errs.Is(err, errs.NotFound):
		p.Form = map[string][]string{"active": {"1"}, "languages": {"sv"}}
	default:
		return err
	}
	fp.render(w, r, http.StatusOK, "facilitator_form", p)
	return nil
}

func (fp *facilitatorPages) saveOwnProfile(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "error.invalid")
	}
	org, _ := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	in := &facilitator.Profile{OrganisationID: org, Methods: r.PostForm["methods"], Languages: r.PostForm["languages"],
		Regions: r.PostForm["regions"], DigitalOnly: r.PostFormValue("digital_only") != "", Availability: r.PostFormValue("availability"),
		About: r.PostFormValue("about"), Active: r.PostFormValue("active") != ""}
	if _, err := fp.svc.SaveProfile(r.Context(), a, in); err != nil {
		p, perr := fp.formPage(r)
		if perr != nil {
			return perr
		}
		return fp.formError(w, r, "facilitator_form", p, err)
	}
	fp.redirect(w, r, "/natverket/processledare/"+strconv.FormatInt(a.UserID(), 10), "facilitator.saved")
	return nil
}

func (fp *facilitatorPages) deleteOwnProfile(w http.ResponseWriter, r *http.Request) error {
	if err := fp.svc.DeleteProfile(r.Context(), account.ActorFrom(r.Context())); err != nil {
		return err
	}
	fp.redirect(w, r, "/natverket/processledare", "facilitator.deleted")
	return nil
}

type facilitatorPage struct {
	base
	P        *facilitator.Profile
	Regions  []regionChoice
	Orgs     []account.Membership // the actor's organisations it may ask for
	Mine     bool
	MinDate  string
	Requests []facilitator.Request
}

// RegionName names a län code.
func (p *facilitatorPage) RegionName(code string) string { return regionName(p.Regions, code) }

func (fp *facilitatorPages) facilitatorPage(r *http.Request) (*facilitatorPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &facilitatorPage{base: fp.base(r, "")}
	if p.P, err = fp.svc.Profile(r.Context(), p.Actor, id); err != nil {
		return nil, err
	}
	p.Title = p.P.Name
	p.Mine = p.P.UserID == p.Actor.UserID()
	p.MinDate = fp.svcNow()
	for _, m := range p.Actor.Memberships {
		if m.Role.AtLeast(account.RoleEditor) {
			p.Orgs = append(p.Orgs, m)
		}
	}
	if p.Actor.IsAdmin() && len(p.Orgs) == 0 {
		for _, m := range p.Actor.Memberships {
			p.Orgs = append(p.Orgs, m)
		}
	}
	p.Regions, err = fp.regions(r)
	return p, err
}

func (fp *facilitatorPages) svcNow() string {
	return event.DayStart(time.Now()).Format("2006-01-02")
}

func (fp *facilitatorPages) showFacilitator(w http.ResponseWriter, r *http.Request) error {
	p, err := fp.facilitatorPage(r)
	if err != nil {
		return err
	}
	fp.render(w, r, http.StatusOK, "facilitator", p)
	return nil
}

func (fp *facilitatorPages) ask(w http.ResponseWriter, r *http.Request) error {
	p, err := fp.facilitatorPage(r)
	if err != nil {
		return err
	}
	in := &facilitator.Request{What: r.PostFormValue("what"), ForWhom: r.PostFormValue("for_whom")}
	in.RequesterOrg, _ = strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	f := errs.Fields{}
	if v := strings.TrimSpace(r.PostFormValue("participants")); v != "" {
		if in.Participants, err = strconv.Atoi(v); err != nil {
			f["participants"] = "facilitator.participants_range"
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("when")); v != "" {
		d, ok := event.ParseLocal(v, "")
		if !ok {
			f["when"] = "event.date_invalid"
		}
		in.When = d
	}
	var req *facilitator.Request
	if len(f) == 0 {
		req, err = fp.svc.Ask(r.Context(), p.Actor, p.P.UserID, in)
	}
	if err = mergeFields(f, err); err != nil {
		return fp.formError(w, r, "facilitator", p, err)
	}
	fp.redirect(w, r, "/natverket/uppdrag/"+strconv.FormatInt(req.ID, 10), "facilitator.asked")
	return nil
}

type requestListPage struct {
	base
	Requests []facilitator.Request
}

func (fp *facilitatorPages) listRequests(w http.ResponseWriter, r *http.Request) error {
	p := &requestListPage{base: fp.base(r, "facilitator.requests.title")}
	var err error
	if p.Requests, err = fp.svc.Requests(r.Context(), p.Actor); err != nil {
		return err
	}
	fp.render(w, r, http.StatusOK, "assignments", p)
	return nil
}

type requestPage struct {
	base
	R       *facilitator.Request
	Allowed []string
	MinDate string
}

// Can reports whether the actor may take action now.
func (p *requestPage) Can(action string) bool { return slices.Contains(p.Allowed, action) }

func (fp *facilitatorPages) requestPage(r *http.Request) (*requestPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &requestPage{base: fp.base(r, "facilitator.request.title"), MinDate: fp.svcNow()}
	if p.R, err = fp.svc.Request(r.Context(), p.Actor, id); err != nil {
		return nil, err
	}
	p.Allowed = facilitator.Allowed(p.Actor, p.R)
	return p, nil
}

func (fp *facilitatorPages) showRequest(w http.ResponseWriter, r *http.Request) error {
	p, err := fp.requestPage(r)
	if err != nil {
		return err
	}
	fp.render(w, r, http.StatusOK, "assignment", p)
	return nil
}

func (fp *facilitatorPages) act(w http.ResponseWriter, r *http.Request) error {
	p, err := fp.requestPage(r)
	if err != nil {
		return err
	}
	act := facilitator.Action{Do: r.PostFormValue("do"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	f := errs.Fields{}
	if v := strings.TrimSpace(r.PostFormValue("when")); v != "" {
		d, ok := event.ParseLocal(v, "")
		if !ok {
			f["when"] = "event.date_invalid"
		}
		act.When = d
	}
	if v := strings.TrimSpace(r.PostFormValue("workshop")); v != "" {
		if act.WorkshopID, err = strconv.ParseInt(v, 10, 64); err != nil {
			f["workshop"] = "facilitator.link_unknown"
		}
	}
	if v := strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("report")), "/bibliotek/"); v != "" {
		wk, err := fp.cfg.Library.GetBySlug(r.Context(), p.Actor, v)
		if err != nil {
			f["report"] = "facilitator.link_unknown"
		} else {
			act.ReportID = wk.ID
		}
	}
	if len(f) == 0 {
		_, err = fp.svc.Act(r.Context(), p.Actor, p.R.ID, act)
	}
	if err = mergeFields(f, err); err != nil {
		return fp.formError(w, r, "assignment", p, err)
	}
	fp.redirect(w, r, "/natverket/uppdrag/"+strconv.FormatInt(p.R.ID, 10), "facilitator.status."+statusAfter(act.Do))
	return nil
}

func statusAfter(action string) string {
	switch action {
	case facilitator.ActAccept, facilitator.ActAcceptProposal:
		return string(facilitator.Accepted)
	case facilitator.ActDecline:
		return string(facilitator.Declined)
	case facilitator.ActPropose:
		return string(facilitator.Proposed)
	case facilitator.ActFinish:
		return string(facilitator.Done)
	}
	return string(facilitator.Canceled)
}
