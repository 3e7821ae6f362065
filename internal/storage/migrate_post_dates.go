package storage

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/pressly/goose/v3"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
)

// Migration 43 gives posts their own date with its precision, as 00023
// gave works: a seed's "november 2017" is a month, not the day the post
// was loaded. Posts made before showed the day they were added, so that
// day is their date. It also takes the search index off the day things
// were added: a post's document carries its own date, and an undated
// work's none (before, the day it was added), so "newest" and the year
// filter go by what a source says. Go, since documents are indexed
// again with their facets, which are computed in Go.
const postDatesVersion = 43

const dayMS = 24 * 60 * 60 * 1000

func (db *DB) postDatesMigration() *goose.Migration {
	bigint := "INTEGER"
	if db.Engine == Postgres {
		bigint = "BIGINT"
	}
	up := func(ctx context.Context, tx *sql.Tx) error {
		err := execAll(ctx, tx,
			`ALTER TABLE posts ADD COLUMN date_ms `+bigint+` NOT NULL DEFAULT 0`,
			`ALTER TABLE posts ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'unknown'
				CHECK (date_precision IN ('day', 'month', 'year', 'unknown'))`,
			`UPDATE posts SET date_ms = created_at - created_at % `+strconv.Itoa(dayMS)+`, date_precision = 'day' WHERE created_at > 0`)
		if err != nil {
			return err
		}
		return db.reindexDates(ctx, tx, `SELECT id, date_ms FROM posts`, `SELECT id, 0 FROM works WHERE date_ms = 0`)
	}
	down := func(ctx context.Context, tx *sql.Tx) error {
		err := db.reindexDates(ctx, tx, `SELECT id, created_at FROM posts`, `SELECT id, created_at FROM works WHERE date_ms = 0`)
		if err != nil {
			return err
		}
		return execAll(ctx, tx, `ALTER TABLE posts DROP COLUMN date_precision`, `ALTER TABLE posts DROP COLUMN date_ms`)
	}
	return goose.NewGoMigration(postDatesVersion, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

// reindexDates registers again, with the date each query gives (id,
// date_ms), the search documents of the posts and the works the queries
// select whose stored date differs: the date orders "newest" and its
// year is a facet, so the documents are put again, not only their rows.
func (db *DB) reindexDates(ctx context.Context, tx *sql.Tx, posts, works string) error {
	want := map[string]map[int64]int64{post.Kind: {}, library.Kind: {}}
	for kind, query := range map[string]string{post.Kind: posts, library.Kind: works} {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, d int64
			if err := rows.Scan(&id, &d); err != nil {
				rows.Close()
				return err
			}
			want[kind][id] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(want[post.Kind])+len(want[library.Kind]) == 0 {
		return nil
	}
	return db.eachSearchDoc(ctx, tx, func(docs []search.Document, _ []int64) error {
		var again []search.Document
		for _, d := range docs {
			if w, ok := want[d.Kind][d.ID]; ok && ms(d.Date) != w {
				d.Date = fromMS(w)
				again = append(again, d)
			}
		}
		if len(again) == 0 {
			return nil
		}
		return db.putSearchDocs(ctx, tx, again)
	})
}
