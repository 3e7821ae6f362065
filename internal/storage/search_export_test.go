package storage

import (
	"context"
	"strings"
)

// PostgresStems returns PostgreSQL's swedish_stem of each word, "" for a
// stop word, in order.
func PostgresStems(ctx context.Context, db *DB, words []string) ([]string, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT array_to_string(ts_lexize('swedish_stem', w), ' ')
		FROM unnest(string_to_array($1, ' ')) WITH ORDINALITY AS t(w, n) ORDER BY n`, strings.Join(words, " "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetRankBudget sets the budget of bm25 (search_query.go) and returns a
// function that restores it.
func SetRankBudget(n int) func() {
	old := rankBudget
	rankBudget = n
	return func() { rankBudget = old }
}

// SetProbeDepth sets how far back the estimates of FTS5 queries look
// into a phrase's matches and returns a function that restores it.
func SetProbeDepth(n int64) func() {
	old := probeDepth
	probeDepth = n
	return func() { probeDepth = old }
}

// SetWalkRows sets how many documents db's PostgreSQL relevance queries
// may walk: 0 takes the GIN bitmap always, a huge number the walk.
func SetWalkRows(db *DB, n int) { db.walkRows = n }

// PostgresLexemes returns the distinct lexemes of text as PostgreSQL's
// 'simple' configuration indexes it, sorted.
func PostgresLexemes(ctx context.Context, db *DB, text string) ([]string, error) {
	var s string
	err := db.ro.QueryRowContext(ctx, `SELECT array_to_string(tsvector_to_array(to_tsvector('simple', $1)), ' ')`, text).Scan(&s)
	return strings.Fields(s), err
}
