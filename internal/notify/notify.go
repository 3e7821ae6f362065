// Package notify is the network's notifications: a user follows an
// organisation, a kind (new events, new board posts), a thread or an
// event; what happens there lands in their inbox, and by e-mail at once
// or in a daily or weekly digest. A notification holds only a reference
// (kind and id); its title and link are read through the area's resolver
// as the recipient sees it when the inbox or digest is built, so a digest
// never holds what the recipient may not see (then).
package notify

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// Follow kinds.
const (
	FollowOrg    = "org"    // Ref: organisation id
	FollowKind   = "kind"   // Ref: "event" or "board": everything new of the kind
	FollowThread = "thread" // Ref: "kind:id": comments on one target
)

// Follow is one thing a user follows.
type Follow struct {
	ID     int64
	UserID int64
	What   string
	Ref    string
}

// Item is what a notification is about, resolved for its recipient.
type Item struct {
	Title     string
	Path      string
	Comment   bool   // a new comment: its title is made in the reader's language
	CommentBy string // who wrote it ("" for a former member)
}

// Text is the item's title in tr's language.
func (it *Item) Text(tr *i18n.Translator) string {
	if !it.Comment {
		return it.Title
	}
	who := it.CommentBy
	if who == "" {
		who = tr.T("comment.former_member")
	}
	return tr.T("notify.comment_by", who)
}

// Resolver reads the referenced things among ids that a may see, in one
// go (an inbox page is one call per kind); the others are left out.
type Resolver func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*Item, error)

// Notification is one inbox entry.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string // the referenced thing's kind: event, board, comment
	RefID     int64
	Reason    string // why: the follow ("org", "kind", "thread")
	CreatedAt time.Time
	ReadAt    time.Time

	Item *Item // filled when shown
}

// Email modes: in-app only, or a daily or weekly digest.
const (
	EmailNone   = "none"
	EmailDaily  = "daily"
	EmailWeekly = "weekly"
)

// EmailModes lists them.
var EmailModes = []string{EmailNone, EmailDaily, EmailWeekly}

// Happening is something new that followers hear of.
type Happening struct {
	Kind    string // event, board, comment
	RefID   int64
	OrgIDs  []int64 // organisations it belongs to (followers of these hear)
	Thread  string  // "kind:id" of the thread (comments), or ""
	ActorID int64   // who did it: not told of their own doing
}

// Store keeps follows, notifications, preferences and digest claims.
type Store interface {
	AddFollow(ctx context.Context, f *Follow) error
	DeleteFollow(ctx context.Context, userID, id int64) error
	Follows(ctx context.Context, userID int64) ([]Follow, error)
	// FanOut inserts one notification per follower of h (but the actor),
	// in one statement; it returns the users notified.
	FanOut(ctx context.Context, h Happening, at time.Time) ([]int64, error)
	// Inbox returns a user's newest notifications, at most limit.
	Inbox(ctx context.Context, userID int64, limit int) ([]Notification, error)
	MarkRead(ctx context.Context, userID int64, at time.Time) error
	SetEmailMode(ctx context.Context, userID int64, mode string) error
	EmailMode(ctx context.Context, userID int64) (string, error)
	// DigestUsers lists the users of a mode with something since from.
	DigestUsers(ctx context.Context, mode string, from time.Time, limit int, afterID int64) ([]int64, error)
	// Since returns a user's notifications in [from, to).
	Since(ctx context.Context, userID int64, from, to time.Time, limit int) ([]Notification, error)
	// Claim records that period's digest of userID is being sent; false
	// when another run (or instance) has claimed it.
	Claim(ctx context.Context, userID int64, period string, at time.Time) (bool, error)
	// Secret returns the installation's secret for unsubscribe tokens,
	// made once and shared by every instance.
	Secret(ctx context.Context) ([]byte, error)
}

// Service is the notifications.
type Service struct {
	store     Store
	now       func() time.Time
	resolvers map[string]Resolver
}

// NewService returns a Service over store.
func NewService(store Store) *Service {
	return &Service{store: store, now: time.Now, resolvers: map[string]Resolver{}}
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Register adds the resolver of a kind; one line per area in internal/app.
func (s *Service) Register(kind string, r Resolver) { s.resolvers[kind] = r }

// Happened tells the followers of h; errors are the caller's to log.
func (s *Service) Happened(ctx context.Context, h Happening) ([]int64, error) {
	return s.store.FanOut(ctx, h, s.now().UTC())
}

// Follow adds a follow for a.
func (s *Service) Follow(ctx context.Context, a *account.Actor, what, ref string) (*Follow, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	ref = strings.TrimSpace(ref)
	ok := false
	switch what {
	case FollowOrg:
		id, err := strconv.ParseInt(ref, 10, 64)
		ok = err == nil && id > 0
	case FollowKind:
		ok = ref == "event" || ref == "board"
	case FollowThread:
		k, id, found := strings.Cut(ref, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		ok = found && err == nil && n > 0 && s.resolvers[k] != nil
	}
	if !ok {
		return nil, errs.Fields{"ref": "notify.follow_invalid"}.Err()
	}
	f := &Follow{UserID: a.UserID(), What: what, Ref: ref}
	if err := s.store.AddFollow(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// Unfollow removes one of a's follows.
func (s *Service) Unfollow(ctx context.Context, a *account.Actor, id int64) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.DeleteFollow(ctx, a.UserID(), id)
}

// Follows lists a's follows.
func (s *Service) Follows(ctx context.Context, a *account.Actor) ([]Follow, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.Follows(ctx, a.UserID())
}

// InboxMax bounds the inbox.
const InboxMax = 50

// Inbox returns a's newest notifications that a may see now, resolved.
func (s *Service) Inbox(ctx context.Context, a *account.Actor) ([]Notification, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	ns, err := s.store.Inbox(ctx, a.UserID(), InboxMax)
	if err != nil {
		return nil, err
	}
	return s.visible(ctx, a, ns), nil
}

// visible keeps the notifications whose thing a may see, resolved.
func (s *Service) visible(ctx context.Context, a *account.Actor, ns []Notification) []Notification {
	byKind := map[string][]int64{}
	for _, n := range ns {
		if !slices.Contains(byKind[n.Kind], n.RefID) {
			byKind[n.Kind] = append(byKind[n.Kind], n.RefID)
		}
	}
	items := map[string]map[int64]*Item{}
	for kind, ids := range byKind {
		if r := s.resolvers[kind]; r != nil {
			if m, err := r(ctx, a, ids); err == nil {
				items[kind] = m
			}
		}
	}
	out := ns[:0]
	for _, n := range ns {
		if it := items[n.Kind][n.RefID]; it != nil {
			n.Item = it
			out = append(out, n)
		}
	}
	return out
}

// MarkRead marks all of a's notifications read.
func (s *Service) MarkRead(ctx context.Context, a *account.Actor) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.MarkRead(ctx, a.UserID(), s.now().UTC())
}

// SetEmailMode sets how a hears by e-mail.
func (s *Service) SetEmailMode(ctx context.Context, a *account.Actor, mode string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !slices.Contains(EmailModes, mode) {
		return errs.Fields{"mode": "notify.mode_invalid"}.Err()
	}
	return s.store.SetEmailMode(ctx, a.UserID(), mode)
}

// EmailMode returns a's e-mail mode.
func (s *Service) EmailMode(ctx context.Context, a *account.Actor) (string, error) {
	if !a.SignedIn() {
		return "", errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.EmailMode(ctx, a.UserID())
}
