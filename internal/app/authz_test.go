package app_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// The roles of the authorization matrix, in the order of want below.
var roles = []string{"anonymous", "member of A", "editor of A", "admin of A", "editor of B", "platform admin"}

// matrixFixture is what every role's run starts from: org A (public), org
// B (hidden), org C (public, to be deleted), one user per role and a
// target user who is a member of A.
type matrixFixture struct {
	ta           *testApp
	users        []*account.User // by role; nil for anonymous
	target       *account.User
	contactA     int64
	contactB     int64
	contactAGone int64
	orgA         int64
	orgs         map[string]*account.Organisation // by slug: org-a, org-b, org-c
}

func newMatrixFixture(t *testing.T, dsn string) *matrixFixture {
	ta := mustApp(t, dsn)
	a := ta.mustOrg("org-a", true, "Kontakt A", "Kontakt A2")
	b := ta.mustOrg("org-b", false, "Kontakt B")
	c := ta.mustOrg("org-c", true)
	f := &matrixFixture{ta: ta, users: make([]*account.User, len(roles)),
		orgs: map[string]*account.Organisation{"org-a": a, "org-b": b, "org-c": c}}
	f.users[1] = ta.mustUser("member@a.se", "Member A", false)
	f.users[2] = ta.mustUser("editor@a.se", "Editor A", false)
	f.users[3] = ta.mustUser("admin@a.se", "Admin A", false)
	f.users[4] = ta.mustUser("editor@b.se", "Editor B", false)
	f.users[5] = ta.mustUser("admin@framsyn.se", "Platform Admin", true)
	f.target = ta.mustUser("target@a.se", "Target", false)
	ta.mustMember(f.users[1], a, account.RoleMember)
	ta.mustMember(f.users[2], a, account.RoleEditor)
	ta.mustMember(f.users[3], a, account.RoleAdmin)
	ta.mustMember(f.users[4], b, account.RoleEditor)
	ta.mustMember(f.target, a, account.RoleMember)
	f.contactA, f.contactAGone, f.contactB = a.Contacts[0].ID, a.Contacts[1].ID, b.Contacts[0].ID
	f.orgA = a.ID
	return f
}

func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{20, 64, 107, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func multipartLogo(t testing.TB) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("logo", "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(pngBytes(t))
	w.Close()
	return &buf, w.FormDataContentType()
}

// matrixCase is one request and the status each role must get.
type matrixCase struct {
	pattern   string // the route it exercises, as registered
	method    string
	path      string
	form      url.Values
	multipart bool
	json      string // a JSON body
	upload    string // a file sent as the multipart field "file"
	want      [6]int // by roles
	redirect  string // where an anonymous 303 goes, when not to sign in
	// domainGuarded marks a public route whose domain, not the route
	// guard, sends the anonymous to sign in (a guest may use it too).
	domainGuarded bool
}

const (
	see   = http.StatusSeeOther // redirect: to sign in for the anonymous, PRG for others
	ok    = http.StatusOK
	bad   = http.StatusUnprocessableEntity
	malf  = http.StatusBadRequest // a body that is not JSON
	unath = http.StatusUnauthorized
	forb  = http.StatusForbidden
	nf    = http.StatusNotFound
)

func all(code int) [6]int { return [6]int{code, code, code, code, code, code} }

// matrixArea is one area's part of the authorization matrix: it makes
// what its cases need on the shared fixture (orgs A, B and C, a user per
// role) and returns the cases. An area's cases change only its own data,
// so the areas may run in any order; each area's test file adds itself
// with addMatrixArea, and a new area edits nothing here.
type matrixArea func(t *testing.T, f *matrixFixture) []matrixCase

var matrixAreas []matrixArea

// addMatrixArea adds an area's cases to the matrix (as a package
// variable's initialiser, so it runs before the tests).
func addMatrixArea(a matrixArea) bool {
	matrixAreas = append(matrixAreas, a)
	return true
}

// form builds url.Values from pairs of key and value.
func form(kv ...string) url.Values {
	u := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		u.Set(kv[i], kv[i+1])
	}
	return u
}

