// Package search is framsyn's one search index: works, organisations, posts
// and, later, signals, trends and crosses register documents of their kind
// into it, and one query finds them all, in Swedish, with visibility
// enforced inside the query. The index itself lives in the database
// (storage implements Index on SQLite FTS5 and PostgreSQL); this package
// holds the engine-free parts both engines share: the document and query
// types, the Swedish analyzer and the highlighter. doc/search.md explains
// the design.
package search

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Scope is who may find a document.
type Scope string

// The scopes, from widest to narrowest.
const (
	ScopePublic       Scope = "public"       // everyone
	ScopeNetwork      Scope = "network"      // signed-in users
	ScopeOrganisation Scope = "organisation" // members of the document's organisations
	ScopeDraft        Scope = "draft"        // editors of the owning organisation
)

// Scopes lists the scopes from widest to narrowest.
var Scopes = []Scope{ScopePublic, ScopeNetwork, ScopeOrganisation, ScopeDraft}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// Document is one searchable thing, registered by the area that owns it.
// (Kind, ID) identifies it; registering it again replaces it.
type Document struct {
	Kind  string  // "work", "organisation", "post", later "signal", "cross"
	ID    int64   // the id within its kind
	Scope Scope   // who may find it
	Owner int64   // owning organisation (0: none); its editors see drafts
	Orgs  []int64 // organisations it belongs to, owner included; their members see ScopeOrganisation
	Title string
	Body  string // plain text; Markdown goes through MarkdownText first
	Date  time.Time
	Tags  []string // exact-match filters, made with Tag: "type:scenario"
}

var kindRE = regexp.MustCompile(`^[a-z][a-z_]{0,19}$`)

// ValidKind reports whether kind is a usable document kind.
func ValidKind(kind string) bool { return kindRE.MatchString(kind) }

// Tag makes a filter tag from a key and a value, case-folded, so that the
// indexing and the filtering side build the same string.
func Tag(key, value string) string {
	return key + ":" + strings.ToLower(strings.Join(strings.Fields(value), " "))
}

// Sort orders search hits.
type Sort string

// The orders.
const (
	SortRelevance Sort = "relevance" // best match first (the default)
	SortNewest    Sort = "newest"    // by document date, newest first
)

// Limits on queries.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 10000
)

// Query asks the index for documents. Text is what a person typed; it is
// analysed, never passed to an engine as syntax. Every other field narrows
// the result, combined with AND.
type Query struct {
	Text   string
	Kinds  []string // empty: every kind
	Tags   []string // each must be present
	Org    int64    // only documents of this organisation (owner or listed)
	Owners []int64  // only documents owned by one of these (empty: any)
	Year   int      // only documents whose Date falls in this year, UTC (0: any)
	Sort   Sort
	Viewer Viewer // who asks: the index returns only what they may see
	Limit  int    // 0: DefaultLimit
	Offset int
}

// Normalize clamps the limit, offset and sort to what the index serves.
func (q *Query) Normalize() {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	q.Offset = min(max(q.Offset, 0), MaxOffset)
	if q.Sort != SortNewest {
		q.Sort = SortRelevance
	}
}

// Result is one page of hits.
type Result struct {
	Hits  []Hit
	More  bool     // another page follows
	Terms []string // the stems searched for, after analysis

	// When nothing is found, the ways on (doc/search.md): the query
	// respelled from the index's vocabulary ("Menade du …?"), if that
	// finds something, and the filters of the query (DropTag and the
	// others) without each of which it finds something.
	Suggestion string
	Drops      []string
}

// The filters of Result.Drops: a tag is DropTag and the tag.
const (
	DropTag    = "tag:"
	DropKind   = "kind"
	DropOrg    = "org"
	DropOwners = "owners"
	DropYear   = "year"
)

// Hit is a found document with its highlighted title and snippet.
type Hit struct {
	Kind    string
	ID      int64
	Title   string
	Date    time.Time
	Rank    float64   // engine-specific; larger is better within one result
	TitleHL []Segment // the title with matches marked
	Snippet []Segment // a window of the body around the best matches
}

// Index is a search index; storage implements it on both engines.
type Index interface {
	// Search returns the documents matching q that q.Viewer may see.
	// Text that analyses to nothing (stop words, punctuation) gives an
	// empty result, not an error.
	Search(ctx context.Context, q Query) (*Result, error)
}

// Viewer is who asks a query, in the terms the index filters by.
type Viewer struct {
	All      bool    // a platform admin: sees everything
	SignedIn bool    // sees ScopeNetwork
	Members  []int64 // organisations where a member or more: ScopeOrganisation
	Editors  []int64 // organisations where an editor or more: ScopeDraft
}

// CanSee is the visibility rule, the one the engines apply in SQL: public
// for all, network for the signed in, organisation for members of any of
// orgs, draft for editors of owner, everything for platform admins.
func (v Viewer) CanSee(scope Scope, owner int64, orgs []int64) bool {
	if v.All {
		return true
	}
	switch scope {
	case ScopePublic:
		return true
	case ScopeNetwork:
		return v.SignedIn
	case ScopeOrganisation:
		for _, o := range orgs {
			if slices.Contains(v.Members, o) {
				return true
			}
		}
		return owner != 0 && slices.Contains(v.Members, owner)
	case ScopeDraft:
		return owner != 0 && slices.Contains(v.Editors, owner)
	}
	return false
}
