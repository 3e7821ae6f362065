package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/i18n"
)

// required reports whether the browser tests must run (CI) rather than
// skip when something they need is missing.
func required() bool { return os.Getenv("FRAMSYN_E2E_REQUIRED") == "1" }

// skipOrFail skips the test, or fails it when the tests are required.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if required() {
		t.Fatalf("%s (FRAMSYN_E2E_REQUIRED=1)", why)
	}
	t.Skip(why)
}

// chromiumPath returns Debian's chromium, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		skipOrFail(t, "chromium not found: apt-get install chromium")
	}
	return p
}

// site is a real App with the demo network behind a real HTTP server.
type site struct {
	*app.App
	URL    string
	logins map[string]string // demo email -> password
}

// mustSite starts an App on a fresh SQLite file and seeds the demo network.
func mustSite(t *testing.T) *site {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, err := app.New(context.Background(), app.Config{
		Addr: srv.Listener.Addr().String(), DB: filepath.Join(t.TempDir(), "e.db"),
		DataDir: t.TempDir(), BaseURL: url, Log: log,
	})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })

	logins, err := demo.Seed(context.Background(), a.Accounts, a.DemoStore())
	if err != nil {
		t.Fatalf("demo.Seed: %v", err)
	}
	s := &site{App: a, URL: url, logins: map[string]string{}}
	for _, l := range logins {
		s.logins[l.Email] = l.Password
	}
	return s
}

// mustSession mints a session for a demo login, as a typed sign-in would.
func (s *site) mustSession(t *testing.T, email string) string {
	t.Helper()
	token, _, err := s.Accounts.SignIn(context.Background(), email, s.logins[email], "e2e", "e2e")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return token
}

// browserTimeout bounds everything one test does in its browser.
const browserTimeout = 90 * time.Second

// mustBrowser starts a Chromium of its own for one test (so no cookies are
// shared between tests: cookies ignore the port) and returns a context
// for its tab. The tab asks for Swedish, as a Swedish visitor's browser
// does.
func mustBrowser(t *testing.T) context.Context {
	t.Helper()
	return mustBrowserFor(t, browserTimeout)
}

// mustBrowserFor is mustBrowser bounded by timeout instead, for a test
// that visits every page of the site.
func mustBrowserFor(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := chromiumPath(t)
	// Exactly these flags; chromedp adds a fresh temporary --user-data-dir
	// (removed when the browser ends), --remote-debugging-pipe and about:blank.
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path)}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-background-networking",
		"disable-component-update", "disable-sync", "no-first-run"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("browser version: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
		emulation.SetUserAgentOverrideParams{UserAgent: v.UserAgent, AcceptLanguage: "sv-SE,sv"}); err != nil {
		t.Fatalf("accept-language: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	return tctx
}

// briefly bounds a step that waits for a page or an element, so that a
// missing one fails the test in seconds rather than at browserTimeout.
func briefly(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// setCookie sets a cookie for the site in the browser.
func setCookie(t *testing.T, ctx context.Context, s *site, name, value string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: name, Value: value, URL: s.URL + "/", HTTPOnly: new(true), SameSite: network.CookieSameSiteLax,
	}); err != nil {
		t.Fatalf("set cookie %s: %v", name, err)
	}
}

// signIn gives the browser a minted session of a demo login.
func signIn(t *testing.T, ctx context.Context, s *site, email string) {
	t.Helper()
	setCookie(t, ctx, s, s.Config.SessionCookie(), s.mustSession(t, email))
}

// setLang chooses the language as the language button does.
func setLang(t *testing.T, ctx context.Context, s *site, lang string) {
	t.Helper()
	setCookie(t, ctx, s, i18n.CookieName, lang)
}

// do runs the steps or fails the test.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs one action returning a value, or fails the test.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// open loads a page and fails the test unless it answers with want,
// without a redirect (so a page behind sign-in is not the sign-in page).
func open(t *testing.T, ctx context.Context, url string, want int64) {
	t.Helper()
	resp, err := chromedp.Run(briefly(t, ctx), chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if resp.Status != want || resp.URL != url {
		t.Fatalf("open %s: status %d at %s, want %d", url, resp.Status, resp.URL, want)
	}
}

// follow clicks what sel selects, waits for the page it leads to and
// fails the test unless that page answers with want (after redirects).
func follow(t *testing.T, ctx context.Context, sel string, want int64) {
	t.Helper()
	resp, err := chromedp.RunResponse(briefly(t, ctx), chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if resp.Status != want {
		t.Fatalf("click %s: status %d, want %d", sel, resp.Status, want)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[T](js))
}
