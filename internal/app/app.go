// Package app wires framsyn together: Config -> New -> Handler -> Close.
// The serve command, the end-to-end tests and the benchmarks all start it.
package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/framsyn/framsyn/internal/audit"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/api"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/commentkind"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/facilitator"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/mail"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/notifykind"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/privacy"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/searchkind"
	"github.com/framsyn/framsyn/internal/sitepage"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/ui"
	"github.com/framsyn/framsyn/internal/workshop"
)

// Config is everything framsyn is configured with.
type Config struct {
	Addr      string // listen address
	DB        string // SQLite path or postgres:// URL
	DataDir   string // uploads (and, with BlobURL, uploads being checked)
	BlobURL   string // s3:// bucket for uploads instead of DataDir; see media.OpenBucket
	BaseURL   string // public URL; https:// turns on secure cookies and HSTS
	NoMigrate bool
	// NoPageCache serves every page fresh (bench/pages compares the two).
	NoPageCache bool

	SMTPAddr     string
	SMTPFrom     string
	SMTPUser     string
	SMTPPassword string

	MetricsToken string // bearer token for /metrics; admins may always read it

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (for rate limits and logs); empty: the peer is the client.
	TrustedProxies []netip.Prefix

	Log *slog.Logger
}

// App is a running framsyn.
type App struct {
	Config   Config
	DB       *storage.DB // opening, migrations, ping, backup
	Stores   Stores
	Accounts *account.Service
	Media    *media.Store
	Library  *library.Service
	Posts    *post.Service // organisations' activity posts
	// Workshops runs the digital workshops; its broker is in-process on
	// SQLite and LISTEN/NOTIFY on PostgreSQL, so events cross instances.
	Workshops *workshop.Service
	Analysis  *analysis.Service // datasets, index models and analyses
	Events    *event.Service    // the network's events
	// Facilitators is the directory of process leaders and requests to them.
	Facilitators *facilitator.Service
	// Board is the collaboration board.
	Board *board.Service
	// Comments is the one comment component; each kind registers itself.
	Comments *comment.Service
	// Privacy is a user's personal data: export and account deletion.
	Privacy *privacy.Service
	// Notify is the follows, the inbox and the digests.
	Notify  *notify.Service
	Crosses *cross.Service // scenario crosses and their lineage
	Audit   *audit.Service // who changed roles, memberships, organisations, visibility

	notifier *live.Notifier // nil on SQLite
	mailing  sync.WaitGroup // immediate e-mail being sent
	routes   []route.Route
	handler  http.Handler
	version  func(context.Context) (int64, error) // the content version, once per request
	api      *api.Server
}

// Stores are the domains' storage adapters as New wires them: the
// services run on them, and tests, benchmarks and the demo write through
// them.
type Stores struct {
	Accounts  account.Store
	Works     *storage.Works
	Posts     *storage.Posts
	Workshops *storage.Workshops
	Analysis  *storage.Analysis
	Events    *storage.Events
	Crosses   *storage.Crosses
	Index     *storage.Search // the search index of every kind

	// Facilitators keeps process leaders' profiles and requests.
	Facilitators *storage.Facilitators
	// Board keeps the collaboration board.
	Board *storage.Board
	// Comments keeps the comments of every kind.
	Comments *storage.Comments
}

