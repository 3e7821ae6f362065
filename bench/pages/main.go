// Command pages measures framsyn's page and API latency at 100× the demo
// network, against a bare net/http handler doing one database read on the
// same database in the same run (target P1 in performance.md: p95 within
// 3× the bare handler).
//
//	go run ./bench/pages                 # SQLite
//	go run ./bench/pages -content 1      # with a work and a post per organisation
//	FRAMSYN_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable go run ./bench/pages
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
)

func main() {
	scale := flag.Int("scale", 100, "copies of the demo network")
	content := flag.Int("content", 0, "works and posts per organisation, for the front page's and organisation pages' news")
	n := flag.Int("n", 2000, "requests per page")
	conc := flag.Int("c", 4, "concurrent clients")
	only := flag.String("engine", "", "run one engine only (sqlite or postgres)")
	pagesFlag := flag.String("pages", "", "comma-separated paths to measure instead of every page")
	crosses := flag.Int("crosses", 500, "scenario crosses in one lineage, for the lineage and comparison pages (0: none)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	fresh := flag.Bool("fresh", true, "also measure each page with the page cache off (an instance with NoPageCache on the same database)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()

	dir, err := os.MkdirTemp("", "framsyn-bench-pages")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	engines := map[string]string{"sqlite": filepath.Join(dir, "bench.db")}
	if base := os.Getenv("FRAMSYN_TEST_POSTGRES"); base != "" {
		engines["postgres"] = makePostgres(base)
		defer dropPostgres(base)
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		dsn, ok := engines[engine]
		if !ok || (*only != "" && *only != engine) {
			continue
		}
		run(ctx, engine, dsn, dir, *scale, *n, *conc, *content, *crosses, *pagesFlag, *fresh)
	}
}

// pgName is per process, so two runs on one server (other engineers'
// benches) do not drop each other's database.
var pgName = fmt.Sprintf("framsyn_bench_pages_%d", os.Getpid())

func makePostgres(base string) string {
	db, err := sql.Open("pgx", base)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`DROP DATABASE IF EXISTS ` + pgName + ` WITH (FORCE)`)
	if _, err := db.Exec(`CREATE DATABASE ` + pgName); err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(base)
	u.Path = "/" + pgName
	return u.String()
}

func dropPostgres(base string) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	db.Exec(`DROP DATABASE IF EXISTS ` + pgName + ` WITH (FORCE)`)
}

