package app

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/ui"
)

// The viewer cache keeps list pages and API lists as signed-in viewers see
// them (doc/pages.md), beside the page cache, which keeps the public's.
// What a list shows a member depends on their visibility scope: platform
// admin or not, and their organisations with their roles. So:
//
//   - keyed by what the route's answer depends on (viewerRoutes): the scope
//     (admin, token, the organisations and roles, sorted), or for a route
//     that shows the viewer's own things (their workshops, their profile,
//     their comments' edit links) the user id as well; and the language,
//     the path and the query;
//   - a route kept by scope is rendered with the scope's actor alone
//     (scopeActor: no user id, name or e-mail), so whatever of one member
//     could reach the page is not there to reach it: a page kept for a
//     scope is one any member of that scope may see, by construction;
//   - the viewer's own part of the header (their name, the admin link) is
//     a hole in the kept page (ui.ChromeMarker), rendered fresh for each
//     request (ui.Server.Chrome); a request with a flash message or any
//     cookie but the session and the language goes past;
//   - kept under the content version and for pageCacheTTL, as the page
//     cache: a write anywhere is seen at once on every instance;
//   - only 200s without Set-Cookie; viewerCacheMaxBytes together.
const viewerCacheMaxBytes = 64 << 20

// viewerDep is what a route's answer depends on besides language, path,
// query and content.
type viewerDep int

const (
	byScope viewerDep = iota + 1 // admin, token, organisations and roles
	byUser                       // the scope and who the viewer is
)

// viewerRoutes are the routes whose signed-in answers the viewer cache
// keeps. A route reading anything of the viewer's outside the content
// version (follows, notifications, a workshop's live state other than who
// takes part) must not be here.
var viewerRoutes = map[string]viewerDep{
	"GET /{$}": byScope, "GET /organisationer": byScope, "GET /organisationer/{slug}": byScope,
	"GET /natverket": byScope, "GET /natverket/samarbeten": byScope, "GET /bibliotek": byScope,
	"GET /bibliotek/sa-har-gjorde-vi": byScope, "GET /sok": byScope, "GET /evenemang": byScope,
	"GET /evenemang/manad": byScope, "GET /scenariekors": byScope, "GET /metoder": byScope,
	"GET /analys": byScope, "GET /analys/data": byScope, "GET /analys/index": byScope,
	"GET /scenariekors/{id}/slakttrad": byScope, "GET /scenariekors/jamfor": byScope,
	// The cross's page has comments, with edit links on one's own; it and
	// the API's cross name their axes' drivers to those who take part in
	// the workshop (workshop_participants bumps the version, 45).
	"GET /scenariekors/{id}": byUser, "GET /api/v1/crosses/{id}": byUser,
	// One's workshops (workshop_participants: who takes part bumps the
	// version, migration 45) and whether one has a profile.
	"GET /workshoppar": byUser, "GET /natverket/processledare": byUser, "GET /api/v1/workshops": byUser,

	"GET /api/v1/organizations": byScope, "GET /api/v1/organizations/{slug}": byScope, "GET /api/v1/works": byScope,
	"GET /api/v1/events": byScope, "GET /api/v1/crosses": byScope,
	"GET /api/v1/crosses/{id}/lineage": byScope, "GET /api/v1/crosses/compare": byScope, "GET /api/v1/board": byScope,
	"GET /api/v1/datasets": byScope, "GET /api/v1/index-models": byScope, "GET /api/v1/methods": byScope,
	"GET /api/v1/search": byScope, "GET /api/v1/comments": byScope, "GET /api/v1/facilitators": byScope,
}

type viewerCache struct {
	version       func(context.Context) (int64, error)
	route         func(*http.Request) string // the matched pattern
	chrome        func(*http.Request) ([]byte, error)
	sessionCookie string
	*pageStore
}

func newViewerCache(version func(context.Context) (int64, error), route func(*http.Request) string,
	chrome func(*http.Request) ([]byte, error), sessionCookie string) *viewerCache {
	return &viewerCache{version: version, route: route, chrome: chrome, sessionCookie: sessionCookie,
		pageStore: newPageStore(viewerCacheMaxBytes)}
}

// keepable reports whether r is a signed-in viewer's request with no
// cookie but the session and the language.
func (c *viewerCache) keepable(r *http.Request, a *account.Actor) bool {
	if r.Method != http.MethodGet || !a.SignedIn() {
		return false
	}
	for _, k := range r.Cookies() {
		if k.Name != i18n.CookieName && k.Name != c.sessionCookie {
			return false
		}
	}
	return true
}

