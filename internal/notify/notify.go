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
	"github.com/framsyn/framsyn/internal/live"
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
	Mention   bool   // the comment mentions the reader
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
	if it.Mention {
		return tr.T("notify.mention_by", who)
	}
	return tr.T("notify.comment_by", who)
}

// Resolver reads the referenced things among ids that a may see, in one
// go (an inbox page is one call per kind); the others are left out.
type Resolver func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*Item, error)

// Loader reads the referenced things among ids once for many readers (a
// batch of digests: one query per kind, not one per recipient); the
// Check it returns says what each reads as for a, nil when a may not see
// it. A kind whose visibility needs a query per reader has a Resolver
// only.
type Loader func(ctx context.Context, ids []int64) (Check, error)

// Check is a Loader's answer: id as a sees it, or nil.
type Check func(a *account.Actor, id int64) *Item

// Notification is one inbox entry.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string // the referenced thing's kind: event, board, comment
	RefID     int64
	Reason    string // why: the follow ("org", "kind", "thread") or ReasonMention
	Seq       int64  // its place in the recipient's inbox log: 1, 2, 3…
	CreatedAt time.Time
	ReadAt    time.Time

	Item *Item // filled when shown
}

// Email modes: in-app only, each notification at once, or a daily or
// weekly digest.
const (
	EmailNone      = "none"
	EmailImmediate = "immediate"
	EmailDaily     = "daily"
	EmailWeekly    = "weekly"
)

// EmailModes lists them.
var EmailModes = []string{EmailNone, EmailImmediate, EmailDaily, EmailWeekly}

// ReasonMention is the reason of a notification sent to the users a
// comment @mentions (Happening.Users), not to followers.
const ReasonMention = "mention"

// Happening is something new that followers hear of.
type Happening struct {
	Kind    string // event, board, comment
	RefID   int64
	OrgIDs  []int64 // organisations it belongs to (followers of these hear)
	Thread  string  // "kind:id" of the thread (comments), or ""
	ActorID int64   // who did it: not told of their own doing
	// Users, when not empty, are told instead of any follower, with
	// ReasonMention: the caller has checked that each may see the thing.
	Users []int64
	// Except are followers not told (they hear of it as Users already).
	Except []int64
}

// Store keeps follows, notifications, preferences and digest claims.
type Store interface {
	AddFollow(ctx context.Context, f *Follow) error
	DeleteFollow(ctx context.Context, userID, id int64) error
	Follows(ctx context.Context, userID int64) ([]Follow, error)
	// FanOut inserts one notification per follower of h (but the actor),
	// each the next in its recipient's inbox log; it returns them.
	FanOut(ctx context.Context, h Happening, at time.Time) ([]Notification, error)
	// Inbox returns a user's newest notifications, at most limit.
	Inbox(ctx context.Context, userID int64, limit int) ([]Notification, error)
	// InboxLog returns up to limit of a user's notifications with seq
	// after after, in order; LastSeq the seq of the last (0: none).
	InboxLog(ctx context.Context, userID, after int64, limit int) ([]Notification, error)
	LastSeq(ctx context.Context, userID int64) (int64, error)
	// EmailModes returns the chosen modes of those of users who chose one.
	EmailModes(ctx context.Context, users []int64) (map[int64]string, error)
	// ClaimMail records that a notification's immediate e-mail is being
	// sent; false when another instance has.
	ClaimMail(ctx context.Context, id int64, at time.Time) (bool, error)
	// Unmailed returns up to limit notifications made in [from, to) of
	// users who chose immediate e-mail whose mail nobody claimed.
	Unmailed(ctx context.Context, from, to time.Time, limit int) ([]Notification, error)
	MarkRead(ctx context.Context, userID int64, at time.Time) error
	SetEmailMode(ctx context.Context, userID int64, mode string) error
	EmailMode(ctx context.Context, userID int64) (string, error)
	// DigestUsers lists the users of a mode with something since from.
	DigestUsers(ctx context.Context, mode string, from time.Time, limit int, afterID int64) ([]int64, error)
	// Since returns each of users' notifications in [from, to), at most
	// limit each, by user and id.
	Since(ctx context.Context, users []int64, from, to time.Time, limit int) ([]Notification, error)
	// ClaimDigests records that period's digests of users are being sent
	// and returns those it claimed: another run (or instance) has the rest.
	ClaimDigests(ctx context.Context, users []int64, period string, at time.Time) ([]int64, error)
	// Secret returns the installation's secret for unsubscribe tokens,
	// made once and shared by every instance.
	Secret(ctx context.Context) ([]byte, error)
}

