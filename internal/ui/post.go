package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/post"
)

// How much of an organisation's works and posts its page shows.
const (
	orgPageWorks = 20
	orgPagePosts = 10
)

// orgShowPage is an organisation's page: profile, contacts, its works
// and its activity posts ("På gång"), with a post form for its editors.
type orgShowPage struct {
	orgPage
	Works        []library.Work
	MoreWorks    bool
	Crosses      []cross.Cross // the organisation's scenario crosses (cross_home.go)
	Network      Network       // its coming events, board posts and facilitators (network_home.go)
	Posts        []post.Post
	OlderURL     string // the next page of posts, or ""
	CanPost      bool
	Visibilities []post.Visibility
	EditID       int64 // the post whose edit form shows the errors (0: the new post's form)
	PostMax      int
	Today        time.Time     // the new post's date until its author changes it
	IndexProfile *indexProfile // a region's place in the index models (analysis_org.go)
}

// visChoice is the visibility radio group of one post form.
type visChoice struct {
	Page        *orgShowPage
	ID, Current string
}

// VisChoice returns the visibility group with id prefix id and cur checked.
func (p *orgShowPage) VisChoice(id, cur string) visChoice {
	return visChoice{Page: p, ID: id, Current: cur}
}

// NewVisibility is the checked visibility of the new post's form.
func (p *orgShowPage) NewVisibility() string {
	if p.EditID == 0 {
		if v := p.Value("visibility", ""); v != "" {
			return v
		}
	}
	return string(post.Public)
}

// EditVisibility is the checked visibility of a post's edit form.
func (p *orgShowPage) EditVisibility(x post.Post) string {
	if p.EditID == x.ID {
		return p.Value("visibility", string(x.Visibility))
	}
	return string(x.Visibility)
}

// orgShowPage loads the page of the organisation in the path as the
// actor may see it: works and posts with visibility applied.
func (s *organisationPages) orgShowPage(r *http.Request) (*orgShowPage, error) {
	op, err := s.orgPage(r, "")
	if err != nil {
		return nil, err
	}
	p := &orgShowPage{orgPage: *op, Visibilities: post.Visibilities, PostMax: post.MaxBodyLen, Today: time.Now().UTC()}
	p.CanPost = post.CanPost(p.Actor, p.Org.ID)
	ctx := r.Context()
	works, err := s.cfg.Library.List(ctx, p.Actor, library.Filter{OrganisationID: p.Org.ID, Sort: library.SortNewest, Limit: orgPageWorks})
	if err != nil {
		return nil, err
	}
	p.Works, p.MoreWorks = works.Works, works.More
	if p.Crosses, err = s.orgCrosses(ctx, p.Actor, p.Org.ID); err != nil {
		return nil, err
	}
	if p.Network, err = s.network(ctx, p.Actor, p.Org.ID, orgNetworkItems); err != nil {
		return nil, err
	}
	var before time.Time
	var beforeID int64
	if v := r.URL.Query().Get("aldre"); v != "" {
		// "aldre" is the position of the last post of the previous page: ms-id.
		if before, beforeID, err = parsePostCursor(v); err != nil {
			return nil, errs.E(errs.Invalid, "post.cursor_invalid")
		}
	}
	posts, err := s.cfg.Posts.ListBefore(ctx, p.Actor, p.Org.ID, orgPagePosts+1, before, beforeID)
	if err != nil {
		return nil, err
	}
	if len(posts) > orgPagePosts {
		posts = posts[:orgPagePosts]
		last := posts[len(posts)-1]
		p.OlderURL = paths.Organisation(p.Org.Slug) + "?aldre=" + strconv.FormatInt(last.CreatedAt.UnixMilli(), 10) + "-" +
			strconv.FormatInt(last.ID, 10) + "#pa-gang"
	}
	p.Posts = posts
	if p.IndexProfile, err = s.indexProfile(ctx, p.Actor, p.Org, p.Translator); err != nil {
		return nil, err
	}
	return p, nil
}

func parsePostCursor(v string) (time.Time, int64, error) {
	for i := 0; i < len(v); i++ {
		if v[i] == '-' {
			ms, err1 := strconv.ParseInt(v[:i], 10, 64)
			id, err2 := strconv.ParseInt(v[i+1:], 10, 64)
			if err1 != nil || err2 != nil || ms <= 0 || id <= 0 {
				break
			}
			return time.UnixMilli(ms).UTC(), id, nil
		}
	}
	return time.Time{}, 0, errs.E(errs.Invalid, "post.cursor_invalid")
}

// postFromForm reads the post form of a. A date that did not parse is
// an Invalid error with what Validate finds in the rest, so one round
// shows every error; to one who may not post it is Forbidden, as the
// Service would answer.
func postFromForm(r *http.Request, a *account.Actor, orgID int64) (*post.Post, error) {
	p := &post.Post{OrganisationID: orgID, Body: r.PostFormValue("body"), Visibility: post.Visibility(r.PostFormValue("visibility"))}
	bad := errs.Fields{}
	dateFromForm(r, &p.Date, &p.DatePrecision, bad)
	if len(bad) == 0 {
		return p, nil
	}
	if !post.CanPost(a, orgID) {
		return nil, errs.E(errs.Forbidden, "post.forbidden")
	}
	c := *p
	if err := c.Validate(); err != nil {
		for k, v := range errs.As(err).Fields {
			bad[k] = v
		}
	}
	return p, bad.Err()
}

// postsPath is where the organisation page shows its posts.
func postsPath(slug string) string { return paths.Organisation(slug) + "#pa-gang" }

func (s *organisationPages) createPost(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgShowPage(r)
	if err != nil {
		return err
	}
	in, err := postFromForm(r, p.Actor, p.Org.ID)
	if err == nil {
		_, err = s.cfg.Posts.Create(r.Context(), p.Actor, in)
	}
	if err != nil {
		return s.formError(w, r, "organisation", p, err)
	}
	s.redirect(w, r, postsPath(p.Org.Slug), "post.created")
	return nil
}

func (s *organisationPages) updatePost(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgShowPage(r)
	if err != nil {
		return err
	}
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	in, err := postFromForm(r, p.Actor, p.Org.ID)
	if err == nil {
		in.ID = id
		_, err = s.cfg.Posts.Update(r.Context(), p.Actor, in)
	}
	if err != nil {
		p.EditID = id
		n := strconv.FormatInt(id, 10)
		p.errIDs = map[string]string{"body": "body-" + n, "date": "date-" + n}
		return s.formError(w, r, "organisation", p, err)
	}
	s.redirect(w, r, paths.Organisation(p.Org.Slug)+"#post-"+strconv.FormatInt(id, 10), "post.saved")
	return nil
}

func (s *organisationPages) deletePost(w http.ResponseWriter, r *http.Request) error {
	op, err := s.orgPage(r, "")
	if err != nil {
		return err
	}
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Posts.Delete(r.Context(), op.Actor, op.Org.ID, id); err != nil {
		return err
	}
	s.redirect(w, r, postsPath(op.Org.Slug), "post.deleted")
	return nil
}
