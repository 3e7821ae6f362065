package workshop

import (
	"context"
	"sync"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// SenderOf is ParticipantOf for sending a command (Do): a guest's token is
// read once, or known from their join on this instance, and then
// remembered, so a command spends no read of the database before its rate
// limit (a round trip on PostgreSQL, before the limit's and the workshop
// lock's). That holds for commands alone: a token
// always names the same participant, a guest is never a facilitator, and
// the decision reads the participant again under the workshop's lock,
// refusing one removed since; the refusal also forgets the token. The
// participant returned says who sent the command, not their group: pages
// and streams use ParticipantOf.
func (s *Service) SenderOf(ctx context.Context, a *account.Actor, workshopID int64, cookie func(name string) string, secure bool) (*Participant, error) {
	token := cookie(GuestCookieName(workshopID, secure))
	if token == "" {
		return s.Participant(ctx, a, workshopID, "")
	}
	hash := HashToken(token)
	if p, ok := s.senders.get(hash, workshopID); ok {
		return p, nil
	}
	p, err := s.Participant(ctx, a, workshopID, token)
	if err == nil {
		s.senders.remember(hash, p)
	}
	return p, err
}

// senders are the guests SenderOf remembers, by token hash.
type senders struct {
	mu sync.Mutex
	m  map[string]Participant
}

// maxSenders bounds what is remembered; past it the list starts again
// (a workshop holds at most MaxParticipants).
const maxSenders = 20 * MaxParticipants

func (c *senders) get(hash string, workshopID int64) (*Participant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[hash]
	if !ok || p.WorkshopID != workshopID {
		return nil, false
	}
	return &p, true
}

// remember keeps p as the sender of the token whose hash this is, when p
// is a guest holding that token: a user's participant, or a guest made
// facilitator, is read every time.
func (c *senders) remember(hash string, p *Participant) {
	if p.TokenHash == hash && p.UserID == 0 && p.Role == RoleParticipant {
		c.put(hash, p)
	}
}

func (c *senders) put(hash string, p *Participant) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxSenders {
		c.m = map[string]Participant{}
	}
	q := *p
	q.GroupID = 0 // it changes; the decision reads it under the lock
	c.m[hash] = q
}

// forget drops a guest whose command was refused for who they are
// (removed, or unknown to the workshop), so their next request reads the
// token again and is refused before the rate limit and the lock.
func (c *senders) forget(p *Participant, err error) {
	if p.TokenHash == "" {
		return
	}
	switch errs.As(err).Key {
	case errRemoved.Key, errNotJoined.Key:
		c.mu.Lock()
		delete(c.m, p.TokenHash)
		c.mu.Unlock()
	}
}
