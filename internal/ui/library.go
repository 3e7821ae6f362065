package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// The query parameters of the library's list pages, in Swedish like the
// paths. One GET form sets them all, so every list is a plain link.
const (
	qpQuery   = "q"
	qpType    = "typ"
	qpOrg     = "organisation"
	qpLevel   = "niva"
	qpMethod  = "metod"
	qpTheme   = "tema"
	qpHorizon = "horisont"
	qpContent = "innehall" // "saknas": works without a link or a file
	qpYear    = "ar"
	qpSort    = "sortera"
	qpCursor  = "efter"
	qpOffset  = "fran"
)

// listFilter is the filter of a list page as read from its query, with
// the values as typed for the form.
type listFilter struct {
	library.Filter
	OrgSlug string
	Org     orgChoice // the organisation field, as typed and resolved
	Horizon string    // as typed; Filter.HorizonYear when it parses
	Year    string
	Start   int // how many works come before this page, for "showing 21–40"
}

// parseListFilter reads the filter from the query. Values that do not
// parse are dropped rather than refused: a list is never an error page.
// org is the organisation the query's field names (see resolveOrg).
func parseListFilter(q url.Values, org orgChoice) listFilter {
	f := listFilter{Horizon: strings.TrimSpace(q.Get(qpHorizon)), Year: strings.TrimSpace(q.Get(qpYear))}
	f.Query = strings.TrimSpace(q.Get(qpQuery))
	if t := library.Type(q.Get(qpType)); slices.Contains(library.Types, t) {
		f.Type = t
	}
	f.Org = org
	if o := org.Org; o != nil {
		f.OrganisationID, f.OrgSlug = o.ID, o.Slug
	}
	if l := account.Level(q.Get(qpLevel)); slices.Contains(account.Levels, l) {
		f.Level = l
	}
	f.NoContent = q.Get(qpContent) == "saknas"
	f.Method = strings.TrimSpace(q.Get(qpMethod))
	f.Theme = strings.TrimSpace(q.Get(qpTheme))
	if n, err := strconv.Atoi(f.Horizon); err == nil && n >= library.MinHorizonYear && n <= library.MaxHorizonYear {
		f.HorizonYear = n
	}
	if n, err := strconv.Atoi(f.Year); err == nil && n >= library.MinYear && n <= library.MaxYear {
		f.Filter.Year = n
	}
	f.Sort = library.Sort(q.Get(qpSort))
	switch {
	case f.Query == "" && f.Sort != library.SortTitle:
		f.Sort = library.SortNewest
	case f.Query != "" && f.Sort != library.SortNewest:
		f.Sort = library.SortRelevance // title order is for browsing, not for hits
	}
	n, err := strconv.Atoi(q.Get(qpOffset))
	if err != nil || n < 0 {
		n = 0
	}
	if f.Query == "" {
		// Browsing pages by cursor; the offset only numbers the page.
		if f.Cursor = q.Get(qpCursor); f.Cursor != "" {
			f.Start = n
		}
	} else {
		f.Offset = min(n, search.MaxOffset)
		f.Start = f.Offset
	}
	return f
}

// values returns the filter as query parameters, without paging.
func (f *listFilter) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set(qpQuery, f.Query)
	set(qpType, string(f.Type))
	set(qpOrg, f.OrgSlug)
	set(qpLevel, string(f.Level))
	set(qpMethod, f.Method)
	set(qpTheme, f.Theme)
	if f.HorizonYear != 0 {
		set(qpHorizon, strconv.Itoa(f.HorizonYear))
	}
	if f.Filter.Year != 0 {
		set(qpYear, strconv.Itoa(f.Filter.Year))
	}
	if f.NoContent {
		set(qpContent, "saknas")
	}
	if f.Sort != library.SortNewest && !(f.Query != "" && f.Sort == library.SortRelevance) {
		set(qpSort, string(f.Sort))
	}
	return v
}

// Filtered reports whether anything but the sort narrows the list.
func (f *listFilter) Filtered() bool {
	return f.Query != "" || f.Type != "" || f.OrganisationID != 0 || f.Level != "" || f.Method != "" ||
		f.Theme != "" || f.HorizonYear != 0 || f.Filter.Year != 0 || f.NoContent
}

// workItem is one work in a list, with what the list shows of it.
type workItem struct {
	library.Work
	Orgs    []account.Organisation // the owner first, those the viewer may see
	TitleHL []search.Segment       // with a query: the highlighted title
	Snippet []search.Segment       // with a query: the best window of text
}

type libraryPage struct {
	base
	Filter      listFilter
	Items       []workItem
	Types       []library.Type
	Levels      []account.Level
	Experiences bool // the "Så här gjorde vi" list
	Suggest     library.Suggestions
	Ways        waysOn // a search that found nothing
	Action      string
	First, Last int // the positions shown, from 1
	NextURL     string
	PrevURL     string
	FirstURL    string
	ExportCSV   string
	ExportJSON  string
	ExportZIP   string
	CanCreate   bool
	CanImport   bool
}

func (s *libraryPages) listWorks(w http.ResponseWriter, r *http.Request) error {
	return s.renderWorkList(w, r, false)
}

// listExperiences lists the works with an experience report, the answer to
// "we need help with how".
func (s *libraryPages) listExperiences(w http.ResponseWriter, r *http.Request) error {
	return s.renderWorkList(w, r, true)
}

