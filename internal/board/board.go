// Package board is the network's collaboration board: an organisation
// posts a need or an offer (co-host a workshop, borrow a facilitator,
// procure expert support jointly, share data or an analysis, a learning
// visit), others express interest with a message, the poster picks
// partners, and the post moves from open to matched to done.
package board

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of board posts.
const Kind = "board"

// Kinds of post.
const (
	Need  = "need"
	Offer = "offer"
)

// Topics a post is about (catalogue keys "board.topic.<topic>").
var Topics = []string{"cohost_workshop", "borrow_facilitator", "joint_procurement", "share_data", "learning_visit"}

// Statuses.
const (
	Open    = "open"
	Matched = "matched"
	Done    = "done"
)

// Statuses lists them in order.
var Statuses = []string{Open, Matched, Done}

// Visibilities: the whole web or signed-in users.
const (
	Public  = "public"
	Network = "network"
)

// Limits.
const (
	MaxTitleLen = 200
	MaxBodyLen  = 10000
	MaxMessage  = 2000
	MaxList     = 100
)

// Post is a need or an offer.
type Post struct {
	ID             int64
	OrganisationID int64
	AuthorID       int64
	Kind           string
	Topic          string
	Title          string
	Body           string // Markdown
	Visibility     string
	Status         string
	Source         string
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Read when loaded.
	OrgSlug, OrgName string
	OrgPublic        bool
	Interests        []Interest
}

// Interest is an organisation's answer to a post.
type Interest struct {
	ID             int64
	PostID         int64
	OrganisationID int64
	UserID         int64
	Message        string
	Chosen         bool // picked as a partner
	CreatedAt      time.Time
	OrgName        string
	OrgSlug        string
	UserName       string
}

// Validate normalises p and reports invalid fields.
func (p *Post) Validate() error {
	f := errs.Fields{}
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	switch {
	case p.Title == "":
		f["title"] = "board.title_required"
	case utf8.RuneCountInString(p.Title) > MaxTitleLen:
		f["title"] = "error.too_long"
	}
	if utf8.RuneCountInString(p.Body) > MaxBodyLen {
		f["body"] = "error.too_long"
	}
	if strings.ContainsRune(p.Title+p.Body, 0) {
		f["body"] = "error.invalid_chars"
	}
	if p.Kind != Need && p.Kind != Offer {
		f["kind"] = "board.kind_invalid"
	}
	if !slices.Contains(Topics, p.Topic) {
		f["topic"] = "board.topic_invalid"
	}
	if p.Visibility == "" {
		p.Visibility = Network
	}
	if p.Visibility != Public && p.Visibility != Network {
		f["visibility"] = "board.visibility_invalid"
	}
	if p.OrganisationID <= 0 {
		f["organisation"] = "board.organisation_required"
	}
	return f.Err()
}

// Scope is who may find the post.
func (p *Post) Scope() search.Scope {
	if !p.OrgPublic {
		return search.ScopeOrganisation
	}
	return search.Scope(p.Visibility)
}

// Partners are the organisations the poster picked.
func (p *Post) Partners() []Interest {
	var out []Interest
	for _, i := range p.Interests {
		if i.Chosen {
			out = append(out, i)
		}
	}
	return out
}

// SearchDocument is the post in the index.
func (p *Post) SearchDocument() search.Document {
	return search.Document{Kind: Kind, ID: p.ID, Scope: p.Scope(), Owner: p.OrganisationID, Orgs: []int64{p.OrganisationID},
		Title: p.Title, Body: search.MarkdownText(p.Body), Date: p.CreatedAt,
		Tags: []string{search.Tag("topic", p.Topic), search.Tag("status", p.Status), search.Tag("kind", p.Kind)}}
}

// CanSee: by visibility, narrowed to members when the organisation is hidden.
func CanSee(a *account.Actor, p *Post) bool {
	return account.ViewerOf(a).CanSee(p.Scope(), p.OrganisationID, []int64{p.OrganisationID})
}

// CanManage: editors of the posting organisation pick partners and set the status.
func CanManage(a *account.Actor, p *Post) bool {
	return a.HasRole(p.OrganisationID, account.RoleEditor)
}

// Store keeps board posts; each method is one transaction.
type Store interface {
	CreatePost(ctx context.Context, p *Post) error
	Post(ctx context.Context, id int64) (*Post, error)
	PostsByID(ctx context.Context, ids []int64) ([]Post, error)
	ListPosts(ctx context.Context, q Query) ([]Post, error)
	// AddInterest inserts an interest; Conflict if the organisation has one.
	AddInterest(ctx context.Context, i *Interest) error
	// Choose marks an interest of the post as a partner and the post matched (if open).
	Choose(ctx context.Context, postID, interestID int64, at time.Time) error
	SetStatus(ctx context.Context, postID int64, status string, at time.Time) error
}

// Query selects posts; visibility included.
type Query struct {
	Viewer         search.Viewer
	Kind, Topic    string
	Status         string
	OrganisationID int64
	BeforeID       int64 // cursor: older than this id
	Limit          int
}

