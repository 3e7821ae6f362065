package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// commentPages take the comment forms of every kind; the threads are shown
// by the target's own page through the "comments" partial.
type commentPages struct {
	*Server
	svc *comment.Service
}

// Comments returns the comment forms over svc.
func (s *Server) Comments(svc *comment.Service) route.Area { return &commentPages{Server: s, svc: svc} }

// Register adds the comment forms to t.
func (cp *commentPages) Register(t *route.Table) {
	s, U := cp.Server, route.SignedIn
	t.Handle(U, "POST /kommentarer", s.h(cp.add))
	t.Handle(U, "POST /kommentarer/{id}", s.h(cp.edit))
	t.Handle(U, "POST /kommentarer/{id}/ta-bort", s.h(cp.remove))
	t.Handle(U, "POST /kommentarer/{id}/dolj", s.h(cp.hide))
}

// commentsView is a thread as a page's partial shows it.
type commentsView struct {
	B        *base
	Kind     string
	TargetID int64
	List     []comment.Comment
	Moderate bool
	Now      time.Time
	Error    string
}

// Mine reports whether the viewer wrote c.
func (v *commentsView) Mine(c comment.Comment) bool {
	return v.B.Actor.SignedIn() && c.AuthorID == v.B.Actor.UserID() && !c.Deleted
}

// Editable reports whether the viewer may still edit c.
func (v *commentsView) Editable(c comment.Comment) bool {
	return v.Mine(c) && !c.Hidden() && v.Now.Sub(c.CreatedAt) <= comment.EditWindow
}

// commentItem is one comment with its thread's view, for the partial.
type commentItem struct {
	V *commentsView
	C comment.Comment
}

// Item pairs c with the view.
func (v *commentsView) Item(c comment.Comment) commentItem { return commentItem{V: v, C: c} }

// loadComments fills the view of (kind, id) for page b; nil when the
// service is not wired.
func loadComments(r *http.Request, svc *comment.Service, b *base, kind string, id int64) (*commentsView, error) {
	if svc == nil {
		return nil, nil
	}
	list, t, err := svc.Thread(r.Context(), b.Actor, kind, id)
	if err != nil {
		return nil, err
	}
	return &commentsView{B: b, Kind: kind, TargetID: id, List: list, Moderate: comment.CanModerate(b.Actor, t), Now: time.Now()}, nil
}

func (cp *commentPages) back(w http.ResponseWriter, r *http.Request, c *comment.Comment, flash string) {
	cp.redirect(w, r, cp.svc.PathOf(r.Context(), account.ActorFrom(r.Context()), c)+"#comment-"+strconv.FormatInt(c.ID, 10), flash)
}

// failBack shows a refused comment form's message on the error page (the
// target's page is another area's); nothing was saved.
func (cp *commentPages) failBack(err error) error {
	if e := errs.As(err); e.Kind == errs.Invalid && len(e.Fields) > 0 {
		for _, k := range e.Fields {
			return errs.E(errs.Invalid, k)
		}
	}
	return err
}

func (cp *commentPages) add(w http.ResponseWriter, r *http.Request) error {
	target, err := strconv.ParseInt(r.PostFormValue("target"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "error.not_found")
	}
	var parent int64
	if v := strings.TrimSpace(r.PostFormValue("parent")); v != "" {
		if parent, err = strconv.ParseInt(v, 10, 64); err != nil {
			return errs.E(errs.NotFound, "error.not_found")
		}
	}
	c, err := cp.svc.Add(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("kind"), target, parent, r.PostFormValue("body"))
	if err != nil {
		return cp.failBack(err)
	}
	cp.back(w, r, c, "comment.added")
	return nil
}

func (cp *commentPages) edit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c, err := cp.svc.Edit(r.Context(), account.ActorFrom(r.Context()), id, r.PostFormValue("body"))
	if err != nil {
		return cp.failBack(err)
	}
	cp.back(w, r, c, "comment.saved")
	return nil
}

func (cp *commentPages) remove(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c, err := cp.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	cp.back(w, r, c, "comment.deleted")
	return nil
}

func (cp *commentPages) hide(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c, err := cp.svc.Hide(r.Context(), account.ActorFrom(r.Context()), id, r.PostFormValue("reason"))
	if err != nil {
		return cp.failBack(err)
	}
	cp.back(w, r, c, "comment.hidden")
	return nil
}
