package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/api"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestCSRF_CrossOriginRefused(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	u := ta.mustUser("a@b.se", "Anna", false)
	s := ta.mintSession(u)
	form := url.Values{"name": {"Kapad"}}
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"ErrCrossSite", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"ErrForeignOrigin", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"OKSameOrigin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"OKNoBrowserHeaders", nil, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ta.do(req{method: "POST", path: "/konto/namn", form: form, session: s, header: tt.header})
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	got, _ := ta.Accounts.UserByEmail(t.Context(), "a@b.se")
	if got.Name != "Kapad" {
		// The allowed requests ran; the refused ones must not have.
		t.Fatalf("name %q after same-origin update", got.Name)
	}
	// A refused request changed nothing: reset and try cross-site alone.
	ta.do(req{method: "POST", path: "/konto/namn", form: url.Values{"name": {"Anna"}}, session: s})
	ta.do(req{method: "POST", path: "/konto/namn", form: form, session: s, header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	if got, _ := ta.Accounts.UserByEmail(t.Context(), "a@b.se"); got.Name != "Anna" {
		t.Fatalf("cross-site request changed the name to %q", got.Name)
	}
}

func TestSecurityHeaders_EveryResponse(t *testing.T) {
	for _, base := range []string{"", "https://framsyn.example.se"} {
		t.Run("base="+base, func(t *testing.T) {
			ta := mustApp(t, sqliteDSN(t), func(c *app.Config) {
				if base != "" {
					c.BaseURL = base
				}
			})
			for _, p := range []string{"/", "/organisationer", "/finns-inte", "/api/v1/organizations", "/api/v1/finns-inte", "/static/style.css", "/healthz"} {
				resp := ta.do(req{method: "GET", path: p})
				h := resp.Header
				for k, want := range map[string]string{
					"X-Content-Type-Options": "nosniff",
					"Referrer-Policy":        "same-origin",
					"X-Frame-Options":        "DENY",
				} {
					if got := h.Get(k); got != want {
						t.Errorf("%s: %s = %q, want %q", p, k, got, want)
					}
				}
				csp := h.Get("Content-Security-Policy")
				for _, d := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
					if !strings.Contains(csp, d) {
						t.Errorf("%s: CSP %q lacks %q", p, csp, d)
					}
				}
				if ct := h.Get("Content-Type"); !strings.Contains(ct, "charset=utf-8") {
					t.Errorf("%s: Content-Type %q has no charset", p, ct)
				}
				if hsts := h.Get("Strict-Transport-Security"); (base != "") != (hsts != "") {
					t.Errorf("%s: HSTS %q with base URL %q", p, hsts, base)
				}
			}
		})
	}
}

func TestSessionCookie_Attributes(t *testing.T) {
	tests := []struct {
		name, base, cookie string
		secure             bool
	}{
		{"HTTP", "", "framsyn_session", false},
		{"HTTPS", "https://framsyn.example.se", "__Host-framsyn_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := mustApp(t, sqliteDSN(t), func(c *app.Config) {
				if tt.base != "" {
					c.BaseURL = tt.base
				}
			})
			ta.mustUser("a@b.se", "Anna", false)
			// A cookie planted before sign-in must not become the session.
			planted := "planted-token"
			resp := ta.do(req{method: "POST", path: "/logga-in", session: planted,
				form: url.Values{"email": {"A@B.se "}, "password": {"correct horse battery"}, "return": {"//evil.example/x"}}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("login status %d", resp.StatusCode)
			}
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("return to %q, want / (no open redirect)", loc)
			}
			var c *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == tt.cookie {
					c = ck
				}
			}
			if c == nil {
				t.Fatalf("no %s cookie in %v", tt.cookie, resp.Cookies())
			}
			if c.Value == planted || len(c.Value) < 40 {
				t.Errorf("session token %q is not a fresh random token", c.Value)
			}
			if !c.HttpOnly || c.Secure != tt.secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("cookie attributes: HttpOnly=%v Secure=%v SameSite=%v Path=%q", c.HttpOnly, c.Secure, c.SameSite, c.Path)
			}
		})
	}
}

