package workshop

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// The board of a workshop is read whole for every page, fragment and
// board.json (seven queries over every note, rating and vote). Every
// change to a board is an event that bumps the workshop's last sequence
// number in the same transaction (Store.Apply), so a board read at seq n
// is the board for as long as LastSeq says n: the service keeps the last
// board of each workshop and answers from it after one indexed LastSeq
// query. The check is against the database, so it holds with several
// instances too. The changes this instance commits are folded into the
// board as they commit (fold), so it stays the latest without a read, and
// commands are decided ahead against it (ahead.go).

// boardCache holds the last board of the most recently used workshops,
// unredacted. A board in it is never changed: a fold makes a new one,
// sharing the rows it does not touch; rawBoard's callers get a copy.
type boardCache struct {
	mu sync.Mutex
	m  map[int64]*cachedBoard
	// reads are the store reads of boards under way, by workshop: a
	// restart's thousand reconnecting streams read a board once, not each.
	reads singleflight.Group
	// check, when set (by the tests), sees every board a fold makes.
	check func(*Board)
}

type cachedBoard struct {
	b *Board
	// pending are changes committed after b's seq but not right after it,
	// by seq, folded once the ones before them are (commands commit in
	// seq order but may report out of it).
	pending map[int64]foldedChange
	// loaded is when the store's board was last read for deciding ahead
	// (latest), which bounds those reads when the board keeps falling
	// behind (another instance's commands).
	loaded time.Time
}

type foldedChange struct {
	ev *Event
	ch *Change
	// logged: the change was read back from the event (another
	// instance's), which leaves out what a new participant holds that
	// nobody is shown (their token, their user id): it folds only when
	// every participant it names is on the board.
	logged bool
}

const (
	// boardCacheSize bounds the workshops whose boards are kept: a few
	// hundred boards of a few hundred notes each is a few megabytes.
	boardCacheSize = 256
	// maxPending bounds the changes kept for a board that fell behind.
	maxPending = 64
	// reloadEvery is how often at most a board that fell behind is read
	// again for deciding ahead.
	reloadEvery = time.Second
)

// since returns the board of wid kept at seq or later, nil when there is
// none; it is shared: the caller changes nothing of it.
func (c *boardCache) since(wid, seq int64) *Board {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[wid]; ok && e.b != nil && e.b.Workshop.Seq >= seq {
		return e.b
	}
	return nil
}

// entry returns wid's entry, making room for it; c.mu is held.
func (c *boardCache) entry(wid int64) *cachedBoard {
	if c.m == nil {
		c.m = map[int64]*cachedBoard{}
	}
	e, ok := c.m[wid]
	if !ok {
		if len(c.m) >= boardCacheSize {
			for k := range c.m { // evict one: any will do, the next read reloads it
				delete(c.m, k)
				break
			}
		}
		e = &cachedBoard{}
		c.m[wid] = e
	}
	return e
}

func (c *boardCache) put(b *Board) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(b.Workshop.ID)
	if e.b != nil && e.b.Workshop.Seq >= b.Workshop.Seq {
		return // as new a board was put or folded meanwhile
	}
	e.b = cloneBoard(b)
	e.drain(c.check)
}

// fold applies the change ch that committed as ev to the workshop's
// board, or keeps it until the changes before it are folded.
func (c *boardCache) fold(ev *Event, ch *Change) { c.foldChange(ev, ch, false) }

// foldLogged folds an event read from the log: another instance's (or
// one the relay missed), whose change is read back from the event.
func (c *boardCache) foldLogged(ev *Event) {
	c.mu.Lock()
	e, ok := c.m[ev.WorkshopID]
	behind := ok && e.b != nil && ev.Seq > e.b.Workshop.Seq
	c.mu.Unlock()
	if !behind {
		return // nothing to fold into, or folded already
	}
	var d eventData
	if err := json.Unmarshal(ev.Full, &d); err != nil {
		c.mu.Lock()
		e.b = nil // unknown change: the board is read again
		c.mu.Unlock()
		return
	}
	c.foldChange(ev, &Change{Workshop: d.Workshop, Participants: d.Participants, Groups: d.Groups, Notes: d.Notes,
		Axes: d.Axes, Scenarios: d.Scenarios, Backcast: d.Backcast, Rating: d.Rating, Vote: d.Vote}, true)
}

