package account

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter limits sign-in attempts per client address and per account,
// so neither one address nor a botnet against one account gets far. It is
// per instance: with N instances an attacker gets at most N times the rate.
type LoginLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	last    time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// Per client: a burst of 10, then one every 6 s. Per account: a burst of
// 5, then one every 20 s.
var (
	clientRate, clientBurst   = rate.Every(6 * time.Second), 10
	accountRate, accountBurst = rate.Every(20 * time.Second), 5
)

// NewLoginLimiter returns an empty limiter.
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{buckets: map[string]*bucket{}}
}

// Allow reports whether an attempt from client on account may go ahead.
func (l *LoginLimiter) Allow(client, account string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.sweep(now)
	c := l.get("c:"+client, clientRate, clientBurst, now)
	a := l.get("a:"+account, accountRate, accountBurst, now)
	// Spend from both only when both have a token, so a refused attempt
	// does not drain the other bucket.
	if c.TokensAt(now) < 1 || a.TokensAt(now) < 1 {
		return false
	}
	c.AllowN(now, 1)
	a.AllowN(now, 1)
	return true
}

// Reset forgets the account's failures after a successful sign-in.
func (l *LoginLimiter) Reset(client, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, "a:"+account)
}

func (l *LoginLimiter) get(key string, r rate.Limit, burst int, now time.Time) *rate.Limiter {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(r, burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// sweep drops buckets idle long enough to be full again, once a minute.
func (l *LoginLimiter) sweep(now time.Time) {
	if now.Sub(l.last) < time.Minute {
		return
	}
	l.last = now
	for k, b := range l.buckets {
		if now.Sub(b.seen) > 10*time.Minute {
			delete(l.buckets, k)
		}
	}
}
