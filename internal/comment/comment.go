// Package comment is one comment component for every kind of thing that
// takes comments (works, events, board posts, and crosses and analyses
// when they come): each kind registers how to find its target as the
// caller sees it, and comments follow that target's visibility. One level
// of replies, Markdown (sanitised when shown), edit within 15 minutes,
// delete one's own, moderators hide with a reason.
package comment

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/markdown"
)

// Limits.
const (
	MaxBodyLen   = 5000
	MaxReasonLen = 500
	EditWindow   = 15 * time.Minute
	MaxThread    = 500
	MaxMentions  = 10 // the first so many handles of a comment are notified
)

// Target is what a comment is on, as the caller may see it.
type Target struct {
	Path       string  // its page, for links back
	Moderators []int64 // organisations whose admins moderate its comments
}

// Resolver finds a target by id as a sees it: errs.NotFound when it does
// not exist or a may not see it.
type Resolver func(ctx context.Context, a *account.Actor, id int64) (*Target, error)

// Kind registers a kind of target: the one line each area adds.
type Kind struct {
	Name    string
	Resolve Resolver
}

// Comment is one comment or reply.
type Comment struct {
	ID           int64
	Kind         string
	TargetID     int64
	ParentID     int64 // 0 for a top-level comment
	AuthorID     int64 // 0 when the account is gone
	AuthorName   string
	Body         string
	CreatedAt    time.Time
	EditedAt     time.Time
	Deleted      bool // removed by its author; kept as a stub while it has replies
	HiddenReason string
	HiddenBy     string
	// Mentions are the people its body @mentions by handle, for
	// rendering (markdown.HTMLWith); unknown handles are not there.
	Mentions map[string]markdown.Person

	Replies []Comment // filled for top-level comments in a thread
}

// Hidden reports whether a moderator hid the comment.
func (c Comment) Hidden() bool { return c.HiddenReason != "" }

// Store keeps comments; each method is one transaction.
type Store interface {
	CreateComment(ctx context.Context, c *Comment) error
	Comment(ctx context.Context, id int64) (*Comment, error)
	// Thread returns a target's comments, oldest first, at most limit.
	Thread(ctx context.Context, kind string, targetID int64, limit int) ([]Comment, error)
	UpdateBody(ctx context.Context, id int64, body string, at time.Time) error
	// Delete removes a comment, or keeps it as a stub when it has replies.
	Delete(ctx context.Context, id int64) error
	Hide(ctx context.Context, id, by int64, reason string) error
}

// Service is the comments of every registered kind.
type Service struct {
	store Store
	now   func() time.Time
	mu    sync.RWMutex
	kinds map[string]Resolver
	added func(ctx context.Context, c *Comment, t *Target, mentioned []int64)

	people    func(ctx context.Context, handles []string) (map[string]account.User, error)
	actorOf   func(ctx context.Context, userID int64) (*account.Actor, error)
	mentioned func(ctx context.Context, c *Comment, users []int64)
}

// OnAdded sets what hears of a new comment (the thread's followers);
// mentioned are the users it notifies as @mentioned (OnMentioned), whom
// the thread need not tell again.
func (s *Service) OnAdded(fn func(ctx context.Context, c *Comment, t *Target, mentioned []int64)) {
	s.added = fn
}

// SetPeople sets how handles are found (the users by handle) and how a
// mentioned user's view is made (account.Service.ActorOf); without them
// mentions stay text and nobody is told.
func (s *Service) SetPeople(people func(ctx context.Context, handles []string) (map[string]account.User, error),
	actorOf func(ctx context.Context, userID int64) (*account.Actor, error)) {
	s.people, s.actorOf = people, actorOf
}

// OnMentioned sets what tells the users a new comment, or an edit's new
// mentions, @mention: only those who may see its target, never its
// author, of the first MaxMentions handles.
func (s *Service) OnMentioned(fn func(ctx context.Context, c *Comment, users []int64)) {
	s.mentioned = fn
}

