package account

import (
	"context"
	"slices"
	"sync"
)

// actorCacheMax bounds how many users' actors are kept.
const actorCacheMax = 10_000

// SetActorCache keeps each signed-in user's actor (the user and their
// memberships) under version, the content version (storage.ContentVersion):
// every committed write to users, memberships and organisations makes it
// larger on every instance, so a kept actor is used only while nothing it
// was read from has changed. The session or token is still read on every
// request (those tables are bookkeeping, outside the version), so signing
// out, or a session ending, takes effect at once.
func (s *Service) SetActorCache(version func(context.Context) (int64, error)) {
	s.actors = &actorCache{version: version, m: map[int64]keptActor{}}
}

type actorCache struct {
	version func(context.Context) (int64, error)

	mu sync.Mutex
	m  map[int64]keptActor
}

type keptActor struct {
	version int64
	a       *Actor // nil: the user is gone or disabled
}

// actor returns the user's actor as kept under the current version, or
// reads it and keeps it under the version read before reading.
func (c *actorCache) actor(ctx context.Context, userID int64, read func(context.Context, int64) (*Actor, error)) (*Actor, error) {
	v, err := c.version(ctx)
	if err != nil {
		return read(ctx, userID)
	}
	c.mu.Lock()
	k, ok := c.m[userID]
	c.mu.Unlock()
	if ok && k.version == v {
		return k.a.clone(), nil
	}
	a, err := read(ctx, userID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= actorCacheMax {
		for id, k := range c.m {
			if k.version < v {
				delete(c.m, id)
			}
		}
		if len(c.m) >= actorCacheMax {
			clear(c.m)
		}
	}
	if old, ok := c.m[userID]; !ok || old.version <= v {
		c.m[userID] = keptActor{version: v, a: a.clone()}
	}
	c.mu.Unlock()
	return a, nil
}

// clone copies the actor so that a request may change its own.
func (a *Actor) clone() *Actor {
	if a == nil {
		return nil
	}
	c := *a
	if a.User != nil {
		u := *a.User
		c.User = &u
	}
	c.Memberships = slices.Clone(a.Memberships)
	return &c
}
