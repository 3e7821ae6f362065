package library

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// Sort orders a list of works.
type Sort string

// The orders.
const (
	SortNewest    Sort = "newest"    // by the work's date, newest first (the default)
	SortTitle     Sort = "title"     // by title in Swedish order (å, ä, ö after z)
	SortRelevance Sort = "relevance" // best match first; with a query only
	// SortAdded is newest added first (created_at): the front page's news,
	// which shows each work's own date but orders by when it came. One
	// page only: it has no cursor.
	SortAdded Sort = "added"
)

// Limits on list pages.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Filter selects works for a list, a search or an export. Zero fields do
// not filter; set fields combine with AND.
type Filter struct {
	Query          string // words to search for; makes List a search
	Type           Type
	OrganisationID int64 // owned or co-organised by
	Level          account.Level
	Method         string
	Theme          string
	HorizonYear    int
	Year           int // the year of the work's date
	HasExperience  bool
	NoContent      bool // only works without a link or a file (Work.HasContent)
	Sort           Sort
	Cursor         string // Page.Next of the previous page (newest, title)
	Offset         int    // for relevance, or instead of a cursor
	Limit          int    // 0: DefaultLimit
}

// Page is one page of works; with a query, Hits holds each work's
// highlighted title and snippet, in the same order.
type Page struct {
	Works []Work
	Hits  []search.Hit
	Next  string // cursor of the next page, "" on the last (keyset sorts)
	More  bool   // another page follows (Offset+Limit for relevance)
	Terms []string
	// A search that found nothing: the ways on (search.Result).
	Suggestion string
	Drops      []string
}

// List returns a page of the works a may see that match f. With f.Query
// set it searches instead (see Search).
func (s *Service) List(ctx context.Context, a *account.Actor, f Filter) (*Page, error) {
	if strings.TrimSpace(f.Query) != "" {
		return s.Search(ctx, a, f)
	}
	q := ListQuery{Filter: f, Viewer: account.ViewerOf(a)}
	if q.Sort != SortTitle && q.Sort != SortAdded {
		q.Sort = SortNewest
	}
	if q.Sort == SortAdded && f.Cursor != "" {
		return nil, errs.E(errs.Invalid, "library.cursor_invalid")
	}
	q.Limit = limit(q.Limit)
	q.Offset = max(q.Offset, 0)
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil || c.Sort != q.Sort {
			return nil, errs.E(errs.Invalid, "library.cursor_invalid")
		}
		q.After, q.Offset = c, 0
	}
	if f.Level != "" {
		refs, err := s.store.Refs(ctx)
		if err != nil {
			return nil, err
		}
		if q.Owners = refs.OrgsAtLevel(f.Level); len(q.Owners) == 0 {
			return &Page{}, nil
		}
	}
	want := q.Limit
	q.Limit++
	works, err := s.store.ListWorks(ctx, q)
	if err != nil {
		return nil, err
	}
	p := &Page{Works: works}
	if len(works) > want {
		p.Works, p.More = works[:want], true
		p.Next = encodeCursor(cursorOf(&p.Works[want-1], q.Sort))
	}
	return p, nil
}

// Search returns a page of the works a may see that match f.Query and the
// rest of f, best match first (or newest first with SortNewest), with
// highlighted titles and snippets. Pages go by Offset.
func (s *Service) Search(ctx context.Context, a *account.Actor, f Filter) (*Page, error) {
	q := search.Query{
		Text: f.Query, Kinds: []string{Kind}, Org: f.OrganisationID,
		Viewer: account.ViewerOf(a), Limit: limit(f.Limit), Offset: f.Offset,
	}
	if f.Sort == SortNewest {
		q.Sort = search.SortNewest
	}
	for _, t := range [][2]string{{"type", string(f.Type)}, {"method", f.Method}, {"theme", f.Theme}} {
		if t[1] != "" {
			q.Tags = append(q.Tags, search.Tag(t[0], t[1]))
		}
	}
	if f.HorizonYear != 0 {
		q.Tags = append(q.Tags, search.Tag("horizon", strconv.Itoa(f.HorizonYear)))
	}
	if f.HasExperience {
		q.Tags = append(q.Tags, search.Tag("experience", "yes"))
	}
	if f.NoContent {
		q.Tags = append(q.Tags, search.Tag("content", "missing"))
	}
	q.Year = f.Year
	if f.Level != "" {
		refs, err := s.store.Refs(ctx)
		if err != nil {
			return nil, err
		}
		if q.Owners = refs.OrgsAtLevel(f.Level); len(q.Owners) == 0 {
			return &Page{}, nil
		}
	}
	res, err := s.store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	// The index and the works agree within a transaction; checking
	// again (Visible) costs nothing and keeps a stale entry from leaking.
	works, err := s.Visible(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	hits := make(map[int64]search.Hit, len(res.Hits))
	for _, h := range res.Hits {
		hits[h.ID] = h
	}
	p := &Page{More: res.More, Terms: res.Terms, Suggestion: res.Suggestion, Drops: res.Drops}
	for _, w := range works {
		p.Works, p.Hits = append(p.Works, w), append(p.Hits, hits[w.ID])
	}
	return p, nil
}

func limit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return min(n, MaxLimit)
}

func cursorOf(w *Work, sort Sort) *Cursor {
	if sort == SortTitle {
		return &Cursor{Sort: sort, Key: TitleKey(w.Title), ID: w.ID}
	}
	return &Cursor{Sort: sort, Key: strconv.FormatInt(dateMS(w.Date), 10), ID: w.ID}
}

func dateMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// encodeCursor makes an opaque, URL-safe cursor.
func encodeCursor(c *Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(c.Sort) + "|" + c.Key + "|" + strconv.FormatInt(c.ID, 10)))
}

func decodeCursor(s string) (*Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return nil, errs.E(errs.Invalid, "library.cursor_invalid")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return nil, err
	}
	c := &Cursor{Sort: Sort(parts[0]), Key: parts[1], ID: id}
	if c.Sort == SortNewest {
		if _, err := strconv.ParseInt(c.Key, 10, 64); err != nil {
			return nil, err
		}
	}
	return c, nil
}
