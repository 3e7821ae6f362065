package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
func (ix *Search) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	q.Normalize()
	p := search.Parse(q.Text)
	if p.Empty() {
		return &search.Result{}, nil
	}
	syn, err := ix.synonyms(ctx, p.SynonymKeys())
	if err != nil {
		return nil, err
	}
	res, err := ix.search(ctx, q, p.Terms(syn))
	if err != nil {
		return nil, err
	}
	res.Terms = p.Stems
	if len(res.Hits) == 0 && q.Offset == 0 {
		if err := ix.suggest(ctx, q, p, syn, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// search runs q for terms, the query's required terms with their synonyms.
func (ix *Search) search(ctx context.Context, q search.Query, terms []search.Term) (*search.Result, error) {
	res := &search.Result{}
	hl := search.HighlightStems(terms)
	var a sqlArgs
	var query string
	n := max(RankCandidates, q.Offset+q.Limit+1) // a relevance query's candidates
	if ix.db.Engine == Postgres {
		// As on SQLite, the narrowing filters go to the index with the
		// words and visibility and kind are checked per row: in the GIN
		// index "v:public" and "k:work" would merge posting lists of most
		// of the documents for every query (2.4 ms of a rare word's 6).
		// The conditions read the same columns of search_docs and of
		// search_vecs, its inline copy (00008), both as d.
		where := append(pgWords(terms, &a), pgFacets(q.FilterFacets(), &a)...)
		where = append(where, ix.searchFilters(q, &a)...)
		cond := strings.Join(where, ` AND `)
		if q.Sort != search.SortNewest {
			dense, err := ix.pgDense(ctx, `SELECT d.id FROM search_docs d WHERE `+cond, a, n)
			if err != nil {
				return nil, err
			}
			// ts_rank normalisation 1 divides by 1 + log(length), so a long
			// body does not win by size alone (bm25 does the same).
			// The alternative terms count, weighted C.
			rank, limit := `ts_rank(d.tsv, `+pgRankQuery(terms, &a)+`, 1)`, a.add(n)
			query = `SELECT d.id, ` + rank + ` FROM search_vecs d WHERE ` + cond + ` ORDER BY d.id DESC LIMIT ` + limit
			if !dense {
				// The newest n of the GIN bitmap's matches, by a sort of
				// their ids alone (not the key's order, so no walk), then
				// the vectors of just those from search_vecs.
				query = `WITH c AS MATERIALIZED (SELECT d.id FROM search_docs d WHERE ` + cond +
					` ORDER BY d.id + 0 DESC LIMIT ` + limit + `) SELECT d.id, ` + rank +
					` FROM c JOIN search_vecs d ON d.id = c.id`
			}
			ids, err := ix.pgCandidates(ctx, query, a)
			if err != nil {
				return nil, err
			}
			return ix.searchPage(ctx, res, rankPage(ids, q), q, hl)
		}
		query = `SELECT d.id, 0 FROM search_docs d WHERE ` + cond
	} else {
		// The words and the narrowing filters are one MATCH, so FTS5
		// intersects their doclists; visibility and kind, which most
		// documents pass, are checked per match in SQL, from a covering
		// index rather than the rows with their text (CROSS JOIN keeps
		// FTS5 the outer loop). As facets in the MATCH, "k:work" and
		// "v:public" would make bm25 count most of the index first.
		stems, ok, err := ix.ftsStems(ctx, terms)
		if err != nil {
			return nil, err
		}
		if !ok {
			return res, nil // a stem that prefixes no indexed term: nothing matches
		}
		facets := q.FilterFacets()
		where := append([]string{`search_fts MATCH ` + a.add(ftsWords(stems)+ftsFacetMatch(facets))}, ix.searchFilters(q, &a)...)
		cond := strings.Join(where, ` AND `)
		from := ftsFrom(cond, true)
		if q.Sort != search.SortNewest {
			ids, err := ix.ftsRelevance(ctx, cond, a, terms, stems, facets, n)
			if err != nil {
				return nil, err
			}
			return ix.searchPage(ctx, res, rankPage(ids, q), q, hl)
		}
		query = `SELECT d.id, 0` + from
	}
	if q.Sort == search.SortNewest {
		query += ` ORDER BY d.date_ms DESC, d.id DESC LIMIT ` + a.add(q.Limit+1) + ` OFFSET ` + a.add(q.Offset)
	}
	ids, err := ix.scoredIDs(ctx, query, a)
	if err != nil {
		return nil, err
	}
	return ix.searchPage(ctx, res, ids, q, hl)
}

// searchPage fills res with the page of ids (one more than the limit, if
// there are more) and their highlighted hits.
func (ix *Search) searchPage(ctx context.Context, res *search.Result, ids []scored, q search.Query, hl []string) (*search.Result, error) {
	if len(ids) > q.Limit {
		ids, res.More = ids[:q.Limit], true
	}
	var err error
	res.Hits, err = ix.searchHits(ctx, ids, hl)
	return res, err
}

// pgWalkRows is how many documents a PostgreSQL relevance query may walk,
// newest first, to find its candidates; past it the candidates come from
// the GIN index, sorted. The walk reads search_vecs, whose rows hold the
// vectors inline (0.7–1.2 µs a document); the bitmap fetches every match
// (~1 µs) and ranks the newest from search_vecs (3 µs each). The planner
// prices the walk as if matches were spread evenly and the check were
// free, and took it for a prefix in 4 % of the documents: 26,000 rows.
const pgWalkRows = 20000

// pgDense reports whether n matches of a PostgreSQL relevance query lie
// within ix.db.walkRows (pgWalkRows) of the newest documents, by the
// planner's estimate of the matches of count, a query over d: then the
// candidates come from walking search_vecs, else from the GIN bitmap.
func (ix *Search) pgDense(ctx context.Context, count string, args []any, n int) (bool, error) {
	var plan string
	if err := ix.db.ro.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+count, args...).Scan(&plan); err != nil {
		return false, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: estimate: %w", err))
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &est); err != nil || len(est) == 0 {
		return false, fmt.Errorf("search: estimate: %q: %w", plan, err)
	}
	top, err := ix.searchTop(ctx)
	if err != nil {
		return false, err
	}
	return est[0].Plan.Rows*float64(ix.db.walkRows) >= float64(n)*float64(top), nil
}

// searchTop is the newest index id: how many documents the index has held,
// which the density estimates scale by.
func (ix *Search) searchTop(ctx context.Context) (int64, error) {
	var top int64
	if err := ix.db.ro.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM search_docs`).Scan(&top); err != nil {
		return 0, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: %w", err))
	}
	return top, nil
}

// pgCandidates runs a relevance query's candidate query with sequential
// scans and parallel workers off for its transaction. The walk and the
// bitmap are chosen by pgDense; left to itself the planner would rather
// read the whole table, checking every tsvector (500 ms at 100,000
// works), than a bitmap of a few thousand matches (10 ms), and starting
// workers costs more (30 ms) than the queries take.
func (ix *Search) pgCandidates(ctx context.Context, query string, args []any) ([]scored, error) {
	tx, err := ix.db.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: %w", err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: %w", err))
	}
	return scanScored(tx.QueryContext(ctx, query, args...))
}

// rankBudget bounds the documents bm25 may count. bm25 first counts every
// document of every phrase of the query, whatever the limit: a stem in a
// third of 100,000 works costs 13 ms before the first row, two such stems
// 30, while walking the newest candidates costs 1–3 ms. So when the
// phrases of a query are estimated to hold more than rankBudget documents,
// the newest candidates are ranked by how many of the stems their titles
// hold, then newest first — the title is what bm25 weighs most, and a word
// in thousands of works separates them little (doc/search.md).
var rankBudget = 20000

// probeDepth is how far back ftsEstimate looks into a phrase's matches (a
// variable for tests).
var probeDepth int64 = 256

// ftsFrom is the FROM clause of an FTS5 query of cond: every match joined
// to its document, from the covering index (id, kind, scope, owner, date)
// that visibility and the filters read, or (covering false) from the rows,
// whose titles are stored before their bodies.
func ftsFrom(cond string, covering bool) string {
	join := ` INDEXED BY search_docs_vis`
	if !covering {
		join = ``
	}
	return ` FROM search_fts CROSS JOIN search_docs d` + join + ` ON d.id = search_fts.rowid WHERE ` + cond
}

// ftsRelevance returns the newest n candidates of the matches of cond,
// scored: by bm25 (titles four times the body) within rankBudget, else by
// how many of the terms their titles hold.
func (ix *Search) ftsRelevance(ctx context.Context, cond string, a sqlArgs, terms []search.Term, stems []ftsStem, facets [][]string, n int) ([]scored, error) {
	est, err := ix.ftsEstimate(ctx, stems, facets)
	if err != nil {
		return nil, err
	}
	if !est.broad {
		return ix.scoredIDs(ctx, `SELECT d.id, -bm25(search_fts, 4.0, 1.0, 0.5, 0.0)`+ftsFrom(cond, true)+
			` ORDER BY search_fts.rowid DESC LIMIT `+a.add(n), a)
	}
	if est.sparse {
		return ix.titledCandidates(ctx, `SELECT d.id, d.title`+ftsFrom(cond, false)+` ORDER BY search_fts.rowid DESC LIMIT `+a.add(n), a, terms)
	}
	cands, err := ix.scoredIDs(ctx, `SELECT d.id, 0`+ftsFrom(cond, true)+` ORDER BY search_fts.rowid DESC LIMIT `+a.add(n), a)
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	newest, oldest := cands[0].id, cands[len(cands)-1].id
	if newest-oldest > denseSpan*int64(len(cands)) {
		// Sparse after all (the probes guessed wrong): score the rows' titles.
		ids := make([]int64, len(cands))
		for i, c := range cands {
			ids[i] = c.id
		}
		list, err := json.Marshal(ids)
		if err != nil {
			return nil, err
		}
		// One JSON parameter: SQLite looks each of a thousand numbered
		// parameters up by name in a list, which cost more than the read.
		return ix.titledCandidates(ctx, `SELECT id, title FROM search_docs WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id DESC`, []any{string(list)}, terms)
	}
	pos := make(map[int64]int, len(cands))
	for i, c := range cands {
		pos[c.id] = i
		cands[i].score = 1
	}
	for _, st := range stems {
		titled, err := ix.scoredIDs(ctx, `SELECT rowid, 4 FROM search_fts WHERE search_fts MATCH $1 AND rowid BETWEEN $2 AND $3`,
			[]any{`{title} : (` + st.expr + `)`, oldest, newest})
		if err != nil {
			return nil, err
		}
		for _, t := range titled {
			if i, ok := pos[t.id]; ok {
				cands[i].score += t.score
			}
		}
	}
	return cands, nil
}

// denseSpan is how far apart, on average, a broad query's candidates may
// lie in the index and still be scored by FTS5's title matches in their
// range. While the candidates are dense (one word, or two common ones) a
// common stem's title matches in their range cost less than reading the
// candidates' rows. Sparse ones (a common word AND a rare one, 0.8 % of
// the index) would have FTS5 walk a common stem's title matches through
// most of the index, half of such a query's time at 100,000 works: their
// titles come from the rows instead, read with the visibility check.
const denseSpan = 8

// titledCandidates runs a query of (id, title) rows and scores each
// candidate 1 + 4 for each term its title holds, counted in Go by the
// highlighter's rule (search.TermCounter): what is marked is what counts.
func (ix *Search) titledCandidates(ctx context.Context, query string, args []any, terms []search.Term) ([]scored, error) {
	rows, err := ix.db.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: titles: %w", err))
	}
	defer rows.Close()
	tc := search.NewTermCounter(terms)
	var out []scored
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, fmt.Errorf("search: titles: %w", err)
		}
		out = append(out, scored{id: id, score: 1 + 4*float64(tc.Count(title))})
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: titles: %w", err))
	}
	return out, nil
}

// maxExpansion is how many indexed terms a stem may prefix and still be
// searched as their OR; a stem prefixing more (a short one) stays an FTS5
// prefix query, which the 2- and 3-character prefix indexes serve.
const maxExpansion = 64

// ftsEstimate is what the probes of a query's phrases tell: broad, the
// phrases hold more than rankBudget documents together; sparse, one of
// them is in fewer than one document in denseSpan, and so are the
// matches of all of them together.
type ftsEstimate struct {
	broad, sparse bool
}

// ftsEstimate probes the phrases of a query — each stem, each facet group
// — estimating the documents each holds from how far back its newest
// probeDepth matches reach.
func (ix *Search) ftsEstimate(ctx context.Context, stems []ftsStem, facets [][]string) (ftsEstimate, error) {
	top, err := ix.searchTop(ctx)
	if err != nil {
		return ftsEstimate{}, err
	}
	if top <= int64(rankBudget) {
		return ftsEstimate{}, nil
	}
	phrases := make([]string, 0, len(stems)+len(facets))
	for _, st := range stems {
		phrases = append(phrases, ftsWords([]ftsStem{st}))
	}
	for _, g := range facets {
		phrases = append(phrases, ftsFacetGroup(g))
	}
	var total int64
	fewest := top
	for _, ph := range phrases {
		var r int64
		var docs int64
		err := ix.db.ro.QueryRowContext(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH $1 ORDER BY rowid DESC LIMIT 1 OFFSET $2`,
			ph, probeDepth-1).Scan(&r)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			docs = probeDepth // fewer
		case err != nil:
			return ftsEstimate{}, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: probe: %w", err))
		default:
			docs = probeDepth * top / max(top-r+1, 1)
		}
		total += docs
		fewest = min(fewest, docs)
	}
	return ftsEstimate{broad: total > int64(rankBudget), sparse: fewest*denseSpan < top}, nil
}