func TestLogin_RateLimited(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	ta.mustUser("a@b.se", "Anna", false)
	var last int
	for i := 0; i < 7; i++ {
		resp := ta.do(req{method: "POST", path: "/logga-in", form: url.Values{"email": {"a@b.se"}, "password": {"wrong password " + string(rune('a'+i))}}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("7th wrong attempt: status %d, want 429", last)
	}
	// Even the right password is refused while limited.
	resp := ta.do(req{method: "POST", path: "/logga-in", form: url.Values{"email": {"a@b.se"}, "password": {"correct horse battery"}}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d", resp.StatusCode)
	}
	if body := readBody(t, resp); !strings.Contains(body, "För många försök") {
		t.Errorf("no Swedish message in the limited answer")
	}
	// A spoofed X-Forwarded-For does not give a new budget.
	resp = ta.do(req{method: "POST", path: "/logga-in", header: map[string]string{"X-Forwarded-For": "10.9.9.9"},
		form: url.Values{"email": {"a@b.se"}, "password": {"correct horse battery"}}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For: %d", resp.StatusCode)
	}
}

// TestSessions_CrossInstancesAndRestart signs in on one instance and uses
// the session on a second instance and after a restart.
func TestSessions_CrossInstancesAndRestart(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			one := mustApp(t, dsn)
			two := mustApp(t, dsn)
			one.mustUser("a@b.se", "Anna", false)
			resp := one.do(req{method: "POST", path: "/logga-in", form: url.Values{"email": {"a@b.se"}, "password": {"correct horse battery"}}})
			var token string
			for _, c := range resp.Cookies() {
				if c.Name == one.Config.SessionCookie() {
					token = c.Value
				}
			}
			if token == "" {
				t.Fatal("no session cookie")
			}
			for name, inst := range map[string]*testApp{"second": two, "restarted": mustApp(t, dsn)} {
				if got := inst.do(req{method: "GET", path: "/konto", session: token}); got.StatusCode != http.StatusOK {
					t.Errorf("%s instance: /konto status %d", name, got.StatusCode)
				}
			}
			// Sign out on the second instance ends it on the first.
			two.do(req{method: "POST", path: "/logga-ut", session: token})
			if got := one.do(req{method: "GET", path: "/konto", session: token}); got.StatusCode != http.StatusSeeOther {
				t.Errorf("after sign-out elsewhere: status %d, want redirect to sign in", got.StatusCode)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	big := url.Values{"email": {strings.Repeat("x", 2<<20)}}
	resp := ta.do(req{method: "POST", path: "/logga-in", form: big})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB form: status %d, want 413", resp.StatusCode)
	}
}

// TestRoutes_BodyLimits lists every route that declares its own body
// limit: a route that takes more than a form must say so where it is
// registered, and a new one shows up here.
func TestRoutes_BodyLimits(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	const mb = 1 << 20
	type limit struct {
		mediaType string
		bytes     int64
	}
	importLimits := []limit{{"application/json", library.MaxImportJSONBytes}, {"application/zip", library.MaxArchiveBytes + mb},
		{"multipart/form-data", library.MaxArchiveBytes + mb}, {"application/x-www-form-urlencoded", 0}}
	want := map[string][]limit{
		"POST /bibliotek/import":         importLimits,
		"POST /api/v1/works/import":      importLimits,
		"POST /bibliotek/{slug}/bilagor": {{"multipart/form-data", library.MaxAttachmentBytes + mb}, {"application/json", 0}},
		"POST /workshoppar/{id}/handling": {{"application/json", 64 << 10},
			{"application/x-www-form-urlencoded", 0}},
		"POST /analys/data":           {{"multipart/form-data", 17 * mb}, {"application/x-www-form-urlencoded", 0}},
		"POST /api/v1/datasets":       {{"text/csv", 16 * mb}, {"application/json", 16 * mb}},
		"POST /api/v1/crosses/import": {{"application/json", 32 << 20}, {"application/x-www-form-urlencoded", 0}},
		"POST /scenariekors/import":   {{"multipart/form-data", 33 * mb}, {"application/json", 0}},
	}
	for _, r := range ta.Routes() {
		cases, ok := want[r.Pattern]
		if !ok {
			if len(r.Limits) > 0 {
				t.Errorf("%s declares body limits %v: add it here", r.Pattern, r.Limits)
			}
			continue
		}
		delete(want, r.Pattern)
		for _, c := range cases {
			got, declared := r.MaxBody(c.mediaType)
			if got != c.bytes || declared != (c.bytes != 0) {
				t.Errorf("%s, %s: limit %d (declared %v), want %d", r.Pattern, c.mediaType, got, declared, c.bytes)
			}
		}
	}
	for p := range want {
		t.Errorf("no route %s", p)
	}
}

func TestAPI_Organizations(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			for _, s := range []string{"a-org", "b-org", "c-org", "d-org", "e-org"} {
				ta.mustOrg(s, true, "Kontakt "+s)
			}
			hidden := ta.mustOrg("hidden-org", false)
			editor := ta.mustUser("e@x.se", "Eva", false)
			ta.mustMember(editor, hidden, account.RoleEditor)

			t.Run("PagesCoverAllOnce", func(t *testing.T) {
				seen := map[string]int{}
				path := "/api/v1/organizations?limit=2"
				for pages := 0; pages < 10; pages++ {
					var list api.List[api.Organization]
					decode(t, ta.do(req{method: "GET", path: path}), http.StatusOK, &list)
					for _, o := range list.Items {
						seen[o.Slug]++
						if len(o.Contacts) != 1 {
							t.Errorf("%s: %d contacts", o.Slug, len(o.Contacts))
						}
					}
					if list.Next == nil {
						break
					}
					path = "/api/v1/organizations?limit=2&cursor=" + url.QueryEscape(*list.Next)
				}
				if len(seen) != 5 || seen["hidden-org"] != 0 {
					t.Errorf("pages gave %v", seen)
				}
				for s, n := range seen {
					if n != 1 {
						t.Errorf("%s seen %d times", s, n)
					}
				}
			})
			t.Run("ErrLimitInvalid", func(t *testing.T) {
				var e api.ErrorBody
				decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?limit=0"}), http.StatusUnprocessableEntity, &e)
				if e.Error.Code != "invalid" || e.Error.Fields["limit"] == "" {
					t.Errorf("error %+v", e)
				}
			})
			t.Run("ErrKindInvalid", func(t *testing.T) {
				var e api.ErrorBody
				decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?kind=planet"}), http.StatusUnprocessableEntity, &e)
			})
			t.Run("HiddenIsNotFoundInEnglish", func(t *testing.T) {
				var e api.ErrorBody
				decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations/hidden-org", header: map[string]string{"Accept-Language": "en"}}), http.StatusNotFound, &e)
				if e.Error.Code != "not_found" || !strings.Contains(e.Error.Message, "does not exist") {
					t.Errorf("error %+v", e)
				}
			})
			t.Run("BearerTokenSeesHidden", func(t *testing.T) {
				token, err := ta.Accounts.CreateAPIToken(t.Context(), &account.Actor{User: editor}, "test", 0)
				if err != nil {
					t.Fatal(err)
				}
				var o api.Organization
				decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations/hidden-org", bearer: token}), http.StatusOK, &o)
				if o.Slug != "hidden-org" || o.Public {
					t.Errorf("got %+v", o)
				}
				var list api.List[api.Organization]
				decode(t, ta.do(req{method: "GET", path: "/api/v1/organizations?limit=200", bearer: token}), http.StatusOK, &list)
				if len(list.Items) != 6 || list.Next != nil {
					t.Errorf("token list: %d items, next %v", len(list.Items), list.Next)
				}
			})
			t.Run("ErrBadTokenUnauthorized", func(t *testing.T) {
				var e api.ErrorBody
				resp := ta.do(req{method: "GET", path: "/api/v1/organizations", bearer: "fs_not-a-token"})
				decode(t, resp, http.StatusUnauthorized, &e)
				if e.Error.Code != "unauthorized" || resp.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("error %+v", e)
				}
			})
		})
	}
}