// scopeKey is the viewer's visibility scope: whether a platform admin,
// whether by token, and each organisation with the role, by id.
func scopeKey(a *account.Actor) string {
	ms := slices.Clone(a.Memberships)
	slices.SortFunc(ms, func(x, y account.Membership) int { return int(x.OrganisationID - y.OrganisationID) })
	var b strings.Builder
	b.WriteString("admin=")
	b.WriteString(strconv.FormatBool(a.IsAdmin()))
	b.WriteString(" token=")
	b.WriteString(strconv.FormatBool(a.ViaToken))
	for _, m := range ms {
		b.WriteString(" ")
		b.WriteString(strconv.FormatInt(m.OrganisationID, 10))
		b.WriteString(":")
		b.WriteString(string(m.Role))
	}
	return b.String()
}

// scopeActor is a signed-in actor with a's scope and nothing else of a's:
// no user id, name or e-mail, in the user or the memberships.
func scopeActor(a *account.Actor) *account.Actor {
	ms := make([]account.Membership, len(a.Memberships))
	for i, m := range a.Memberships {
		ms[i] = account.Membership{OrganisationID: m.OrganisationID, OrgSlug: m.OrgSlug, OrgName: m.OrgName, Role: m.Role}
	}
	return &account.Actor{User: &account.User{IsAdmin: a.IsAdmin()}, Memberships: ms, ViaToken: a.ViaToken}
}

func (c *viewerCache) key(r *http.Request, a *account.Actor, dep viewerDep) string {
	lang := langKey(r)
	who := "scope"
	if dep == byUser {
		who = "user=" + strconv.FormatInt(a.UserID(), 10)
	}
	return who + " " + scopeKey(a) + "\n" + lang + " " + r.URL.RequestURI()
}

// wrap serves kept pages to signed-in viewers and keeps new ones; it goes
// inside authenticate.
func (c *viewerCache) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := account.ActorFrom(r.Context())
		dep := viewerRoutes[c.route(r)]
		if dep == 0 || !c.keepable(r, a) {
			next.ServeHTTP(w, r)
			return
		}
		v, err := c.version(r.Context())
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		key := c.key(r, a, dep)
		p, done := c.fetch(r.Context(), key, v)
		defer done()
		if p == nil {
			ctx := ui.WithChromeHole(r.Context())
			if dep == byScope {
				ctx = account.WithActor(ctx, scopeActor(a))
			}
			rec := &bufferedResponse{header: http.Header{}}
			next.ServeHTTP(rec, r.WithContext(ctx))
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			p = &cachedPage{version: v, expiry: c.now().Add(pageCacheTTL), header: rec.header, body: rec.body.Bytes()}
			if ct := rec.header.Get("Content-Type"); strings.HasPrefix(ct, "text/html") {
				p.body, p.holes = cutHoles(p.body)
			}
			if rec.status != http.StatusOK || len(rec.header.Values("Set-Cookie")) > 0 || len(p.body) > pageCacheMaxPage {
				c.write(w, r, rec.status, p) // shown, not kept
				return
			}
			c.put(key, p)
		}
		c.write(w, r, http.StatusOK, p)
	})
}

// write sends a kept page with the viewer's own part of the header in its
// hole.
func (c *viewerCache) write(w http.ResponseWriter, r *http.Request, status int, p *cachedPage) {
	var chrome []byte
	if len(p.holes) > 0 {
		var err error
		if chrome, err = c.chrome(r); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	h := w.Header()
	for k, vs := range p.header {
		h[k] = slices.Clip(vs)
	}
	w.WriteHeader(status)
	at := 0
	for _, i := range p.holes {
		_, _ = w.Write(p.body[at:i])
		_, _ = w.Write(chrome)
		at = i
	}
	_, _ = w.Write(p.body[at:])
}

// cutHoles removes every chrome marker from body (the layout has the
// viewer's tools twice: in the phone's menu and beside the search) and
// returns where each was.
func cutHoles(body []byte) ([]byte, []int) {
	marker := ui.ChromeMarker()
	if !bytes.Contains(body, marker) {
		return body, nil
	}
	out := make([]byte, 0, len(body))
	var holes []int
	for {
		i := bytes.Index(body, marker)
		if i < 0 {
			return append(out, body...), holes
		}
		out = append(out, body[:i]...)
		holes = append(holes, len(out))
		body = body[i+len(marker):]
	}
}

// bufferedResponse holds a whole response: the page is written only once
// its hole is filled.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedResponse) Header() http.Header { return w.header }

func (w *bufferedResponse) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferedResponse) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// contentVersionMemo holds the content version read once for a request,
// so the actor cache and the page caches read it once between them.
type contentVersionMemo struct {
	once sync.Once
	v    int64
	err  error
}

type versionMemoKey struct{}

func withVersionMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, versionMemoKey{}, &contentVersionMemo{})
}

// memoVersion reads the content version through read once per request
// (withVersionMemo), and every time outside one.
func memoVersion(read func(context.Context) (int64, error)) func(context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		m, ok := ctx.Value(versionMemoKey{}).(*contentVersionMemo)
		if !ok {
			return read(ctx)
		}
		m.once.Do(func() { m.v, m.err = read(ctx) })
		return m.v, m.err
	}
}
