package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/framsyn/framsyn/internal/search"
)

// Migration 6 puts every search document's facets (search.Document.Facets)
// into the index beside its words: a third FTS5 column on SQLite, a text[]
// column under one GIN index with the tsvector on PostgreSQL. On SQLite it
// also replaces the vocabulary view by a dictionary of stems. It is Go, not
// SQL, because the FTS5 table is contentless and its stems are computed in
// Go: the table is made anew and every document indexed again from
// search_docs, search_doc_orgs and search_doc_tags, in the migration's
// transaction.
const facetsVersion = 6

func (db *DB) facetsMigration() *goose.Migration {
	if db.Engine == Postgres {
		return goose.NewGoMigration(facetsVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				// toast_tuple_target: the text and the tsvector of a document
				// move out of line, so the rows a search walks or fetches
				// by bitmap are ~100 bytes, not 1.4 kB (26 MB against 141 MB
				// at 100,000 works). Reindexing rewrites every row under it.
				if err := execAll(ctx, tx, `ALTER TABLE search_docs ADD COLUMN facets TEXT[] NOT NULL DEFAULT '{}'`,
					`ALTER TABLE search_docs SET (toast_tuple_target = 128)`); err != nil {
					return err
				}
				if err := db.indexSearchV6(ctx, tx, true); err != nil {
					return err
				}
				return execAll(ctx, tx, `DROP INDEX search_docs_tsv`,
					`CREATE INDEX search_docs_match ON search_docs USING GIN (tsv, facets)`)
			}},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				return execAll(ctx, tx, `DROP INDEX search_docs_match`,
					`CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)`,
					`ALTER TABLE search_docs DROP COLUMN facets`, `ALTER TABLE search_docs RESET (toast_tuple_target)`)
			}})
	}
	// The vocabulary view (00005) gives way to search_terms, a dictionary
	// of the stems: fts5vocab counts every document of each term it lists,
	// 6–8 ms for a common stem, where a query only needs the terms.
	fts := func(cols, vocab string) []string {
		return []string{
			`DROP TRIGGER search_docs_delete`,
			`DROP TABLE search_fts`,
			`CREATE VIRTUAL TABLE search_fts USING fts5(` + cols + `, content = '', contentless_delete = 1,
				tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')`,
			vocab,
			`CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
				DELETE FROM search_fts WHERE rowid = old.id;
			END`,
		}
	}
	return goose.NewGoMigration(facetsVersion,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			up := append([]string{`DROP TABLE search_vocab`}, fts("title, body, facets",
				`CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID`)...)
			// What a query checks per match (and the date it sorts
			// "newest" by), without reading the rows' text; search_query.go
			// names it, since the planner would take the primary key.
			up = append(up, `CREATE INDEX search_docs_vis ON search_docs(id, kind, scope, owner_org_id, date_ms)`)
			if err := execAll(ctx, tx, up...); err != nil {
				return err
			}
			return db.indexSearchV6(ctx, tx, true)
		}},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			down := append([]string{`DROP INDEX search_docs_vis`, `DROP TABLE search_terms`}, fts("title, body",
				`CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')`)...)
			if err := execAll(ctx, tx, down...); err != nil {
				return err
			}
			return db.indexSearchV6(ctx, tx, false)
		}})
}