func decode(t *testing.T, resp *http.Response, status int, v any) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d: %s", resp.Request.URL.Path, resp.StatusCode, status, readBody(t, resp))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPI_MatchesRoutes holds the OpenAPI document against the API
// routes: every route is documented and every documented path exists.
func TestOpenAPI_MatchesRoutes(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	decode(t, ta.do(req{method: "GET", path: "/api/v1/openapi.json"}), http.StatusOK, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, r := range ta.Routes() {
		path, ok := strings.CutPrefix(r.Path, "/api/v1")
		if !ok || r.Method == "" { // the catch-all answers 404 for the rest
			continue
		}
		key := strings.ToLower(r.Method) + " " + path
		routes[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			if !routes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which no route serves", method, path)
			}
		}
	}
}

func TestMetrics_ByRoutePattern(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) { c.MetricsToken = "scrape-secret" })
	ta.mustOrg("org-a", true)
	readBody(t, ta.do(req{method: "GET", path: "/organisationer/org-a"}))
	if resp := ta.do(req{method: "GET", path: "/metrics", bearer: "wrong"}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong metrics token: %d", resp.StatusCode)
	}
	// The count is taken after the handler returns, which may be a moment
	// after the client has the whole response: ask again for a while.
	want := `framsyn_http_requests_total{code="200",method="GET",route="GET /organisationer/{slug}"} 1`
	var body string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp := ta.do(req{method: "GET", path: "/metrics", bearer: "scrape-secret"})
		body = readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("metrics status %d", resp.StatusCode)
		}
		if strings.Contains(body, want) || time.Now().After(deadline) {
			break
		}
	}
	if !strings.Contains(body, want) {
		t.Errorf("metrics lack %q", want)
	}
	if strings.Contains(body, "org-a") {
		t.Errorf("metrics carry a raw path")
	}
}

