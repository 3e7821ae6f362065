package ui

import (
	"net/http"
	"sync"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// methodPages serve the method guides: the list and each guide, with the
// network's own accounts of using it and a way to start a workshop.
type methodPages struct {
	*Server
	crosses *cross.Service

	once    sync.Once
	sources map[string]demo.Source // the seed documents, for naming quotes' sources
	loadErr error
}

// Methods returns the method guides' pages; crosses finds the example
// crosses the guides point to.
func (s *Server) Methods(crosses *cross.Service) route.Area {
	return &methodPages{Server: s, crosses: crosses}
}

// Register adds the guides' pages to t.
func (mp *methodPages) Register(t *route.Table) {
	t.Handle(route.Public, "GET /metoder", mp.h(mp.listMethods))
	t.Handle(route.Public, "GET /metoder/{slug}", mp.h(mp.showMethod))
}

type methodListPage struct {
	base
	Guides []method.Guide
}

func (mp *methodPages) listMethods(w http.ResponseWriter, r *http.Request) error {
	p := &methodListPage{base: mp.base(r, "method.list.title")}
	p.Guides = method.GuidesIn(p.Lang)
	mp.render(w, r, http.StatusOK, "methods", p)
	return nil
}

// methodExample is an example with where it leads, for the viewer.
type methodExample struct {
	demo.MethodExample
	Path   string
	Source string // the seed document's title
}

type methodPage struct {
	base
	Guide    *method.Guide
	Examples []methodExample
	Start    string // where the guide's workshop starts
}

func (mp *methodPages) showMethod(w http.ResponseWriter, r *http.Request) error {
	b := mp.base(r, "")
	g, ok := method.BySlugIn(httpx.Path(r, "slug"), b.Lang)
	if !ok {
		return errs.E(errs.NotFound, "error.not_found")
	}
	p := &methodPage{base: b, Guide: g, Start: "/workshoppar?mall=" + g.Template + "#new-h"}
	p.Title = g.Name
	if g.FromCross {
		p.Start = paths.Crosses
	}
	var err error
	if p.Examples, err = mp.examples(r, p.Actor, g.Slug); err != nil {
		return err
	}
	mp.render(w, r, http.StatusOK, "method", p)
	return nil
}

// examples resolves the guide's examples to pages the viewer may see,
// leaving out those whose work, organisation or cross is not there (a
// site without the demo network).
func (mp *methodPages) examples(r *http.Request, a *account.Actor, slug string) ([]methodExample, error) {
	mp.once.Do(func() {
		n, err := demo.Load()
		if err == nil {
			mp.sources = n.Sources
		}
		mp.loadErr = err
	})
	if mp.loadErr != nil {
		return nil, mp.loadErr
	}
	var crosses map[string]int64
	var out []methodExample
	for _, ex := range demo.MethodExamples()[slug] {
		e := methodExample{MethodExample: ex}
		if src, ok := mp.sources[ex.Seed]; ok {
			e.Source = src.Title
		}
		switch {
		case ex.Work != "":
			if _, err := mp.cfg.Library.GetBySlug(r.Context(), a, ex.Work); err == nil {
				e.Path = paths.Work(ex.Work)
			}
		case ex.Org != "":
			if _, err := mp.cfg.Accounts.Organisation(r.Context(), a, ex.Org); err == nil {
				e.Path = paths.Organisation(ex.Org)
			}
		case ex.Cross != "":
			if crosses == nil {
				crosses = map[string]int64{}
				cs, err := mp.crosses.List(r.Context(), a, cross.ListQuery{Limit: cross.MaxLimit})
				if err != nil {
					return nil, err
				}
				for _, c := range cs {
					crosses[c.Title] = c.ID
				}
			}
			if id, ok := crosses[ex.Cross]; ok {
				e.Path = paths.Cross(id)
			}
		}
		if e.Path != "" {
			out = append(out, e)
		}
	}
	return out, nil
}
