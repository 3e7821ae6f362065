// Package ratelimit is the one shape of framsyn's rate limits (sign-in,
// workshop joins, join codes, workshop commands from the pages and the
// API): token buckets by key, in memory for one instance (Memory) or held
// in the database so that several instances give a client one allowance
// (storage.RateLimits, on PostgreSQL).
package ratelimit

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rule is one bucket: Burst at once, then one every Every, for Key.
type Rule struct {
	Key   string
	Every time.Duration
	Burst int
}

// Limiter spends from buckets. Allow takes one token from each rule's
// bucket at now, only when every one of them has a token (a refused call
// drains none); Reset forgets a bucket, so it is full again.
type Limiter interface {
	Allow(ctx context.Context, now time.Time, rules ...Rule) (bool, error)
	Reset(ctx context.Context, key string) error
}

// EveryOf converts a rate per second to the interval between tokens.
func EveryOf(r rate.Limit) time.Duration { return time.Duration(float64(time.Second) / float64(r)) }

// Memory keeps the buckets of one instance, forgetting idle ones.
type Memory struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns an empty in-memory limiter.
func NewMemory() *Memory { return &Memory{buckets: map[string]*bucket{}} }

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, now time.Time, rules ...Rule) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	lims := make([]*rate.Limiter, len(rules))
	for i, r := range rules {
		b, ok := m.buckets[r.Key]
		if !ok {
			b = &bucket{lim: rate.NewLimiter(rate.Every(r.Every), r.Burst)}
			m.buckets[r.Key] = b
		}
		b.seen = now
		lims[i] = b.lim
	}
	for _, l := range lims {
		if l.TokensAt(now) < 1 {
			return false, nil
		}
	}
	for _, l := range lims {
		l.AllowN(now, 1)
	}
	return true, nil
}

// Reset implements Limiter.
func (m *Memory) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets, key)
	return nil
}

// sweep drops buckets idle long enough to be full again, once a minute.
func (m *Memory) sweep(now time.Time) {
	if now.Sub(m.swept) < time.Minute {
		return
	}
	m.swept = now
	for k, b := range m.buckets {
		if now.Sub(b.seen) > 10*time.Minute {
			delete(m.buckets, k)
		}
	}
}

// Sorted returns rules by key, the order a database limiter locks them in
// so that two calls never wait on each other's rows.
func Sorted(rules []Rule) []Rule {
	out := slices.Clone(rules)
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.Key, b.Key) })
	return slices.CompactFunc(out, func(a, b Rule) bool { return a.Key == b.Key })
}