func run(ctx context.Context, engine, dsn, dir string, scale, n, conc, content, crosses int, only string, fresh bool) {
	a, err := app.New(ctx, app.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: filepath.Join(dir, "data-"+engine),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	net, err := demo.Load()
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	base := net.AccountOrganisations()
	var orgs []account.Organisation
	for i := 0; i < scale; i++ {
		for _, o := range base {
			o.Slug = fmt.Sprintf("%s-%d", o.Slug, i)
			o.Contacts = slices.Clone(o.Contacts)
			orgs = append(orgs, o)
		}
	}
	if err := a.Accounts.PutOrganisations(ctx, orgs); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\n%s: %d organisations loaded in %s\n", engine, len(orgs), time.Since(start).Round(time.Millisecond))
	if content > 0 {
		start = time.Now()
		loadContent(ctx, a, orgs, content)
		fmt.Printf("%s: %d works, %d posts and %d events loaded in %s\n", engine, len(orgs)*content, len(orgs)*content, len(orgs)*content, time.Since(start).Round(time.Millisecond))
	}

	var crossPages []string
	if crosses > 0 {
		start = time.Now()
		crossPages = loadCrosses(ctx, a, orgs, crosses)
		fmt.Printf("%s: a lineage of %d crosses loaded in %s\n", engine, crosses, time.Since(start).Round(time.Millisecond))
	}

	// The bare baseline: one handler, one read of one organisation row.
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := a.Stores.Accounts.OrganisationBySlug(r.Context(), "region-varmland-42")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, o.Name)
	})
	bareSrv := httptest.NewServer(bare)
	defer bareSrv.Close()
	appSrv := httptest.NewServer(a.Handler())
	defer appSrv.Close()
	// The same site with the page cache off, on the same database: what
	// each page costs to make.
	var freshSrv *httptest.Server
	if fresh {
		b, err := app.New(ctx, app.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: filepath.Join(dir, "data-"+engine), NoMigrate: true,
			NoPageCache: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			log.Fatal(err)
		}
		defer b.Close()
		freshSrv = httptest.NewServer(b.Handler())
		defer freshSrv.Close()
	}
	// A signed-in member of one organisation, for the lists only the
	// network sees (never from the cache, which keeps the public's pages).
	member, err := a.Accounts.CreateUser(ctx, "bench-member@example.se", "Medlem", account.NewToken()[:20], false)
	if err != nil {
		log.Fatal(err)
	}
	if err := a.Stores.Accounts.SetMembership(ctx, member.ID, orgs[0].ID, account.RoleEditor); err != nil {
		log.Fatal(err)
	}
	session := account.NewToken()
	now := time.Now()
	if err := a.Stores.Accounts.CreateSession(ctx, account.Session{Hash: account.HashToken(session), UserID: member.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		log.Fatal(err)
	}
	cookie := "framsyn_session=" + session

	fmt.Printf("%-50s %9s %9s %9s %8s %8s %9s %s\n", "page", "p50", "p95", "p99", "×bare p95", "×bare p50", "bytes", "bare p50/p95 in the same turns")
	bareURL := bareSrv.URL + "/"
	measure(bareURL, n, conc, "bare handler, one DB read", "", "")
	// Every page that lists, bare and with a query and a filter.
	pages := []string{
		"/", "/organisationer/region-varmland-42", "/natverket", "/natverket?q=region&niva=regional",
		"/organisationer", "/organisationer?q=v%C3%A4st&typ=region", "/organisationer?lan=08&fran=0",
		"/bibliotek", "/bibliotek?organisation=region-varmland-42", "/bibliotek?q=scenario",
		"/bibliotek/sa-har-gjorde-vi", "/sok?q=region", "/workshoppar",
		"/api/v1/organizations", "/api/v1/organizations?q=region+v", "/api/v1/organizations/region-varmland-42",
		"/api/v1/works", "/api/v1/works?organization=region-varmland-42", "/api/v1/search?q=region",
		"/tillganglighet", "/evenemang", "/metoder", "/natverket/samarbeten", "/analys", "/workshoppar?fran=0",
		"/api/v1/events", "/api/v1/crosses", "/api/v1/board", "/api/v1/datasets", "/api/v1/index-models", "/api/v1/methods",
		// Signed in (a "*" before the path): lists only members see, and
		// the public's lists as a member sees them (the viewer cache).
		"*/natverket/processledare", "*/api/v1/facilitators", "*/api/v1/workshops", "*/workshoppar",
		"*/organisationer", "*/bibliotek", "*/", "*/natverket", "*/organisationer?lan=08&fran=0",
		"*/bibliotek?organisation=region-varmland-42", "*/sok?q=region", "*/organisationer/region-varmland-42",
		"*/evenemang", "*/api/v1/works", "*/api/v1/organizations", "*/api/v1/crosses",
	}
	if only != "" {
		pages = strings.Split(only, ",")
	}
	pages = append(pages, crossPages...) // -crosses 0 leaves them out
	for _, p := range pages {
		c := ""
		if signedIn := strings.HasPrefix(p, "*"); signedIn {
			p, c = p[1:], cookie
		}
		label := p
		if c != "" {
			label = "signed in " + p
		}
		measure(appSrv.URL+p, n, conc, label, bareURL, c)
		if freshSrv != nil {
			measure(freshSrv.URL+p, n, conc, "  (no cache) "+label, bareURL, c)
		}
	}
}

