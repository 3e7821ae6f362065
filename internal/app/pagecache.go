package app

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
)

// The page cache keeps whole list pages and API lists as the public sees
// them (doc/pages.md). Rendering thirty rows through the layout costs
// about a millisecond of CPU; a kept page costs one read of the content
// version and a copy.
//
// Correct by construction rather than by care:
//   - only for visitors who are not signed in: no session or token, and no
//     cookie but the language (a flash message, a guest's workshop cookie
//     or a stale session cookie all go past); so one person's page is never
//     another's, and the key needs no role or membership;
//   - keyed by the language and the whole path with its query;
//   - kept under the content version read before the page is made, and
//     served only while the version is the same: every committed write to
//     content on any instance makes it larger (storage.ContentVersion), so a
//     change is seen by the next request everywhere;
//   - and at most pageCacheTTL old, for what changes with the clock alone
//     (an event that has begun leaves the upcoming list, this year's date);
//   - only 200s without Set-Cookie, on the routes in cachedRoutes.
const (
	pageCacheTTL      = 5 * time.Second
	pageCacheMaxBytes = 64 << 20 // every kept page together
	pageCacheMaxPage  = 1 << 20  // one page; larger ones are not kept
)

// cachedRoutes are the routes whose pages the cache may keep: the lists
// (pages and API), each the same for everyone not signed in. A route
// whose answer depends on anything else (the clock beyond a few seconds,
// the client's address, a header) must not be here.
var cachedRoutes = []string{
	"GET /{$}", "GET /organisationer", "GET /organisationer/{slug}", "GET /natverket",
	"GET /natverket/samarbeten", "GET /bibliotek", "GET /bibliotek/sa-har-gjorde-vi", "GET /sok",
	"GET /workshoppar", "GET /evenemang", "GET /evenemang/manad", "GET /scenariekors", "GET /metoder",
	"GET /analys", "GET /analys/data", "GET /analys/index",
	// A cross, its lineage and comparisons: read whole trees, the same for
	// every visitor not signed in.
	"GET /scenariekors/{id}", "GET /scenariekors/{id}/slakttrad", "GET /scenariekors/jamfor",
	"GET /api/v1/crosses/{id}", "GET /api/v1/crosses/{id}/lineage", "GET /api/v1/crosses/compare",
	"GET /api/v1/organizations", "GET /api/v1/organizations/{slug}", "GET /api/v1/works", "GET /api/v1/events",
	"GET /api/v1/crosses", "GET /api/v1/board", "GET /api/v1/datasets", "GET /api/v1/index-models",
	"GET /api/v1/methods", "GET /api/v1/search", "GET /api/v1/comments",
}

type cachedPage struct {
	version int64
	expiry  time.Time
	header  http.Header
	body    []byte
	holes   []int // the viewer cache's: where the viewer's own part of the header goes in body
}

type pageCache struct {
	version func(context.Context) (int64, error)
	route   func(*http.Request) string // the matched pattern
	routes  map[string]bool
	*pageStore
}

// pageStore holds kept pages by key, at most maxBytes of them together.
type pageStore struct {
	now      func() time.Time
	maxBytes int

	mu     sync.Mutex
	pages  map[string]*cachedPage
	bytes  int
	making map[string]chan struct{} // pages being made, closed when done
}

func newPageStore(maxBytes int) *pageStore {
	return &pageStore{now: time.Now, maxBytes: maxBytes, pages: map[string]*cachedPage{}, making: map[string]chan struct{}{}}
}

// lead makes the caller the one who makes the page of key (done must be
// called when it is kept or not), or, when another request is making it,
// waits for that one and returns false: at a change or an expiry, one
// request makes a page and the others get it, rather than each making it.
func (c *pageStore) lead(ctx context.Context, key string) (done func(), leads bool) {
	c.mu.Lock()
	if ch, ok := c.making[key]; ok {
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		return nil, false
	}
	ch := make(chan struct{})
	c.making[key] = ch
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.making, key)
		c.mu.Unlock()
		close(ch)
	}, true
}

