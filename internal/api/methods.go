package api

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// methodsAPI is the method guides as JSON.
type methodsAPI struct{ *Server }

// Methods returns the method guides' API.
func (s *Server) Methods() route.Area { return &methodsAPI{s} }

// Register adds the guides' API to t.
func (s *methodsAPI) Register(t *route.Table) {
	t.Handle(route.Public, "GET /api/v1/methods", s.h(s.listMethods))
	t.Handle(route.Public, "GET /api/v1/methods/{slug}", s.h(s.getMethod))
}

// Method is a guide as the API shows it.
type Method struct {
	method.Guide
	URL string `json:"url"`
}

// guideLang is the language a guide answers in: the lang query
// parameter when it names a language of the catalogue, else as the rest
// of the API picks (the language cookie, then Accept-Language, then
// Swedish). A guide without words in it answers in Swedish.
func guideLang(r *http.Request) (string, error) {
	if l := r.URL.Query().Get("lang"); l != "" {
		if !i18n.Supported(l) {
			return "", errs.Fields{"lang": "error.invalid"}.Err()
		}
		return l, nil
	}
	return i18n.NegotiateHeader(r), nil
}

func (s *methodsAPI) listMethods(w http.ResponseWriter, r *http.Request) error {
	lang, err := guideLang(r)
	if err != nil {
		return err
	}
	// Seven guides: one page, always complete.
	out := List[Method]{Items: []Method{}}
	for _, g := range method.GuidesIn(lang) {
		out.Items = append(out.Items, Method{Guide: g, URL: s.baseURL + paths.Method(g.Slug)})
	}
	w.Header().Set("Content-Language", lang)
	w.Header().Add("Vary", "Accept-Language, Cookie")
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *methodsAPI) getMethod(w http.ResponseWriter, r *http.Request) error {
	lang, err := guideLang(r)
	if err != nil {
		return err
	}
	g, ok := method.BySlugIn(httpx.Path(r, "slug"), lang)
	if !ok {
		return errs.E(errs.NotFound, "error.not_found")
	}
	w.Header().Set("Content-Language", lang)
	w.Header().Add("Vary", "Accept-Language, Cookie")
	writeJSON(w, http.StatusOK, Method{Guide: *g, URL: s.baseURL + paths.Method(g.Slug)})
	return nil
}
