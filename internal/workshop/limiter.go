package workshop

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps one token bucket per key (a participant, or a client
// address for failed join codes), forgetting idle ones. It is per
// instance: with N instances a participant gets at most N times the rate.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*limBucket
	swept   time.Time
}

type limBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter() *limiter { return &limiter{buckets: map[string]*limBucket{}} }

// allow spends one token of key's bucket (made with r and burst).
func (l *limiter) allow(key string, r rate.Limit, burst int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		l.swept = now
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &limBucket{lim: rate.NewLimiter(r, burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// Rates. Participants: a burst of 30, then 5 a second, enough for anyone
// rating or voting by hand and far below a script's 100 notes a second.
// Facilitators move a whole room, so they get more. Failed join codes:
// 20, then one every 3 s per client address; a whole room behind one NAT
// types its code right nearly every time, so it never meets this.
var (
	participantRate, participantBurst = rate.Limit(5), 30
	facilitatorRate, facilitatorBurst = rate.Limit(20), 100
	badCodeRate, badCodeBurst         = rate.Every(3 * time.Second), 20
	// Joins per client address: a room behind one address (a school's
	// network) joins 20 at once, then one a second.
	joinRate, joinBurst = rate.Limit(1), 20
)
