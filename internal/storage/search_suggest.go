package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// maxSuggestScan bounds the terms of the vocabulary a suggestion compares.
const maxSuggestScan = 20000

// suggest offers a way on from a query that found nothing (doc/search.md):
// res.Suggestion, the query respelled, each stem that prefixes no term of
// the index replaced by the nearest one of the vocabulary (search_terms),
// spelt as the first hit of the respelled query has it; and res.Drops,
// the filters without which the query finds something.
func (ix *Search) suggest(ctx context.Context, q search.Query, p search.Parsed, syn map[string][]string, res *search.Result) error {
	one := q
	one.Limit, one.Offset, one.Sort = 1, 0, search.SortRelevance
	stems, words := slices.Clone(p.Stems), slices.Clone(p.Words)
	var changed []int
	for i, s := range stems {
		var t string
		if err := eachString(ctx, ix.db.ro, `SELECT term FROM search_terms WHERE term >= $1 AND term < $2 LIMIT 1`,
			[]any{s, s + string(utf8.MaxRune)}, func(v string) { t = v }); err != nil {
			return errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: suggest: %w", err))
		}
		if t != "" {
			continue
		}
		near, err := ix.nearestTerm(ctx, s)
		if err != nil {
			return err
		}
		if near != "" {
			stems[i] = near
			changed = append(changed, i)
		}
	}
	if len(changed) > 0 {
		respelt := search.Parsed{Words: words, Stems: stems}
		r, err := ix.search(ctx, one, respelt.Terms(syn))
		if err != nil {
			return err
		}
		if len(r.Hits) > 0 {
			h := r.Hits[0]
			for _, i := range changed {
				words[i] = spelling(append(slices.Clone(h.TitleHL), h.Snippet...), stems[i])
			}
			res.Suggestion = strings.Join(words, " ")
		}
	}
	terms := p.Terms(syn)
	try := func(filter string, wider search.Query) error {
		r, err := ix.search(ctx, wider, terms)
		if err != nil {
			return err
		}
		if len(r.Hits) > 0 {
			res.Drops = append(res.Drops, filter)
		}
		return nil
	}
	for i, t := range q.Tags {
		w := one
		w.Tags = slices.Delete(slices.Clone(q.Tags), i, i+1)
		if err := try(search.DropTag+t, w); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		on   bool
		drop func(*search.Query)
	}{
		{search.DropKind, len(q.Kinds) > 0, func(w *search.Query) { w.Kinds = nil }},
		{search.DropOrg, q.Org != 0, func(w *search.Query) { w.Org = 0 }},
		{search.DropOwners, len(q.Owners) > 0, func(w *search.Query) { w.Owners = nil }},
		{search.DropYear, q.Year != 0, func(w *search.Query) { w.Year = 0 }},
	} {
		if !f.on {
			continue
		}
		w := one
		f.drop(&w)
		if err := try(f.name, w); err != nil {
			return err
		}
	}
	return nil
}

// nearestTerm returns the term of the vocabulary nearest to s by edit
// distance (at most 1 for a stem of four letters or fewer, 2 for longer),
// among those with its first letter; "" when none is that near. Ties go
// to the longer common prefix, then the shorter term.
func (ix *Search) nearestTerm(ctx context.Context, s string) (string, error) {
	first, _ := utf8.DecodeRuneInString(s)
	limit := 1
	if utf8.RuneCountInString(s) > 4 {
		limit = 2
	}
	best, bestD, bestP := "", limit+1, -1
	err := eachString(ctx, ix.db.ro, `SELECT term FROM search_terms WHERE term >= $1 AND term < $2 LIMIT $3`,
		[]any{string(first), string(first + 1), maxSuggestScan}, func(t string) {
			if d := editDistance(s, t, limit); d < bestD || d == bestD && (commonPrefix(s, t) > bestP || commonPrefix(s, t) == bestP && len(t) < len(best)) {
				best, bestD, bestP = t, d, commonPrefix(s, t)
			}
		})
	if err != nil {
		return "", errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: suggest: %w", err))
	}
	if bestD > limit {
		return "", nil
	}
	return best, nil
}

// spelling returns the first marked word of segs whose stem the stem
// prefixes, lower-cased: how the hit spells the suggested word; the stem
// itself when none is marked.
func spelling(segs []search.Segment, stem string) string {
	for _, sg := range segs {
		if w := strings.ToLower(sg.Text); sg.Mark && strings.HasPrefix(search.Stem(w), stem) {
			return w
		}
	}
	return stem
}

// editDistance is the Levenshtein distance of a and b in runes, or
// limit+1 when it is larger than limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
