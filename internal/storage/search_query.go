package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// RankCandidates bounds how many matches a relevance query ranks. Ranking
// reads every match (bm25 on FTS5, ts_rank on PostgreSQL), which for a
// word in half of 100,000 works costs 100–300 ms, while walking the
// matches in index order costs a few. So a query ranks the newest
// RankCandidates matches that pass visibility and the filters (newest by
// index id, i.e. as registered), and all of them when there are fewer
// (performance.md §2.1b). Deeper pages widen the set to reach them.
const RankCandidates = 1000

// Search runs q: FTS5 over Go-stemmed terms on SQLite, the 'swedish'
// configuration over a GIN index on PostgreSQL; the same analysis,
// prefix rule, filters, visibility and candidate bound on both
// (doc/search.md). Snippets are made in Go from the stored text.
func (db *DB) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	q.Normalize()
	p := search.Parse(q.Text)
	res := &search.Result{Terms: p.Stems}
	if p.Empty() {
		return res, nil
	}
	var a sqlArgs
	var query string
	groups := q.FacetGroups()
	if db.Engine == Postgres {
		where := append([]string{`d.tsv @@ to_tsquery('swedish', ` + a.add(p.TSQuery()) + `)`}, pgFacets(groups, &a)...)
		query = `SELECT d.id, 0 FROM search_docs d WHERE ` + strings.Join(where, ` AND `)
		if q.Sort != search.SortNewest {
			// ts_rank normalisation 1 divides by 1 + log(length), so a long
			// body does not win by size alone (bm25 does the same).
			query = `SELECT c.id, ts_rank(c.tsv, to_tsquery('swedish', $1), 1) FROM (SELECT d.id, d.tsv FROM search_docs d WHERE ` +
				strings.Join(where, ` AND `) + ` ORDER BY d.id DESC LIMIT ` + a.add(max(RankCandidates, q.Offset+q.Limit+1)) + `) c`
		}
	} else {
		// Words, visibility and filters are one MATCH: FTS5 intersects
		// their doclists and the SQL checks nothing per match. Titles weigh
		// four times the body; facets nothing.
		match, ok, err := db.ftsMatch(ctx, p)
		if err != nil {
			return nil, err
		}
		if !ok {
			return res, nil // a stem that prefixes no indexed term: nothing matches
		}
		match = `{title body} : (` + match + `)` + ftsFacetMatch(groups)
		if q.Sort == search.SortNewest {
			query = `SELECT d.id, 0 FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ` +
				a.add(match)
		} else {
			query = `SELECT rowid, -bm25(search_fts, 4.0, 1.0, 0.0) FROM search_fts WHERE search_fts MATCH ` + a.add(match) +
				` ORDER BY rowid DESC LIMIT ` + a.add(max(RankCandidates, q.Offset+q.Limit+1))
		}
	}
	if q.Sort == search.SortNewest {
		query += ` ORDER BY d.date_ms DESC, d.id DESC LIMIT ` + a.add(q.Limit+1) + ` OFFSET ` + a.add(q.Offset)
	}
	ids, err := db.searchIDs(ctx, query, a, q)
	if err != nil {
		return nil, err
	}
	if len(ids) > q.Limit {
		ids, res.More = ids[:q.Limit], true
	}
	res.Hits, err = db.searchHits(ctx, ids, p.Stems)
	return res, err
}

// maxExpansion is how many indexed terms a stem may prefix and still be
// searched as their OR; a stem prefixing more (a short one) stays an FTS5
// prefix query, which the 2- and 3-character prefix indexes serve.
const maxExpansion = 64

