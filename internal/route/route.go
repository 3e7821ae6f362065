// Package route is the one way HTML and JSON routes are registered: each
// registration states who may call it, so nothing is reachable by
// accident and the authorization matrix test can walk every route.
package route

import (
	"context"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// Access is the least a caller must be to reach a route. Object-level
// rules (this organisation, this workshop) live in the domain.
type Access int

// The access levels.
const (
	Public   Access = iota // anyone
	SignedIn               // a user with a session or API token
	Admin                  // a platform admin
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "admin"}[a]
}

// Route is one registered method and pattern.
type Route struct {
	Method  string // "" for a catch-all of any method
	Path    string
	Pattern string // as given to the mux: "GET /x/{id}"
	Access  Access
	Limits  []BodyLimit // beyond the front end's defaults; see MaxBody
}

// BodyLimit is the most a route reads of a request body of some media
// types (any type when Types is empty).
type BodyLimit struct {
	Bytes int64
	Types []string
}

// Option declares something more about a route than its access.
type Option func(*Route)

// MaxBody lets a route read bodies of up to n bytes of the media types
// (of any type when none is named): an upload or an import declares its
// size where it is registered, and the middleware applies it.
func MaxBody(n int64, types ...string) Option {
	return func(r *Route) { r.Limits = append(r.Limits, BodyLimit{Bytes: n, Types: types}) }
}

// MaxBody returns the route's own limit for a body of the media type, or
// false when the route declared none and the defaults apply.
func (r Route) MaxBody(mediaType string) (int64, bool) {
	for _, l := range r.Limits {
		if len(l.Types) == 0 || slices.Contains(l.Types, mediaType) {
			return l.Bytes, true
		}
	}
	return 0, false
}

// Area is a part of a front end that registers its own routes: the
// library's pages, the workshop API.
type Area interface {
	Register(t *Table)
}

// Guard wraps a handler so it only runs for callers with the access.
type Guard func(Access, http.Handler) http.Handler

// Table registers routes on a mux through a guard and remembers them.
type Table struct {
	mux    *http.ServeMux
	guard  Guard
	routes []Route
}

// NewTable returns a table registering on mux through guard.
func NewTable(mux *http.ServeMux, guard Guard) *Table {
	return &Table{mux: mux, guard: guard}
}

// Handle registers h at pattern ("METHOD /path", or "/path" for a
// catch-all of any method) for callers with access.
func (t *Table) Handle(access Access, pattern string, h http.HandlerFunc, opts ...Option) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	rt := Route{Method: method, Path: path, Pattern: pattern, Access: access}
	for _, o := range opts {
		o(&rt)
	}
	guarded := t.guard(access, h)
	t.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(patternKey{}).(*string); ok {
			*p = pattern
		}
		if len(rt.Limits) > 0 {
			// The app's middleware applies the same limit before the
			// route; this holds it for a table served on its own.
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if n, ok := rt.MaxBody(mt); ok {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
		}
		guarded.ServeHTTP(w, r)
	}))
	t.routes = append(t.routes, rt)
}

// Routes returns every registered route.
func (t *Table) Routes() []Route { return append([]Route(nil), t.routes...) }

type patternKey struct{}

// WithPatternRecorder returns a context in which the route that serves the
// request writes its pattern to the returned string, for metrics: the
// mux's own r.Pattern is set on a request copy the middleware never sees.
func WithPatternRecorder(ctx context.Context) (context.Context, *string) {
	p := new(string)
	return context.WithValue(ctx, patternKey{}, p), p
}
