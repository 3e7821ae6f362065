package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/search"
)

// Segment is a piece of a highlighted title or snippet; Match is set on
// the words that matched the query.
type Segment struct {
	Text  string `json:"text"`
	Match bool   `json:"match"`
}

// SearchHit is one search result of any kind.
type SearchHit struct {
	Kind            string    `json:"kind"`
	ID              int64     `json:"id"`
	Title           string    `json:"title"`
	TitleSegments   []Segment `json:"title_segments"`
	Snippet         string    `json:"snippet"`
	SnippetSegments []Segment `json:"snippet_segments"`
	URL             string    `json:"url"`
	Date            string    `json:"date,omitempty"`
	// DatePrecision is set for works and posts: Date is then as precise as
	// it says.
	DatePrecision library.DatePrecision `json:"date_precision,omitempty"`
}

// SearchList is a page of hits; next is the offset of the next page.
type SearchList struct {
	Items []SearchHit `json:"items"`
	Next  *string     `json:"next"`
	Terms []string    `json:"terms"`
	// When nothing is found: the query respelled from the index's
	// vocabulary, if that finds something, and the query parameters
	// without each of which the search finds something.
	Suggestion string   `json:"suggestion,omitempty"`
	Drop       []string `json:"drop,omitempty"`
}

// dropParams names the filters of a result's Drops by the query
// parameters that set them.
func dropParams(drops []string) []string {
	var out []string
	for _, d := range drops {
		switch {
		case d == search.DropKind:
			out = append(out, "kind")
		case d == search.DropOrg:
			out = append(out, "organization")
		case strings.HasPrefix(d, search.DropTag+"type:"):
			out = append(out, "type")
		}
	}
	return out
}

func segments(in []search.Segment) []Segment {
	out := make([]Segment, len(in))
	for i, s := range in {
		out[i] = Segment{Text: s.Text, Match: s.Mark}
	}
	return out
}

// searchQuery reads a search across kinds from the query string: q, kind,
// type (of works), organization, limit and offset.
func (s *searchAPI) searchQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{Text: v.Get("q"), Viewer: account.ViewerOf(account.ActorFrom(r.Context())), Limit: search.DefaultLimit}
	fields := errs.Fields{}
	if k := v.Get("kind"); k != "" {
		if _, ok := s.kinds.Get(k); !ok {
			fields["kind"] = "error.choose"
		}
		q.Kinds = []string{k}
	} else {
		q.Kinds = s.kinds.Names()
	}
	if t := library.Type(v.Get("type")); t != "" {
		if !slices.Contains(library.Types, t) {
			fields["type"] = "error.choose"
		}
		q.Tags = append(q.Tags, search.Tag("type", string(t)))
	}
	if o := v.Get("organization"); o != "" {
		id, err := s.orgID(r, o)
		if err != nil {
			return q, err
		}
		if id == 0 {
			fields["organization"] = "api.organization_unknown"
		}
		q.Org = id
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > search.MaxLimit {
			fields["limit"] = "api.search_limit_invalid"
		}
		q.Limit = n
	}
	if o := v.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > search.MaxOffset {
			fields["offset"] = "api.offset_invalid"
		}
		q.Offset = n
	}
	return q, fields.Err()
}

// searchAll answers a search across every registered kind, with the same
// visibility as the pages: the index filters by the caller, and each kind
// checks its hits again when it finds their pages.
func (s *searchAPI) searchAll(w http.ResponseWriter, r *http.Request) error {
	q, err := s.searchQuery(r)
	if err != nil {
		return err
	}
	res, err := s.index.Search(r.Context(), q)
	if err != nil {
		return err
	}
	found, err := s.kinds.Resolve(r.Context(), account.ActorFrom(r.Context()), res.Hits)
	if err != nil {
		return err
	}
	list := SearchList{Items: []SearchHit{}, Terms: orEmpty(res.Terms), Suggestion: res.Suggestion, Drop: dropParams(res.Drops)}
	for _, h := range found {
		hit := SearchHit{Kind: h.Kind, ID: h.ID, Title: h.Title, TitleSegments: segments(h.TitleHL),
			Snippet: search.Plain(h.Snippet), SnippetSegments: segments(h.Snippet), URL: s.baseURL + h.Path}
		switch {
		case h.DatePrecision != "":
			hit.Date, hit.DatePrecision = library.FormatDate(h.Date, h.DatePrecision), h.DatePrecision
		case !h.Date.IsZero():
			hit.Date = h.Date.UTC().Format(time.DateOnly)
		}
		list.Items = append(list.Items, hit)
	}
	if res.More {
		next := strconv.Itoa(q.Offset + q.Limit)
		list.Next = &next
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// Register adds the search API to t.
func (s *searchAPI) Register(t *route.Table) {
	t.Handle(route.Public, "GET /api/v1/search", s.h(s.searchAll))
}
