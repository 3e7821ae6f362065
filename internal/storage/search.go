package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/framsyn/framsyn/internal/search"
)

var _ search.Index = (*Search)(nil)

// Search is the search index on either engine (search.Index); areas
// whose writes go through this package put their documents in their own
// transactions.
type Search struct{ db *DB }

// PutSearchDocuments registers documents in the search index, replacing
// those with the same kind and id, in one transaction. Areas whose own
// writes go through this package call putSearchDocs inside their
// transaction instead, as works do.
func (ix *Search) PutSearchDocuments(ctx context.Context, docs ...search.Document) error {
	return ix.db.tx(ctx, func(tx *sql.Tx) error { return ix.db.putSearchDocs(ctx, tx, docs) })
}

// DeleteSearchDocument removes a document from the search index.
func (ix *Search) DeleteSearchDocument(ctx context.Context, kind string, id int64) error {
	return ix.db.tx(ctx, func(tx *sql.Tx) error { return ix.db.deleteSearchDocs(ctx, tx, kind, []int64{id}) })
}

// putSearchDocs upserts docs, their organisations, tags and terms.
func (db *DB) putSearchDocs(ctx context.Context, q queryer, docs []search.Document) error {
	return db.putSearchDocsAs(ctx, q, docs, true)
}

// putSearchDocsAs is putSearchDocs; marked false indexes PostgreSQL's
// alternative terms in tsv as migration 11 did, unmarked, before 00014
// moved them to a vector of their own and 00022 back into tsv, marked
// (pgAltMark; on SQLite it changes nothing).
func (db *DB) putSearchDocsAs(ctx context.Context, q queryer, docs []search.Document, marked bool) error {
	// One statement must not upsert a key twice; the last document wins.
	last := map[[2]any]int{}
	for i, d := range docs {
		if !search.ValidKind(d.Kind) || d.ID == 0 || !d.Scope.Valid() {
			return fmt.Errorf("search: bad document %q %d scope %q", d.Kind, d.ID, d.Scope)
		}
		last[[2]any{d.Kind, d.ID}] = i
	}
	now := db.nowMS()
	pg := db.Engine == Postgres
	rows := make([][]any, 0, len(docs))
	byRef := map[[2]any]*search.Document{}
	for i := range docs {
		d := &docs[i]
		if last[[2]any{d.Kind, d.ID}] != i {
			continue
		}
		byRef[[2]any{d.Kind, d.ID}] = d
	}
	terms, err := db.analyseSearchDocs(ctx, q, byRef)
	if err != nil {
		return fmt.Errorf("search: put documents: %w", err)
	}
	for i := range docs {
		d := &docs[i]
		if last[[2]any{d.Kind, d.ID}] != i {
			continue
		}
		r := []any{d.Kind, d.ID, string(d.Scope), nullID(d.Owner), ms(d.Date), now, d.Title, d.Body}
		if pg {
			t := terms.docs[[2]any{d.Kind, d.ID}]
			alt := pgAltVector(t.alt)
			if !marked {
				alt = t.alt
			}
			r = append(r, t.title, t.body, alt, d.Facets())
		}
		rows = append(rows, r)
	}
	tmpl := `($1, $2, $3, $4, $5, $6, $7, $8)`
	set := `scope = excluded.scope, owner_org_id = excluded.owner_org_id, date_ms = excluded.date_ms,
		updated_at = excluded.updated_at, title = excluded.title, body = excluded.body`
	cols := `kind, ref_id, scope, owner_org_id, date_ms, updated_at, title, body`
	if pg {
		// Go's stems through the 'simple' configuration, which only
		// lower-cases: the same terms as FTS5's, titles A, bodies B; the
		// alternative terms (compound parts, folded forms) C, each marked
		// so that no prefix of a word reaches it (00022).
		cols += `, tsv, facets`
		tmpl = `($1, $2, $3, $4, $5, $6, $7, $8, setweight(to_tsvector('simple', $9), 'A') || setweight(to_tsvector('simple', $10), 'B') || $11::tsvector, $12)`
		set += `, tsv = excluded.tsv, facets = excluded.facets`
		if !marked {
			tmpl = strings.Replace(tmpl, `$11::tsvector`, `setweight(to_tsvector('simple', $11), 'C')`, 1)
		}
	}
	var ids []int64
	var orgRows, tagRows, ftsRows [][]any
	err = db.insertMany(ctx, q, `INSERT INTO search_docs (`+cols+`)`, tmpl, rows,
		` ON CONFLICT (kind, ref_id) DO UPDATE SET `+set+` RETURNING id, kind, ref_id`,
		func(rs *sql.Rows) error {
			var id, ref int64
			var kind string
			if err := rs.Scan(&id, &kind, &ref); err != nil {
				return err
			}
			d := byRef[[2]any{kind, ref}]
			ids = append(ids, id)
			seen := map[int64]bool{}
			for _, o := range append([]int64{d.Owner}, d.Orgs...) {
				if o > 0 && !seen[o] {
					seen[o] = true
					orgRows = append(orgRows, []any{id, o})
				}
			}
			tags := map[string]bool{}
			for _, t := range d.Tags {
				if !tags[t] {
					tags[t] = true
					tagRows = append(tagRows, []any{id, t})
				}
			}
			if !pg {
				t := terms.docs[[2]any{kind, ref}]
				ftsRows = append(ftsRows, []any{id, t.title, t.body, t.alt, ftsFacets(d.Facets())})
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("search: put documents: %w", err)
	}
	for _, del := range []string{`DELETE FROM search_doc_orgs WHERE doc_id IN (IDS)`, `DELETE FROM search_doc_tags WHERE doc_id IN (IDS)`} {
		if err := db.execIn(ctx, q, del, ids); err != nil {
			return fmt.Errorf("search: put documents: %w", err)
		}
	}
	if err := db.insertMany(ctx, q, `INSERT INTO search_doc_orgs (doc_id, org_id)`, `($1, $2)`, orgRows, ``, nil); err != nil {
		return fmt.Errorf("search: put documents: %w", err)
	}
	if err := db.insertMany(ctx, q, `INSERT INTO search_doc_tags (doc_id, tag)`, `($1, $2)`, tagRows, ``, nil); err != nil {
		return fmt.Errorf("search: put documents: %w", err)
	}
	if !pg {
		if err := db.execIn(ctx, q, `DELETE FROM search_fts WHERE rowid IN (IDS)`, ids); err != nil {
			return fmt.Errorf("search: put documents: %w", err)
		}
		if err := db.insertMany(ctx, q, `INSERT INTO search_fts (rowid, title, body, alt, facets)`, `($1, $2, $3, $4, $5)`, ftsRows, ``, nil); err != nil {
			return fmt.Errorf("search: put documents: %w", err)
		}
	}
	termRows := make([][]any, 0, len(terms.all))
	for _, t := range slices.Sorted(maps.Keys(terms.all)) {
		termRows = append(termRows, []any{t})
	}
	if err := db.insertMany(ctx, q, `INSERT INTO search_terms (term)`, `($1)`, termRows, ` ON CONFLICT DO NOTHING`, nil); err != nil {
		return fmt.Errorf("search: put documents: %w", err)
	}
	return nil
}

// pgAltMark begins each alternative term of a document in PostgreSQL's
// tsv: a prefix query ('sam':*) never reaches a compound part or a folded
// form, which a query asks for whole ('~sam'), in the same vector and so
// in one GIN scan with the words and the facets (00022).
const pgAltMark = "~"

// pgQuote quotes s as a lexeme of tsvector or tsquery input.
func pgQuote(s string) string {
	return `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + `'`
}

// pgAltVector is the alternative terms (space-separated) as tsvector
// input: each marked, weight C.
func pgAltVector(alt string) string {
	ws := strings.Fields(alt)
	for i, w := range ws {
		ws[i] = pgQuote(pgAltMark+w) + `:1C`
	}
	return strings.Join(ws, " ")
}

// docTerms is a document as the engines index it: its title's and body's
// stems and its alternative terms, each a space-separated list.
type docTerms struct{ title, body, alt string }

// analysedDocs is a batch of documents analysed: each one's terms, and
// every term of the batch (for search_terms, the index's vocabulary).
type analysedDocs struct {
	docs map[[2]any]docTerms
	all  map[string]bool
}

// analyseSearchDocs stems the documents and finds their alternative terms
// (search.AltTerms): compounds are split by a dictionary of the index's
// vocabulary (search_terms), the batch's own stems and the word list
// shipped with framsyn, looked up in one query for the batch.
func (db *DB) analyseSearchDocs(ctx context.Context, q queryer, docs map[[2]any]*search.Document) (analysedDocs, error) {
	out := analysedDocs{docs: make(map[[2]any]docTerms, len(docs)), all: map[string]bool{}}
	words := make(map[[2]any][]string, len(docs))
	seen := map[string]bool{}
	var distinct []string
	for ref, d := range docs {
		title, body := search.IndexTerms(d.Title, true), search.IndexTerms(d.Body, true)
		out.docs[ref] = docTerms{title: title, body: body}
		for _, t := range strings.Fields(title + " " + body) {
			out.all[t] = true
		}
		w := append(search.IndexWords(d.Title), search.IndexWords(d.Body)...)
		words[ref] = w
		for _, x := range w {
			if !seen[x] {
				seen[x] = true
				distinct = append(distinct, x)
			}
		}
	}
	known, err := db.knownTerms(ctx, q, search.CompoundProbes(distinct), out.all)
	if err != nil {
		return out, err
	}
	dict := func(s string) bool { return known[s] || out.all[s] || search.Shipped(s) }
	for ref, w := range words {
		alt := search.AltTerms(w, dict)
		t := out.docs[ref]
		t.alt = strings.Join(alt, " ")
		out.docs[ref] = t
		for _, a := range alt {
			out.all[a] = true
		}
	}
	return out, nil
}

// knownTerms returns which of probes are in search_terms; those in batch
// are known already and not asked.
func (db *DB) knownTerms(ctx context.Context, q queryer, probes []string, batch map[string]bool) (map[string]bool, error) {
	probes = slices.DeleteFunc(probes, func(s string) bool { return batch[s] || search.Shipped(s) })
	known := map[string]bool{}
	const per = 5000
	for start := 0; start < len(probes); start += per {
		chunk := probes[start:min(len(probes), start+per)]
		query := `SELECT term FROM search_terms WHERE term = ANY($1::text[])`
		var arg any = chunk
		if db.Engine == SQLite {
			b, err := json.Marshal(chunk)
			if err != nil {
				return nil, err
			}
			query, arg = `SELECT term FROM search_terms WHERE term IN (SELECT value FROM json_each($1))`, string(b)
		}
		if err := eachString(ctx, q, query, []any{arg}, func(t string) { known[t] = true }); err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
	}
	return known, nil
}

// ftsFacet is a facet as one FTS5 token: "f" and 24 hex digits of its
// SHA-256, so any tag value (spaces, colons, å ä ö) becomes one word the
// unicode61 tokenizer keeps whole. Queries restrict words to the title
// and body columns and facets to this one, so they never meet.
func ftsFacet(f string) string {
	sum := sha256.Sum256([]byte(f))
	return "f" + hex.EncodeToString(sum[:12])
}

// ftsFacets is the facets column of a document.
func ftsFacets(facets []string) string {
	toks := make([]string, len(facets))
	for i, f := range facets {
		toks[i] = ftsFacet(f)
	}
	return strings.Join(toks, " ")
}

// deleteSearchDocs removes documents of a kind; their terms go with them
// (a trigger on SQLite, the row itself on PostgreSQL).
func (db *DB) deleteSearchDocs(ctx context.Context, q queryer, kind string, ids []int64) error {
	if err := db.execIn(ctx, q, `DELETE FROM search_docs WHERE kind = $1 AND ref_id IN (IDS)`, ids, kind); err != nil {
		return fmt.Errorf("search: delete documents: %w", err)
	}
	return nil
}

// visibleSQL returns the visibility rule of search.Viewer.CanSee as SQL
// over a table with scope and owner columns; member is the condition that
// a row is one of the member organisations'; "" for a viewer who sees
// everything.
func visibleSQL(v search.Viewer, scope, owner string, a *sqlArgs, member func(orgs []int64) string) string {
	if v.All {
		return ""
	}
	parts := []string{scope + ` = 'public'`}
	if v.SignedIn {
		parts = append(parts, scope+` = 'network'`)
	}
	if len(v.Members) > 0 {
		parts = append(parts, `(`+scope+` = 'organisation' AND `+member(v.Members)+`)`)
	}
	if len(v.Editors) > 0 {
		parts = append(parts, `(`+scope+` = 'draft' AND `+owner+` IN (`+a.in(v.Editors)+`))`)
	}
	return `(` + strings.Join(parts, ` OR `) + `)`
}

// orgsExist is visibleSQL's member condition through a table listing each
// row's organisations (ref, the row's id column; col, the organisation's).
// EXISTS is probed per row of that scope, where IN (SELECT …) would first
// collect every row of the member organisations (8,000, 3 ms at 100,000
// works) for a page that needs a few.
func orgsExist(a *sqlArgs, table, ref, col, id string) func([]int64) string {
	return func(orgs []int64) string {
		return `EXISTS (SELECT 1 FROM ` + table + ` m WHERE m.` + ref + ` = ` + id + ` AND m.` + col + ` IN (` + a.in(orgs) + `))`
	}
}

// OptimizeSearch tidies the index after a large import: FTS5 merges its
// segments into one, PostgreSQL vacuums the new rows (and with them the
// GIN index's pending list), and both engines refresh the planner's
// statistics.
// Small writes need none of it (FTS5 merges as it goes).
func (ix *Search) OptimizeSearch(ctx context.Context) error {
	stmts := []string{`INSERT INTO search_fts (search_fts) VALUES ('optimize')`, `ANALYZE search_docs`, `ANALYZE search_doc_tags`,
		`ANALYZE search_doc_orgs`, `ANALYZE works`, `ANALYZE work_orgs`, `ANALYZE work_tags`}
	if ix.db.Engine == Postgres {
		// VACUUM rather than ANALYZE alone: it sets the hint bits and the
		// visibility map of the new rows, which the first searches would
		// otherwise write while they read (and autovacuum would do in the
		// middle of them), and merges the GIN index's pending insertions.
		stmts = []string{`VACUUM (ANALYZE) search_docs, search_vecs, search_doc_tags, search_doc_orgs, works, work_orgs, work_tags`}
	}
	for _, s := range stmts {
		if _, err := ix.db.rw.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("search: optimize: %w", err)
		}
	}
	return nil
}
