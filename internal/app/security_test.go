package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
)

// TestInvitationExistingAccount is issue 18 row 1: an organisation admin
// who invites an existing account's address and sees the link cannot use
// it to sign in as that account; the owner signs in and then accepts.
func TestInvitationExistingAccount(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	org := ta.mustOrg("org-a", true)
	admin := ta.mustUser("admin@a.se", "Admin A", false)
	ta.mustMember(admin, org, account.RoleAdmin)
	victim := ta.mustUser("root@framsyn.se", "Platform Admin", true)
	body := readBody(t, ta.do(req{method: "POST", path: "/organisationer/org-a/inbjudningar", session: ta.mintSession(admin),
		form: url.Values{"email": {victim.Email}, "role": {"member"}}}))
	link := linkRE.FindString(body)
	if link == "" {
		t.Fatal("no invitation link shown")
	}
	sessionSet := func(resp *http.Response) bool {
		for _, c := range resp.Cookies() {
			if c.Name == ta.Config.SessionCookie() && c.MaxAge >= 0 && c.Value != "" {
				return true
			}
		}
		return false
	}
	t.Run("ErrPasswordSignsNobodyIn", func(t *testing.T) {
		resp := ta.do(req{method: "POST", path: link, form: url.Values{"password": {"correct horse battery"}}})
		if sessionSet(resp) || resp.StatusCode == http.StatusSeeOther {
			t.Fatalf("accept with the right password: status %d, session cookie %v", resp.StatusCode, sessionSet(resp))
		}
	})
	t.Run("OKPageAsksToSignIn", func(t *testing.T) {
		page := readBody(t, ta.do(req{method: "GET", path: link}))
		if strings.Contains(page, `type="password"`) || !strings.Contains(page, "/logga-in?return=") {
			t.Fatalf("invitation page for an existing account asks for a password or lacks the sign-in link")
		}
	})
	t.Run("ErrOtherAccount", func(t *testing.T) {
		resp := ta.do(req{method: "POST", path: link, session: ta.mintSession(admin)})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("accept as another account: status %d, want 403", resp.StatusCode)
		}
	})
	t.Run("OKSignedIn", func(t *testing.T) {
		resp := ta.do(req{method: "POST", path: link, session: ta.mintSession(victim)})
		if resp.StatusCode != http.StatusSeeOther || sessionSet(resp) {
			t.Fatalf("accept signed in: status %d, new session %v", resp.StatusCode, sessionSet(resp))
		}
		ms, _ := ta.Stores.Accounts.Memberships(t.Context(), victim.ID)
		if len(ms) != 1 || ms[0].OrganisationID != org.ID {
			t.Fatalf("memberships %+v", ms)
		}
	})
}

// TestMediaVisibility is issue 18 row 2: /media serves only organisation
// logos its caller may see, publicly cached only when public; a draft's
// image is reached through the checked attachment route alone.
func TestMediaVisibility(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		pub, hidden := ta.mustOrg("org-a", true), ta.mustOrg("org-b", false)
		member := ta.mustUser("member@b.se", "Member B", false)
		ta.mustMember(member, hidden, account.RoleMember)
		editor := ta.mustUser("editor@a.se", "Editor A", false)
		ta.mustMember(editor, pub, account.RoleEditor)
		image := func(seed byte) string {
			png := pngBytes(t)
			hash, _, err := ta.Media.Save(bytes.NewReader(append(png, seed)), 1<<20, media.Images)
			if err != nil {
				t.Fatal(err)
			}
			return hash
		}
		pub.Logo, hidden.Logo = image(1), image(2)
		for _, o := range []*account.Organisation{pub, hidden} {
			if err := ta.Stores.Accounts.UpdateOrganisation(context.Background(), o); err != nil {
				t.Fatal(err)
			}
		}
		draftImage := image(3)
		st, err := ta.Media.Stat(draftImage)
		if err != nil {
			t.Fatal(err)
		}
		actor := &account.Actor{User: editor, Memberships: []account.Membership{{OrganisationID: pub.ID, Role: account.RoleEditor}}}
		if _, err := ta.Library.Create(context.Background(), actor, &library.Work{Slug: "utkast", Type: library.TypeScenario,
			Title: "Utkast", OrganisationID: pub.ID, Visibility: library.Draft, CoverImage: draftImage,
			Attachments: []library.Attachment{{Hash: draftImage, Name: "bild.png", MediaType: st.Type, Size: st.Size}}}); err != nil {
			t.Fatal(err)
		}
		sMember := ta.mintSession(member)
		tests := []struct {
			name    string
			hash    string
			session string
			want    int
			cache   string // the Cache-Control prefix when 200
		}{
			{"OKPublicLogo", pub.Logo, "", http.StatusOK, "public"},
			{"ErrHiddenLogoAnonymous", hidden.Logo, "", http.StatusNotFound, ""},
			{"OKHiddenLogoMember", hidden.Logo, sMember, http.StatusOK, "private, no-store"},
			{"ErrDraftImageAnonymous", draftImage, "", http.StatusNotFound, ""},
			{"ErrDraftImageEditor", draftImage, ta.mintSession(editor), http.StatusNotFound, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := ta.do(req{method: "GET", path: "/media/" + tt.hash, session: tt.session})
				if resp.StatusCode != tt.want {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
				}
				if cc := resp.Header.Get("Cache-Control"); tt.want == http.StatusOK && !strings.HasPrefix(cc, tt.cache) {
					t.Errorf("Cache-Control %q, want %q…", cc, tt.cache)
				}
			})
		}
	})
}

