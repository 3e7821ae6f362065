package ui

import (
	"context"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
)

// homeTTL is how long the front page's lists are kept for the public.
//
// A short time rather than invalidation on write: organisations, works
// and posts change on any instance, and telling every instance of every
// write would need a channel through the database for a page that may
// show a change a few seconds late. So no instance shows the public lists
// older than homeTTL, with no coordination; signed-in viewers, whose
// lists differ by membership, are never served from the cache.
const homeTTL = 5 * time.Second

// homeLists are the front page's lists, the same for everyone who is
// not signed in.
type homeLists struct {
	Recent  []account.Organisation
	Total   int
	Regions int
	News    News
}

// homeCache keeps the public's homeLists for homeTTL. Its zero value is
// empty and ready.
type homeCache struct {
	mu     sync.Mutex
	lists  *homeLists
	expiry time.Time
}

// homeLists returns the front page's lists for a: from the cache for the
// public, read fresh for the signed in.
func (s *Server) homeLists(ctx context.Context, a *account.Actor) (*homeLists, error) {
	if a.SignedIn() {
		return s.loadHomeLists(ctx, a)
	}
	c := &s.home
	now := time.Now()
	c.mu.Lock()
	if c.lists != nil && now.Before(c.expiry) {
		l := c.lists
		c.mu.Unlock()
		return l, nil
	}
	c.mu.Unlock()
	l, err := s.loadHomeLists(ctx, a)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.lists, c.expiry = l, now.Add(homeTTL)
	c.mu.Unlock()
	return l, nil
}

// loadHomeLists reads the lists: the counts by kind, the most recently
// changed organisations and the news, each bounded.
func (s *Server) loadHomeLists(ctx context.Context, a *account.Actor) (*homeLists, error) {
	l := &homeLists{}
	counts, err := s.cfg.Accounts.CountOrganisations(ctx, a)
	if err != nil {
		return nil, err
	}
	for kind, n := range counts {
		l.Total += n
		if kind == account.KindRegion {
			l.Regions = n
		}
	}
	if l.Recent, err = s.cfg.Accounts.Organisations(ctx, a, account.OrgFilter{Recent: true, Limit: homeRecent}); err != nil {
		return nil, err
	}
	if l.News, err = s.news(ctx, a); err != nil {
		return nil, err
	}
	return l, nil
}
