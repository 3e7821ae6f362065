package ui

import (
	"bytes"
	"net/http"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/media"
)

type homePage struct {
	base
	Recent  []account.Organisation
	Total   int
	Regions int
	News    // what is new across the network (post_home.go)
}

// homeRecent is how many recently updated organisations the front page shows.
const homeRecent = 12

func (s *Server) showHome(w http.ResponseWriter, r *http.Request) error {
	p := &homePage{base: s.base(r, "home.title")}
	l, err := s.homeLists(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	p.Recent, p.Total, p.Regions, p.News = l.Recent, l.Total, l.Regions, l.News
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// sortByName sorts organisations by name with Swedish collation (å, ä, ö
// after z). Keys are made once per name: comparing with the collator in
// the sort itself costs a hundred times more at a few thousand names.
func sortByName(orgs []account.Organisation) {
	c := collate.New(language.Swedish)
	var buf collate.Buffer
	keys := make(map[string][]byte, len(orgs))
	for _, o := range orgs {
		if _, ok := keys[o.Name]; !ok {
			keys[o.Name] = append([]byte(nil), c.KeyFromString(&buf, o.Name)...)
			buf.Reset()
		}
	}
	slices.SortStableFunc(orgs, func(a, b account.Organisation) int { return bytes.Compare(keys[a.Name], keys[b.Name]) })
}

func (s *Server) showAccessibility(w http.ResponseWriter, r *http.Request) error {
	p := &struct{ base }{s.base(r, "a11y.title")}
	s.render(w, r, http.StatusOK, "accessibility", p)
	return nil
}

// showNetwork is the directory of organisations and contact persons.
func (s *Server) showNetwork(w http.ResponseWriter, r *http.Request) error {
	p, err := s.directory(r, "network.title", "/natverket", true)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "network", p)
	return nil
}

// setLanguage remembers the language chosen in a cookie and, for a
// signed-in user, on the account.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if !i18n.Supported(lang) {
		return errs.E(errs.Invalid, "error.invalid")
	}
	// A signed-in user's choice is kept with the account too: their
	// e-mails are written in it.
	if a := account.ActorFrom(r.Context()); a.SignedIn() {
		if err := s.cfg.Accounts.SetLanguage(r.Context(), a, lang); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeReturn(r.PostFormValue("return"), "/"), http.StatusSeeOther)
	return nil
}

// serveMedia serves an organisation's logo to whoever may see the
// organisation; only a public organisation's logo is cached publicly.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) error {
	hash := httpx.Path(r, "hash")
	public, err := s.cfg.Accounts.Logo(r.Context(), account.ActorFrom(r.Context()), hash)
	if err != nil {
		return err
	}
	f, ctype, err := s.cfg.Media.Open(hash)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, ok := media.Images[ctype]; !ok {
		return errs.E(errs.NotFound, "error.not_found")
	}
	w.Header().Set("Content-Type", ctype)
	if public {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}
