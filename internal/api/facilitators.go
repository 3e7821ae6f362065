package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/facilitator"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// facilitatorsAPI serves the facilitators' directory and requests.
type facilitatorsAPI struct {
	*Server
	svc *facilitator.Service
}

// Facilitators returns the facilitators' API over svc.
func (s *Server) Facilitators(svc *facilitator.Service) route.Area {
	return &facilitatorsAPI{Server: s, svc: svc}
}

// Register adds the facilitators' API to t; all of it needs an account.
func (s *facilitatorsAPI) Register(t *route.Table) {
	U := route.SignedIn
	t.Handle(U, "GET /api/v1/facilitators", s.h(s.list))
	t.Handle(U, "PUT /api/v1/facilitators/me", s.h(s.putMe))
	t.Handle(U, "DELETE /api/v1/facilitators/me", s.h(s.deleteMe))
	t.Handle(U, "GET /api/v1/facilitators/{id}", s.h(s.get))
	t.Handle(U, "GET /api/v1/facilitators/requests", s.h(s.listRequests))
	t.Handle(U, "POST /api/v1/facilitators/requests", s.h(s.ask))
	t.Handle(U, "GET /api/v1/facilitators/requests/{id}", s.h(s.getRequest))
	t.Handle(U, "POST /api/v1/facilitators/requests/{id}/actions", s.h(s.act))
}

// Facilitator is a profile.
type Facilitator struct {
	UserID         int64    `json:"user_id"`
	Name           string   `json:"name"`
	OrganizationID int64    `json:"organization_id"`
	Organization   string   `json:"organization"`
	Methods        []string `json:"methods"`
	Languages      []string `json:"languages"`
	Regions        []string `json:"regions"`
	DigitalOnly    bool     `json:"digital_only"`
	Availability   string   `json:"availability"`
	About          string   `json:"about"`
	Active         bool     `json:"active"`
	Workshops      []int64  `json:"workshops"`
}

func facilitatorOut(p *facilitator.Profile) Facilitator {
	out := Facilitator{UserID: p.UserID, Name: p.Name, OrganizationID: p.OrganisationID, Organization: p.OrgName, Methods: p.Methods,
		Languages: p.Languages, Regions: p.Regions, DigitalOnly: p.DigitalOnly, Availability: p.Availability, About: p.About,
		Active: p.Active, Workshops: []int64{}}
	for _, l := range []*[]string{&out.Methods, &out.Languages, &out.Regions} {
		if *l == nil {
			*l = []string{}
		}
	}
	for _, w := range p.Workshops {
		out.Workshops = append(out.Workshops, w.ID)
	}
	return out
}

