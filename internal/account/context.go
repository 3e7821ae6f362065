package account

import "context"

type actorKey struct{}

// WithActor returns ctx carrying the actor of a request.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the request's actor; the public is an Actor with no user.
func ActorFrom(ctx context.Context) *Actor {
	if a, ok := ctx.Value(actorKey{}).(*Actor); ok && a != nil {
		return a
	}
	return &Actor{}
}

type clientKey struct{}

// WithClient returns ctx carrying the client's address as the server
// resolved it (through trusted proxies), for rate limits and logs.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientFrom returns the client's address set by WithClient, or "".
func ClientFrom(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}