// ftsStem is one term of a query as an FTS5 expression: each stem the OR
// of the indexed terms it prefixes, or the stem as an FTS5 prefix query
// kept to the words' columns, and its synonyms beside it.
type ftsStem struct {
	expr string
}

// ftsStems returns the terms as FTS5 expressions, each stem the OR of the
// terms it prefixes, read from search_terms: the same documents as a
// prefix query, but FTS5 reads an OR lazily and a prefix query eagerly
// (00005, 00006). A synonym of several words is a phrase of exact stems.
// ok is false when a term can match nothing.
func (ix *Search) ftsStems(ctx context.Context, terms []search.Term) (stems []ftsStem, ok bool, err error) {
	for _, t := range terms {
		var st ftsStem
		var alts []string
		typed := make([]string, 0, len(t.Typed))
		for _, s := range t.Typed {
			e, err := ix.ftsExpand(ctx, s)
			if err != nil {
				return nil, false, err
			}
			if e == "" {
				typed = nil
				break
			}
			typed = append(typed, e)
		}
		if len(typed) > 0 {
			alts = append(alts, strings.Join(typed, ` AND `))
		}
		for _, a := range t.Alts {
			if len(a) > 1 {
				alts = append(alts, `"`+strings.Join(a, " ")+`"`)
				continue
			}
			e, err := ix.ftsExpand(ctx, a[0])
			if err != nil {
				return nil, false, err
			}
			if e != "" {
				alts = append(alts, e)
			}
		}
		switch len(alts) {
		case 0:
			return nil, false, nil
		case 1:
			st.expr = alts[0]
		default:
			st.expr = `(` + strings.Join(alts, ` OR `) + `)`
		}
		stems = append(stems, st)
	}
	return stems, true, nil
}

