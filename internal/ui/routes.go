// Package ui serves framsyn's HTML pages. Handlers are thin: decode the
// form, call the domain, render a page or redirect.
package ui

import (
	"context"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/facilitator"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/searchkind"
	"github.com/framsyn/framsyn/internal/sitepage"
)

// Mailer sends an email; nil when no SMTP server is configured, and then
// links are shown to the admin (invitations) or logged (password resets).
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Config is what the pages need.
type Config struct {
	Accounts      *account.Service
	Library       *library.Service
	Posts         *post.Service
	Events        *event.Service       // the network's events, for the feeds (nil: none)
	SitePages     *sitepage.Service    // about, contact, personal data, cookies
	Crosses       *cross.Service       // for the feeds, the front page and organisation pages
	Comments      *comment.Service     // the comment threads on work pages (nil: none)
	Board         *board.Service       // the board's posts on the front page and organisation pages (nil: none)
	Facilitators  *facilitator.Service // facilitators on organisation pages (nil: none)
	Media         *media.Store
	Search        search.Index         // the one index of every kind, for /sok
	Synonyms      search.Synonyms      // the search's synonym groups, kept at /admin/sok
	Kinds         *searchkind.Registry // what each kind's hits link to
	Catalogue     i18n.Catalogue
	Log           *slog.Logger
	Mailer        Mailer
	BaseURL       string // e.g. https://framsyn.example.se, for links in email
	SecureCookies bool
	SessionCookie string
}

// Server serves the pages.
type Server struct {
	cfg    Config
	cat    i18n.Catalogue
	log    *slog.Logger
	tmpl   *templates
	assets *assets

	analysis *analysis.Service // set by Analysis: its feed entries and the regions' index profiles
	home     homeCache         // the public's front page lists (home_cache.go)
	routes   *route.Table      // every page route, once the areas have registered
	navOnce  sync.Once
	nav      []navItem
}

// New parses the templates and returns a Server.
func New(cfg Config) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	t, err := newTemplates(a)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, cat: cfg.Catalogue, log: cfg.Log, tmpl: t, assets: a}, nil
}

// Guard lets a request through when the caller has the access; otherwise
// the public is sent to sign in and a signed-in user gets 403.
func (s *Server) Guard(access route.Access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := account.ActorFrom(r.Context())
		switch {
		case access == route.Public:
		case !a.SignedIn():
			http.Redirect(w, r, "/logga-in?return="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		case access == route.Admin && !a.IsAdmin():
			s.log.Info("authz denied", "user", a.UserID(), "path", r.URL.Path)
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Register adds the site's own pages to t: the front page, static and
// stored files, the language switch, the accessibility statement and the
// 404 page. Each area registers its own; the navigation shows an area
// once it has (navFor).
func (s *Server) Register(t *route.Table) {
	s.routes = t
	P := route.Public
	t.Handle(P, "GET /{$}", s.h(s.showHome))
	t.Handle(P, "GET /static/{file...}", s.serveStatic)
	t.Handle(P, "GET /media/{hash}", s.h(s.serveMedia))
	t.Handle(P, "POST /sprak", s.h(s.setLanguage))
	t.Handle(P, "GET /tillganglighet", s.h(s.showAccessibility))
	t.Handle(P, "GET /natverket", s.h(s.showNetwork))
	t.Handle(P, "/", s.NotFound)
}

// Accounts returns the pages of signing in, accounts and the platform admin.
func (s *Server) Accounts() route.Area { return &accountPages{s} }

// Library returns the library's pages.
func (s *Server) Library() route.Area { return &libraryPages{s} }

// Organisations returns the pages of organisations and their posts.
func (s *Server) Organisations() route.Area { return &organisationPages{s} }

// Feeds returns the Atom feeds.
func (s *Server) Feeds() route.Area { return &feedPages{s} }

// Search returns the site search.
func (s *Server) Search() route.Area { return &searchPages{s} }

// NotFound renders the 404 page, for paths no route matches.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := httpx.Path(r, "file")
	if _, ok := s.assets.hash[name]; !ok || strings.Contains(name, "..") {
		s.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == s.assets.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	s.assets.serve(w, r, name)
}

// safeReturn keeps a return target on this site: a path, never "//host".
func safeReturn(target, def string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		return def
	}
	if u, err := url.Parse(target); err != nil || u.Host != "" || u.Scheme != "" {
		return def
	}
	return target
}