// New opens the database (migrating it unless told not to) and builds the
// handler.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = defaultBaseURL(cfg.Addr)
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if !cfg.NoMigrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	m, err := media.OpenURL(ctx, cfg.DataDir, cfg.BlobURL)
	if err != nil {
		db.Close()
		return nil, err
	}
	posts, events := db.Posts(), db.Events()
	a := &App{Config: cfg, DB: db, Media: m, Stores: Stores{
		// A post's search document follows its organisation's public
		// flag: the transaction that changes an organisation re-indexes
		// the organisation's posts.
		Accounts:  db.Accounts(posts.OrganisationsChanged, events.OrganisationsChanged, db.Board().OrganisationsChanged),
		Works:     db.Works(),
		Posts:     posts,
		Workshops: db.Workshops(),
		Analysis:  db.Analysis(),
		Events:    events,
		Crosses:   db.Crosses(),
		Index:     db.Search(),

		Facilitators: db.Facilitators(),
		Board:        db.Board(),
		Comments:     db.Comments(),
	}}
	a.Accounts = account.NewService(a.Stores.Accounts, cfg.Log)
	// A request reads the content version once (withVersionMemo in
	// authenticate) for the signed-in actor and the page caches.
	a.version = memoVersion(db.ContentVersion)
	a.Accounts.SetActorCache(a.version)
	a.Library = library.NewService(a.Stores.Works)
	a.Posts = post.NewService(a.Stores.Posts)
	a.Analysis = analysis.NewService(a.Stores.Analysis)
	a.Events = event.NewService(a.Stores.Events, cfg.Log)
	a.Facilitators = facilitator.NewService(a.Stores.Facilitators)
	a.Board = board.NewService(a.Stores.Board)
	a.Comments = comment.NewService(a.Stores.Comments)
	a.Privacy = privacy.NewService(db.Privacy())
	a.Notify = notify.NewService(db.Notifications())
	a.Crosses = cross.NewService(a.Stores.Crosses)
	a.Audit = audit.NewService(db.Audit())
	a.Library.SetFiles(m)
	a.Library.SetCrosses(a.Crosses.Sees)
	var broker live.Broker // nil: the workshop's own hub
	if db.Engine == storage.Postgres {
		a.notifier, err = live.NewNotifier(live.NotifierConfig{DSN: db.DSN, Sender: db, Logger: cfg.Log,
			Heads: map[string]live.Heads{workshop.Area: a.Stores.Workshops, notify.Area: db.Notifications()}})
		if err != nil {
			db.Close()
			return nil, err
		}
		broker = a.notifier
	}
	a.Workshops = workshop.NewService(a.Stores.Workshops, broker, cfg.Log)
	// Axes of crosses link to the drivers of workshops.
	a.Crosses.SetWorkshops(a.Workshops)
	if broker != nil { // the inboxes stream across instances too
		a.Notify.SetBroker(broker, a.Notify.NewRelay(broker))
	}
	if db.Engine == storage.Postgres {
		// Several instances: every rate limit in the database (00015).
		a.Accounts.SetLimiter(db.RateLimits())
		a.Workshops.SetLimiter(db.RateLimits())
	}
	// The method guides ship with the binary; their search documents are
	// put at each start (seven upserts), so an edited guide is found by
	// its new words.
	if err := a.Stores.Index.PutSearchDocuments(ctx, method.SearchDocuments()...); err != nil {
		cfg.Log.Warn("method guides not indexed", "err", err)
	}
	if err := a.build(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Secure reports whether framsyn is served over HTTPS.
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// SessionCookie is the session cookie's name: with HTTPS the __Host-
// prefix binds it to this host and path and requires Secure.
func (c Config) SessionCookie() string {
	if c.Secure() {
		return "__Host-framsyn_session"
	}
	return "framsyn_session"
}

func (a *App) build() error {
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	var mailer ui.Mailer
	if a.Config.SMTPAddr != "" {
		mailer = &mail.SMTP{Addr: a.Config.SMTPAddr, From: a.Config.SMTPFrom, Username: a.Config.SMTPUser, Password: a.Config.SMTPPassword}
	}
	// Kinds says what search hits of each kind link to; an area that
	// indexes a kind adds it in its block below, and /sok and the API
	// show it.
	kinds := searchkind.New()
	pages, err := ui.New(ui.Config{
		Search: a.Stores.Index, Synonyms: a.Stores.Index, Kinds: kinds,
		Accounts: a.Accounts, Library: a.Library, Posts: a.Posts, Events: a.Events, Crosses: a.Crosses, Media: a.Media, Catalogue: cat, Log: a.Config.Log, Mailer: mailer,
		Comments: a.Comments, Board: a.Board, Facilitators: a.Facilitators,
		SitePages: sitepage.NewService(a.DB.SitePages()),
		BaseURL:   a.Config.BaseURL, SecureCookies: a.Config.Secure(), SessionCookie: a.Config.SessionCookie(),
	})
	if err != nil {
		return err
	}
	jsonAPI := api.New(api.Config{Search: a.Stores.Index, Kinds: kinds, Accounts: a.Accounts,
		Catalogue: cat, Log: a.Config.Log, BaseURL: a.Config.BaseURL})
	a.api = jsonAPI
	mux := http.NewServeMux()
	met := newMetrics()
	met.decided(a.Workshops)

	ops := route.NewTable(mux, opsGuard(a.Config.MetricsToken, jsonAPI))
	ops.Handle(route.Public, "GET /healthz", a.healthz)
	ops.Handle(route.Public, "GET /readyz", a.readyz)
	ops.Handle(route.Admin, "GET /metrics", met.handler().ServeHTTP)

	// The front ends' own routes (front page, static files, 404s), then
	// one block per area: its pages, then its API.
	pageTable, apiTable := route.NewTable(mux, pages.Guard), route.NewTable(mux, jsonAPI.Guard)
	pages.Register(pageTable)
	jsonAPI.Register(apiTable)

	// Accounts: signing in, the account page, the platform admin.
	pages.Accounts().Register(pageTable)

	// The site's own pages: about, contact, personal data, cookies.
	pages.SitePages().Register(pageTable)

	// Library.
	pages.Library().Register(pageTable)
	jsonAPI.Works(a.Library).Register(apiTable)
	kinds.Add(searchkind.Work(a.Library))

	// Organisations and their posts.
	pages.Organisations().Register(pageTable)
	jsonAPI.Organizations().Register(apiTable)
	kinds.Add(searchkind.Organisation(a.Accounts))
	kinds.Add(searchkind.Post(a.Posts))

	// Workshops.
	pages.Workshops(a.Workshops).Register(pageTable)
	jsonAPI.Workshops(a.Workshops).Register(apiTable)

	// Analysis: datasets, index models, analyses.
	pages.Analysis(a.Analysis, a.Comments).Register(pageTable)
	jsonAPI.Analysis(a.Analysis).Register(apiTable)
	kinds.Add(searchkind.Analysis(a.Analysis))
	// Events: pages, iCal, the API; the one who moves up from a waiting
	// list is e-mailed when SMTP is configured.
	pages.Events(a.Events, a.Comments).Register(pageTable)
	jsonAPI.Events(a.Events).Register(apiTable)
	kinds.Add(searchkind.Event(a.Events))
	if mailer != nil {
		tell := event.MailPromoted(mailer, cat, a.Config.BaseURL, ui.EventWhenText)
		a.Events.OnPromoted(tell)
		// A deleted account's places move up too (in the deletion's
		// transaction); the one who moved up is told the same way.
		a.Privacy.OnPromoted(func(ctx context.Context, r *event.Registration) {
			e, err := a.Stores.Events.Event(ctx, r.EventID)
			if err == nil {
				err = tell(ctx, e, r)
			}
			if err != nil {
				a.Config.Log.Error("privacy: tell the promoted", "event", r.EventID, "user", r.UserID, "err", err)
			}
		})
	}

	// Facilitators lent between organisations, under /natverket.
	pages.Facilitators(a.Facilitators).Register(pageTable)
	jsonAPI.Facilitators(a.Facilitators).Register(apiTable)
	kinds.Add(searchkind.Facilitator(a.Facilitators))

	// The collaboration board, under /natverket.
	pages.Board(a.Board, a.Comments).Register(pageTable)
	jsonAPI.Board(a.Board).Register(apiTable)
	kinds.Add(searchkind.Board(a.Board))

	// Comments: one component; each kind that takes comments registers
	// itself here with one line (crosses and analyses add theirs).
	a.Comments.Register(commentkind.Work(a.Library))
	a.Comments.Register(commentkind.Event(a.Events))
	a.Comments.Register(commentkind.Board(a.Board))
	a.Comments.Register(commentkind.Cross(a.Crosses))
	a.Comments.Register(commentkind.Analysis(a.Analysis))
	pages.Comments(a.Comments).Register(pageTable)
	jsonAPI.Comments(a.Comments).Register(apiTable)

	// Notifications: each kind that notifies registers how it reads for
	// the recipient (one line each); the areas tell the followers.
	a.Notify.RegisterLoader(notifykind.Event(a.Events))
	a.Notify.RegisterLoader(notifykind.Board(a.Board))
	a.Notify.Register(notifykind.Comment(a.Comments))
	a.wireNotifications()
	pages.Notifications(a.Notify).Register(pageTable)
	jsonAPI.Notifications(a.Notify).Register(apiTable)

	// The audit log, for platform admins (written by the storage adapters
	// in each change's transaction).
	pages.Audit(a.Audit).Register(pageTable)
	jsonAPI.Audit(a.Audit).Register(apiTable)

	// Personal data: a user's export and account deletion.
	pages.Privacy(a.Privacy).Register(pageTable)

	// Scenario crosses.
	pages.Crosses(a.Crosses, a.Workshops, a.Comments).Register(pageTable)
	jsonAPI.Crosses(a.Crosses).Register(apiTable)
	kinds.Add(searchkind.Cross(a.Crosses))

	// Method guides.
	pages.Methods(a.Crosses).Register(pageTable)
	jsonAPI.Methods().Register(apiTable)
	kinds.Add(searchkind.Method())

	// Search and feeds, across the areas.
	pages.Search().Register(pageTable)
	jsonAPI.Search().Register(apiTable)
	pages.Feeds().Register(pageTable)

	a.routes = append(append(ops.Routes(), pageTable.Routes()...), apiTable.Routes()...)

	var h http.Handler = mux
	if !a.Config.NoPageCache {
		matched := func(r *http.Request) string {
			_, pattern := mux.Handler(r)
			return pattern
		}
		// The signed-in viewers' lists, kept by what they depend on, with
		// each viewer's own header filled in.
		h = newViewerCache(a.version, matched, pages.Chrome, a.Config.SessionCookie()).wrap(h)
		// The public's lists, kept while the content version holds.
		h = newPageCache(a.version, matched).wrap(h)
	}
	h = a.authenticate(h)
	h = clientAddress(h, a.Config.TrustedProxies)
	h = limitBody(h, mux, a.routes, jsonAPI)
	h = csrf(h, mux, apiTable.Routes(), pages, jsonAPI)
	h = securityHeaders(h, a.Config.Secure())
	h = met.instrument(h)
	h = a.logRequests(h)
	h = recoverPanics(h, a.Config.Log)
	a.handler = h
	return nil
}

// Handler returns the whole site.
func (a *App) Handler() http.Handler { return a.handler }

// Routes returns every registered route, for the authorization matrix.
func (a *App) Routes() []route.Route { return append([]route.Route(nil), a.routes...) }

// Close closes the database.
func (a *App) Close() error {
	a.mailing.Wait()
	if a.notifier != nil {
		a.notifier.Close()
	}
	return a.DB.Close()
}

// shutdownGrace is how long Serve lets requests in flight finish once
// told to stop. Then it closes every connection left: a half-open one
// (a request header never finished) or a slow upload must not keep a
// restart waiting, and a client whose request was cut retries.
const shutdownGrace = 700 * time.Millisecond

// Server returns an http.Server with timeouts, so a slow client cannot
// hold a connection forever.
func (a *App) Server() *http.Server {
	srv := &http.Server{
		Addr:              a.Config.Addr,
		Handler:           a.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Config.Log.Handler(), slog.LevelWarn),
	}
	// Workshop streams never end on their own: a shutdown ends them, and
	// their clients resume on the next server by Last-Event-ID.
	srv.RegisterOnShutdown(a.Workshops.CloseStreams)
	srv.RegisterOnShutdown(a.Notify.Relay().Close)
	return srv
}