// ftsExpand returns a stem as an FTS5 expression: the OR of the terms it
// prefixes, or a prefix query when it is short or prefixes more than
// maxExpansion terms, over the words' columns; or the stem whole among the
// alternative terms (alt), which a prefix does not reach, as on
// PostgreSQL (search.AltWords, 00014). "" when it prefixes no term. A
// prefix query could reach the facets' tokens, so every part names its
// columns.
func (ix *Search) ftsExpand(ctx context.Context, s string) (string, error) {
	quoted := `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	alt := ` OR alt : ` + quoted + `)`
	pre := `({title body} : ` + quoted + `*` + alt
	if utf8.RuneCountInString(s) <= 3 {
		return pre, nil
	}
	var terms []string
	err := eachString(ctx, ix.db.ro, `SELECT term FROM search_terms WHERE term >= $1 AND term < $2 LIMIT $3`,
		[]any{s, s + string(utf8.MaxRune), maxExpansion + 1},
		func(t string) { terms = append(terms, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`) })
	if err != nil {
		return "", errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: vocabulary: %w", err))
	}
	switch {
	case len(terms) == 0:
		return "", nil
	case len(terms) > maxExpansion:
		return pre, nil
	}
	return `({title body} : (` + strings.Join(terms, ` OR `) + `)` + alt, nil
}

