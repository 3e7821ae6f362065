package storage_test

import (
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// engineOnly are the tables one engine's migrations make and the other's
// do not, with why; everything else must have the same columns on both.
var engineOnly = map[string]string{
	// SQLite: the FTS5 index of search documents and its shadow tables.
	"search_fts":         "SQLite FTS5 index",
	"search_fts_config":  "SQLite FTS5 shadow table",
	"search_fts_data":    "SQLite FTS5 shadow table",
	"search_fts_docsize": "SQLite FTS5 shadow table",
	"search_fts_idx":     "SQLite FTS5 shadow table",
	"search_fts_content": "SQLite FTS5 shadow table",
	// SQLite: the dictionary of indexed stems, for prefix and fuzzy
	// terms; PostgreSQL reads them from the vectors (migrate_facets.go).
	"search_terms": "SQLite stem dictionary",
	// PostgreSQL: each document's vector and facets again, inline, for
	// relevance walks (00008_search_vectors.sql).
	"search_vecs": "PostgreSQL inline search vectors",
	// The migration tool's own bookkeeping.
	"goose_db_version": "migration bookkeeping",
	"sqlite_sequence":  "SQLite AUTOINCREMENT counters",
}

// engineOnlyColumns are columns of shared tables that one engine alone
// has, as "table.column".
var engineOnlyColumns = map[string]string{
	// PostgreSQL keeps the search vector and facets on the document,
	// where SQLite has search_fts.
	"search_docs.tsv":    "PostgreSQL search vector",
	"search_docs.facets": "PostgreSQL facets array",
}

// schema returns each table's column names, read from the engine's
// catalogue over a separate connection.
func schema(t *testing.T, driver, dsn, tables, columns string) map[string][]string {
	t.Helper()
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	names := strings.Fields(strings.Join(queryStrings(t, raw, tables), " "))
	out := map[string][]string{}
	for _, n := range names {
		if _, skip := engineOnly[n]; skip {
			continue
		}
		cols := slices.DeleteFunc(queryStrings(t, raw, columns, n), func(c string) bool {
			_, skip := engineOnlyColumns[n+"."+c]
			return skip
		})
		slices.Sort(cols)
		out[n] = cols
	}
	return out
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrate_EnginesAgree checks that both engines' migrations make the
// same tables with the same columns, so an area's migration pair cannot
// drift apart; engineOnly lists what only one engine has.
func TestMigrate_EnginesAgree(t *testing.T) {
	base := storagetest.RequirePostgres(t)
	lite := filepath.Join(t.TempDir(), "framsyn.db")
	pg := storagetest.PostgresDSN(t, base)
	storagetest.MustOpen(t, lite)
	storagetest.MustOpen(t, pg)

	got := schema(t, "sqlite", lite,
		`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
		`SELECT name FROM pragma_table_info(?)`)
	want := schema(t, "pgx", pg,
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
		`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`)
	if len(want) == 0 {
		t.Fatal("no PostgreSQL tables read")
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		cols, ok := got[name]
		switch {
		case !ok:
			t.Errorf("table %s: only on PostgreSQL", name)
		case !slices.Equal(cols, want[name]):
			t.Errorf("table %s columns:\n sqlite   %v\n postgres %v", name, cols, want[name])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("table %s: only on SQLite", name)
		}
	}
}