// fetch returns the page kept under key for version v, waiting for one
// being made (lead); without one, the caller makes it, and done, to be
// called once that page is kept or not, lets the waiting requests on.
func (c *pageStore) fetch(ctx context.Context, key string, v int64) (p *cachedPage, done func()) {
	if p := c.get(key, v); p != nil {
		return p, func() {}
	}
	done, leads := c.lead(ctx, key)
	if leads {
		return nil, done
	}
	return c.get(key, v), func() {} // the one made meanwhile, if it is of v
}

// langKey is the language a route negotiates: the API's from its header,
// a page's from the cookie first.
func langKey(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return i18n.NegotiateHeader(r)
	}
	return i18n.Negotiate(r)
}

func newPageCache(version func(context.Context) (int64, error), route func(*http.Request) string) *pageCache {
	c := &pageCache{version: version, route: route, routes: map[string]bool{}, pageStore: newPageStore(pageCacheMaxBytes)}
	for _, p := range cachedRoutes {
		c.routes[p] = true
	}
	return c
}

// public reports whether r comes from a visitor who is not signed in and
// carries no cookie but the language.
func public(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" || account.ActorFrom(r.Context()).SignedIn() {
		return false
	}
	for _, c := range r.Cookies() {
		if c.Name != i18n.CookieName {
			return false
		}
	}
	return true
}

// key is what the page varies by: the language as the route negotiates
// it, and the path with its query.
func (c *pageCache) key(r *http.Request) string {
	return langKey(r) + " " + r.URL.RequestURI()
}

// wrap serves kept pages and keeps new ones; it goes inside authenticate.
func (c *pageCache) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !public(r) || !c.routes[c.route(r)] {
			next.ServeHTTP(w, r)
			return
		}
		v, err := c.version(r.Context())
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		key := c.key(r)
		p, done := c.fetch(r.Context(), key, v)
		defer done()
		if p != nil {
			h := w.Header()
			for k, vs := range p.header {
				h[k] = vs
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(p.body)
			return
		}
		rec := &pageRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusOK && !rec.overflow && rec.header != nil && len(rec.header.Values("Set-Cookie")) == 0 {
			c.put(key, &cachedPage{version: v, expiry: c.now().Add(pageCacheTTL), header: rec.header, body: rec.body})
		}
	})
}

func (c *pageStore) get(key string, version int64) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pages[key]
	if p == nil {
		return nil
	}
	if p.version != version || !c.now().Before(p.expiry) {
		delete(c.pages, key)
		c.bytes -= len(p.body)
		return nil
	}
	return p
}

func (c *pageStore) put(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.pages[key]; old != nil {
		if old.version > p.version {
			return // a newer page was kept meanwhile
		}
		c.bytes -= len(old.body)
		delete(c.pages, key)
	}
	if c.bytes+len(p.body) > c.maxBytes {
		// Full: drop what has expired or is of an older version, then
		// pages at random (map order) until the new one fits.
		now := c.now()
		for k, q := range c.pages {
			if q.version < p.version || !now.Before(q.expiry) {
				c.bytes -= len(q.body)
				delete(c.pages, k)
			}
		}
		for k, q := range c.pages {
			if c.bytes+len(p.body) <= c.maxBytes {
				break
			}
			c.bytes -= len(q.body)
			delete(c.pages, k)
		}
	}
	c.pages[key] = p
	c.bytes += len(p.body)
}

// pageRecorder passes a response through and keeps a copy of it.
type pageRecorder struct {
	http.ResponseWriter
	status   int
	header   http.Header
	body     []byte
	overflow bool
}

func (w *pageRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		// The header as sent; each value clipped so that an Add to a
		// served copy never writes into the kept one.
		w.header = w.ResponseWriter.Header().Clone()
		for k, vs := range w.header {
			w.header[k] = slices.Clip(vs)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *pageRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.overflow {
		if len(w.body)+len(b) > pageCacheMaxPage {
			w.overflow, w.body = true, nil
		} else {
			w.body = append(w.body, b...)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Flush: a page that flushes streams, and is not kept.
func (w *pageRecorder) Flush() {
	w.overflow, w.body = true, nil
	http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *pageRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