// TestLoginLimitBehindProxy is issue 18 row 12: behind a trusted proxy,
// clients are limited each by their own address, not as one bucket.
func TestLoginLimitBehindProxy(t *testing.T) {
	proxies, err := app.ParseTrustedProxies("127.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) { c.TrustedProxies = proxies })
	login := func(client string, i int) int {
		return ta.do(req{method: "POST", path: "/logga-in", header: map[string]string{"X-Forwarded-For": client},
			form: url.Values{"email": {fmt.Sprintf("nobody-%d@x.se", i)}, "password": {"wrong password!!"}}}).StatusCode
	}
	for i := range 10 {
		if got := login("198.51.100.1", i); got != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i+1, got)
		}
	}
	if got := login("198.51.100.1", 10); got != http.StatusTooManyRequests {
		t.Fatalf("11th attempt from one client: status %d, want 429", got)
	}
	if got := login("198.51.100.2", 11); got != http.StatusUnprocessableEntity {
		t.Fatalf("another client behind the proxy: status %d, want 422", got)
	}
}

// TestGuestCookieHostPrefix is issue 18 row 15: under https a workshop
// guest's cookie carries the __Host- prefix (Secure, Path=/, no Domain),
// and the board reads it back under that name.
func TestGuestCookieHostPrefix(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) { c.BaseURL = "https://framsyn.test" })
	fac := &wsUser{ta: ta, session: ta.mintSession(ta.mustUser("fia@example.se", "Fia", false)), cookies: map[string]string{}}
	resp := fac.req("POST", "/workshoppar", url.Values{"title": {"Välfärd 2050"}, "question": {"Hur ser välfärden ut 2050?"},
		"horizon": {"2050"}, "template": {"scenario-cross"}}, "")
	m := locID.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	fac.mustCmd(id, map[string]any{"kind": "workshop.open"})
	code := regexp.MustCompile(`id="ws-code">([A-Z0-9]{6})<`).FindStringSubmatch(readBody(t, fac.req("GET", fmt.Sprintf("/workshoppar/%d", id), nil, "")))
	if code == nil {
		t.Fatal("no code on the board")
	}
	join := ta.do(req{method: "POST", path: "/j/" + code[1], form: url.Values{"nickname": {"Gäst"}, "id": {wsID()}}})
	var guest *http.Cookie
	for _, c := range join.Cookies() {
		if strings.Contains(c.Name, "framsyn_ws_") {
			guest = c
		}
	}
	if guest == nil || !strings.HasPrefix(guest.Name, "__Host-") || !guest.Secure || guest.Path != "/" || guest.Domain != "" {
		t.Fatalf("guest cookie %+v, want __Host-, Secure, Path=/", guest)
	}
	board := ta.do(req{method: "GET", path: fmt.Sprintf("/workshoppar/%d", id), header: map[string]string{"Cookie": guest.Name + "=" + guest.Value}})
	if board.StatusCode != http.StatusOK || !strings.Contains(readBody(t, board), "Gäst") {
		t.Fatalf("board with the guest cookie: %d", board.StatusCode)
	}
}

