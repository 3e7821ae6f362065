// Package bench measures framsyn against the targets of performance.md.
// The search benchmark loads 100,000 generated Swedish-ish works into
// SQLite and, when FRAMSYN_TEST_POSTGRES is set, PostgreSQL, and reports
// search and list-page latency (doc/search.md has the figures):
//
//	FRAMSYN_BENCH=1 go test ./bench -run TestSearchReport -v -timeout 30m
//	go test ./bench -run '^$' -bench 'Search|List' -benchtime 100x
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// env is one loaded engine.
type env struct {
	engine  string
	db      *storage.DB
	raw     *sql.DB // a bare pool on the same database, for the raw-engine baseline
	svc     *library.Service
	corpus  *corpus
	public  *account.Actor
	member  *account.Actor
	load    time.Duration
	optim   time.Duration
	members []int64
}

// works is how many works to load: FRAMSYN_BENCH_WORKS, or 100,000.
func works() int {
	if n, err := strconv.Atoi(os.Getenv("FRAMSYN_BENCH_WORKS")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// engines returns a database per engine: a SQLite file always,
// PostgreSQL when FRAMSYN_TEST_POSTGRES is set. They are fresh, unless
// FRAMSYN_BENCH_KEEP names a directory: then the SQLite file is
// bench-<works>.db there and the PostgreSQL database framsyn_bench_<works>,
// both kept after the run and reused by the next one when they hold the
// corpus (setup), so an experiment does not load 100,000 works again.
func engines(tb testing.TB) map[string]string {
	keep := os.Getenv("FRAMSYN_BENCH_KEEP")
	if keep == "" {
		out := map[string]string{"sqlite": filepath.Join(tb.TempDir(), "bench.db")}
		if base := storagetest.PostgresURL(tb); base != "" {
			out["postgres"] = storagetest.PostgresDSN(tb, base)
		}
		return out
	}
	if err := os.MkdirAll(keep, 0o755); err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{"sqlite": filepath.Join(keep, fmt.Sprintf("bench-%d.db", works()))}
	if base := storagetest.PostgresURL(tb); base != "" {
		out["postgres"] = keptPostgres(tb, base, fmt.Sprintf("framsyn_bench_%d", works()))
	}
	return out
}

// keptPostgres returns the DSN of database name on the server at base,
// creating it if it does not exist.
func keptPostgres(tb testing.TB, base, name string) string {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		tb.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
			tb.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// kept reports whether db already holds the corpus of n works (a database
// of FRAMSYN_BENCH_KEEP from an earlier run) and returns its organisations.
// A database that holds something else is an error, not overwritten.
func kept(tb testing.TB, db *storage.DB, dsn string, n int) ([]int64, bool) {
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	var docs int
	if err := raw.QueryRow(`SELECT count(*) FROM search_docs WHERE kind = 'work'`).Scan(&docs); err != nil {
		tb.Fatal(err)
	}
	if docs == 0 {
		return nil, false
	}
	if docs != n {
		tb.Fatalf("FRAMSYN_BENCH_KEEP: %s holds %d works, not %d (an interrupted load?): delete it", dsn, docs, n)
	}
	rows, err := raw.Query(`SELECT id FROM organisations WHERE slug LIKE 'org-%' ORDER BY slug`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		orgs = append(orgs, id)
	}
	if err := rows.Err(); err != nil || len(orgs) != 24 {
		tb.Fatalf("FRAMSYN_BENCH_KEEP: %s: %d organisations: %v", dsn, len(orgs), err)
	}
	return orgs, true
}

// setup migrates dsn, creates 24 organisations and loads n works in one
// transaction.
func setup(tb testing.TB, engine, dsn string, n int) *env {
	tb.Helper()
	ctx := context.Background()
	db := storagetest.MustOpen(tb, dsn)
	orgs, reuse := kept(tb, db, dsn, n)
	levels := []account.Level{account.LevelRegional, account.LevelNational, account.LevelLocal}
	for i := range 24 {
		if reuse {
			break
		}
		o := &account.Organisation{Slug: fmt.Sprintf("org-%02d", i), Name: fmt.Sprintf("Organisation %d", i),
			Kind: account.KindRegion, Level: levels[i%3], Public: true}
		id, err := db.Organisations().CreateOrganisation(ctx, o)
		if err != nil {
			tb.Fatal(err)
		}
		orgs = append(orgs, id)
	}
	c, err := newCorpus(n, orgs)
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{engine: engine, db: db, svc: library.NewService(db.Works()), corpus: c, public: &account.Actor{}}
	e.member = &account.Actor{User: &account.User{ID: 1}, Memberships: []account.Membership{
		{OrganisationID: orgs[0], Role: account.RoleMember}, {OrganisationID: orgs[1], Role: account.RoleEditor}}}
	if !reuse {
		start := time.Now()
		if err := db.Works().PutWorks(ctx, c.puts(time.Now())); err != nil {
			tb.Fatal(err)
		}
		e.load = time.Since(start)
		start = time.Now()
		if err := db.Search().OptimizeSearch(ctx); err != nil {
			tb.Fatal(err)
		}
		e.optim = time.Since(start)
	}
	driver, rawDSN := "sqlite", "file:"+dsn+"?mode=ro"
	if engine == "postgres" {
		driver, rawDSN = "pgx", dsn
	}
	if e.raw, err = sql.Open(driver, rawDSN); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.raw.Close() })
	return e
}

// rawSearch is the bare engine doing the same match and ranking, without
// visibility, filters, snippets or loading works: the baseline of S1.
func (e *env) rawSearch(ctx context.Context, q string) (int, error) {
	p := search.Parse(q)
	if p.Empty() {
		return 0, nil
	}
	match, args := rawMatch(e.engine, p)
	query := `SELECT rowid FROM search_fts WHERE ` + match + ` ORDER BY rank LIMIT 21`
	if e.engine == "postgres" {
		args = append(args, p.TSQuery())
		query = `SELECT id FROM search_docs d WHERE ` + match + `
			ORDER BY ts_rank(tsv, to_tsquery('simple', $` + strconv.Itoa(len(args)) + `), 1) DESC LIMIT 21`
	}
	rows, err := e.raw.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// rawMatch is the match of storage's Search for p, without synonyms: each
// stem a prefix of the words or the word itself among the alternative
// terms (FTS5's alt column; on PostgreSQL the lexemes of tsv marked '~').
func rawMatch(engine string, p search.Parsed) (string, []any) {
	var parts []string
	var args []any
	for _, t := range p.Terms(nil) {
		if engine != "postgres" {
			s := `"` + strings.ReplaceAll(t.Typed[0], `"`, `""`) + `"`
			parts = append(parts, `({title body} : `+s+`* OR alt : `+s+`)`)
			continue
		}
		alts := search.AltWords(t)
		for i, w := range alts {
			alts[i] = `'~` + strings.ReplaceAll(w, `'`, `''`) + `'`
		}
		args = append(args, search.TSQueryTerm(t), strings.Join(alts, " | "))
		parts = append(parts, fmt.Sprintf(`d.tsv @@ (to_tsquery('simple', $%d) || $%d::tsquery)`, len(args)-1, len(args)))
	}
	if engine != "postgres" {
		return `search_fts MATCH $1`, []any{strings.Join(parts, ` AND `)}
	}
	return strings.Join(parts, ` AND `), args
}

// matches counts the documents a query matches, for the report.
func (e *env) matches(ctx context.Context, q string) int {
	p := search.Parse(q)
	if p.Empty() {
		return 0
	}
	match, args := rawMatch(e.engine, p)
	query := `SELECT count(*) FROM search_fts WHERE ` + match
	if e.engine == "postgres" {
		query = `SELECT count(*) FROM search_docs d WHERE ` + match
	}
	var n int
	_ = e.raw.QueryRowContext(ctx, query, args...).Scan(&n)
	return n
}

// queryClass is a kind of query of the mix (performance.md S2).
type queryClass struct {
	name    string
	queries []string
	filter  library.Filter
	member  bool
}

func classes(c *corpus) []queryClass {
	rare := c.pick(40, 0.005, 0.02)
	common := c.pick(40, 0.15, 0.7)
	mid := c.pick(80, 0.02, 0.15)
	var and, two, prefix []string
	for i := range 40 {
		and = append(and, common[i%len(common)]+" "+rare[i%len(rare)])
		two = append(two, mid[(2*i)%len(mid)]+" "+mid[(2*i+1)%len(mid)])
	}
	for _, f := range c.forms {
		if p := []rune(f); len(p) >= 5 && len(prefix) < 40 && !slices.Contains(prefix, string(p[:3])) &&
			c.df[search.Stem(f)] > len(c.works)/20 {
			prefix = append(prefix, string(p[:3]))
		}
	}
	return []queryClass{
		{name: "rare term", queries: rare},
		{name: "common term", queries: common},
		{name: "common AND rare", queries: and},
		{name: "two mid terms", queries: two},
		{name: "3-char prefix", queries: prefix},
		{name: "40-term rotation", queries: c.rotation(40)},
		{name: "common, member, type filter", queries: common, filter: library.Filter{Type: library.TypeScenario}, member: true},
	}
}

// timings runs fn rounds times over n items after one warm-up round and
// returns p50 and p95.
func timings(rounds, n int, fn func(i int) error) (time.Duration, time.Duration, error) {
	var ds []time.Duration
	for r := range rounds + 1 {
		for i := range n {
			start := time.Now()
			if err := fn(i); err != nil {
				return 0, 0, err
			}
			if r > 0 {
				ds = append(ds, time.Since(start))
			}
		}
	}
	slices.Sort(ds)
	return ds[len(ds)*50/100], ds[min(len(ds)-1, len(ds)*95/100)], nil
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// TestSearchReport loads the corpus and prints the figures of doc/search.md.
func TestSearchReport(t *testing.T) {
	if os.Getenv("FRAMSYN_BENCH") == "" {
		t.Skip("set FRAMSYN_BENCH=1 to run the search benchmark (minutes)")
	}
	ctx := context.Background()
	n := works()
	var report strings.Builder
	fmt.Fprintf(&report, "\n%d works; p50 / p95 in ms; raw = bare engine query, index = storage Search (visibility, snippets), service = library Search (+ loading works)\n\n", n)
	fmt.Fprintf(&report, "| engine | query class | median matches | raw | index | service |\n|---|---|---|---|---|---|\n")
	var lists strings.Builder
	fmt.Fprintf(&lists, "\n| engine | list page | p50 | p95 |\n|---|---|---|---|\n")
	var pages strings.Builder
	fmt.Fprintf(&pages, "\n| engine | HTML page (whole handler, server time) | p50 | p95 |\n|---|---|---|---|\n")
	for _, engine := range []string{"sqlite", "postgres"} {
		dsn, ok := engines(t)[engine]
		if !ok {
			continue
		}
		e := setup(t, engine, dsn, n)
		if e.load == 0 {
			t.Logf("%s: reused the %d works of %s", engine, n, os.Getenv("FRAMSYN_BENCH_KEEP"))
		} else {
			t.Logf("%s: loaded %d works in %v (%.0f works/s), optimised in %v", engine, n, e.load.Round(time.Millisecond),
				float64(n)/e.load.Seconds(), e.optim.Round(time.Millisecond))
		}
		if engine == "postgres" {
			// The size of the search index's tables, as doc/search.md quotes it.
			for _, rel := range []string{"search_docs", "search_vecs"} {
				var size string
				if err := e.raw.QueryRowContext(ctx, `SELECT pg_size_pretty(pg_total_relation_size($1::regclass))`, rel).Scan(&size); err != nil {
					t.Logf("postgres: size of %s: %v", rel, err)
					continue
				}
				t.Logf("postgres: %s takes %s with its indexes", rel, size)
			}
		}
		for _, qc := range classes(e.corpus) {
			actor := e.public
			viewer := search.Viewer{}
			if qc.member {
				actor, viewer = e.member, account.ViewerOf(e.member)
			}
			var counts []int
			for _, q := range qc.queries {
				counts = append(counts, e.matches(ctx, q))
			}
			slices.Sort(counts)
			raw := "– / –" // FRAMSYN_BENCH_NORAW: the engines' bare queries (most of a run's time) are not timed
			if os.Getenv("FRAMSYN_BENCH_NORAW") == "" {
				rp50, rp95, err := timings(5, len(qc.queries), func(i int) error { _, err := e.rawSearch(ctx, qc.queries[i]); return err })
				if err != nil {
					t.Fatal(err)
				}
				raw = ms(rp50) + " / " + ms(rp95)
			}
			ip50, ip95, err := timings(5, len(qc.queries), func(i int) error {
				q := search.Query{Text: qc.queries[i], Kinds: []string{library.Kind}, Viewer: viewer}
				if qc.filter.Type != "" {
					q.Tags = []string{search.Tag("type", string(qc.filter.Type))}
				}
				_, err := e.db.Search().Search(ctx, q)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			sp50, sp95, err := timings(5, len(qc.queries), func(i int) error {
				f := qc.filter
				f.Query = qc.queries[i]
				_, err := e.svc.Search(ctx, actor, f)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			row := fmt.Sprintf("| %s | %s | %d (%.1f %%) | %s | %s / %s | %s / %s |\n", engine, qc.name,
				counts[len(counts)/2], 100*float64(counts[len(counts)/2])/float64(n),
				raw, ms(ip50), ms(ip95), ms(sp50), ms(sp95))
			report.WriteString(row)
			// Each row as it is measured too, so a run cut short still
			// leaves the classes it finished in its log.
			t.Log(strings.TrimSuffix(row, "\n"))
		}
		for _, lc := range listCases(e) {
			p50, p95, err := timings(3, 30, func(int) error { _, err := e.svc.List(ctx, lc.actor, lc.filter); return err })
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&lists, "| %s | %s | %s | %s |\n", engine, lc.name, ms(p50), ms(p95))
		}
		// The filter's suggestions: counted once per 10 minutes (cached),
		// not per page; measured to know what a recount costs.
		p50, p95, err := timings(3, 3, func(int) error { _, err := e.db.Works().PopularTags(ctx, "method", 40); return err })
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&lists, "| %s | popular methods (the filter's suggestions; counted every 10 min) | %s | %s |\n", engine, ms(p50), ms(p95))
		h := e.handler(t, dsn)
		for _, pc := range pageCases(e.corpus) {
			p50, p95, err := timings(3, 20, func(int) error {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", pc.path, nil))
				if rec.Code != http.StatusOK {
					return fmt.Errorf("%s: %d", pc.path, rec.Code)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&pages, "| %s | %s `%s` | %s | %s |\n", engine, pc.name, pc.path, ms(p50), ms(p95))
		}
	}
	t.Log(report.String() + lists.String() + pages.String())
}

// handler is the whole of framsyn (middleware, pages, templates) over the
// loaded database, for page timings without a network in between. The
// page caches are off: a kept page would time the cache, not the search.
func (e *env) handler(tb testing.TB, dsn string) http.Handler {
	a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: tb.TempDir(), NoMigrate: true, NoPageCache: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	return a.Handler()
}

type pageCase struct{ name, path string }

// pageCases are the library's list and search pages as a visitor opens them.
func pageCases(c *corpus) []pageCase {
	common := c.pick(1, 0.15, 0.7)[0]
	rare := c.pick(1, 0.005, 0.02)[0]
	return []pageCase{
		{"library, newest", "/bibliotek"},
		{"library, type filter", "/bibliotek?typ=podcast"},
		{"library, theme + year", "/bibliotek?tema=klimat&ar=2020"},
		{"library, title order", "/bibliotek?sortera=title"},
		{"library, search common word", "/bibliotek?q=" + url.QueryEscape(common)},
		{"library, search rare word", "/bibliotek?q=" + url.QueryEscape(rare)},
		{"site search", "/sok?q=" + url.QueryEscape(common)},
	}
}

type listCase struct {
	name   string
	actor  *account.Actor
	filter library.Filter
}

func listCases(e *env) []listCase {
	deep, _ := e.svc.List(context.Background(), e.public, library.Filter{Offset: 1000, Limit: 20})
	c := []listCase{
		{"newest, public", e.public, library.Filter{}},
		{"newest, member (visibility OR)", e.member, library.Filter{}},
		{"title order", e.public, library.Filter{Sort: library.SortTitle}},
		{"type filter", e.public, library.Filter{Type: library.TypePodcast}},
		{"theme + year", e.public, library.Filter{Theme: "klimat", Year: 2020}},
		{"level + method", e.public, library.Filter{Level: account.LevelLocal, Method: "backcasting"}},
		{"offset 1000", e.public, library.Filter{Offset: 1000}},
	}
	if deep != nil && deep.Next != "" {
		c = append(c, listCase{"keyset after 1,020", e.public, library.Filter{Cursor: deep.Next}})
	}
	return c
}

// BenchmarkSearch reports ns/op per query class and engine; the load is
// not timed.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	for engine, dsn := range engines(b) {
		e := setup(b, engine, dsn, works())
		for _, qc := range classes(e.corpus) {
			b.Run(engine+"/"+strings.ReplaceAll(qc.name, " ", "_"), func(b *testing.B) {
				actor := e.public
				if qc.member {
					actor = e.member
				}
				i := 0
				for b.Loop() {
					f := qc.filter
					f.Query = qc.queries[i%len(qc.queries)]
					if _, err := e.svc.Search(ctx, actor, f); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
		for _, lc := range listCases(e) {
			b.Run(engine+"/list/"+strings.ReplaceAll(lc.name, " ", "_"), func(b *testing.B) {
				for b.Loop() {
					if _, err := e.svc.List(ctx, lc.actor, lc.filter); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
