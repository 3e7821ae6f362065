package workshop

import (
	"context"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// maxTokenBatch bounds the token hashes one lookup reads.
const maxTokenBatch = 500

// tokenReads looks up guests by token hash, gathering the lookups that
// arrive while one is under way into the next read, so a restart's
// thousand reconnecting streams make a few dozen queries instead of a
// thousand (on PostgreSQL, a thousand round trips through a pool of 20,
// the most of what held the streams up). A lookup that finds none under
// way reads at once, alone: it waits for no one.
type tokenReads struct {
	read func(ctx context.Context, hashes []string) ([]*Participant, error)

	mu      sync.Mutex
	busy    bool
	waiting map[string][]chan tokenRead
}

type tokenRead struct {
	p   *Participant
	err error
}

// get returns the guest holding the token hash: errs.NotFound when none.
func (t *tokenReads) get(ctx context.Context, hash string) (*Participant, error) {
	t.mu.Lock()
	if t.busy {
		if t.waiting == nil {
			t.waiting = map[string][]chan tokenRead{}
		}
		ch := make(chan tokenRead, 1)
		t.waiting[hash] = append(t.waiting[hash], ch)
		t.mu.Unlock()
		select {
		case r := <-ch:
			return r.p, r.err
		case <-ctx.Done():
			return nil, ctx.Err() // the read goes on; its answer is dropped
		}
	}
	t.busy = true
	t.mu.Unlock()
	ps, err := t.read(ctx, []string{hash})
	t.next()
	r := pick(ps, err, hash)
	return r.p, r.err
}

// next reads, on a goroutine of its own, the lookups that waited for the
// last read, or ends the busy spell when none did.
func (t *tokenReads) next() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.waiting) == 0 {
		t.busy = false
		return
	}
	n := min(len(t.waiting), maxTokenBatch)
	batch := make(map[string][]chan tokenRead, n)
	hashes := make([]string, 0, n)
	for h, chs := range t.waiting {
		if len(hashes) == maxTokenBatch {
			break
		}
		batch[h] = chs
		hashes = append(hashes, h)
		delete(t.waiting, h)
	}
	go func() {
		// Not a waiter's context: the others wait on this read too.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ps, err := t.read(ctx, hashes)
		cancel()
		for h, chs := range batch {
			for _, ch := range chs {
				ch <- pick(ps, err, h)
			}
		}
		t.next()
	}()
}

// pick is the answer for hash out of a read's.
func pick(ps []*Participant, err error, hash string) tokenRead {
	if err != nil {
		return tokenRead{err: err}
	}
	for _, p := range ps {
		if p.TokenHash == hash {
			q := *p // each caller its own
			return tokenRead{p: &q}
		}
	}
	return tokenRead{err: errs.E(errs.NotFound, "error.not_found")}
}
