package workshop

import (
	"context"
	"slices"
	"sync"
)

// The board of a workshop is read whole for every page, fragment and
// board.json (seven queries over every note, rating and vote). Every
// change to a board is an event that bumps the workshop's last sequence
// number in the same transaction (Store.Apply), so a board read at seq n
// is the board for as long as LastSeq says n: the service keeps the last
// board read of each workshop and answers from it after one indexed
// LastSeq query. The check is against the database, so it holds with
// several instances too.

// boardCache holds the last board read of the most recently read
// workshops, unredacted; callers get a copy.
type boardCache struct {
	mu sync.Mutex
	m  map[int64]*Board
}

// boardCacheSize bounds the workshops whose boards are kept: a few
// hundred boards of a few hundred notes each is a few megabytes.
const boardCacheSize = 256

func (c *boardCache) get(wid, seq int64) *Board {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.m[wid]; ok && b.Workshop.Seq == seq {
		return cloneBoard(b)
	}
	return nil
}

func (c *boardCache) put(b *Board) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]*Board{}
	}
	if old, ok := c.m[b.Workshop.ID]; ok && old.Workshop.Seq > b.Workshop.Seq {
		return // a newer board was put meanwhile
	}
	if _, ok := c.m[b.Workshop.ID]; !ok && len(c.m) >= boardCacheSize {
		for k := range c.m { // evict one: any will do, the next read reloads it
			delete(c.m, k)
			break
		}
	}
	c.m[b.Workshop.ID] = cloneBoard(b)
}

// cloneBoard copies b so that neither copy's changes reach the other:
// every slice is copied; their elements hold no references but
// Workshop.RejectedProposals.
func cloneBoard(b *Board) *Board {
	c := *b
	c.Workshop.RejectedProposals = slices.Clone(b.Workshop.RejectedProposals)
	c.Participants = slices.Clone(b.Participants)
	c.Groups = slices.Clone(b.Groups)
	c.Notes = slices.Clone(b.Notes)
	c.Ratings = slices.Clone(b.Ratings)
	c.Stats = slices.Clone(b.Stats)
	c.Votes = slices.Clone(b.Votes)
	c.Totals = slices.Clone(b.Totals)
	c.Axes = slices.Clone(b.Axes)
	c.Scenarios = slices.Clone(b.Scenarios)
	c.Backcast = slices.Clone(b.Backcast)
	return &c
}

// rawBoard is the store's board of workshop wid, from the cache when the
// workshop has not changed since it was read.
func (s *Service) rawBoard(ctx context.Context, wid int64) (*Board, error) {
	seq, err := s.store.LastSeq(ctx, wid)
	if err != nil {
		return nil, err
	}
	if b := s.boards.get(wid, seq); b != nil {
		return b, nil
	}
	b, err := s.store.Board(ctx, wid)
	if err != nil {
		return nil, err
	}
	s.boards.put(b)
	return b, nil
}