func (s *facilitatorsAPI) list(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Search(r.Context(), account.ActorFrom(r.Context()), facilitator.Query{Method: r.URL.Query().Get("method"), Lan: r.URL.Query().Get("region")})
	if err != nil {
		return err
	}
	out := List[Facilitator]{Items: []Facilitator{}}
	for i := range ps {
		out.Items = append(out.Items, facilitatorOut(&ps[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// FacilitatorInput is the caller's own profile.
type FacilitatorInput struct {
	OrganizationID int64    `json:"organization_id"`
	Methods        []string `json:"methods"`
	Languages      []string `json:"languages"`
	Regions        []string `json:"regions"`
	DigitalOnly    bool     `json:"digital_only"`
	Availability   string   `json:"availability"`
	About          string   `json:"about"`
	Active         bool     `json:"active"`
}

func (s *facilitatorsAPI) putMe(w http.ResponseWriter, r *http.Request) error {
	var in FacilitatorInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	p, err := s.svc.SaveProfile(r.Context(), account.ActorFrom(r.Context()), &facilitator.Profile{OrganisationID: in.OrganizationID,
		Methods: in.Methods, Languages: in.Languages, Regions: in.Regions, DigitalOnly: in.DigitalOnly, Availability: in.Availability,
		About: in.About, Active: in.Active})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, facilitatorOut(p))
	return nil
}

func (s *facilitatorsAPI) deleteMe(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteProfile(r.Context(), account.ActorFrom(r.Context())); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *facilitatorsAPI) get(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.Profile(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, facilitatorOut(p))
	return nil
}

// FacilitatorRequest is a request with its history.
type FacilitatorRequest struct {
	ID             int64         `json:"id"`
	FacilitatorID  int64         `json:"facilitator_id"`
	FacilitatorOrg int64         `json:"facilitator_organization_id"`
	RequesterID    int64         `json:"requester_id"`
	RequesterOrg   int64         `json:"requester_organization_id"`
	What           string        `json:"what"`
	When           string        `json:"when"`
	ProposedWhen   string        `json:"proposed_when,omitempty"`
	ForWhom        string        `json:"for_whom"`
	Participants   int           `json:"participants"`
	Status         string        `json:"status"`
	WorkshopID     int64         `json:"workshop_id,omitempty"`
	ReportWorkID   int64         `json:"report_work_id,omitempty"`
	History        []RequestStep `json:"history"`
}

// RequestStep is one change of a request.
type RequestStep struct {
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(event.Stockholm).Format("2006-01-02")
}

func requestOut(q *facilitator.Request) FacilitatorRequest {
	out := FacilitatorRequest{ID: q.ID, FacilitatorID: q.FacilitatorID, FacilitatorOrg: q.FacilitatorOrg, RequesterID: q.RequesterID,
		RequesterOrg: q.RequesterOrg, What: q.What, When: day(q.When), ProposedWhen: day(q.ProposedWhen), ForWhom: q.ForWhom,
		Participants: q.Participants, Status: string(q.Status), WorkshopID: q.WorkshopID, ReportWorkID: q.ReportWorkID, History: []RequestStep{}}
	for _, st := range q.History {
		out.History = append(out.History, RequestStep{Actor: st.ActorName, Action: st.Action, Note: st.Note, At: st.At})
	}
	return out
}

func (s *facilitatorsAPI) listRequests(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.svc.Requests(r.Context(), account.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	out := List[FacilitatorRequest]{Items: []FacilitatorRequest{}}
	for i := range qs {
		out.Items = append(out.Items, requestOut(&qs[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// RequestInput asks a facilitator; when is YYYY-MM-DD.
type RequestInput struct {
	FacilitatorID  int64  `json:"facilitator_id"`
	OrganizationID int64  `json:"organization_id"`
	What           string `json:"what"`
	When           string `json:"when"`
	ForWhom        string `json:"for_whom"`
	Participants   int    `json:"participants"`
}

func parseDay(v, field string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, ok := event.ParseLocal(v, "")
	if !ok {
		return time.Time{}, errs.Fields{field: "event.date_invalid"}.Err()
	}
	return d, nil
}

func (s *facilitatorsAPI) ask(w http.ResponseWriter, r *http.Request) error {
	var in RequestInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	when, err := parseDay(in.When, "when")
	if err != nil {
		return err
	}
	q, err := s.svc.Ask(r.Context(), account.ActorFrom(r.Context()), in.FacilitatorID, &facilitator.Request{RequesterOrg: in.OrganizationID,
		What: in.What, When: when, ForWhom: in.ForWhom, Participants: in.Participants})
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL+"/api/v1/facilitators/requests/"+strconv.FormatInt(q.ID, 10))
	writeJSON(w, http.StatusCreated, requestOut(q))
	return nil
}

func (s *facilitatorsAPI) getRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	q, err := s.svc.Request(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requestOut(q))
	return nil
}

// ActionInput is one answer: accept, decline, propose (with when),
// accept_proposal, cancel, finish (with workshop_id, report_work_id).
type ActionInput struct {
	Action       string `json:"action"`
	Note         string `json:"note"`
	When         string `json:"when"`
	WorkshopID   int64  `json:"workshop_id"`
	ReportWorkID int64  `json:"report_work_id"`
}

func (s *facilitatorsAPI) act(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in ActionInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	when, err := parseDay(in.When, "when")
	if err != nil {
		return err
	}
	q, err := s.svc.Act(r.Context(), account.ActorFrom(r.Context()), id, facilitator.Action{Do: in.Action, Note: in.Note, When: when,
		WorkshopID: in.WorkshopID, ReportID: in.ReportWorkID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requestOut(q))
	return nil
}
