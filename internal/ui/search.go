package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/searchkind"
)

// searchPageSize is how many hits one page of /sok shows.
const searchPageSize = 20

// searchForm is the query of /sok as typed, in Swedish parameters like
// the library's lists: q, slag (kind), typ (work type), organisation
// (slug) and fran (offset).
type searchForm struct {
	Query   string
	Kind    string
	Type    library.Type
	OrgSlug string
	Org     orgChoice
	Offset  int
}

func (f searchForm) values(offset int) url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": f.Query, "slag": f.Kind, "typ": string(f.Type), "organisation": f.OrgSlug} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if offset > 0 {
		v.Set("fran", strconv.Itoa(offset))
	}
	return v
}

type searchPage struct {
	base
	Form     searchForm
	Kinds    []searchkind.Kind
	Types    []library.Type
	Results  []searchkind.Result
	Searched bool   // a query was given (and analysed to something)
	Ways     waysOn // a search that found nothing
	More     bool
	Prev     string // URL of the previous page, or ""
	Next     string // URL of the next page, or ""
	First    int    // 1-based number of the first hit shown
}

// showSearch is the site search across every registered kind. Values that
// do not parse are dropped, never refused: a search is never an error
// page. The page works without JavaScript; search.js updates the results
// while typing.
func (s *searchPages) showSearch(w http.ResponseWriter, r *http.Request) error {
	p := &searchPage{base: s.base(r, "search.title"), Kinds: s.cfg.Kinds.Kinds(), Types: library.Types}
	q := r.URL.Query()
	p.Form.Query = strings.TrimSpace(q.Get("q"))
	if _, ok := s.cfg.Kinds.Get(q.Get("slag")); ok {
		p.Form.Kind = q.Get("slag")
	}
	if t := library.Type(q.Get("typ")); slices.Contains(library.Types, t) {
		p.Form.Type = t
	}
	if n, err := strconv.Atoi(q.Get("fran")); err == nil && n > 0 {
		p.Form.Offset = min(n, search.MaxOffset)
	}
	org, err := s.resolveOrg(r.Context(), p.Actor, q.Get("organisation"))
	if err != nil {
		return err
	}
	p.Form.Org = org
	query := search.Query{Text: p.Form.Query, Kinds: s.cfg.Kinds.Names(), Viewer: account.ViewerOf(p.Actor),
		Limit: searchPageSize, Offset: p.Form.Offset}
	if p.Form.Kind != "" {
		query.Kinds = []string{p.Form.Kind}
	}
	if p.Form.Type != "" {
		query.Tags = []string{search.Tag("type", string(p.Form.Type))}
	}
	if org.Org != nil {
		p.Form.OrgSlug, query.Org = org.Slug(), org.ID()
	}
	if p.Form.Query != "" {
		p.Title = p.T("search.title_for", p.Form.Query)
		res, err := s.cfg.Search.Search(r.Context(), query)
		if err != nil {
			return err
		}
		p.Searched = len(res.Terms) > 0
		if p.Results, err = s.cfg.Kinds.Resolve(r.Context(), p.Actor, res.Hits); err != nil {
			return err
		}
		p.More, p.First = res.More, p.Form.Offset+1
		if len(res.Hits) == 0 {
			p.Ways = newWaysOn("/sok", p.Form.values(0), res, siteDropParam)
		}
		if p.Form.Offset > 0 {
			p.Prev = "/sok?" + p.Form.values(max(0, p.Form.Offset-searchPageSize)).Encode()
		}
		if res.More {
			p.Next = "/sok?" + p.Form.values(p.Form.Offset+searchPageSize).Encode()
		}
	}
	s.render(w, r, http.StatusOK, "search", p)
	return nil
}