// ftsMatch returns p as an FTS5 MATCH expression in which every stem is
// the OR of the indexed terms it prefixes, read from the vocabulary: the
// same documents as p.FTS5(), but FTS5 reads an OR lazily and a prefix
// eagerly (00005_search_vocab.sql). ok is false when a stem prefixes no
// term, so nothing can match.
func (db *DB) ftsMatch(ctx context.Context, p search.Parsed) (match string, ok bool, err error) {
	parts := make([]string, 0, len(p.Stems))
	for _, s := range p.Stems {
		if utf8.RuneCountInString(s) <= 3 {
			parts = append(parts, `"`+s+`"*`)
			continue
		}
		rows, err := db.ro.QueryContext(ctx, `SELECT term FROM search_vocab WHERE term >= ? AND term < ? LIMIT ?`,
			s, s+string(utf8.MaxRune), maxExpansion+1)
		if err != nil {
			return "", false, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: vocabulary: %w", err))
		}
		var terms []string
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return "", false, fmt.Errorf("search: vocabulary: %w", err)
			}
			terms = append(terms, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", false, fmt.Errorf("search: vocabulary: %w", err)
		}
		switch {
		case len(terms) == 0:
			return "", false, nil
		case len(terms) > maxExpansion:
			parts = append(parts, `"`+s+`"*`)
		default:
			parts = append(parts, `(`+strings.Join(terms, ` OR `)+`)`)
		}
	}
	return strings.Join(parts, ` AND `), true, nil
}

type scored struct {
	id    int64
	score float64
}

// searchIDs runs the candidate query and returns the page of ids with
// their scores, best first (relevance) or as the query ordered them.
func (db *DB) searchIDs(ctx context.Context, query string, args []any, q search.Query) ([]scored, error) {
	rows, err := db.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: %w", err))
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var s scored
		if err := rows.Scan(&s.id, &s.score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: %w", err))
	}
	if q.Sort == search.SortNewest {
		return out, nil
	}
	slices.SortFunc(out, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	return out[min(q.Offset, len(out)):min(q.Offset+q.Limit+1, len(out))], nil
}

// searchHits loads the documents of ids, in order, with highlights.
func (db *DB) searchHits(ctx context.Context, ids []scored, stems []string) ([]search.Hit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	list := make([]int64, len(ids))
	pos := make(map[int64]int, len(ids))
	for i, s := range ids {
		list[i], pos[s.id] = s.id, i
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT id, kind, ref_id, title, body, date_ms FROM search_docs WHERE id IN (`+a.in(list)+`)`, a...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	hits := make([]search.Hit, len(ids))
	for rows.Next() {
		var h search.Hit
		var id, date int64
		var body string
		if err := rows.Scan(&id, &h.Kind, &h.ID, &h.Title, &body, &date); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Date, h.Rank = fromMS(date), ids[pos[id]].score
		h.TitleHL = search.Highlight(h.Title, stems)
		h.Snippet = search.Snippet(body, stems)
		hits[pos[id]] = h
	}
	// A document deleted since the candidate query leaves a gap.
	return slices.DeleteFunc(hits, func(h search.Hit) bool { return h.Kind == "" }), rows.Err()
}

// ftsFacetMatch returns the facet groups as FTS5 MATCH clauses to AND
// onto the words: each group an OR of its tokens in the facets column.
func ftsFacetMatch(groups [][]string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(` AND facets : (`)
		for i, f := range g {
			if i > 0 {
				b.WriteString(` OR `)
			}
			b.WriteString(`"` + ftsFacet(f) + `"`)
		}
		b.WriteString(`)`)
	}
	return b.String()
}

// pgFacets returns the facet groups as conditions on search_docs d: the
// one-facet groups together as containment, each wider group as overlap;
// the GIN index over (tsv, facets) serves both.
func pgFacets(groups [][]string, a *sqlArgs) []string {
	var all []string
	var where []string
	for _, g := range groups {
		if len(g) == 1 {
			all = append(all, g[0])
			continue
		}
		where = append(where, `d.facets && `+a.add(g)+`::text[]`)
	}
	if len(all) > 0 {
		where = append([]string{`d.facets @> ` + a.add(all) + `::text[]`}, where...)
	}
	return where
}