// matrixCases are the site's own cases, every area's, and sign-out last.
func matrixCases(t *testing.T, f *matrixFixture) []matrixCase {
	var areaCases []matrixCase
	for _, area := range matrixAreas {
		areaCases = append(areaCases, area(t, f)...)
	}
	v := form
	return append(append([]matrixCase{
		{pattern: "GET /healthz", method: "GET", path: "/healthz", want: all(ok)},
		{pattern: "GET /readyz", method: "GET", path: "/readyz", want: all(ok)},
		{pattern: "GET /metrics", method: "GET", path: "/metrics", want: [6]int{unath, forb, forb, forb, forb, ok}},

		{pattern: "GET /{$}", method: "GET", path: "/", want: all(ok)},
		{pattern: "GET /static/{file...}", method: "GET", path: "/static/style.css", want: all(ok)},
		{pattern: "GET /static/{file...}", method: "GET", path: "/static/finns-inte.css", want: all(nf)},
		{pattern: "GET /media/{hash}", method: "GET", path: "/media/" + strings.Repeat("ab", 32), want: all(nf)},
		{pattern: "POST /sprak", method: "POST", path: "/sprak", form: v("lang", "en", "return", "/"), want: all(see), redirect: "/"},
		{pattern: "GET /tillganglighet", method: "GET", path: "/tillganglighet", want: all(ok)},
		{pattern: "GET /analys", method: "GET", path: "/analys", want: all(ok)},
		{pattern: "GET /natverket", method: "GET", path: "/natverket", want: all(ok)},

		{pattern: "/", method: "GET", path: "/finns-inte", want: all(nf)},

		{pattern: "GET /api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", want: all(ok)},
		{pattern: "/api/", method: "GET", path: "/api/v1/finns-inte", want: all(nf)},
		// A known path with another method: 405 with Allow, for everyone.
		{pattern: "/api/", method: "PUT", path: "/api/v1/works", json: "{}", want: all(http.StatusMethodNotAllowed)},
	}, areaCases...), []matrixCase{
		// Sign-out last: it ends the session the other requests used.
		{pattern: "POST /logga-ut", method: "POST", path: "/logga-ut", want: all(see), redirect: "/"},
	}...)
}

// TestAuthorizationMatrix walks every registered route as every role. A
// route without a case fails the test, so a new route is never reachable
// by accident.
func TestAuthorizationMatrix(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			// Every role gets its own fresh copy of the fixture: the cases
			// change state (delete org C, disable the target user).
			for ri, role := range roles {
				t.Run(strings.ReplaceAll(role, " ", "_"), func(t *testing.T) {
					d := dsn
					if ri > 0 {
						d = freshDSN(t, engine)
					}
					f := newMatrixFixture(t, d)
					cases := matrixCases(t, f)
					if ri == 0 {
						checkCoverage(t, f, cases)
					}
					access := map[string]route.Access{}
					for _, r := range f.ta.Routes() {
						access[r.Pattern] = r.Access
					}
					var session string
					if u := f.users[ri]; u != nil {
						session = f.ta.mintSession(u)
					}
					for _, c := range cases {
						r := req{method: c.method, path: c.path, form: c.form, session: session}
						if c.multipart {
							r.body, r.ctype = multipartLogo(t)
						}
						if c.upload != "" {
							r.body, r.ctype = multipartFile(t, "file", "fil", []byte(c.upload))
						}
						if c.json != "" {
							r.body, r.ctype = strings.NewReader(c.json), "application/json"
						}
						resp := f.ta.do(r)
						if resp.StatusCode != c.want[ri] {
							t.Errorf("%s %s as %s: status %d, want %d", c.method, c.path, role, resp.StatusCode, c.want[ri])
						}
						checkGuard(t, c, role, access[c.pattern], resp)
					}
				})
			}
		})
	}
}