func (s *libraryPages) renderWorkList(w http.ResponseWriter, r *http.Request, experiences bool) error {
	titleKey, action := "library.title", "/bibliotek"
	if experiences {
		titleKey, action = "library.exp.title", "/bibliotek/sa-har-gjorde-vi"
	}
	p := &libraryPage{base: s.base(r, titleKey), Types: library.Types, Levels: account.Levels,
		Experiences: experiences, Action: action}
	org, err := s.resolveOrg(r.Context(), p.Actor, r.URL.Query().Get(qpOrg))
	if err != nil {
		return err
	}
	p.Filter = parseListFilter(r.URL.Query(), org)
	p.Filter.HasExperience = experiences
	page, err := s.cfg.Library.List(r.Context(), p.Actor, p.Filter.Filter)
	if err != nil {
		return err
	}
	orgs, err := s.orgsOf(r, p.Actor, page.Works)
	if err != nil {
		return err
	}
	for i, wk := range page.Works {
		it := workItem{Work: wk, Orgs: orgs.of(&page.Works[i])}
		if i < len(page.Hits) {
			it.TitleHL, it.Snippet = page.Hits[i].TitleHL, page.Hits[i].Snippet
		}
		p.Items = append(p.Items, it)
	}
	p.paginate(page)
	if p.Filter.Query != "" && len(page.Works) == 0 {
		p.Ways = newWaysOn(action, p.Filter.values(), &search.Result{Suggestion: page.Suggestion, Drops: page.Drops}, libraryDropParam)
	}
	export := p.Filter.values()
	if experiences {
		export.Set("erfarenheter", "ja")
	}
	p.ExportCSV, p.ExportJSON = withQuery("/bibliotek/export.csv", export), withQuery("/bibliotek/export.json", export)
	p.ExportZIP = withQuery("/bibliotek/export.zip", export)
	p.CanCreate = canPublishSomewhere(p.Actor)
	p.CanImport = library.CanImport(p.Actor)
	// The filter's suggestions help, but the list does not need them.
	if p.Suggest, err = s.cfg.Library.Suggestions(r.Context()); err != nil {
		s.log.Warn("library: suggestions", "err", err)
	}
	s.render(w, r, http.StatusOK, "library", p)
	return nil
}

// paginate sets the positions and the links to the next and previous
// pages: a cursor when browsing, an offset for hits.
func (p *libraryPage) paginate(page *library.Page) {
	f := &p.Filter
	v := f.values()
	if len(page.Works) > 0 {
		p.First = f.Start + 1
		p.Last = f.Start + len(page.Works)
	}
	if f.Query != "" {
		limit := library.DefaultLimit
		if page.More && f.Offset+limit <= search.MaxOffset {
			n := url.Values{}
			for k, vs := range v {
				n[k] = vs
			}
			n.Set(qpOffset, strconv.Itoa(f.Offset+limit))
			p.NextURL = withQuery(p.Action, n)
		}
		if f.Offset > 0 {
			n := url.Values{}
			for k, vs := range v {
				n[k] = vs
			}
			if prev := max(f.Offset-limit, 0); prev > 0 {
				n.Set(qpOffset, strconv.Itoa(prev))
			}
			p.PrevURL = withQuery(p.Action, n)
		}
		return
	}
	if page.Next != "" {
		n := url.Values{}
		for k, vs := range v {
			n[k] = vs
		}
		n.Set(qpCursor, page.Next)
		n.Set(qpOffset, strconv.Itoa(f.Start+len(page.Works)))
		p.NextURL = withQuery(p.Action, n)
	}
	if f.Cursor != "" {
		p.FirstURL = withQuery(p.Action, v)
	}
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// exportFilter reads the filter of an export: the list's, without paging.
func (s *libraryPages) exportFilter(r *http.Request, a *account.Actor) (library.Filter, error) {
	org, err := s.resolveOrg(r.Context(), a, r.URL.Query().Get(qpOrg))
	if err != nil {
		return library.Filter{}, err
	}
	f := parseListFilter(r.URL.Query(), org)
	f.HasExperience = r.URL.Query().Get("erfarenheter") == "ja"
	f.Cursor, f.Offset = "", 0
	return f.Filter, nil
}

func (s *libraryPages) exportWorksCSV(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	f, err := s.exportFilter(r, a)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="framsyn-bibliotek.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	// The header row is written first; a later failure can only be logged.
	if err := s.cfg.Library.ExportCSV(r.Context(), a, f, w); err != nil {
		s.exportFailed(r, "csv", err)
	}
	return nil
}

func (s *libraryPages) exportWorksJSON(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	f, err := s.exportFilter(r, a)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="framsyn-bibliotek.json"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := s.cfg.Library.ExportJSON(r.Context(), a, f, w); err != nil {
		s.exportFailed(r, "json", err)
	}
	return nil
}

// exportWorksZIP sends the archive: the JSON export and the files of the
// works in it, streamed as they are read.
func (s *libraryPages) exportWorksZIP(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	f, err := s.exportFilter(r, a)
	if err != nil {
		return err
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferTimeout))
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="framsyn-bibliotek.zip"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := s.cfg.Library.ExportArchive(r.Context(), a, f, w); err != nil {
		s.exportFailed(r, "zip", err)
	}
	return nil
}

// exportFailed logs an export cut short after its first bytes: at INFO
// when the client went away, else an ERROR.
func (s *libraryPages) exportFailed(r *http.Request, format string, err error) {
	if httpx.Gone(r) {
		s.log.Info("client went away", "path", r.URL.Path, "export", format, "err", err)
		return
	}
	s.log.Error("export "+format, "err", err)
}
