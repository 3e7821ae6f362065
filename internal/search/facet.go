package search

import "strconv"

// Facets are the exact keys that narrow a search — a document's tags, its
// organisations, owner and year — stored in the index beside its words, so
// that the engine intersects a filter with the words instead of checking
// every match against other tables: a common word with a type filter read
// every match, 95 ms p95 at 100,000 works, before (doc/search.md). Both
// engines store these strings (PostgreSQL as they are, FTS5 as tokens made
// by storage); Query.FilterFacets asks for them. Visibility and kind are
// not facets: most documents pass them, and as phrases of the index they
// would make the engines merge lists of most of the index per query.

// Facets returns the facets of d.
func (d Document) Facets() []string {
	var f []string
	seen := map[int64]bool{}
	for _, o := range append([]int64{d.Owner}, d.Orgs...) {
		if o > 0 && !seen[o] {
			seen[o] = true
			f = append(f, OrgFacet(o))
		}
	}
	if d.Owner > 0 {
		f = append(f, "w:"+id(d.Owner))
	}
	if !d.Date.IsZero() {
		f = append(f, "y:"+strconv.Itoa(d.Date.UTC().Year()))
	}
	tags := map[string]bool{}
	for _, t := range d.Tags {
		if !tags[t] {
			tags[t] = true
			f = append(f, "t:"+t)
		}
	}
	return f
}

// FilterFacets returns q's narrowing filters — tags, organisation, owners
// and year — as groups of facets: a document matches when it has at least
// one facet of every group.
func (q Query) FilterFacets() [][]string {
	var g [][]string
	for _, t := range q.Tags {
		g = append(g, []string{"t:" + t})
	}
	if q.Org != 0 {
		g = append(g, []string{OrgFacet(q.Org)})
	}
	if len(q.Owners) > 0 {
		owners := make([]string, len(q.Owners))
		for i, o := range q.Owners {
			owners[i] = "w:" + id(o)
		}
		g = append(g, owners)
	}
	if q.Year != 0 {
		g = append(g, []string{"y:" + strconv.Itoa(q.Year)})
	}
	return g
}

// OrgFacet is the facet of a document one of whose organisations is org
// (owner or co-organisation).
func OrgFacet(org int64) string { return "o:" + id(org) }

func id(n int64) string { return strconv.FormatInt(n, 10) }