// ftsWords is the terms as one MATCH expression.
func ftsWords(stems []ftsStem) string {
	parts := make([]string, len(stems))
	for i, st := range stems {
		parts[i] = st.expr
	}
	return strings.Join(parts, ` AND `)
}

type scored struct {
	id    int64
	score float64
}

// scoredIDs runs a query of (id, score) rows.
func (ix *Search) scoredIDs(ctx context.Context, query string, args []any) ([]scored, error) {
	return scanScored(ix.db.ro.QueryContext(ctx, query, args...))
}

func scanScored(rows *sql.Rows, err error) ([]scored, error) {
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
	return out, nil
}

// rankPage orders scored candidates best first (newest first among
// equals) and returns q's page of them, with one more if there is one.
func rankPage(out []scored, q search.Query) []scored {
	slices.SortFunc(out, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	return out[min(q.Offset, len(out)):min(q.Offset+q.Limit+1, len(out))]
}

// searchHits loads the documents of ids, in order, with highlights.
func (ix *Search) searchHits(ctx context.Context, ids []scored, stems []string) ([]search.Hit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	list := make([]int64, len(ids))
	pos := make(map[int64]int, len(ids))
	for i, s := range ids {
		list[i], pos[s.id] = s.id, i
	}
	rows, err := ix.db.ro.QueryContext(ctx, `SELECT id, kind, ref_id, title, body, date_ms FROM search_docs WHERE id IN (`+a.in(list)+`)`, a...)
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

// searchFilters returns the visibility rule and the kind filter as SQL
// over search_docs d (or search_vecs d). On PostgreSQL a document's
// organisations are among its facets in the row, so membership is an
// array overlap rather than a lookup per document.
func (ix *Search) searchFilters(q search.Query, a *sqlArgs) []string {
	var where []string
	member := orgsExist(a, `search_doc_orgs`, `doc_id`, `org_id`, `d.id`)
	if ix.db.Engine == Postgres {
		member = func(orgs []int64) string {
			fs := make([]string, len(orgs))
			for i, o := range orgs {
				fs[i] = search.OrgFacet(o)
			}
			return `d.facets && ` + a.add(fs) + `::text[]`
		}
	}
	if f := visibleSQL(q.Viewer, `d.scope`, `d.owner_org_id`, a, member); f != "" {
		where = append(where, f)
	}
	if len(q.Kinds) > 0 {
		ph := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			ph[i] = a.add(k)
		}
		where = append(where, `d.kind IN (`+strings.Join(ph, ", ")+`)`)
	}
	return where
}

// ftsFacetMatch returns the facet groups as FTS5 MATCH clauses to AND
// onto the words.
func ftsFacetMatch(groups [][]string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(` AND ` + ftsFacetGroup(g))
	}
	return b.String()
}

