package account

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter limits password attempts per client address, per client
// and account pair, and (slower, with a larger burst) per account across
// all clients. One address guessing at one account is held back by the
// pair without locking the account's owner out elsewhere; a botnet
// against one account meets the global limit; one address trying many
// accounts meets the client limit. It is per instance: with N instances
// an attacker gets at most N times the rate.
type LoginLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	last    time.Time
	now     func() time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// Per client: a burst of 10, then one every 6 s. Per client and account:
// a burst of 5, then one every 20 s. Per account from anywhere: a burst
// of 30, then one a minute.
var (
	clientRate, clientBurst   = rate.Every(6 * time.Second), 10
	pairRate, pairBurst       = rate.Every(20 * time.Second), 5
	accountRate, accountBurst = rate.Every(time.Minute), 30
)

// NewLoginLimiter returns an empty limiter.
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{buckets: map[string]*bucket{}, now: time.Now}
}

// SetClock replaces the clock, so tests do not depend on how fast
// attempts (each an argon2id check) run.
func (l *LoginLimiter) SetClock(now func() time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.now = now
}

// Allow reports whether an attempt from client on account may go ahead.
func (l *LoginLimiter) Allow(client, account string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	lims := [...]*rate.Limiter{
		l.get("c:"+client, clientRate, clientBurst, now),
		l.get("p:"+client+"\x00"+account, pairRate, pairBurst, now),
		l.get("a:"+account, accountRate, accountBurst, now),
	}
	// Spend from all only when all have a token, so a refused attempt
	// does not drain the other buckets.
	for _, lim := range lims {
		if lim.TokensAt(now) < 1 {
			return false
		}
	}
	for _, lim := range lims {
		lim.AllowN(now, 1)
	}
	return true
}

// Reset forgets the pair's failures after a successful sign-in; the
// account's global bucket refills by time alone, so an attacker who also
// holds an account cannot use its sign-ins to refill another's.
func (l *LoginLimiter) Reset(client, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, "p:"+client+"\x00"+account)
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
