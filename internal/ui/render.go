package ui

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/web"
)

// stockholm is where dates are shown; times are stored in UTC.
var stockholm = mustLocation("Europe/Stockholm")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// assets maps static file names to URLs with a content hash, so they can
// be cached for a year and still change on upgrade. A stylesheet's url(…)
// of another asset (its fonts) is rewritten to that asset's hashed URL, so
// the fonts are cached as long, and the stylesheet's hash covers them.
type assets struct {
	hash map[string]string
	body map[string][]byte // files served as rewritten here, not as embedded
}

// cssURL matches a stylesheet's url(…) of a file beside it.
var cssURL = regexp.MustCompile(`url\(([a-z0-9/._-]+)\)`)

func loadAssets() (*assets, error) {
	a := &assets{hash: map[string]string{}, body: map[string][]byte{}}
	var css []string
	err := fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := web.Static.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		a.hash[name] = contentHash(b)
		if strings.HasSuffix(name, ".css") {
			css = append(css, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range css {
		b, _ := web.Static.ReadFile("static/" + name)
		var missing error
		b = cssURL.ReplaceAllFunc(b, func(m []byte) []byte {
			ref := path.Join(path.Dir(name), string(cssURL.FindSubmatch(m)[1]))
			if _, ok := a.hash[ref]; !ok {
				missing = fmt.Errorf("ui: %s names %s, which is not in web/static", name, ref)
				return m
			}
			return []byte("url(" + a.url(ref) + ")")
		})
		if missing != nil {
			return nil, missing
		}
		a.body[name], a.hash[name] = b, contentHash(b)
	}
	return a, nil
}

// serve writes the static file name, known to a.
func (a *assets) serve(w http.ResponseWriter, r *http.Request, name string) {
	if b, ok := a.body[name]; ok {
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
		return
	}
	if strings.HasSuffix(name, ".woff2") {
		w.Header().Set("Content-Type", "font/woff2") // not in Go's own table of types
	}
	http.ServeFileFS(w, r, web.Static, "static/"+name)
}

func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

func (a *assets) url(name string) string {
	h, ok := a.hash[name]
	if !ok {
		panic("ui: unknown asset " + name)
	}
	return "/static/" + name + "?v=" + h
}

// templates are the page templates, each the layout and the shared
// partials with one page. The layout and partials are parsed at start (an
// error stops it), and each page into a clone of them when it is first
// rendered: parsing the partials with each of the sixty pages, and then
// cloning them for each, was most of a start's time, which a restart's
// clients wait for, and the streams they come back to render no page.
// The templates are embedded, so TestTemplates_EveryPage, which parses
// and renders every page, holds for the binary.
type templates struct {
	pages map[string]func() (*template.Template, error)
}

func newTemplates(a *assets) (*templates, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		// URLs of works, organisations, workshops: {{workPath .Slug}}.
		"workPath":        paths.Work,
		"crossPath":       paths.Cross,
		"workRevisions":   paths.WorkRevisions,
		"orgPath":         paths.Organisation,
		"orgEditPath":     paths.OrganisationEdit,
		"orgMembersPath":  paths.OrganisationMembers,
		"workshopPath":    paths.Workshop,
		"workshopResults": paths.WorkshopResults,
		"md":              markdown.HTML,
		"mdWith":          markdown.HTMLWith,
		"lines":           func(s []string) string { return strings.Join(s, "\n") }, // a textarea of one item a line
		// No date formatter: a page writes dates through its base
		// (DateHTML, DayHTML, DateTimeHTML), in its language.
	}
	files, err := fs.Glob(web.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	shared, err := template.New("").Funcs(funcs).ParseFS(web.Templates, "templates/layout/*.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: templates: %w", err)
	}
	ts := &templates{pages: map[string]func() (*template.Template, error){}}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		// shared is never executed, so it may be cloned at any time, by
		// several requests at once.
		ts.pages[name] = sync.OnceValues(func() (*template.Template, error) {
			t, err := shared.Clone()
			if err == nil {
				t, err = t.ParseFS(web.Templates, file)
			}
			if err != nil {
				return nil, fmt.Errorf("ui: template %s: %w", name, err)
			}
			return t, nil
		})
	}
	return ts, nil
}

// page returns the named page's template.
func (ts *templates) page(name string) (*template.Template, error) {
	parse, ok := ts.pages[name]
	if !ok {
		return nil, fmt.Errorf("ui: no template %q", name)
	}
	return parse()
}