// Serve serves on ln until ctx ends, then shuts down within a second
// whatever the clients do: idle keep-alive connections are closed at
// once, streams are told to end, requests in flight get shutdownGrace to
// finish, and whatever is left then is closed.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := a.Server()
	go a.digestLoop(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Config.Log.Info("shutting down")
	start := time.Now()
	// No response says keep-alive any more, and the idle connections go now.
	srv.SetKeepAlivesEnabled(false)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Shutdown waits for a connection that has sent part of a request,
		// and for a new one for 5 s; Close does not.
		a.Config.Log.Info("closing connections left after the grace period", "grace", shutdownGrace)
		err = srv.Close()
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.Config.Log.Info("shut down", "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.DB.Ping(r.Context()); err != nil {
		a.Config.Log.Error("not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// DemoStore is what the demo seeds through.
func (a *App) DemoStore() demo.Store {
	return demo.Store{Accounts: a.Stores.Accounts, Library: a.Stores.Works, Posts: a.Stores.Posts, Workshops: a.Stores.Workshops,
		Crosses: a.Stores.Crosses}
}

// defaultBaseURL is the site's URL when none is configured: the listen
// address, with "localhost" for a wildcard host (":8080", as in the
// container image), since "http://:8080" is no address a browser opens.
func defaultBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
