package api

import (
	"net/http"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/route"
)

// notificationsAPI serves the inbox and follows.
type notificationsAPI struct {
	*Server
	svc *notify.Service
}

// Notifications returns the notifications' API over svc.
func (s *Server) Notifications(svc *notify.Service) route.Area {
	return &notificationsAPI{Server: s, svc: svc}
}

// Register adds the notifications' API to t.
func (s *notificationsAPI) Register(t *route.Table) {
	U := route.SignedIn
	t.Handle(U, "GET /api/v1/notifications", s.h(s.inbox))
	t.Handle(U, "POST /api/v1/notifications/read", s.h(s.read))
	t.Handle(U, "GET /api/v1/notifications/follows", s.h(s.follows))
	t.Handle(U, "POST /api/v1/notifications/follows", s.h(s.follow))
	t.Handle(U, "DELETE /api/v1/notifications/follows/{id}", s.h(s.unfollow))
	t.Handle(U, "PUT /api/v1/notifications/email", s.h(s.email))
}

// NotificationOut is one inbox entry, resolved for the caller.
type NotificationOut struct {
	ID      int64     `json:"id"`
	Kind    string    `json:"kind"`
	Title   string    `json:"title"`
	URL     string    `json:"url"`
	Reason  string    `json:"reason"`
	Created time.Time `json:"created"`
	Read    bool      `json:"read"`
}

func (s *notificationsAPI) inbox(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.svc.Inbox(r.Context(), account.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	tr := s.cat.For(i18n.Negotiate(r))
	out := List[NotificationOut]{Items: []NotificationOut{}}
	for _, n := range ns {
		out.Items = append(out.Items, NotificationOut{ID: n.ID, Kind: n.Kind, Title: n.Item.Text(tr), URL: s.baseURL + n.Item.Path,
			Reason: n.Reason, Created: n.CreatedAt, Read: !n.ReadAt.IsZero()})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *notificationsAPI) read(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.MarkRead(r.Context(), account.ActorFrom(r.Context())); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// FollowOut is one follow.
type FollowOut struct {
	ID   int64  `json:"id"`
	What string `json:"what"`
	Ref  string `json:"ref"`
}

func (s *notificationsAPI) follows(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.svc.Follows(r.Context(), account.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	out := List[FollowOut]{Items: []FollowOut{}}
	for _, f := range fs {
		out.Items = append(out.Items, FollowOut{ID: f.ID, What: f.What, Ref: f.Ref})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// FollowInput is a new follow: what is org (ref: its id), kind (event,
// board) or thread (ref: "event:12").
type FollowInput struct {
	What string `json:"what"`
	Ref  string `json:"ref"`
}

func (s *notificationsAPI) follow(w http.ResponseWriter, r *http.Request) error {
	var in FollowInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	f, err := s.svc.Follow(r.Context(), account.ActorFrom(r.Context()), in.What, in.Ref)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, FollowOut{ID: f.ID, What: f.What, Ref: f.Ref})
	return nil
}

func (s *notificationsAPI) unfollow(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Unfollow(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// EmailInput is the e-mail mode: none, daily or weekly.
type EmailInput struct {
	Mode string `json:"mode"`
}

func (s *notificationsAPI) email(w http.ResponseWriter, r *http.Request) error {
	var in EmailInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	if err := s.svc.SetEmailMode(r.Context(), account.ActorFrom(r.Context()), in.Mode); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
