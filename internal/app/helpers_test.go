package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
)

// testApp is a real App behind a real HTTP server.
type testApp struct {
	*app.App
	srv *httptest.Server
	t   testing.TB
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// mustApp starts an App on dsn behind an httptest server.
func mustApp(t testing.TB, dsn string, mod ...func(*app.Config)) *testApp {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg := app.Config{Addr: srv.Listener.Addr().String(), DB: dsn, DataDir: filepath.Join(t.TempDir(), "data"),
		BaseURL: "http://" + srv.Listener.Addr().String(), Log: quietLog()}
	for _, m := range mod {
		m(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &testApp{App: a, srv: srv, t: t}
}

// sqliteDSN is a fresh SQLite file for one test.
func sqliteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "framsyn.db") }

// mustUser creates a user; admin makes a platform admin.
func (ta *testApp) mustUser(email, name string, admin bool) *account.User {
	ta.t.Helper()
	u, err := ta.Accounts.CreateUser(context.Background(), email, name, "correct horse battery", admin)
	if err != nil {
		ta.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// mustOrg creates an organisation as platform admin would.
func (ta *testApp) mustOrg(slug string, public bool, contacts ...string) *account.Organisation {
	ta.t.Helper()
	o := account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindOther, Level: account.LevelLocal, Public: public}
	for _, c := range contacts {
		o.Contacts = append(o.Contacts, account.Contact{Name: c})
	}
	if err := ta.Accounts.PutOrganisations(context.Background(), []account.Organisation{o}); err != nil {
		ta.t.Fatalf("create org %s: %v", slug, err)
	}
	got, err := ta.Stores.Accounts.OrganisationBySlug(context.Background(), slug)
	if err != nil {
		ta.t.Fatal(err)
	}
	return got
}

func (ta *testApp) mustMember(u *account.User, o *account.Organisation, role account.Role) {
	ta.t.Helper()
	if err := ta.Stores.Accounts.SetMembership(context.Background(), u.ID, o.ID, role); err != nil {
		ta.t.Fatal(err)
	}
}

// mintSession stores a session for u directly, so tests need not type
// passwords (and argon2 runs once per user, not per request).
func (ta *testApp) mintSession(u *account.User) string {
	ta.t.Helper()
	token := account.NewToken()
	now := time.Now()
	err := ta.Stores.Accounts.CreateSession(context.Background(), account.Session{Hash: account.HashToken(token), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
	if err != nil {
		ta.t.Fatal(err)
	}
	return token
}

// client never follows redirects, so tests see the 303s.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type req struct {
	method, path string
	form         url.Values
	body         io.Reader
	ctype        string
	session      string
	bearer       string
	header       map[string]string
}

func (ta *testApp) do(r req) *http.Response {
	ta.t.Helper()
	body := r.body
	ctype := r.ctype
	if r.form != nil {
		body, ctype = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	hr, err := http.NewRequest(r.method, ta.srv.URL+r.path, body)
	if err != nil {
		ta.t.Fatal(err)
	}
	if ctype != "" {
		hr.Header.Set("Content-Type", ctype)
	}
	if r.session != "" {
		hr.AddCookie(&http.Cookie{Name: ta.Config.SessionCookie(), Value: r.session})
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	for k, v := range r.header {
		if old := hr.Header.Get(k); k == "Cookie" && old != "" {
			v = old + "; " + v // beside the session's
		}
		hr.Header.Set(k, v)
	}
	resp, err := client.Do(hr)
	if err != nil {
		ta.t.Fatal(err)
	}
	ta.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
