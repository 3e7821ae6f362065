package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// commentsAPI serves the comments of every registered kind.
type commentsAPI struct {
	*Server
	svc *comment.Service
}

// Comments returns the comments' API over svc.
func (s *Server) Comments(svc *comment.Service) route.Area { return &commentsAPI{Server: s, svc: svc} }

// Register adds the comments' API to t.
func (s *commentsAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/comments", s.h(s.thread))
	t.Handle(U, "POST /api/v1/comments", s.h(s.add))
	t.Handle(U, "PATCH /api/v1/comments/{id}", s.h(s.edit))
	t.Handle(U, "DELETE /api/v1/comments/{id}", s.h(s.remove))
	t.Handle(U, "POST /api/v1/comments/{id}/hide", s.h(s.hide))
}

// CommentOut is a comment; replies nest one level.
type CommentOut struct {
	ID           int64        `json:"id"`
	Kind         string       `json:"kind"`
	TargetID     int64        `json:"target_id"`
	ParentID     int64        `json:"parent_id,omitempty"`
	Author       string       `json:"author"`
	Body         string       `json:"body"`
	Created      time.Time    `json:"created"`
	Edited       *time.Time   `json:"edited,omitempty"`
	Deleted      bool         `json:"deleted,omitempty"`
	HiddenReason string       `json:"hidden_reason,omitempty"`
	Mentions     []MentionOut `json:"mentions,omitempty"`
	Replies      []CommentOut `json:"replies,omitempty"`
}

// MentionOut is a user the body @mentions by handle, with their name.
type MentionOut struct {
	Handle string `json:"handle"`
	Name   string `json:"name"`
}

func commentOut(c *comment.Comment) CommentOut {
	out := CommentOut{ID: c.ID, Kind: c.Kind, TargetID: c.TargetID, ParentID: c.ParentID, Author: c.AuthorName, Body: c.Body,
		Created: c.CreatedAt, Deleted: c.Deleted, HiddenReason: c.HiddenReason}
	if out.Author == "" {
		out.Author = "tidigare medlem"
	}
	if !c.EditedAt.IsZero() {
		e := c.EditedAt
		out.Edited = &e
	}
	for h, p := range c.Mentions {
		out.Mentions = append(out.Mentions, MentionOut{Handle: h, Name: p.Name})
	}
	slices.SortFunc(out.Mentions, func(a, b MentionOut) int { return strings.Compare(a.Handle, b.Handle) })
	for i := range c.Replies {
		out.Replies = append(out.Replies, commentOut(&c.Replies[i]))
	}
	return out
}

// thread: ?kind=event&target=12, as the caller may see the target.
func (s *commentsAPI) thread(w http.ResponseWriter, r *http.Request) error {
	target, err := strconv.ParseInt(r.URL.Query().Get("target"), 10, 64)
	if err != nil {
		return errs.Fields{"target": "error.invalid"}.Err()
	}
	list, _, err := s.svc.Thread(r.Context(), account.ActorFrom(r.Context()), r.URL.Query().Get("kind"), target)
	if err != nil {
		return err
	}
	out := List[CommentOut]{Items: []CommentOut{}}
	for i := range list {
		out.Items = append(out.Items, commentOut(&list[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// CommentInput is a new comment or reply.
type CommentInput struct {
	Kind     string `json:"kind"`
	TargetID int64  `json:"target_id"`
	ParentID int64  `json:"parent_id"`
	Body     string `json:"body"`
}

func (s *commentsAPI) add(w http.ResponseWriter, r *http.Request) error {
	var in CommentInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	c, err := s.svc.Add(r.Context(), account.ActorFrom(r.Context()), in.Kind, in.TargetID, in.ParentID, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, commentOut(c))
	return nil
}

// CommentEdit is a changed body.
type CommentEdit struct {
	Body string `json:"body"`
}

func (s *commentsAPI) edit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in CommentEdit
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	c, err := s.svc.Edit(r.Context(), account.ActorFrom(r.Context()), id, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, commentOut(c))
	return nil
}

func (s *commentsAPI) remove(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// HideInput is a moderator's reason.
type HideInput struct {
	Reason string `json:"reason"`
}

func (s *commentsAPI) hide(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in HideInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	if _, err := s.svc.Hide(r.Context(), account.ActorFrom(r.Context()), id, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
