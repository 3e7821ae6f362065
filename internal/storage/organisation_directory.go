package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// Organisations are listed in the database by sort_key, the Swedish
// collation key of the name (golang.org/x/text/collate: å ä ö after z,
// case and accents a later level), compared as bytes: BLOB on SQLite,
// BYTEA on PostgreSQL, both memcmp. search_text holds the folded words of
// name, short name and slug, each after a space, so " "+prefix finds a
// word beginning with it ("väst" and "vast" both find Västerbotten).
// Both are made in Go on every save (insertOrg, updateOrg); a new
// x/text version that changed the keys would need a refill (fillOrgKeys
// with every row).

// orgSortKey returns the collation key of an organisation's name.
func orgSortKey(name string) []byte { return account.NameSortKey(name) }

// orgDirKey returns the directory's key of an organisation: its level's
// rank in account.Levels (unknown levels last), then its name's key.
func orgDirKey(o *account.Organisation) []byte {
	rank := slices.Index(account.Levels, o.Level)
	if rank < 0 {
		rank = len(account.Levels)
	}
	return append([]byte{byte(rank)}, orgSortKey(o.Name)...)
}

// foldWords lowercases s, folds its diacritics and keeps letters and
// digits, words separated by one space.
func foldWords(s string) string {
	s = search.Fold(strings.ToLower(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// maxSearchText bounds search_text, which the covering indexes hold
// beside a sort key (PostgreSQL allows 2,704 bytes an entry).
const maxSearchText = 1000

// orgSearchText returns what a search of organisations matches against.
func orgSearchText(o *account.Organisation) string {
	// Former names too: someone may still search for "SKL".
	s := foldWords(o.Name + " " + o.ShortName + " " + o.Slug + " " + strings.Join(o.FormerNames, " "))
	for len(s) > maxSearchText-2 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return " " + s + " "
}

// orgQueryPattern returns the LIKE pattern of a query: words beginning
// with its folded words, in order; "" when nothing is left to match.
func orgQueryPattern(q string) string {
	q = foldWords(q)
	if q == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "% " + r.Replace(q) + "%"
}

// fillOrgKeys computes sort_key and search_text for organisations saved
// before migration 00012, in batches; with nothing to do it is one query.
func (db *DB) fillOrgKeys(ctx context.Context) error {
	for {
		rows, err := db.rw.QueryContext(ctx, `SELECT id, slug, name, short_name, level FROM organisations WHERE search_text = '' ORDER BY id LIMIT 500`)
		if err != nil {
			return fmt.Errorf("fill organisation keys: %w", err)
		}
		var orgs []account.Organisation
		for rows.Next() {
			var o account.Organisation
			if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.ShortName, &o.Level); err != nil {
				rows.Close()
				return err
			}
			orgs = append(orgs, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(orgs) == 0 {
			return err
		}
		if err := db.tx(ctx, func(tx *sql.Tx) error {
			for i := range orgs {
				o := &orgs[i]
				if _, err := tx.ExecContext(ctx, `UPDATE organisations SET sort_key = $1, search_text = $2, dir_key = $3 WHERE id = $4`,
					orgSortKey(o.Name), orgSearchText(o), orgDirKey(o), o.ID); err != nil {
					return fmt.Errorf("fill organisation keys: %w", err)
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}
