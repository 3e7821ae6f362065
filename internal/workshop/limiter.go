package workshop

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/ratelimit"
)

// The workshop's limits are buckets of a ratelimit.Limiter: in memory for
// one instance, in the database for several (SetLimiter), so that a
// participant or a client address has one allowance on every instance.

// Rates. Participants: a burst of 30, then 5 a second, enough for anyone
// rating or voting by hand and far below a script's 100 notes a second.
// Facilitators move a whole room, so they get more. Failed join codes:
// 20, then one every 3 s per client address; a whole room behind one NAT
// types its code right nearly every time, so it never meets this.
const (
	participantEvery, participantBurst = 200 * time.Millisecond, 30
	facilitatorEvery, facilitatorBurst = 50 * time.Millisecond, 100
	badCodeEvery, badCodeBurst         = 3 * time.Second, 20
	// Joins per client address: a room behind one address (a school's
	// network) joins 20 at once, then one a second.
	joinEvery, joinBurst = time.Second, 20
)

// allow spends one token of key's bucket.
func (s *Service) allow(ctx context.Context, key string, every time.Duration, burst int) (bool, error) {
	return s.limits.Allow(ctx, s.now(), rule(key, every, burst))
}

func rule(key string, every time.Duration, burst int) ratelimit.Rule {
	return ratelimit.Rule{Key: "workshop:" + key, Every: every, Burst: burst}
}

// ErrRateLimited refuses a participant's command past their limit.
var ErrRateLimited = errs.E(errs.TooMany, "workshop.rate_limited")

// A limitSpender is a store that can take a command's token in Apply
// (Reads.Spend) when the limits are lim: its own database's, where the
// token costs no round trip of its own on the path of every command.
type limitSpender interface {
	SpendsFor(lim ratelimit.Limiter) bool
}

// SetLimiter holds the workshop's limits in lim (the database's, so that
// several instances share them); they are in memory until it is called.
func (s *Service) SetLimiter(lim ratelimit.Limiter) {
	s.limits = lim
	ls, ok := s.store.(limitSpender)
	s.spendInApply = ok && ls.SpendsFor(lim)
}
