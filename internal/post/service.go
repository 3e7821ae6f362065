package post

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
)

// Service is the posts of organisations: validation, permissions and
// listing over a Store. The pages call it; the organisation a post
// belongs to is checked by the caller (account.Service.Organisation
// answers NotFound for an organisation the actor may not see).
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service over store.
func NewService(store Store) *Service {
	return &Service{store: store, now: time.Now}
}

// SetClock replaces the clock, for tests and for dated demo posts.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Limits on lists.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Create publishes p for p.OrganisationID as a. A post given neither a
// date nor a precision is dated the day it is made; one with
// library.DateUnknown stays undated. Unauthorized for the public,
// Forbidden unless a posts for the organisation, Invalid with field keys
// for bad input.
func (s *Service) Create(ctx context.Context, a *account.Actor, p *Post) (*Post, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !CanPost(a, p.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "post.forbidden")
	}
	now := s.now().UTC()
	if p.Date.IsZero() && p.DatePrecision == "" {
		p.Date, p.DatePrecision = now, library.DateDay
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.ID, p.AuthorID, p.CreatedAt, p.UpdatedAt = 0, a.UserID(), now, now
	if err := s.store.CreatePost(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Get returns a post a may see; a hidden post is NotFound.
func (s *Service) Get(ctx context.Context, a *account.Actor, id int64) (*Post, error) {
	p, err := s.store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, p) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return p, nil
}

// editable loads a post of orgID that a may edit: NotFound if it is not
// the organisation's or a may not see it, Forbidden if a may see but not
// edit it.
func (s *Service) editable(ctx context.Context, a *account.Actor, orgID, id int64) (*Post, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	p, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if p.OrganisationID != orgID {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	if !CanEdit(a, p) {
		return nil, errs.E(errs.Forbidden, "post.forbidden")
	}
	return p, nil
}

// Update saves a new body, visibility and date for the post p.ID of
// p.OrganisationID; the author and creation time stay, and so does the
// date when p gives neither a date nor a precision.
func (s *Service) Update(ctx context.Context, a *account.Actor, p *Post) (*Post, error) {
	old, err := s.editable(ctx, a, p.OrganisationID, p.ID)
	if err != nil {
		return nil, err
	}
	if p.Date.IsZero() && p.DatePrecision == "" {
		p.Date, p.DatePrecision = old.Date, old.DatePrecision
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Body == old.Body && p.Visibility == old.Visibility && p.Date.Equal(old.Date) && p.DatePrecision == old.DatePrecision {
		return old, nil
	}
	old.Body, old.Visibility, old.UpdatedAt = p.Body, p.Visibility, s.now().UTC()
	old.Date, old.DatePrecision = p.Date, p.DatePrecision
	if err := s.store.UpdatePost(ctx, old); err != nil {
		return nil, err
	}
	return old, nil
}

// Delete removes the post id of orgID.
func (s *Service) Delete(ctx context.Context, a *account.Actor, orgID, id int64) error {
	if _, err := s.editable(ctx, a, orgID, id); err != nil {
		return err
	}
	return s.store.DeletePost(ctx, id)
}

// List returns the newest posts a may see, of one organisation (orgID)
// or of all (0), at most limit (0: DefaultLimit).
func (s *Service) List(ctx context.Context, a *account.Actor, orgID int64, limit int) ([]Post, error) {
	return s.ListBefore(ctx, a, orgID, limit, time.Time{}, 0)
}

// Recent returns the posts a may see, of one organisation (orgID) or of
// all (0), last changed first, at most limit (0: DefaultLimit): what a
// feed carries, where an edited post or one made public is news again.
func (s *Service) Recent(ctx context.Context, a *account.Actor, orgID int64, limit int) ([]Post, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return s.store.ListPosts(ctx, ListQuery{OrganisationID: orgID, Viewer: account.ViewerOf(a), Recent: true, Limit: min(limit, MaxLimit)})
}

// ListBefore is List from a position: the posts older than the one
// created at before with id beforeID.
func (s *Service) ListBefore(ctx context.Context, a *account.Actor, orgID int64, limit int, before time.Time, beforeID int64) ([]Post, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return s.store.ListPosts(ctx, ListQuery{OrganisationID: orgID, Viewer: account.ViewerOf(a),
		Before: before, BeforeID: beforeID, Limit: min(limit, MaxLimit)})
}

// ByID returns the posts among ids that a may see, in the order of ids,
// for resolving search hits of Kind.
func (s *Service) ByID(ctx context.Context, a *account.Actor, ids []int64) ([]Post, error) {
	posts, err := s.store.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := posts[:0]
	for _, p := range posts {
		if CanSee(a, &p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// OrgRefs returns, by id, the organisations among ids that a may see
// (public profiles, and hidden ones a is a member of), to name the owners
// of works and posts in lists without loading every organisation.
func (s *Service) OrgRefs(ctx context.Context, a *account.Actor, ids []int64) (map[int64]OrgRef, error) {
	refs, err := s.store.OrgRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]OrgRef, len(refs))
	for _, o := range refs {
		if o.Public || a.HasRole(o.ID, account.RoleMember) {
			out[o.ID] = o
		}
	}
	return out, nil
}
