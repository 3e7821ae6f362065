package ui

import (
	"net/http"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
)

// boardPages serve the collaboration board under /natverket/samarbeten.
type boardPages struct {
	*Server
	svc      *board.Service
	comments *comment.Service // nil: no comments
}

// Board returns the collaboration board's pages over svc, with comments.
func (s *Server) Board(svc *board.Service, comments *comment.Service) route.Area {
	return &boardPages{Server: s, svc: svc, comments: comments}
}

// Register adds the board's pages to t: reading by each post's
// visibility, writing for members and editors.
func (bp *boardPages) Register(t *route.Table) {
	s, P, U := bp.Server, route.Public, route.SignedIn
	t.Handle(P, "GET /natverket/samarbeten", s.h(bp.listPosts))
	t.Handle(U, "POST /natverket/samarbeten", s.h(bp.createPost))
	t.Handle(P, "GET /natverket/samarbeten/{id}", s.h(bp.showPost))
	t.Handle(U, "POST /natverket/samarbeten/{id}/intresse", s.h(bp.interest))
	t.Handle(U, "POST /natverket/samarbeten/{id}/intresse/{interest}/valj", s.h(bp.choose))
	t.Handle(U, "POST /natverket/samarbeten/{id}/status", s.h(bp.setStatus))
}

const boardPerPage = 30

type boardListPage struct {
	base
	Posts    []board.Post
	Topics   []string
	Kind     string
	Topic    string
	Status   string
	Statuses []string
	Orgs     []account.Membership // where the actor may post
	NextURL  string
}

func (bp *boardPages) listPage(r *http.Request) *boardListPage {
	p := &boardListPage{base: bp.base(r, "board.title"), Topics: board.Topics, Statuses: board.Statuses,
		Kind: r.URL.Query().Get("typ"), Topic: r.URL.Query().Get("amne"), Status: r.URL.Query().Get("lage")}
	for _, m := range p.Actor.Memberships {
		if m.Role.AtLeast(account.RoleEditor) {
			p.Orgs = append(p.Orgs, m)
		}
	}
	return p
}

func (bp *boardPages) fillList(r *http.Request, p *boardListPage) error {
	q := board.Query{Kind: p.Kind, Topic: p.Topic, Status: p.Status, Limit: boardPerPage + 1}
	if v := r.URL.Query().Get("fore"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.E(errs.NotFound, "error.not_found")
		}
		q.BeforeID = id
	}
	posts, err := bp.svc.List(r.Context(), p.Actor, q)
	if err != nil {
		return err
	}
	if len(posts) > boardPerPage {
		posts = posts[:boardPerPage]
		p.NextURL = "/natverket/samarbeten?fore=" + strconv.FormatInt(posts[len(posts)-1].ID, 10) + "&typ=" + p.Kind + "&amne=" + p.Topic + "&lage=" + p.Status
	}
	p.Posts = posts
	return nil
}

func (bp *boardPages) listPosts(w http.ResponseWriter, r *http.Request) error {
	p := bp.listPage(r)
	if err := bp.fillList(r, p); err != nil {
		return err
	}
	bp.render(w, r, http.StatusOK, "board", p)
	return nil
}

func (bp *boardPages) createPost(w http.ResponseWriter, r *http.Request) error {
	org, _ := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	in := &board.Post{OrganisationID: org, Kind: r.PostFormValue("kind"), Topic: r.PostFormValue("topic"), Title: r.PostFormValue("title"),
		Body: r.PostFormValue("body"), Visibility: r.PostFormValue("visibility")}
	post, err := bp.svc.Create(r.Context(), account.ActorFrom(r.Context()), in)
	if err != nil {
		p := bp.listPage(r)
		if ferr := bp.fillList(r, p); ferr != nil {
			return ferr
		}
		return bp.formError(w, r, "board", p, err)
	}
	bp.redirect(w, r, "/natverket/samarbeten/"+strconv.FormatInt(post.ID, 10), "board.created")
	return nil
}

type boardPostPage struct {
	base
	P         *board.Post
	CanManage bool
	Orgs      []account.Membership // the actor's organisations that may answer
	Statuses  []string
	Comments  *commentsView
}

func (bp *boardPages) postPage(r *http.Request) (*boardPostPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &boardPostPage{base: bp.base(r, ""), Statuses: board.Statuses}
	if p.P, err = bp.svc.Get(r.Context(), p.Actor, id); err != nil {
		return nil, err
	}
	p.Title = p.P.Title
	p.CanManage = board.CanManage(p.Actor, p.P)
	if p.Comments, err = loadComments(r, bp.comments, &p.base, board.Kind, p.P.ID); err != nil {
		return nil, err
	}
	for _, m := range p.Actor.Memberships {
		if m.OrganisationID != p.P.OrganisationID {
			p.Orgs = append(p.Orgs, m)
		}
	}
	return p, nil
}

func (bp *boardPages) showPost(w http.ResponseWriter, r *http.Request) error {
	p, err := bp.postPage(r)
	if err != nil {
		return err
	}
	bp.render(w, r, http.StatusOK, "board_post", p)
	return nil
}

func (bp *boardPages) interest(w http.ResponseWriter, r *http.Request) error {
	p, err := bp.postPage(r)
	if err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if _, err := bp.svc.Interest(r.Context(), p.Actor, p.P.ID, org, r.PostFormValue("message")); err != nil {
		if errs.Is(err, errs.Conflict) {
			p.Error = errs.As(err).Key
			bp.render(w, r, http.StatusConflict, "board_post", p)
			return nil
		}
		return bp.formError(w, r, "board_post", p, err)
	}
	bp.redirect(w, r, "/natverket/samarbeten/"+strconv.FormatInt(p.P.ID, 10), "board.interest_sent")
	return nil
}

func (bp *boardPages) choose(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	iid, err := httpx.ID(r, "interest")
	if err != nil {
		return err
	}
	if err := bp.svc.Choose(r.Context(), account.ActorFrom(r.Context()), id, iid); err != nil {
		return err
	}
	bp.redirect(w, r, "/natverket/samarbeten/"+strconv.FormatInt(id, 10), "board.partner_chosen")
	return nil
}

func (bp *boardPages) setStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := bp.svc.SetStatus(r.Context(), account.ActorFrom(r.Context()), id, r.PostFormValue("status")); err != nil {
		return err
	}
	bp.redirect(w, r, "/natverket/samarbeten/"+strconv.FormatInt(id, 10), "board.status_saved")
	return nil
}