// indexSearchV6 indexes every stored search document as migration 6 did,
// with facets or (down to 5) without: Snowball's stems in FTS5's title and
// body and in search_terms, PostgreSQL's 'swedish' configuration over the
// words. Migration 11 indexes them anew with the analyser of today.
func (db *DB) indexSearchV6(ctx context.Context, tx *sql.Tx, facets bool) error {
	return db.eachSearchDoc(ctx, tx, func(docs []search.Document, ids []int64) error {
		rows := make([][]any, len(docs))
		if db.Engine == Postgres {
			for i, d := range docs {
				rows[i] = []any{ids[i], search.IndexTerms(d.Title, false), search.IndexTerms(d.Body, false), d.Facets()}
			}
			return db.insertMany(ctx, tx, `UPDATE search_docs d SET facets = v.f, tsv = setweight(to_tsvector('swedish', v.t), 'A') || setweight(to_tsvector('swedish', v.b), 'B') FROM (`,
				`($1::bigint, $2::text, $3::text, $4::text[])`, rows, `) AS v(id, t, b, f) WHERE d.id = v.id`, nil)
		}
		var terms [][]any
		seen := map[string]bool{}
		for i, d := range docs {
			title, body := search.SnowballTerms(d.Title), search.SnowballTerms(d.Body)
			rows[i] = []any{ids[i], strings.Join(title, " "), strings.Join(body, " ")}
			if facets {
				rows[i] = append(rows[i], ftsFacets(d.Facets()))
			}
			for _, t := range append(title, body...) {
				if !seen[t] {
					seen[t] = true
					terms = append(terms, []any{t})
				}
			}
		}
		if !facets {
			return db.insertMany(ctx, tx, `INSERT INTO search_fts (rowid, title, body)`, `($1, $2, $3)`, rows, ``, nil)
		}
		if err := db.insertMany(ctx, tx, `INSERT INTO search_fts (rowid, title, body, facets)`, `($1, $2, $3, $4)`, rows, ``, nil); err != nil {
			return err
		}
		return db.insertMany(ctx, tx, `INSERT INTO search_terms (term)`, `($1)`, terms, ` ON CONFLICT DO NOTHING`, nil)
	})
}

func execAll(ctx context.Context, tx *sql.Tx, stmts ...string) error {
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", strings.Fields(s)[:3], err)
		}
	}
	return nil
}

// reindexSearch registers every stored search document again, as its
// area registered it: the words, organisations, tags and facets;
// marked as putSearchDocsAs.
func (db *DB) reindexSearch(ctx context.Context, q queryer, marked bool) error {
	return db.eachSearchDoc(ctx, q, func(docs []search.Document, _ []int64) error {
		return db.putSearchDocsAs(ctx, q, docs, marked)
	})
}

// eachSearchDoc reads the stored search documents in batches of a few
// thousand (id order) with their organisations and tags.
func (db *DB) eachSearchDoc(ctx context.Context, q queryer, fn func(docs []search.Document, ids []int64) error) error {
	const batch = 2000
	for after := int64(0); ; {
		var a sqlArgs
		rows, err := q.QueryContext(ctx, `SELECT id, kind, ref_id, scope, COALESCE(owner_org_id, 0), date_ms, title, body
			FROM search_docs WHERE id > `+a.add(after)+` ORDER BY id LIMIT `+a.add(batch), a...)
		if err != nil {
			return err
		}
		var docs []search.Document
		var ids []int64
		for rows.Next() {
			var d search.Document
			var id, date int64
			var scope string
			if err := rows.Scan(&id, &d.Kind, &d.ID, &scope, &d.Owner, &date, &d.Title, &d.Body); err != nil {
				rows.Close()
				return err
			}
			d.Scope, d.Date = search.Scope(scope), fromMS(date)
			docs, ids = append(docs, d), append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(docs) == 0 {
			return nil
		}
		pos := make(map[int64]int, len(ids))
		for i, id := range ids {
			pos[id] = i
		}
		last := ids[len(ids)-1]
		err = scanPairs(ctx, q, `SELECT doc_id, org_id FROM search_doc_orgs WHERE doc_id > $1 AND doc_id <= $2`, after, last,
			func(id, org int64) { docs[pos[id]].Orgs = append(docs[pos[id]].Orgs, org) })
		if err != nil {
			return err
		}
		err = scanPairs(ctx, q, `SELECT doc_id, tag FROM search_doc_tags WHERE doc_id > $1 AND doc_id <= $2`, after, last,
			func(id int64, tag string) { docs[pos[id]].Tags = append(docs[pos[id]].Tags, tag) })
		if err != nil {
			return err
		}
		if err := fn(docs, ids); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// scanPairs reads (doc_id, value) rows of documents in (lo, hi].
func scanPairs[T any](ctx context.Context, q queryer, query string, lo, hi int64, fn func(id int64, v T)) error {
	rows, err := q.QueryContext(ctx, query, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v T
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		fn(id, v)
	}
	return rows.Err()
}

// eachString reads the one text column of query's rows.
func eachString(ctx context.Context, q queryer, query string, args []any, fn func(string)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}
