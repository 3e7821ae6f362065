package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// SynonymGroups lists the synonym groups, oldest first.
func (ix *Search) SynonymGroups(ctx context.Context) ([]search.SynonymGroup, error) {
	rows, err := ix.db.ro.QueryContext(ctx, `SELECT id, phrases FROM search_synonyms ORDER BY id`)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: synonyms: %w", err))
	}
	defer rows.Close()
	var out []search.SynonymGroup
	for rows.Next() {
		var g search.SynonymGroup
		var phrases string
		if err := rows.Scan(&g.ID, &phrases); err != nil {
			return nil, fmt.Errorf("search: synonyms: %w", err)
		}
		g.Phrases = strings.Split(phrases, "\n")
		out = append(out, g)
	}
	return out, rows.Err()
}

// AddSynonymGroup stores phrases as one synonym group and returns its id.
// A group needs two phrases or more, each searchable (not stop words
// alone) and of at most four words; it is Invalid otherwise. The next
// query uses it: synonyms are looked up per query, not indexed.
func (ix *Search) AddSynonymGroup(ctx context.Context, phrases []string) (int64, error) {
	var id int64
	err := ix.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = ix.db.addSynonymGroup(ctx, tx, phrases)
		return err
	})
	return id, err
}

// DeleteSynonymGroup removes a synonym group; a missing one is NotFound.
func (ix *Search) DeleteSynonymGroup(ctx context.Context, id int64) error {
	return ix.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM search_synonyms WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("search: delete synonyms: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "error.not_found")
		}
		return nil
	})
}

// addSynonymGroup validates and inserts a group with its lookup keys.
func (db *DB) addSynonymGroup(ctx context.Context, q queryer, phrases []string) (int64, error) {
	var clean, keys []string
	seen := map[string]bool{}
	for _, p := range phrases {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		k := search.SynonymKey(p)
		if k == "" || utf8.RuneCountInString(p) > search.MaxSynonymRunes || len(strings.Fields(k)) > search.MaxSynonymWords {
			return 0, errs.E(errs.Invalid, "search.synonyms.phrase_invalid")
		}
		if !seen[k] {
			seen[k] = true
			clean, keys = append(clean, p), append(keys, k)
		}
	}
	if len(keys) < 2 || len(keys) > search.MaxSynonymPhrases {
		return 0, errs.E(errs.Invalid, "search.synonyms.count_invalid")
	}
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO search_synonyms (phrases, created_at) VALUES ($1, $2) RETURNING id`,
		strings.Join(clean, "\n"), db.nowMS()).Scan(&id); err != nil {
		return 0, fmt.Errorf("search: add synonyms: %w", err)
	}
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{id, k}
	}
	if err := db.insertMany(ctx, q, `INSERT INTO search_synonym_keys (group_id, key)`, `($1, $2)`, rows, ``, nil); err != nil {
		return 0, fmt.Errorf("search: add synonyms: %w", err)
	}
	return id, nil
}

// synonyms returns, for each of keys that is a synonym, the keys of the
// other phrases of its groups.
func (ix *Search) synonyms(ctx context.Context, keys []string) (map[string][]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var a sqlArgs
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = a.add(k)
	}
	rows, err := ix.db.ro.QueryContext(ctx, `SELECT k.key, m.key FROM search_synonym_keys k
		JOIN search_synonym_keys m ON m.group_id = k.group_id AND m.key <> k.key
		WHERE k.key IN (`+strings.Join(ph, ", ")+`) ORDER BY k.key, m.group_id, m.key`, a...)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("search: synonyms: %w", err))
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var k, m string
		if err := rows.Scan(&k, &m); err != nil {
			return nil, fmt.Errorf("search: synonyms: %w", err)
		}
		out[k] = append(out[k], m)
	}
	return out, rows.Err()
}

var _ search.Synonyms = (*Search)(nil)