func (c *boardCache) foldChange(ev *Event, ch *Change, logged bool) {
	if ch == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[ev.WorkshopID]
	if !ok {
		return // no board to fold into: the next read loads it
	}
	if e.b != nil && ev.Seq <= e.b.Workshop.Seq {
		return
	}
	if e.pending == nil {
		e.pending = map[int64]foldedChange{}
	}
	if len(e.pending) >= maxPending {
		clear(e.pending) // far behind: a read is cheaper than the wait
	}
	e.pending[ev.Seq] = foldedChange{ev, ch, logged}
	e.drain(c.check)
}

// drain folds the pending changes that follow the board; e's cache's mu
// is held.
func (e *cachedBoard) drain(check func(*Board)) {
	if e.b == nil {
		return
	}
	for seq := range e.pending {
		if seq <= e.b.Workshop.Seq {
			delete(e.pending, seq)
		}
	}
	for {
		f, ok := e.pending[e.b.Workshop.Seq+1]
		if !ok {
			return
		}
		delete(e.pending, f.ev.Seq)
		if f.logged && !known(e.b, f.ch.Participants) {
			e.b = nil // a new participant: the board is read again
			clear(e.pending)
			return
		}
		e.b = folded(e.b, f.ev, f.ch)
		if check != nil {
			check(e.b)
		}
	}
}

// forget drops all that is kept of workshop wid: it was deleted.
func (c *boardCache) forget(wid int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, wid)
}

// known reports whether every participant of ps is on board b.
func known(b *Board, ps []Participant) bool {
	for _, p := range ps {
		if !slices.ContainsFunc(b.Participants, func(q Participant) bool { return q.ID == p.ID }) {
			return false
		}
	}
	return true
}

// drop forgets wid's board: it fell behind the store's.
func (c *boardCache) drop(wid int64, seq int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[wid]; ok && e.b != nil && e.b.Workshop.Seq == seq {
		e.b = nil
	}
}

// latest returns the board to decide a command of wid ahead against: the
// board kept, as this instance last knew it. When there is none, reload
// says whether to read the store's (at most once every reloadEvery).
func (c *boardCache) latest(wid int64, now time.Time) (b *Board, reload bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(wid)
	if e.b != nil {
		return e.b, false
	}
	if now.Sub(e.loaded) < reloadEvery {
		return nil, false
	}
	e.loaded = now
	return nil, true
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
// workshop has not changed since it was read; the caller's own copy.
func (s *Service) rawBoard(ctx context.Context, wid int64) (*Board, error) {
	b, err := s.sharedBoard(ctx, wid)
	if err != nil {
		return nil, err
	}
	return cloneBoard(b), nil
}

// sharedBoard is rawBoard for a caller that changes nothing of it: the
// cache's own board when it is the store's, after one LastSeq query (see
// boardSince).
func (s *Service) sharedBoard(ctx context.Context, wid int64) (*Board, error) {
	seq, err := s.store.LastSeq(ctx, wid)
	if err != nil {
		return nil, err
	}
	return s.boardSince(ctx, wid, seq)
}

// boardSince returns a board of wid that has every event up to seq since,
// though the store may be further on: the board kept when it has them,
// else the store's, read once for all who ask at the same time. A stream
// that resumes after since asks with it (the stream sends every later
// event), so a restart's thousand streams make one read of the board and
// none of LastSeq. A read shared with an earlier caller may have begun
// before since committed: the next read begins after it, and is the
// store's latest. A board older than since even then is the answer too:
// the client is beyond the store (an id forged, or from before a restore).
func (s *Service) boardSince(ctx context.Context, wid, since int64) (*Board, error) {
	if b := s.boards.since(wid, since); b != nil {
		return b, nil
	}
	var b *Board
	for range 2 {
		var err error
		if b, err = s.loadBoard(ctx, wid); err != nil || b.Workshop.Seq >= since {
			return b, err
		}
	}
	return b, nil
}

// loadBoard reads the store's board of wid into the cache and returns it
// (shared: the caller changes nothing of it); callers at the same time
// share one read.
func (s *Service) loadBoard(ctx context.Context, wid int64) (*Board, error) {
	read := s.boards.reads.DoChan(strconv.FormatInt(wid, 10), func() (any, error) {
		// Not the first caller's context: the others wait on this read.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		b, err := s.store.Board(ctx, wid)
		if err == nil {
			s.boards.put(b)
		}
		return b, err
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-read:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Board), nil
	}
}
