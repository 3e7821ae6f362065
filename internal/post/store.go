package post

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// Store keeps posts. Methods return an errs.NotFound error for a missing
// post; each method is one transaction, and every write updates the
// post's search document in that same transaction.
type Store interface {
	// CreatePost inserts p, setting p.ID and the organisation fields.
	CreatePost(ctx context.Context, p *Post) error
	// UpdatePost saves p's body, visibility, date and UpdatedAt.
	UpdatePost(ctx context.Context, p *Post) error
	// DeletePost removes a post and its search document.
	DeletePost(ctx context.Context, id int64) error
	// Post returns a post with its organisation and author fields.
	Post(ctx context.Context, id int64) (*Post, error)
	// PostsByID returns the posts that exist among ids, in the order of ids.
	PostsByID(ctx context.Context, ids []int64) ([]Post, error)
	// OrgRefs returns the organisations among ids, for naming the
	// owners of what the front page lists.
	OrgRefs(ctx context.Context, ids []int64) ([]OrgRef, error)
	// ListPosts returns the posts q.Viewer may see that match q, newest
	// (or with Recent, last changed) first, at most q.Limit of them.
	ListPosts(ctx context.Context, q ListQuery) ([]Post, error)
}

// ListQuery selects posts, visibility included.
type ListQuery struct {
	OrganisationID int64 // 0: every organisation
	Viewer         search.Viewer
	Before         time.Time // created (Recent: changed) before this, or at it with a smaller id (zero: open)
	BeforeID       int64
	Recent         bool // newest change first (updated_at) instead of newest post
	Limit          int
}

// OrgRef is an organisation as a listing names it.
type OrgRef = account.OrgRef
