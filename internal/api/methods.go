package api

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
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

func (s *methodsAPI) listMethods(w http.ResponseWriter, r *http.Request) error {
	// Seven guides: one page, always complete.
	out := List[Method]{Items: []Method{}}
	for _, g := range method.Guides {
		out.Items = append(out.Items, Method{Guide: g, URL: s.baseURL + paths.Method(g.Slug)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *methodsAPI) getMethod(w http.ResponseWriter, r *http.Request) error {
	g, ok := method.BySlug(httpx.Path(r, "slug"))
	if !ok {
		return errs.E(errs.NotFound, "error.not_found")
	}
	writeJSON(w, http.StatusOK, Method{Guide: *g, URL: s.baseURL + paths.Method(g.Slug)})
	return nil
}
