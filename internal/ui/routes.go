// Package ui serves framsyn's HTML pages. Handlers are thin: decode the
// form, call the domain, render a page or redirect.
package ui

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/searchkind"
	"github.com/framsyn/framsyn/internal/workshop"
	"github.com/framsyn/framsyn/web"
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
	Workshops     *workshop.Service
	Media         *media.Store
	Search        search.Index         // the one index of every kind, for /sok
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
	tmpl   map[string]*template.Template
	assets *assets
}

// New parses the templates and returns a Server.
func New(cfg Config) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a)
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

// Register adds the pages to t, top to bottom as a visitor meets them.
func (s *Server) Register(t *route.Table) {
	P, U, A := route.Public, route.SignedIn, route.Admin
	t.Handle(P, "GET /{$}", s.h(s.showHome))
	t.Handle(P, "GET /static/{file...}", s.serveStatic)
	t.Handle(P, "GET /media/{hash}", s.h(s.serveMedia))
	t.Handle(P, "POST /sprak", s.h(s.setLanguage))
	t.Handle(P, "GET /tillganglighet", s.h(s.showAccessibility))

	for _, a := range comingAreas {
		t.Handle(P, "GET "+a.path, s.h(s.showComingArea(a)))
	}
	t.Handle(P, "GET /bibliotek", s.h(s.listWorks))
	t.Handle(P, "GET /bibliotek/sa-har-gjorde-vi", s.h(s.listExperiences))
	t.Handle(P, "GET /bibliotek/export.csv", s.h(s.exportWorksCSV))
	t.Handle(P, "GET /bibliotek/export.json", s.h(s.exportWorksJSON))
	t.Handle(P, "GET /bibliotek/export.zip", s.h(s.exportWorksZIP))
	t.Handle(U, "GET /bibliotek/import", s.h(s.showImport))
	t.Handle(U, "POST /bibliotek/import", s.h(s.importWorks), httpx.ImportLimits(library.MaxImportJSONBytes, library.MaxArchiveBytes)...)
	t.Handle(U, "GET /bibliotek/ny", s.h(s.showNewWork))
	t.Handle(U, "POST /bibliotek", s.h(s.createWork))
	t.Handle(P, "GET /bibliotek/{slug}", s.h(s.showWork))
	t.Handle(U, "GET /bibliotek/{slug}/redigera", s.h(s.showEditWork))
	t.Handle(U, "POST /bibliotek/{slug}", s.h(s.updateWork))
	t.Handle(U, "POST /bibliotek/{slug}/ta-bort", s.h(s.deleteWork))
	t.Handle(U, "GET /bibliotek/{slug}/versioner", s.h(s.showRevisions))
	t.Handle(U, "GET /bibliotek/{slug}/versioner/{n}", s.h(s.showRevision))
	t.Handle(U, "POST /bibliotek/{slug}/versioner/{n}/aterstall", s.h(s.restoreRevision))
	t.Handle(U, "POST /bibliotek/{slug}/bilagor", s.h(s.uploadAttachment), route.MaxBody(maxAttachmentBytes+1<<20, "multipart/form-data"))
	t.Handle(P, "GET /bibliotek/{slug}/bilagor/{hash}", s.h(s.serveAttachment))
	t.Handle(U, "POST /bibliotek/{slug}/bilagor/{hash}/ta-bort", s.h(s.deleteAttachment))
	t.Handle(P, "GET /natverket", s.h(s.showNetwork))
	t.Handle(P, "GET /sok", s.h(s.showSearch))
	t.Handle(P, "GET /flode.atom", s.h(s.showSiteFeed))
	t.Handle(P, "GET /organisationer/{slug}/flode.atom", s.h(s.showOrganisationFeed))
	for _, typ := range library.Types {
		// One literal route per type: a {type} wildcard would overlap the
		// wildcard routes under /bibliotek/{slug}/.
		t.Handle(P, "GET "+typeFeedPath(typ), s.h(s.showTypeFeed(typ)))
	}

	t.Handle(P, "GET /logga-in", s.h(s.showLogin))
	t.Handle(P, "POST /logga-in", s.h(s.login))
	t.Handle(P, "POST /logga-ut", s.h(s.logout))
	t.Handle(P, "GET /glomt-losenord", s.h(s.showForgotPassword))
	t.Handle(P, "POST /glomt-losenord", s.h(s.forgotPassword))
	t.Handle(P, "GET /aterstall/{token}", s.h(s.showResetPassword))
	t.Handle(P, "POST /aterstall/{token}", s.h(s.resetPassword))
	t.Handle(P, "GET /inbjudan/{token}", s.h(s.showInvitation))
	t.Handle(P, "POST /inbjudan/{token}", s.h(s.acceptInvitation))

	t.Handle(U, "GET /konto", s.h(s.showAccount))
	t.Handle(U, "POST /konto/namn", s.h(s.updateName))
	t.Handle(U, "POST /konto/losenord", s.h(s.changePassword))
	t.Handle(U, "POST /konto/nycklar", s.h(s.createToken))
	t.Handle(U, "POST /konto/nycklar/{id}/ta-bort", s.h(s.deleteToken))
	t.Handle(U, "POST /konto/sessioner/{hash}/avsluta", s.h(s.endSession))

	t.Handle(P, "GET /organisationer", s.h(s.listOrganisations))
	t.Handle(A, "GET /organisationer/ny", s.h(s.showNewOrganisation))
	t.Handle(A, "POST /organisationer", s.h(s.createOrganisation))
	t.Handle(P, "GET /organisationer/{slug}", s.h(s.showOrganisation))
	t.Handle(U, "GET /organisationer/{slug}/redigera", s.h(s.showEditOrganisation))
	t.Handle(U, "POST /organisationer/{slug}", s.h(s.updateOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/logotyp", s.h(s.uploadLogo))
	t.Handle(A, "POST /organisationer/{slug}/ta-bort", s.h(s.deleteOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/kontakter", s.h(s.saveContact))
	t.Handle(U, "POST /organisationer/{slug}/kontakter/{id}", s.h(s.saveContact))
	t.Handle(U, "POST /organisationer/{slug}/kontakter/{id}/ta-bort", s.h(s.deleteContact))
	t.Handle(U, "GET /organisationer/{slug}/medlemmar", s.h(s.showMembers))
	t.Handle(U, "POST /organisationer/{slug}/medlemmar/{user}", s.h(s.setMemberRole))
	t.Handle(U, "POST /organisationer/{slug}/inbjudningar", s.h(s.inviteToOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/poster", s.h(s.createPost))
	t.Handle(U, "POST /organisationer/{slug}/poster/{id}", s.h(s.updatePost))
	t.Handle(U, "POST /organisationer/{slug}/poster/{id}/ta-bort", s.h(s.deletePost))

	t.Handle(A, "GET /admin/anvandare", s.h(s.showUsers))
	t.Handle(A, "POST /admin/inbjudningar", s.h(s.invite))
	t.Handle(A, "POST /admin/anvandare/{id}", s.h(s.updateUser))
	t.Handle(A, "POST /admin/anvandare/{id}/aterstallning", s.h(s.makeResetLink))
}

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
	http.ServeFileFS(w, r, web.Static, "static/"+name)
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
