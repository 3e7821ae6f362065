package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The workshop API calls the same domain code as the board: the caller is
// a signed-in user (session or API token) or a guest (the workshop's
// guest cookie, as on the board), and the domain decides what they may do.
func (s *workshopsAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(U, "GET /api/v1/workshops", s.h(s.listWorkshops))
	t.Handle(U, "POST /api/v1/workshops", s.h(s.createWorkshop))
	t.Handle(P, "GET /api/v1/workshops/{id}", s.h(s.getWorkshop))
	t.Handle(P, "GET /api/v1/workshops/{id}/results", s.h(s.workshopResults))
	t.Handle(P, "POST /api/v1/workshops/{id}/actions", s.h(s.workshopAction))
}

// WorkshopSummary is a workshop in a list.
type WorkshopSummary struct {
	ID       int64           `json:"id"`
	Title    string          `json:"title"`
	Question string          `json:"question"`
	Horizon  int             `json:"horizon"`
	Status   workshop.Status `json:"status"`
	Code     string          `json:"code"`
	Stage    string          `json:"stage"`
	Seq      int64           `json:"seq"`
	URL      string          `json:"url"`
	JoinURL  string          `json:"join_url"`
}

func (s *workshopsAPI) workshopSummary(w *workshop.Workshop) WorkshopSummary {
	return WorkshopSummary{ID: w.ID, Title: w.Title, Question: w.FocalQuestion, Horizon: w.HorizonYear, Status: w.Status,
		Code: w.Code, Stage: workshop.TemplateOf(w.Template).Stage(w.Stage).Key, Seq: w.Seq,
		URL: s.baseURL + paths.Workshop(w.ID), JoinURL: s.baseURL + paths.Join(w.Code)}
}

func (s *workshopsAPI) listWorkshops(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	// The cursor is the offset of the next page, as given in next.
	offset := 0
	if c := r.URL.Query().Get("cursor"); c != "" {
		if offset, err = strconv.Atoi(c); err != nil || offset < 0 {
			return errs.Fields{"cursor": "api.cursor_invalid"}.Err()
		}
	}
	ws, err := s.svc.Workshops(r.Context(), account.ActorFrom(r.Context()), offset, limit+1)
	if err != nil {
		return err
	}
	out := List[WorkshopSummary]{Items: []WorkshopSummary{}}
	ws, out.Next = trimPage(ws, limit, func(*workshop.Workshop) string { return strconv.Itoa(offset + limit) })
	for i := range ws {
		out.Items = append(out.Items, s.workshopSummary(&ws[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// WorkshopInput is a new workshop.
type WorkshopInput struct {
	Title          string `json:"title"`
	Question       string `json:"question"`
	Horizon        int    `json:"horizon"`
	Template       string `json:"template,omitempty"`
	Budget         int    `json:"budget,omitempty"`
	OrganizationID int64  `json:"organization_id,omitempty"`
}

func (s *workshopsAPI) createWorkshop(w http.ResponseWriter, r *http.Request) error {
	var in WorkshopInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	ws, err := s.svc.Create(r.Context(), account.ActorFrom(r.Context()), workshop.Workshop{Title: in.Title,
		FocalQuestion: in.Question, HorizonYear: in.Horizon, Template: in.Template, DotBudget: in.Budget, OrganisationID: in.OrganizationID})
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL+"/api/v1/workshops/"+strconv.FormatInt(ws.ID, 10))
	writeJSON(w, http.StatusCreated, s.workshopSummary(ws))
	return nil
}

// participant returns who the caller is in the workshop {id}.
func (s *workshopsAPI) participant(r *http.Request) (*workshop.Participant, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.ParticipantOf(r.Context(), account.ActorFrom(r.Context()), id, httpx.Cookies(r), strings.HasPrefix(s.baseURL, "https://"))
}

// sender returns who sends a command to the request's workshop (see
// workshop.Service.SenderOf).
func (s *workshopsAPI) sender(r *http.Request) (*workshop.Participant, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.SenderOf(r.Context(), account.ActorFrom(r.Context()), id, httpx.Cookies(r), strings.HasPrefix(s.baseURL, "https://"))
}

// getWorkshop returns the board as the caller sees it: their own ratings
// and votes, the aggregates when revealed (always to facilitators).
func (s *workshopsAPI) getWorkshop(w http.ResponseWriter, r *http.Request) error {
	p, err := s.participant(r)
	if err != nil {
		return err
	}
	b, err := s.svc.Board(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *workshopsAPI) workshopResults(w http.ResponseWriter, r *http.Request) error {
	p, err := s.participant(r)
	if err != nil {
		return err
	}
	b, err := s.svc.Board(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, workshop.ResultsOf(b))
	return nil
}

// ActionResult is the event a command became.
type ActionResult struct {
	Seq   int64           `json:"seq"`
	Event json.RawMessage `json:"event"`
}

// workshopAction applies one command, the same the board sends; a resend
// with the same id returns the first event and changes nothing.
func (s *workshopsAPI) workshopAction(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sender(r)
	if err != nil {
		return err
	}
	var cmd workshop.Command
	if err := httpx.DecodeJSON(r.Body, &cmd); err != nil {
		return err
	}
	ev, err := s.svc.Do(r.Context(), p, cmd)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ActionResult{Seq: ev.Seq, Event: ev.JSON(workshop.AudienceOf(p, ev.ParticipantID))})
	return nil
}