// ftsFacetGroup is one facet group as an FTS5 phrase: the OR of its
// tokens in the facets column.
func ftsFacetGroup(g []string) string {
	toks := make([]string, len(g))
	for i, f := range g {
		toks[i] = `"` + ftsFacet(f) + `"`
	}
	return `facets : (` + strings.Join(toks, ` OR `) + `)`
}

// pgWords returns the terms as conditions on search_docs d (or
// search_vecs d), one per term (pgTerm), each a single GIN condition that
// the index intersects with the facets and the other terms (00022).
func pgWords(terms []search.Term, a *sqlArgs) []string {
	where := make([]string, len(terms))
	for i, t := range terms {
		where[i] = `d.tsv @@ ` + pgTerm(t, a)
	}
	return where
}

// pgTerm is one term as a tsquery expression: its stems as prefixes of
// the words, or its words whole among the alternative terms
// (search.AltWords), which tsv holds marked (pgAltMark): a prefix never
// reaches them.
func pgTerm(t search.Term, a *sqlArgs) string {
	q := `to_tsquery('simple', ` + a.add(search.TSQueryTerm(t)) + `)`
	alts := search.AltWords(t)
	if len(alts) == 0 {
		return q
	}
	for i, w := range alts {
		alts[i] = pgQuote(pgAltMark + w)
	}
	return `(` + q + ` || ` + a.add(strings.Join(alts, " | ")) + `::tsquery)`
}

// pgRankQuery is the terms as one tsquery, for ts_rank: every term, each
// its prefixes or its alternative terms.
func pgRankQuery(terms []search.Term, a *sqlArgs) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = pgTerm(t, a)
	}
	return `(` + strings.Join(parts, ` && `) + `)`
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
