package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// boardAPI serves the collaboration board.
type boardAPI struct {
	*Server
	svc *board.Service
}

// Board returns the board's API over svc.
func (s *Server) Board(svc *board.Service) route.Area { return &boardAPI{Server: s, svc: svc} }

// Register adds the board's API to t.
func (s *boardAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/board", s.h(s.list))
	t.Handle(U, "POST /api/v1/board", s.h(s.create))
	t.Handle(P, "GET /api/v1/board/{id}", s.h(s.get))
	t.Handle(U, "POST /api/v1/board/{id}/interests", s.h(s.interest))
	t.Handle(U, "POST /api/v1/board/{id}/interests/{interest}/choose", s.h(s.choose))
	t.Handle(U, "PUT /api/v1/board/{id}/status", s.h(s.status))
}

// BoardInterest is an organisation's interest in a post.
type BoardInterest struct {
	ID             int64     `json:"id"`
	OrganizationID int64     `json:"organization_id"`
	Organization   string    `json:"organization"`
	Message        string    `json:"message,omitempty"`
	Chosen         bool      `json:"chosen"`
	Created        time.Time `json:"created"`
}

// BoardPost is a need or an offer.
type BoardPost struct {
	ID             int64           `json:"id"`
	OrganizationID int64           `json:"organization_id"`
	Organization   string          `json:"organization"`
	Kind           string          `json:"kind"`
	Topic          string          `json:"topic"`
	Title          string          `json:"title"`
	Body           string          `json:"body"`
	Visibility     string          `json:"visibility"`
	Status         string          `json:"status"`
	Source         string          `json:"source,omitempty"`
	Created        time.Time       `json:"created"`
	Interests      []BoardInterest `json:"interests"`
}

func boardOut(p *board.Post) BoardPost {
	out := BoardPost{ID: p.ID, OrganizationID: p.OrganisationID, Organization: p.OrgName, Kind: p.Kind, Topic: p.Topic, Title: p.Title,
		Body: p.Body, Visibility: p.Visibility, Status: p.Status, Source: p.Source, Created: p.CreatedAt, Interests: []BoardInterest{}}
	for _, i := range p.Interests {
		out.Interests = append(out.Interests, BoardInterest{ID: i.ID, OrganizationID: i.OrganisationID, Organization: i.OrgName,
			Message: i.Message, Chosen: i.Chosen, Created: i.CreatedAt})
	}
	return out
}

func (s *boardAPI) list(w http.ResponseWriter, r *http.Request) error {
	qv := r.URL.Query()
	q := board.Query{Kind: qv.Get("kind"), Topic: qv.Get("topic"), Status: qv.Get("status"), Limit: board.MaxList + 1}
	if v := qv.Get("cursor"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.Fields{"cursor": "error.invalid"}.Err()
		}
		q.BeforeID = id
	}
	posts, err := s.svc.List(r.Context(), account.ActorFrom(r.Context()), q)
	if err != nil {
		return err
	}
	out := List[BoardPost]{Items: []BoardPost{}}
	if len(posts) > board.MaxList {
		posts = posts[:board.MaxList]
		next := strconv.FormatInt(posts[len(posts)-1].ID, 10)
		out.Next = &next
	}
	for i := range posts {
		out.Items = append(out.Items, boardOut(&posts[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// BoardInput is a new post.
type BoardInput struct {
	OrganizationID int64  `json:"organization_id"`
	Kind           string `json:"kind"`
	Topic          string `json:"topic"`
	Title          string `json:"title"`
	Body           string `json:"body"`
	Visibility     string `json:"visibility"`
}

func (s *boardAPI) create(w http.ResponseWriter, r *http.Request) error {
	var in BoardInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	p, err := s.svc.Create(r.Context(), account.ActorFrom(r.Context()), &board.Post{OrganisationID: in.OrganizationID, Kind: in.Kind,
		Topic: in.Topic, Title: in.Title, Body: in.Body, Visibility: in.Visibility})
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.baseURL+"/api/v1/board/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, boardOut(p))
	return nil
}

func (s *boardAPI) get(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, boardOut(p))
	return nil
}

// InterestInput is an interest with a message.
type InterestInput struct {
	OrganizationID int64  `json:"organization_id"`
	Message        string `json:"message"`
}

func (s *boardAPI) interest(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in InterestInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	p, err := s.svc.Interest(r.Context(), account.ActorFrom(r.Context()), id, in.OrganizationID, in.Message)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, boardOut(p))
	return nil
}

func (s *boardAPI) choose(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	iid, err := httpx.ID(r, "interest")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	if err := s.svc.Choose(r.Context(), a, id, iid); err != nil {
		return err
	}
	return s.get(w, r)
}

// StatusInput is a post's new status.
type StatusInput struct {
	Status string `json:"status"`
}

func (s *boardAPI) status(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in StatusInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	if err := s.svc.SetStatus(r.Context(), account.ActorFrom(r.Context()), id, in.Status); err != nil {
		return err
	}
	return s.get(w, r)
}