// TestResetLinkNotLogged is issue 18 row 15: without SMTP the log says a
// reset link was made, with a short id, but never holds the link.
func TestResetLinkNotLogged(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) {
		c.Log = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	})
	ta.mustUser("glomsk@x.se", "Glömsk", false)
	if resp := ta.do(req{method: "POST", path: "/glomt-losenord", form: url.Values{"email": {"glomsk@x.se"}}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if linkRE.MatchString(logs.String()) || strings.Contains(logs.String(), "/aterstall/") {
		t.Fatalf("the log holds the reset link:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "password reset") || !strings.Contains(logs.String(), "id=") {
		t.Fatalf("the log does not say a reset link was made:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestAddFacilitatorConsent is issue 18 row 6: adding a co-facilitator by
// e-mail answers the same for an unknown address and for an account that
// has not joined; only someone who joined signed in (their consent, and
// the name they chose to show) becomes co-facilitator.
func TestAddFacilitatorConsent(t *testing.T) {
	r := newWSRoom(t, sqliteDSN(t))
	ta := r.ta
	known := ta.mustUser("kand@example.se", "Känd Person", false)
	add := func(email string) *http.Response {
		return r.fac.req("POST", fmt.Sprintf("/workshoppar/%d/medledare", r.id), url.Values{"email": {email}}, "")
	}
	flash := func(resp *http.Response) string {
		for _, c := range resp.Cookies() {
			if c.Name == "framsyn_flash" || strings.Contains(c.Name, "flash") {
				return c.Value
			}
		}
		return ""
	}
	unknown, notJoined := add("finns-inte@example.se"), add(known.Email)
	if unknown.StatusCode != notJoined.StatusCode || unknown.Header.Get("Location") != notJoined.Header.Get("Location") || flash(unknown) != flash(notJoined) {
		t.Fatalf("unknown address: %d %q %q; account not joined: %d %q %q: want the same answer",
			unknown.StatusCode, unknown.Header.Get("Location"), flash(unknown), notJoined.StatusCode, notJoined.Header.Get("Location"), flash(notJoined))
	}
	if strings.Contains(r.board(t, r.fac), "Känd Person") {
		t.Fatal("an account that never joined was added under its real name")
	}
	person := &wsUser{ta: ta, session: ta.mintSession(known), cookies: map[string]string{}}
	if resp := person.req("POST", "/j/"+r.code, url.Values{"nickname": {"Smeknamn"}, "id": {wsID()}}, ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d", resp.StatusCode)
	}
	if resp := add(known.Email); flash(resp) != "workshop.facilitator_added" {
		t.Fatalf("add a joined participant: flash %q", flash(resp))
	}
	if !strings.Contains(r.board(t, person), "/medledare\"") {
		t.Fatal("the joined participant is not a facilitator")
	}
}

// TestSlugOfHiddenWork is issue 18 row 13: a slug taken by a draft the
// caller cannot see is refused with a message that says nothing of
// another work, the same as for a visible one.
func TestSlugOfHiddenWork(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	f.mustWork(t, "hemligt-utkast", "Hemligt utkast", library.Draft)
	f.mustWork(t, "oppet-arbete", "Öppet arbete", library.Public)
	form := func(slug string) url.Values {
		return f.workForm("Mitt arbete", "slug", slug, "organisation", fmt.Sprint(f.orgB.ID), "contacts", "")
	}
	hidden := readBody(t, f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditB, form: form("hemligt-utkast")}))
	visible := readBody(t, f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditB, form: form("oppet-arbete")}))
	for _, page := range []string{hidden, visible} {
		if strings.Contains(page, "används redan") || strings.Contains(page, "annat framsynsarbete") {
			t.Fatal("the slug message says another work uses the address")
		}
		if !strings.Contains(page, "Adressen går inte att använda") {
			t.Fatal("no slug message")
		}
	}
}

// TestAPIMethodNotAllowed: a wrong method on an existing /api/v1 path is
// 405 with Allow, as net/http's mux answers, in the API's error shape;
// an unknown path stays 404.
func TestAPIMethodNotAllowed(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	tests := []struct {
		name, method, path string
		want               int
		allow              string
	}{
		{"ErrPutWorks", "PUT", "/api/v1/works", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"ErrPostOrganizations", "POST", "/api/v1/organizations", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"ErrPostWork", "POST", "/api/v1/works/12", http.StatusMethodNotAllowed, "DELETE, GET, HEAD, PATCH"},
		{"ErrUnknownPath", "POST", "/api/v1/finns-inte", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ta.do(req{method: tt.method, path: tt.path, body: strings.NewReader("{}"), ctype: "application/json"})
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("body: %v", err)
			}
			if resp.StatusCode != tt.want || resp.Header.Get("Allow") != tt.allow || body.Error.Message == "" {
				t.Fatalf("%s %s: %d Allow %q %+v, want %d Allow %q", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Allow"), body, tt.want, tt.allow)
			}
		})
	}
}