// parseTemplates parses every page's template, for the tests.
func parseTemplates(a *assets) (map[string]*template.Template, error) {
	ts, err := newTemplates(a)
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for name := range ts.pages {
		if out[name], err = ts.page(name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// navItem is one entry of the main navigation, and of the front page's
// areas (Lead says what it holds).
type navItem struct {
	Key, Href, Lead string
	Current         bool
}

// nav is every area the navigation may show, in order; an area is shown
// when a page of its own answers at Href (navFor), so an area appears
// when it is built and mounted, and there are no pages of areas to come.
var nav = []navItem{
	{Key: "nav.library", Href: "/bibliotek", Lead: "home.area.library"},
	{Key: "nav.workshops", Href: "/workshoppar", Lead: "home.area.workshops"},
	{Key: "nav.crosses", Href: "/scenariekors", Lead: "home.area.crosses"},
	{Key: "nav.methods", Href: "/metoder", Lead: "home.area.methods"},
	{Key: "nav.signals", Href: "/signaler", Lead: "home.area.signals"},
	{Key: "nav.analysis", Href: "/analys", Lead: "home.area.analysis"},
	{Key: "nav.events", Href: "/evenemang", Lead: "home.area.events"},
	{Key: "nav.network", Href: "/natverket", Lead: "home.area.network"},
}

// navFor returns the entries of nav whose area has registered a GET page
// at its Href, read once from the route table after the areas mounted.
func (s *Server) navFor() []navItem {
	s.navOnce.Do(func() {
		if s.routes == nil {
			return
		}
		paths := map[string]bool{}
		for _, rt := range s.routes.Routes() {
			if rt.Method == http.MethodGet {
				paths[strings.TrimSuffix(strings.TrimSuffix(rt.Path, "{$}"), "/")] = true
			}
		}
		for _, n := range nav {
			if paths[n.Href] {
				s.nav = append(s.nav, n)
			}
		}
	})
	return s.nav
}

// base is what every page has; page structs embed it.
type base struct {
	*i18n.Translator
	Title  string
	Path   string
	Actor  *account.Actor
	Flash  string
	Form   url.Values
	Errors errs.Fields
	Error  string // a form-level message key
	nav    []navItem
	// errFields is, for a page with field errors, each field's label and
	// place on the page, read from a first rendering (render).
	errFields map[string]errField
	// errIDs maps a field with an error to the id of its input where the
	// two differ (one of several forms on a page: "body-12").
	errIDs map[string]string
	// chromeHole is the marker put in place of the viewer's part of the
	// header (chrome.go), when the request asked for it.
	chromeHole template.HTML
}

// errID is the id of the input of a field with an error.
func (b *base) errID(field string) string {
	if id, ok := b.errIDs[field]; ok {
		return id
	}
	return field
}

// errField is where a field with an error is on its page and what its
// label says.
type errField struct {
	label string
	at    int
}

// summaryItem is one line of the error summary: the field's id (the
// link's target), its label and the message.
type summaryItem struct{ ID, Label, Msg string }

// ErrorSummary lists the field errors in the order of the fields on the
// page (those not found last, by name), each naming its field by the
// page's own label: the GOV.UK error summary (partial error_summary).
func (b *base) ErrorSummary() []summaryItem {
	out := make([]summaryItem, 0, len(b.Errors))
	for f, key := range b.Errors {
		id := b.errID(f)
		out = append(out, summaryItem{ID: id, Label: b.errFields[id].label, Msg: b.T(key)})
	}
	at := func(id string) int {
		if e, ok := b.errFields[id]; ok {
			return e.at
		}
		return math.MaxInt
	}
	slices.SortFunc(out, func(x, y summaryItem) int {
		return cmp.Or(cmp.Compare(at(x.ID), at(y.ID)), strings.Compare(x.ID, y.ID))
	})
	return out
}

var (
	labelRE  = regexp.MustCompile(`(?s)<label for="([^"]+)"[^>]*>(.*?)</label>`)
	legendRE = regexp.MustCompile(`(?s)<fieldset[^>]* id="([^"]+)"[^>]*>\s*<legend[^>]*>(.*?)</legend>`)
	tagRE    = regexp.MustCompile(`<[^>]*>`)
)

// errorFields reads, from a rendering of a page, the label (or a
// fieldset's legend) and the place of each input of a field with an
// error, by the input's id.
func errorFields(page []byte, b *base) map[string]errField {
	errors := map[string]bool{}
	for f := range b.Errors {
		errors[b.errID(f)] = true
	}
	out := map[string]errField{}
	for _, re := range []*regexp.Regexp{labelRE, legendRE} {
		for _, m := range re.FindAllSubmatchIndex(page, -1) {
			id := string(page[m[2]:m[3]])
			if !errors[id] {
				continue
			}
			if _, seen := out[id]; seen {
				continue
			}
			text := html.UnescapeString(tagRE.ReplaceAllString(string(page[m[4]:m[5]]), " "))
			out[id] = errField{label: strings.Join(strings.Fields(text), " "), at: m[0]}
		}
	}
	return out
}

// NavItems returns the areas of the navigation, the current one marked.
func (b *base) NavItems() []navItem {
	items := make([]navItem, len(b.nav))
	for i, n := range b.nav {
		n.Current = b.Path == n.Href || strings.HasPrefix(b.Path, n.Href+"/")
		items[i] = n
	}
	return items
}

// FieldError returns the translated error of a form field, or "".
func (b *base) FieldError(field string) string {
	if key, ok := b.Errors[field]; ok {
		return b.T(key)
	}
	return ""
}

// Value returns the submitted value of a form field, or def.
func (b *base) Value(field, def string) string {
	if b.Form != nil {
		if _, ok := b.Form[field]; ok {
			return b.Form.Get(field)
		}
	}
	return def
}

func (s *Server) base(r *http.Request, titleKey string) base {
	tr := s.cat.For(i18n.Negotiate(r))
	b := base{Translator: tr, Path: r.URL.Path, Actor: account.ActorFrom(r.Context()), nav: s.navFor()}
	if titleKey != "" {
		b.Title = tr.T(titleKey)
	}
	if c, err := r.Cookie(flashCookie); err == nil && tr.Has(c.Value) {
		b.Flash = c.Value
	}
	if HasChromeHole(r.Context()) {
		b.chromeHole = template.HTML(chromeMarker)
	}
	return b
}

type pageData interface{ page() *base }

func (b *base) page() *base { return b }

// render executes a page into a buffer and writes it; a template error
// becomes a 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	t, err := s.tmpl.page(name)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		s.serverError(w, r, fmt.Errorf("ui: render %s: %w", name, err))
		return
	}
	if p := data.page(); len(p.Errors) > 0 {
		// The summary names each field as its label on the page does:
		// read them from this rendering and render again.
		p.errFields = errorFields(buf.Bytes(), p)
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
			s.serverError(w, r, fmt.Errorf("ui: render %s: %w", name, err))
			return
		}
	}
	if data.page().Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, Secure: s.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const flashCookie = "framsyn_flash"

// redirect sends the browser to target with an optional message key shown
// on the next page (post/redirect/get).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target, flashKey string) {
	if flashKey != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: flashKey, Path: "/", MaxAge: 60, Secure: s.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

type errorPage struct {
	base
	Message string
}

// handler is a UI handler that may fail; h turns it into an http.HandlerFunc.
type handler func(w http.ResponseWriter, r *http.Request) error

// h chooses the page and status for an error a handler returns.
func (s *Server) h(fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Gone(r) {
		httpx.Abandon(w, r, s.log, err)
		return
	}
	e := errs.As(err)
	switch e.Kind {
	case errs.Unauthorized:
		http.Redirect(w, r, "/logga-in?return="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case errs.Internal:
		s.serverError(w, r, err)
	default:
		s.log.Info("request refused", "path", r.URL.Path, "kind", e.Kind, "err", err)
		s.errorPage(w, r, httpx.Status(e.Kind), e.Key)
	}
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Gone(r) {
		httpx.Abandon(w, r, s.log, err)
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}

// ErrorPage renders the error page with a status and message key.
func (s *Server) ErrorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.errorPage(w, r, status, key)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	p := &errorPage{base: s.base(r, "error.title")}
	p.Message = p.T(key)
	var buf bytes.Buffer
	t, err := s.tmpl.page("error")
	if err == nil {
		err = t.ExecuteTemplate(&buf, "base", p)
	}
	if err != nil {
		s.log.Error("error page failed", "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