// Service is the notifications.
type Service struct {
	store     Store
	now       func() time.Time
	resolvers map[string]Resolver
	loaders   map[string]Loader
	happened  []func(ctx context.Context, ns []Notification)
	broker    live.Broker
	relay     *live.Relay[Notification]
}

// NewService returns a Service over store.
func NewService(store Store) *Service {
	s := &Service{store: store, now: time.Now, resolvers: map[string]Resolver{}, loaders: map[string]Loader{}}
	s.broker = live.NewHub(StreamBuffer)
	s.relay = s.NewRelay(s.broker)
	return s
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Register adds the resolver of a kind; one line per area in internal/app.
func (s *Service) Register(kind string, r Resolver) { s.resolvers[kind] = r }

// RegisterLoader adds a kind's loader: readers then share its reads
// (the inbox uses it too, so the kind needs no Resolver).
func (s *Service) RegisterLoader(kind string, l Loader) {
	s.loaders[kind] = l
	s.resolvers[kind] = func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*Item, error) {
		check, err := l(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*Item, len(ids))
		for _, id := range ids {
			if it := check(a, id); it != nil {
				out[id] = it
			}
		}
		return out, nil
	}
}

// OnHappened adds a function called with the notifications each
// happening made, after their commit (the live inbox, immediate e-mail).
func (s *Service) OnHappened(fn func(ctx context.Context, ns []Notification)) {
	s.happened = append(s.happened, fn)
}

// Happened tells the followers of h, live too; errors are the caller's
// to log.
func (s *Service) Happened(ctx context.Context, h Happening) ([]Notification, error) {
	ns, err := s.store.FanOut(ctx, h, s.now().UTC())
	if err != nil || len(ns) == 0 {
		return ns, err
	}
	err = s.announce(ctx, ns)
	for _, fn := range s.happened {
		fn(ctx, ns)
	}
	return ns, err
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

// Visible keeps those of a's notifications ns whose thing a may see
// now, resolved (the live inbox resolves each as it streams).
func (s *Service) Visible(ctx context.Context, a *account.Actor, ns []Notification) []Notification {
	return s.visible(ctx, a, ns)
}

// visible keeps the notifications whose thing a may see, resolved.
func (s *Service) visible(ctx context.Context, a *account.Actor, ns []Notification) []Notification {
	return s.visibleTo(ctx, map[int64]*account.Actor{a.UserID(): a}, ns)
}

// visibleTo keeps the notifications whose thing their recipient (in
// actors; those not there are left out) may see, resolved: a kind with a
// Loader is read once for all of them, any other through its Resolver
// once per recipient.
func (s *Service) visibleTo(ctx context.Context, actors map[int64]*account.Actor, ns []Notification) []Notification {
	loadIDs := map[string][]int64{}
	resolveIDs := map[string]map[int64][]int64{} // kind → user → ids
	for _, n := range ns {
		if actors[n.UserID] == nil {
			continue
		}
		if s.loaders[n.Kind] != nil {
			if !slices.Contains(loadIDs[n.Kind], n.RefID) {
				loadIDs[n.Kind] = append(loadIDs[n.Kind], n.RefID)
			}
			continue
		}
		if resolveIDs[n.Kind] == nil {
			resolveIDs[n.Kind] = map[int64][]int64{}
		}
		if ids := resolveIDs[n.Kind][n.UserID]; !slices.Contains(ids, n.RefID) {
			resolveIDs[n.Kind][n.UserID] = append(ids, n.RefID)
		}
	}
	checks := map[string]Check{}
	for kind, ids := range loadIDs {
		if c, err := s.loaders[kind](ctx, ids); err == nil {
			checks[kind] = c
		}
	}
	resolved := map[string]map[int64]map[int64]*Item{}
	for kind, users := range resolveIDs {
		r := s.resolvers[kind]
		if r == nil {
			continue
		}
		resolved[kind] = map[int64]map[int64]*Item{}
		for u, ids := range users {
			if m, err := r(ctx, actors[u], ids); err == nil {
				resolved[kind][u] = m
			}
		}
	}
	out := ns[:0]
	for _, n := range ns {
		a := actors[n.UserID]
		if a == nil {
			continue
		}
		var it *Item
		if c := checks[n.Kind]; c != nil {
			it = c(a, n.RefID)
		} else {
			it = resolved[n.Kind][n.UserID][n.RefID]
		}
		if it != nil {
			if n.Reason == ReasonMention && it.Comment {
				m := *it
				m.Mention = true
				it = &m
			}
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