// Service is the board.
type Service struct {
	store   Store
	now     func() time.Time
	created func(ctx context.Context, p *Post)
}

// OnCreated sets what hears of a new post (the followers' notifications).
func (s *Service) OnCreated(fn func(ctx context.Context, p *Post)) { s.created = fn }

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// Create posts p as a, an editor of p.OrganisationID.
func (s *Service) Create(ctx context.Context, a *account.Actor, p *Post) (*Post, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !a.HasRole(p.OrganisationID, account.RoleEditor) {
		return nil, errs.E(errs.Forbidden, "board.forbidden")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	p.ID, p.AuthorID, p.Status, p.CreatedAt, p.UpdatedAt = 0, a.UserID(), Open, now, now
	if err := s.store.CreatePost(ctx, p); err != nil {
		return nil, err
	}
	got, err := s.store.Post(ctx, p.ID)
	if err == nil && s.created != nil {
		s.created(ctx, got)
	}
	return got, err
}

// Get returns a post a may see; interests' messages only to signed-in users.
func (s *Service) Get(ctx context.Context, a *account.Actor, id int64) (*Post, error) {
	p, err := s.store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, p) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	if !a.SignedIn() {
		for i := range p.Interests {
			p.Interests[i].Message, p.Interests[i].UserName = "", ""
		}
	}
	return p, nil
}

// List returns posts a may see.
func (s *Service) List(ctx context.Context, a *account.Actor, q Query) ([]Post, error) {
	if q.Kind != "" && q.Kind != Need && q.Kind != Offer {
		return nil, errs.Fields{"kind": "board.kind_invalid"}.Err()
	}
	if q.Topic != "" && !slices.Contains(Topics, q.Topic) {
		return nil, errs.Fields{"topic": "board.topic_invalid"}.Err()
	}
	if q.Status != "" && !slices.Contains(Statuses, q.Status) {
		return nil, errs.Fields{"status": "board.status_invalid"}.Err()
	}
	q.Viewer = account.ViewerOf(a)
	if q.Limit <= 0 || q.Limit > MaxList+1 {
		q.Limit = MaxList
	}
	return s.store.ListPosts(ctx, q)
}

// ByIDFor reads the posts among ids once for many readers: the function
// it returns gives a post as a may see it, nil when a may not (or it does
// not exist).
func (s *Service) ByIDFor(ctx context.Context, ids []int64) (func(a *account.Actor, id int64) *Post, error) {
	ps, err := s.store.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Post, len(ps))
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
	}
	return func(a *account.Actor, id int64) *Post {
		if p := byID[id]; p != nil && CanSee(a, p) {
			return p
		}
		return nil
	}, nil
}

// ByID returns the posts among ids a may see.
func (s *Service) ByID(ctx context.Context, a *account.Actor, ids []int64) ([]Post, error) {
	ps, err := s.store.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := ps[:0]
	for _, p := range ps {
		if CanSee(a, &p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Interest expresses orgID's interest in post id with a message, as a
// member of orgID; not for the posting organisation itself.
func (s *Service) Interest(ctx context.Context, a *account.Actor, id, orgID int64, message string) (*Post, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	p, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !a.HasRole(orgID, account.RoleMember) {
		return nil, errs.E(errs.Forbidden, "board.interest_forbidden")
	}
	message = strings.TrimSpace(message)
	f := errs.Fields{}
	switch {
	case orgID == p.OrganisationID:
		f["organisation"] = "board.own_post"
	case message == "":
		f["message"] = "board.message_required"
	case utf8.RuneCountInString(message) > MaxMessage || strings.ContainsRune(message, 0):
		f["message"] = "error.too_long"
	}
	if p.Status == Done {
		f["message"] = "board.closed"
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.store.AddInterest(ctx, &Interest{PostID: id, OrganisationID: orgID, UserID: a.UserID(), Message: message, CreatedAt: s.now().UTC()})
	if errs.Is(err, errs.Conflict) {
		return nil, errs.Wrap(errs.Conflict, "board.already_interested", err)
	}
	if err != nil {
		return nil, err
	}
	return s.store.Post(ctx, id)
}

func (s *Service) managed(ctx context.Context, a *account.Actor, id int64) (*Post, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	p, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanManage(a, p) {
		return nil, errs.E(errs.Forbidden, "board.forbidden")
	}
	return p, nil
}

// Choose picks an interest as a partner; the post is then matched.
func (s *Service) Choose(ctx context.Context, a *account.Actor, id, interestID int64) error {
	p, err := s.managed(ctx, a, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(p.Interests, func(i Interest) bool { return i.ID == interestID }) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	return s.store.Choose(ctx, id, interestID, s.now().UTC())
}

// SetStatus sets open, matched or done.
func (s *Service) SetStatus(ctx context.Context, a *account.Actor, id int64, status string) error {
	if _, err := s.managed(ctx, a, id); err != nil {
		return err
	}
	if !slices.Contains(Statuses, status) {
		return errs.Fields{"status": "board.status_invalid"}.Err()
	}
	return s.store.SetStatus(ctx, id, status, s.now().UTC())
}
