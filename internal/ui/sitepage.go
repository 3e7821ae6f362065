package ui

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/sitepage"
)

// sitePages serve the site's own pages (about, contact, personal data,
// cookies), which platform admins edit.
type sitePages struct{ *Server }

// SitePages returns the pages of the site itself.
func (s *Server) SitePages() route.Area { return &sitePages{s} }

// Register adds each page at /<slug>, and its form for platform admins
// at /<slug>/redigera.
func (s *sitePages) Register(t *route.Table) {
	for _, slug := range sitepage.Slugs {
		t.Handle(route.Public, "GET /"+slug, s.h(s.showSitePage(slug)))
		t.Handle(route.Admin, "GET /"+slug+"/redigera", s.h(s.editSitePage(slug)))
		t.Handle(route.Admin, "POST /"+slug+"/redigera", s.h(s.saveSitePage(slug)))
	}
}

// sitePageView is a site page, read or in its form.
type sitePageView struct {
	base
	Page     *sitepage.Page
	CanEdit  bool
	LangName string // the language the form edits, in the page's language
}

func (s *sitePages) view(r *http.Request, slug string) (*sitePageView, error) {
	lang := i18n.Negotiate(r)
	pg, err := s.cfg.SitePages.Page(r.Context(), slug, lang)
	if err != nil {
		return nil, err
	}
	p := &sitePageView{base: s.base(r, ""), Page: pg, CanEdit: account.ActorFrom(r.Context()).IsAdmin()}
	p.Title = pg.Title
	p.LangName = p.T("sitepage.lang." + lang)
	return p, nil
}

func (s *sitePages) showSitePage(slug string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.view(r, slug)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "sitepage", p)
		return nil
	}
}

func (s *sitePages) editSitePage(slug string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.view(r, slug)
		if err != nil {
			return err
		}
		p.Title = p.T("sitepage.edit_title", p.Page.Title)
		s.render(w, r, http.StatusOK, "sitepage_edit", p)
		return nil
	}
}

// saveSitePage stores the page in the language the form was shown in.
func (s *sitePages) saveSitePage(slug string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		lang := r.PostFormValue("lang")
		err := s.cfg.SitePages.Put(r.Context(), account.ActorFrom(r.Context()),
			sitepage.Page{Slug: slug, Lang: lang, Title: r.PostFormValue("title"), Body: r.PostFormValue("body")})
		if err != nil {
			p, verr := s.view(r, slug)
			if verr != nil {
				return verr
			}
			p.Title = p.T("sitepage.edit_title", p.Page.Title)
			return s.formError(w, r, "sitepage_edit", p, err)
		}
		s.redirect(w, r, "/"+slug, "sitepage.saved")
		return nil
	}
}
