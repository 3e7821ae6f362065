// Package api serves the JSON API under /api/v1 over the same domain calls
// as the pages. Lists answer {"items": [...], "next": ...}; errors answer
// {"error": {"code": ..., "message": ...}} in the caller's language.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"sync"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/searchkind"
	"github.com/framsyn/framsyn/internal/workshop"
)

//go:embed openapi.json
var openAPI []byte

// Server serves the JSON API.
type Server struct {
	accounts *account.Service
	index    search.Index
	kinds    *searchkind.Registry
	cat      i18n.Catalogue
	log      *slog.Logger
	baseURL  string

	api     *route.Table   // the API's routes, to tell 405 from 404
	methods *http.ServeMux // their method patterns, built on first use
	once    sync.Once
}

// Config is what the API needs: the domain services it calls.
type Config struct {
	Accounts  *account.Service
	Search    search.Index         // the one index of every kind
	Kinds     *searchkind.Registry // what each kind's hits link to
	Catalogue i18n.Catalogue
	Log       *slog.Logger
	BaseURL   string
}

// New returns an API server.
func New(c Config) *Server {
	return &Server{accounts: c.Accounts, index: c.Search, kinds: c.Kinds, cat: c.Catalogue, log: c.Log, baseURL: c.BaseURL}
}

// Register adds the API's own routes to t: the OpenAPI document and the
// 404 of unknown paths. Each area registers its own.
func (s *Server) Register(t *route.Table) {
	t.Handle(route.Public, "GET /api/v1/openapi.json", s.serveOpenAPI)
	// The catch-all would hide the mux's 405 for a known path with
	// another method; notFound finds it again in the table's patterns,
	// which by then hold every area's routes too.
	s.api = t
	t.Handle(route.Public, "/api/", s.notFound)
}

// The API areas. Each embeds the Server (errors, the account service, the
// search index) and registers its own routes; the app mounts each one.
type (
	organizationsAPI struct{ *Server }
	searchAPI        struct{ *Server }
	worksAPI         struct {
		*Server
		svc *library.Service
	}
	workshopsAPI struct {
		*Server
		svc *workshop.Service
	}
)

// Organizations returns the organisations' API.
func (s *Server) Organizations() route.Area { return &organizationsAPI{s} }

// Search returns the search API across every kind.
func (s *Server) Search() route.Area { return &searchAPI{s} }

// Works returns the library's API over svc.
func (s *Server) Works(svc *library.Service) route.Area { return &worksAPI{Server: s, svc: svc} }

// Workshops returns the workshops' API over svc.
func (s *Server) Workshops(svc *workshop.Service) route.Area {
	return &workshopsAPI{Server: s, svc: svc}
}

// Guard answers 401 or 403 in JSON for callers without the access.
func (s *Server) Guard(access route.Access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := account.ActorFrom(r.Context())
		switch {
		case access == route.Public:
		case !a.SignedIn():
			s.writeError(w, r, errs.E(errs.Unauthorized, "error.sign_in"))
			return
		case access == route.Admin && !a.IsAdmin():
			s.writeError(w, r, errs.E(errs.Forbidden, "error.forbidden"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type handler func(w http.ResponseWriter, r *http.Request) error

func (s *Server) h(fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPI)
}

// notFound answers a request no API route took: 405 with Allow when the
// path exists for other methods (as net/http's mux would), else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if h, pattern := s.methodMux().Handler(r); pattern == "" {
		probe := &headerProbe{h: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.h.Get("Allow"))
			s.writeError(w, r, errs.E(errs.MethodNotAllowed, "error.method_not_allowed"))
			return
		}
	}
	s.writeError(w, r, errs.E(errs.NotFound, "error.not_found"))
}

// methodMux returns a mux of the API's method patterns (every area's,
// registered on the API's table), built on the first request.
func (s *Server) methodMux() *http.ServeMux {
	s.once.Do(func() {
		s.methods = http.NewServeMux()
		if s.api == nil {
			return
		}
		for _, rt := range s.api.Routes() {
			if rt.Method != "" {
				s.methods.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
			}
		}
	})
	return s.methods
}

// headerProbe keeps the status and headers a handler writes, and drops
// its body.
type headerProbe struct {
	h      http.Header
	status int
}

func (p *headerProbe) Header() http.Header { return p.h }
func (p *headerProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *headerProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) { httpx.WriteJSON(w, status, v) }

// ErrorBody is the shape of every API error.
type ErrorBody = httpx.ErrorBody

// writeError answers err as an API error, logging internal ones.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Gone(r) {
		httpx.Abandon(w, r, s.log, err)
		return
	}
	if errs.KindOf(err) == errs.Internal {
		s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	httpx.WriteError(w, s.cat.For(i18n.NegotiateHeader(r)), err)
}

// WriteError writes err as an API error; the app uses it for failures
// that happen before a route is reached (body too large, CSRF).
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	s.writeError(w, r, err)
}

// List is the shape of every API list.
type List[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// trimPage cuts rows, read as limit+1, to limit and returns the cursor of
// the next page, made from the last row kept; nil on the last page. Every
// list that reads one row more than it shows pages with it.
func trimPage[T any](rows []T, limit int, cursor func(*T) string) ([]T, *string) {
	if limit <= 0 || len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	next := cursor(&rows[limit-1])
	return rows, &next
}