// fillMentions sets the Mentions of cs (and their replies) from one
// look-up of every handle they write.
func (s *Service) fillMentions(ctx context.Context, cs []*Comment) error {
	if s.people == nil {
		return nil
	}
	per := make([][]string, len(cs))
	var all []string
	for i, c := range cs {
		if c.Body == "" {
			continue
		}
		per[i] = markdown.Mentions(c.Body)
		for _, h := range per[i] {
			if !slices.Contains(all, h) {
				all = append(all, h)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	users, err := s.people(ctx, all)
	if err != nil {
		return err
	}
	for i, c := range cs {
		for _, h := range per[i] {
			if u, ok := users[h]; ok {
				if c.Mentions == nil {
					c.Mentions = map[string]markdown.Person{}
				}
				c.Mentions[h] = markdown.Person{Name: u.Name}
			}
		}
	}
	return nil
}

// mentionedUsers are the users body's first MaxMentions handles (but
// those of before) name who may see c's target, without c's author.
func (s *Service) mentionedUsers(ctx context.Context, c *Comment, body, before string) []int64 {
	if s.people == nil || s.actorOf == nil {
		return nil
	}
	handles := markdown.Mentions(body)
	if len(handles) > MaxMentions {
		handles = handles[:MaxMentions]
	}
	if before != "" {
		old := markdown.Mentions(before)
		handles = slices.DeleteFunc(handles, func(h string) bool { return slices.Contains(old, h) })
	}
	if len(handles) == 0 {
		return nil
	}
	users, err := s.people(ctx, handles)
	if err != nil {
		return nil
	}
	var out []int64
	for _, h := range handles {
		u, ok := users[h]
		if !ok || u.ID == c.AuthorID || u.Disabled || slices.Contains(out, u.ID) {
			continue
		}
		// The same check as the thread's: a user who may not see the
		// target hears nothing of the comment.
		a, err := s.actorOf(ctx, u.ID)
		if err != nil || a == nil || !a.SignedIn() {
			continue
		}
		if _, err := s.target(ctx, a, c.Kind, c.TargetID); err != nil {
			continue
		}
		out = append(out, u.ID)
	}
	return out
}

// NewService returns a Service over store with no kinds.
func NewService(store Store) *Service {
	return &Service{store: store, now: time.Now, kinds: map[string]Resolver{}}
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Register adds a kind of target.
func (s *Service) Register(k Kind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kinds[k.Name] = k.Resolve
}

// Kinds lists the registered kinds.
func (s *Service) Kinds() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for k := range s.kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// target resolves kind and id as a sees it; an unknown kind is NotFound.
func (s *Service) target(ctx context.Context, a *account.Actor, kind string, id int64) (*Target, error) {
	s.mu.RLock()
	r, ok := s.kinds[kind]
	s.mu.RUnlock()
	if !ok || id <= 0 {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return r(ctx, a, id)
}

// Thread returns a target's comments as a may see them: NotFound when a
// may not see the target. Hidden comments keep their place with the
// reason (moderators and their author still read them).
func (s *Service) Thread(ctx context.Context, a *account.Actor, kind string, id int64) ([]Comment, *Target, error) {
	t, err := s.target(ctx, a, kind, id)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.store.Thread(ctx, kind, id, MaxThread)
	if err != nil {
		return nil, nil, err
	}
	ptrs := make([]*Comment, len(all))
	for i := range all {
		if all[i].Hidden() && !(all[i].AuthorID == a.UserID() && a.SignedIn()) && !CanModerate(a, t) {
			all[i].Body = ""
		}
		ptrs[i] = &all[i]
	}
	if err := s.fillMentions(ctx, ptrs); err != nil {
		return nil, nil, err
	}
	var top []Comment
	at := map[int64]int{}
	for _, c := range all {
		if c.ParentID == 0 {
			at[c.ID] = len(top)
			top = append(top, c)
		} else if i, ok := at[c.ParentID]; ok {
			top[i].Replies = append(top[i].Replies, c)
		}
	}
	return top, t, nil
}

// CanModerate: admins of the target's organisations and platform admins.
func CanModerate(a *account.Actor, t *Target) bool {
	if a.IsAdmin() {
		return true
	}
	for _, o := range t.Moderators {
		if a.HasRole(o, account.RoleAdmin) {
			return true
		}
	}
	return false
}

func cleanBody(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", errs.Fields{"body": "comment.body_required"}.Err()
	case utf8.RuneCountInString(body) > MaxBodyLen:
		return "", errs.Fields{"body": "comment.body_too_long"}.Err()
	case strings.ContainsRune(body, 0):
		return "", errs.Fields{"body": "error.invalid_chars"}.Err()
	}
	return body, nil
}

// Add comments on (kind, id) as a, or replies to parentID: NotFound for a
// target a may not see, Invalid for a reply to a reply.
func (s *Service) Add(ctx context.Context, a *account.Actor, kind string, id, parentID int64, body string) (*Comment, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	t, err := s.target(ctx, a, kind, id)
	if err != nil {
		return nil, err
	}
	body, err = cleanBody(body)
	if err != nil {
		return nil, err
	}
	if parentID != 0 {
		p, err := s.store.Comment(ctx, parentID)
		if err != nil || p.Kind != kind || p.TargetID != id {
			return nil, errs.Fields{"parent": "comment.parent_invalid"}.Err()
		}
		if p.ParentID != 0 {
			return nil, errs.Fields{"parent": "comment.one_level"}.Err()
		}
	}
	c := &Comment{Kind: kind, TargetID: id, ParentID: parentID, AuthorID: a.UserID(), Body: body, CreatedAt: s.now().UTC()}
	if err := s.store.CreateComment(ctx, c); err != nil {
		return nil, err
	}
	got, err := s.store.Comment(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	mentioned := s.mentionedUsers(ctx, got, got.Body, "")
	if len(mentioned) > 0 && s.mentioned != nil {
		s.mentioned(ctx, got, mentioned)
	}
	if s.added != nil {
		s.added(ctx, got, t, mentioned)
	}
	return got, s.fillMentions(ctx, []*Comment{got})
}

// visible loads a comment whose target a may see.
func (s *Service) visible(ctx context.Context, a *account.Actor, id int64) (*Comment, *Target, error) {
	if !a.SignedIn() {
		return nil, nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.target(ctx, a, c.Kind, c.TargetID)
	if err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// Visible returns a comment that is neither hidden nor deleted, with its
// target, if a may see the target (for notifications).
func (s *Service) Visible(ctx context.Context, a *account.Actor, id int64) (*Comment, *Target, error) {
	c, t, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if c.Hidden() || c.Deleted {
		return nil, nil, errs.E(errs.NotFound, "error.not_found")
	}
	return c, t, nil
}

// Edit changes a's own comment within EditWindow of writing it.
func (s *Service) Edit(ctx context.Context, a *account.Actor, id int64, body string) (*Comment, error) {
	c, _, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if c.AuthorID != a.UserID() || c.Deleted || c.Hidden() {
		return nil, errs.E(errs.Forbidden, "comment.not_yours")
	}
	if s.now().Sub(c.CreatedAt) > EditWindow {
		return nil, errs.E(errs.Forbidden, "comment.edit_window")
	}
	if body, err = cleanBody(body); err != nil {
		return nil, err
	}
	if err := s.store.UpdateBody(ctx, id, body, s.now().UTC()); err != nil {
		return nil, err
	}
	got, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	// Only mentions the edit adds are told; those of before were.
	if added := s.mentionedUsers(ctx, got, got.Body, c.Body); len(added) > 0 && s.mentioned != nil {
		s.mentioned(ctx, got, added)
	}
	return got, s.fillMentions(ctx, []*Comment{got})
}

// Delete removes a's own comment.
func (s *Service) Delete(ctx context.Context, a *account.Actor, id int64) (*Comment, error) {
	c, _, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if c.AuthorID != a.UserID() {
		return nil, errs.E(errs.Forbidden, "comment.not_yours")
	}
	return c, s.store.Delete(ctx, id)
}

// Hide hides a comment with a reason, as a moderator of its target.
func (s *Service) Hide(ctx context.Context, a *account.Actor, id int64, reason string) (*Comment, error) {
	c, t, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanModerate(a, t) {
		return nil, errs.E(errs.Forbidden, "comment.not_moderator")
	}
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLen {
		return nil, errs.Fields{"reason": "comment.reason_required"}.Err()
	}
	return c, s.store.Hide(ctx, id, a.UserID(), reason)
}

// PathOf is the page of a comment's target, for redirects after a form.
func (s *Service) PathOf(ctx context.Context, a *account.Actor, c *Comment) string {
	if t, err := s.target(ctx, a, c.Kind, c.TargetID); err == nil {
		return t.Path
	}
	return "/"
}