func TestLanguage(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	tests := []struct {
		name, accept, cookie, wantLang, wantText string
	}{
		{"SwedishDefault", "", "", `lang="sv"`, "Framsyn tillsammans"},
		{"EnglishBrowserGetsSwedish", "en-GB,en;q=0.8", "", `lang="sv"`, "Framsyn tillsammans"},
		{"EnglishChosen", "sv", "en", `lang="en"`, "Foresight together"},
		{"SwedishChosen", "en", "sv", `lang="sv"`, "Hoppa till innehållet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.accept != "" {
				h["Accept-Language"] = tt.accept
			}
			if tt.cookie != "" {
				h["Cookie"] = "framsyn_lang=" + tt.cookie
			}
			body := readBody(t, ta.do(req{method: "GET", path: "/", header: h}))
			if !strings.Contains(body, tt.wantLang) || !strings.Contains(body, tt.wantText) {
				t.Errorf("page lacks %s / %q", tt.wantLang, tt.wantText)
			}
			// The API's description is English whatever the page's
			// language, and its link says so.
			if !strings.Contains(body, `href="/api/v1/openapi.json" hreflang="en"`) {
				t.Errorf("the API link lacks hreflang")
			}
		})
	}
	resp := ta.do(req{method: "POST", path: "/sprak", form: url.Values{"lang": {"en"}, "return": {"https://evil.example/"}}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("language switch returns to %q", loc)
	}
	// The choice is remembered: a cookie for a year, sent back on the
	// next visit.
	var chosen *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "framsyn_lang" {
			chosen = c
		}
	}
	if chosen == nil || chosen.Value != "en" || chosen.MaxAge < 300*24*3600 {
		t.Fatalf("language switch set %+v, want en for a year", chosen)
	}
	body := readBody(t, ta.do(req{method: "GET", path: "/bibliotek", header: map[string]string{"Cookie": "framsyn_lang=" + chosen.Value}}))
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `lang="sv">Svenska</button>`) {
		t.Errorf("after choosing English: the page is not English with a switch back to Swedish")
	}
}
