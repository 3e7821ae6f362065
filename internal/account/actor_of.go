package account

import "context"

// ActorOf returns the actor of a user as their own requests would see
// them (nil for a disabled or missing user), for work done on their
// behalf outside a request: building a digest with only what they may see.
func (s *Service) ActorOf(ctx context.Context, userID int64) (*Actor, error) {
	return s.actor(ctx, userID)
}
