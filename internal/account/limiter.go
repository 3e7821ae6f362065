package account

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/ratelimit"
)

// LoginLimiter limits password attempts per client address, per client
// and account pair, and (slower, with a larger burst) per account across
// all clients. One address guessing at one account is held back by the
// pair without locking the account's owner out elsewhere; a botnet
// against one account meets the global limit; one address trying many
// accounts meets the client limit. Its buckets are a ratelimit.Limiter:
// in memory for one instance, in the database for several, so that
// every instance spends from one allowance.
type LoginLimiter struct {
	lim ratelimit.Limiter
	now func() time.Time
}

// Per client: a burst of 10, then one every 6 s. Per client and account:
// a burst of 5, then one every 20 s. Per account from anywhere: a burst
// of 30, then one a minute.
const (
	clientEvery, clientBurst   = 6 * time.Second, 10
	pairEvery, pairBurst       = 20 * time.Second, 5
	accountEvery, accountBurst = time.Minute, 30
)

// NewLoginLimiter returns a limiter over lim (in memory when nil).
func NewLoginLimiter(lim ratelimit.Limiter) *LoginLimiter {
	if lim == nil {
		lim = ratelimit.NewMemory()
	}
	return &LoginLimiter{lim: lim, now: time.Now}
}

// SetClock replaces the clock, so tests do not depend on how fast
// attempts (each an argon2id check) run.
func (l *LoginLimiter) SetClock(now func() time.Time) { l.now = now }

func pairKey(client, account string) string { return "login:p:" + client + "\x00" + account }

// Allow reports whether an attempt from client on account may go ahead,
// spending from all three buckets only when each has a token.
func (l *LoginLimiter) Allow(ctx context.Context, client, account string) (bool, error) {
	return l.lim.Allow(ctx, l.now(),
		ratelimit.Rule{Key: "login:c:" + client, Every: clientEvery, Burst: clientBurst},
		ratelimit.Rule{Key: pairKey(client, account), Every: pairEvery, Burst: pairBurst},
		ratelimit.Rule{Key: "login:a:" + account, Every: accountEvery, Burst: accountBurst},
	)
}

// Reset forgets the pair's failures after a successful sign-in; the
// account's global bucket refills by time alone, so an attacker who also
// holds an account cannot use its sign-ins to refill another's.
func (l *LoginLimiter) Reset(ctx context.Context, client, account string) error {
	return l.lim.Reset(ctx, pairKey(client, account))
}
