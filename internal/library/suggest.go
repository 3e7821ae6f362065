package library

import (
	"context"
	"sync"
	"time"
)

// Suggestions are the methods and themes the public works use most: the
// filter offers them, so a visitor sees what there is to filter by and
// spells it as the works do.
type Suggestions struct {
	Methods, Themes []string
}

// suggestTTL is how long Suggestions are served before they are counted
// again; counting groups every public work's tags (~100 ms at 100,000
// works), too much for every list page.
const suggestTTL = 10 * time.Minute

// suggestLimit bounds each list: a datalist of forty is still readable.
const suggestLimit = 40

type suggestCache struct {
	mu   sync.Mutex
	s    Suggestions
	at   time.Time
	busy bool
}

// Suggestions returns the methods and themes most public works carry. Only
// public works count, so a draft's or an organisation's own words are
// never offered to others. A stale answer is served while a fresh one is
// counted in the background; the first is counted at once.
func (s *Service) Suggestions(ctx context.Context) (Suggestions, error) {
	c := &s.suggest
	c.mu.Lock()
	cur, at := c.s, c.at
	refresh := !at.IsZero() && s.now().Sub(at) > suggestTTL && !c.busy
	if refresh {
		c.busy = true
	}
	c.mu.Unlock()
	switch {
	case at.IsZero():
		return s.countSuggestions(ctx)
	case refresh:
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			s.countSuggestions(ctx) // on error the stale answer stays, and the next page tries again
		}()
	}
	return cur, nil
}

func (s *Service) countSuggestions(ctx context.Context) (Suggestions, error) {
	var out Suggestions
	var err error
	out.Methods, err = s.store.PopularTags(ctx, "method", suggestLimit)
	if err == nil {
		out.Themes, err = s.store.PopularTags(ctx, "theme", suggestLimit)
	}
	c := &s.suggest
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = false
	if err != nil {
		return c.s, err
	}
	c.s, c.at = out, s.now()
	return out, nil
}