// measure sends n GETs of url from conc clients, each client taking
// turns with a GET of the bare handler (bareURL, when set), so page and
// bare handler are measured under the same load: on a shared machine the
// load moves within a run, and a bare handler measured once at the start
// made ratios of noise. ×bare is the page's p95 over the bare handler's
// p95 of the same turns.
func measure(url string, n, conc int, label, bareURL, cookie string) time.Duration {
	lat := make([]time.Duration, n)
	bareLat := make([]time.Duration, n)
	var wg sync.WaitGroup
	next := make(chan int)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * conc}}
	var size atomic.Int64 // the page's body in bytes, as last read
	get := func(url, cookie string) (time.Duration, int64) {
		t0 := time.Now()
		req, _ := http.NewRequest("GET", url, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			log.Fatalf("%s: status %d", url, resp.StatusCode)
		}
		return time.Since(t0), n
	}
	for c := 0; c < conc; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var n int64
				lat[i], n = get(url, cookie)
				size.Store(n)
				if bareURL != "" {
					bareLat[i], _ = get(bareURL, "")
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	slices.Sort(lat)
	slices.Sort(bareLat)
	p := func(lat []time.Duration, q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	ratio, ratio50, bare := "", "", ""
	if bareURL != "" {
		ratio = fmt.Sprintf("%.1f", float64(p(lat, 0.95))/float64(p(bareLat, 0.95)))
		ratio50 = fmt.Sprintf("%.1f", float64(p(lat, 0.50))/float64(p(bareLat, 0.50)))
		bare = fmt.Sprintf("%s/%s", p(bareLat, 0.50).Round(time.Microsecond), p(bareLat, 0.95).Round(time.Microsecond))
	}
	fmt.Printf("%-50s %9s %9s %9s %8s %8s %9d %s\n", label, p(lat, 0.50).Round(time.Microsecond), p(lat, 0.95).Round(time.Microsecond), p(lat, 0.99).Round(time.Microsecond), ratio, ratio50, size.Load(), bare)
	return p(lat, 0.95)
}

// loadContent gives each organisation per public works (one in four for
// the network only) and as many posts (one in four for the network only),
// dated over the last years, so lists have something to sort.
func loadContent(ctx context.Context, a *app.App, orgs []account.Organisation, per int) {
	var puts []library.Put
	now := time.Now()
	for i, o := range orgs {
		for k := 0; k < per; k++ {
			vis, pvis := library.Public, post.Public
			if (i+k)%4 == 3 {
				vis, pvis = library.Network, post.Network
			}
			at := now.Add(-time.Duration(i*per+k) * time.Hour)
			w := &library.Work{Title: fmt.Sprintf("Scenario %d för %s", k+1, o.Name), Type: library.TypeScenario,
				Summary: "Ett genererat scenario.", OrganisationID: o.ID, Visibility: vis, Date: at, Version: 1, CreatedAt: at, UpdatedAt: at}
			w.Slug = fmt.Sprintf("%s-scenario-%d", o.Slug, k+1)
			if err := w.Validate(); err != nil {
				log.Fatal(err)
			}
			puts = append(puts, library.Put{Work: w})
			p := &post.Post{OrganisationID: o.ID, Body: fmt.Sprintf("Vi har skrivit scenario %d i %s.", k+1, o.Name), Visibility: pvis, CreatedAt: at, UpdatedAt: at}
			if err := a.Stores.Posts.CreatePost(ctx, p); err != nil {
				log.Fatal(err)
			}
			// Upcoming events, one in four for the network only.
			aud := event.Public
			if (i+k)%4 == 3 {
				aud = event.Network
			}
			starts := now.Add(time.Duration(i*per+k+24) * time.Hour).Truncate(time.Hour)
			e := &event.Event{OrganisationID: o.ID, Title: fmt.Sprintf("Framtidsdag %d i %s", k+1, o.Name), Description: "Ett genererat evenemang.",
				StartsAt: starts.UTC(), EndsAt: starts.Add(2 * time.Hour).UTC(), Place: "Stadshuset", Audience: aud, CreatedAt: at, UpdatedAt: at}
			if err := a.Stores.Events.CreateEvent(ctx, e, nil); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := a.Stores.Works.PutWorks(ctx, puts); err != nil {
		log.Fatal(err)
	}
}