// checkGuard holds an answer against the route's registered access, for
// every method, whatever the case expects: the anonymous reach a route
// that is not public only as a redirect to sign in (pages) or a 401 (the
// API and /metrics), and signed-in users who are not platform admins
// reach an admin route only as a 403. So a guard removed from a route
// fails here even when the handler or the domain happens to refuse too.
func checkGuard(t *testing.T, c matrixCase, role string, access route.Access, resp *http.Response) {
	t.Helper()
	machine := strings.HasPrefix(c.path, "/api/") || c.path == "/metrics"
	loc := resp.Header.Get("Location")
	switch {
	case role == "anonymous" && c.want[0] == see:
		// Whatever the method: an anonymous redirect goes to sign in
		// unless the case names another target (PRG of a public form).
		want := c.redirect
		if want == "" {
			want = "/logga-in?return="
		}
		if resp.StatusCode == see && !strings.HasPrefix(loc, want) {
			t.Errorf("%s %s as anonymous: redirect to %q, want %q", c.method, c.path, loc, want)
		}
		// A route the anonymous may only reach by signing in is guarded at
		// registration, not only refused by its handler or the domain (whose
		// answer looks the same): a guard dropped from it fails here.
		if c.redirect == "" && access == route.Public && !c.domainGuarded {
			t.Errorf("%s %s: the anonymous are sent to sign in, but the route is registered public", c.method, c.path)
		}
	case access == route.Public:
		if role != "anonymous" && resp.StatusCode == see && strings.HasPrefix(loc, "/logga-in") && c.path != "/logga-in" {
			t.Errorf("%s %s as %s: public route sends a signed-in user to sign in (%q)", c.method, c.path, role, loc)
		}
	case role == "anonymous" && machine && c.want[0] == unath && access == route.Public && !c.domainGuarded:
		t.Errorf("%s %s: the anonymous get 401, but the route is registered public", c.method, c.path)
	case role == "anonymous" && machine:
		if resp.StatusCode != unath {
			t.Errorf("%s %s as anonymous: status %d, want 401 from the guard", c.method, c.path, resp.StatusCode)
		}
	case role == "anonymous":
		if resp.StatusCode != see || !strings.HasPrefix(loc, "/logga-in?return=") {
			t.Errorf("%s %s as anonymous: status %d to %q, want the guard's redirect to sign in", c.method, c.path, resp.StatusCode, loc)
		}
	case role == "platform admin" && adminOnly(c) && access != route.Admin && !c.domainGuarded:
		t.Errorf("%s %s: only the platform admin may use it, but the route is registered %s", c.method, c.path, access)
	case access == route.Admin && role != "platform admin":
		if resp.StatusCode != forb {
			t.Errorf("%s %s as %s: status %d, want 403 from the admin guard", c.method, c.path, role, resp.StatusCode)
		}
	}
}

// adminOnly reports whether the case lets only the platform admin through:
// every signed-in role but the admin is refused with 403.
func adminOnly(c matrixCase) bool {
	for _, code := range c.want[1:5] {
		if code != forb {
			return false
		}
	}
	return c.want[5] != forb
}

func freshDSN(t *testing.T, engine string) string {
	return storagetest.DSNs(t)[engine]
}

// checkCoverage fails for a registered route without a case, and for a
// case naming a route that does not exist.
func checkCoverage(t *testing.T, f *matrixFixture, cases []matrixCase) {
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.pattern] = true
	}
	registered := map[string]bool{}
	for _, r := range f.ta.Routes() {
		registered[r.Pattern] = true
		if !covered[r.Pattern] {
			t.Errorf("route %q (%s) has no case in the authorization matrix", r.Pattern, r.Access)
		}
	}
	for p := range covered {
		if !registered[p] {
			t.Errorf("matrix case for %q, which is not a registered route", p)
		}
	}
}
