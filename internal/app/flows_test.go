package app_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/mail/mailtest"
)

var linkRE = regexp.MustCompile(`/(inbjudan|aterstall)/[A-Za-z0-9_-]{20,}`)

// TestInvitationFlow: an organisation admin invites without SMTP, sees the
// link, and the invited person creates an account and is a member.
func TestInvitationFlow(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	org := ta.mustOrg("org-a", true)
	admin := ta.mustUser("admin@a.se", "Admin A", false)
	ta.mustMember(admin, org, account.RoleAdmin)
	s := ta.mintSession(admin)

	body := readBody(t, ta.do(req{method: "POST", path: "/organisationer/org-a/inbjudningar", session: s,
		form: url.Values{"email": {"Ny.Person@A.se"}, "role": {"editor"}}}))
	link := linkRE.FindString(body)
	if link == "" {
		t.Fatalf("no invitation link shown to the admin")
	}
	if page := readBody(t, ta.do(req{method: "GET", path: link})); !strings.Contains(page, "ny.person@a.se") {
		t.Fatalf("invitation page lacks the address")
	}
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"ErrPasswordsDiffer", url.Values{"name": {"Ny Person"}, "password": {"a long password 1"}, "confirm": {"a long password 2"}}, http.StatusUnprocessableEntity},
		{"ErrPasswordTooShort", url.Values{"name": {"Ny Person"}, "password": {"kort"}, "confirm": {"kort"}}, http.StatusUnprocessableEntity},
		{"ErrNameRequired", url.Values{"name": {" "}, "password": {"a long password 1"}, "confirm": {"a long password 1"}}, http.StatusUnprocessableEntity},
		{"OK", url.Values{"name": {"Ny Person"}, "password": {"a long password 1"}, "confirm": {"a long password 1"}}, http.StatusSeeOther},
		{"ErrUsedTwice", url.Values{"name": {"Ny Person"}, "password": {"a long password 1"}, "confirm": {"a long password 1"}}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ta.do(req{method: "POST", path: link, form: tt.form})
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			u, err := ta.Accounts.UserByEmail(t.Context(), "ny.person@a.se")
			if tt.want == http.StatusUnprocessableEntity && err == nil {
				t.Fatalf("a refused form created the user %v", u)
			}
		})
	}
	u, err := ta.Accounts.UserByEmail(t.Context(), "ny.person@a.se")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := ta.Stores.Accounts.Memberships(t.Context(), u.ID)
	if len(ms) != 1 || ms[0].Role != account.RoleEditor || ms[0].OrgSlug != "org-a" {
		t.Fatalf("memberships %+v", ms)
	}
}

// TestPasswordResetFlow: an admin makes a reset link; it works once and
// ends the user's sessions.
func TestPasswordResetFlow(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	admin := ta.mustUser("admin@x.se", "Admin", true)
	user := ta.mustUser("u@x.se", "User", false)
	userSession := ta.mintSession(user)
	body := readBody(t, ta.do(req{method: "POST", path: "/admin/anvandare/" + strconv.FormatInt(user.ID, 10) + "/aterstallning", session: ta.mintSession(admin)}))
	link := linkRE.FindString(body)
	if !strings.HasPrefix(link, "/aterstall/") {
		t.Fatalf("no reset link")
	}
	form := url.Values{"password": {"a brand new password"}, "confirm": {"a brand new password"}}
	if resp := ta.do(req{method: "POST", path: link, form: form}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: status %d", resp.StatusCode)
	}
	if resp := ta.do(req{method: "POST", path: link, form: form}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("second use: status %d", resp.StatusCode)
	}
	if resp := ta.do(req{method: "GET", path: "/konto", session: userSession}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session still works after reset: %d", resp.StatusCode)
	}
	resp := ta.do(req{method: "POST", path: "/logga-in", form: url.Values{"email": {"u@x.se"}, "password": {"a brand new password"}}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with new password: %d", resp.StatusCode)
	}
}

// TestLogoUpload: only real images are kept, whatever the name says; the
// stored file is served with its type and a sandbox.
func TestLogoUpload(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	ta.mustOrg("org-a", true)
	s := ta.mintSession(ta.mustUser("admin@x.se", "Admin", true))
	upload := func(name string, content []byte) *http.Response {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("logo", name)
		fw.Write(content)
		w.Close()
		return ta.do(req{method: "POST", path: "/organisationer/org-a/logotyp", body: &buf, ctype: w.FormDataContentType(), session: s})
	}
	tests := []struct {
		name    string
		file    string
		content []byte
		want    int
	}{
		{"ErrHTMLNamedPNG", "logo.png", []byte("<html><script>alert(1)</script></html>"), http.StatusUnprocessableEntity},
		{"ErrSVG", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), http.StatusUnprocessableEntity},
		{"ErrEmpty", "logo.png", nil, http.StatusUnprocessableEntity},
		{"ErrTooLarge", "logo.png", append(pngBytes(t), make([]byte, 2<<20)...), http.StatusUnprocessableEntity},
		{"OKPNG", "../../../etc/passwd", pngBytes(t), http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := upload(tt.file, tt.content)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			o, _ := ta.Stores.Accounts.OrganisationBySlug(t.Context(), "org-a")
			if (o.Logo != "") != (tt.want == http.StatusSeeOther) {
				t.Fatalf("logo %q after %s", o.Logo, tt.name)
			}
		})
	}
	o, _ := ta.Stores.Accounts.OrganisationBySlug(t.Context(), "org-a")
	resp := ta.do(req{method: "GET", path: "/media/" + o.Logo})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("serving the logo: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
}

// TestOrganisationForm_KeepsInputOnError: a refused form is shown again
// with what was typed and a message by the field, and nothing is saved.
func TestOrganisationForm_KeepsInputOnError(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	s := ta.mintSession(ta.mustUser("admin@x.se", "Admin", true))
	resp := ta.do(req{method: "POST", path: "/organisationer", session: s, form: url.Values{
		"name": {"Region Testland"}, "kind": {"region"}, "level": {"regional"}, "lan_code": {"7"}, "website": {"javascript:alert(1)"},
		"description": {"Vårt **hemarbete**"},
	}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`value="Region Testland"`, "Vårt **hemarbete**", "Länskoden är två siffror", "Skriv en fullständig webbadress", `aria-invalid="true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if orgs, _ := ta.Stores.Accounts.ListOrganisations(t.Context(), account.OrgFilter{All: true}); len(orgs) != 0 {
		t.Fatalf("a refused form saved %d organisations", len(orgs))
	}
}

// TestMarkdownSanitisedOnPages: a description with script shows as text.
func TestMarkdownSanitisedOnPages(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	o := account.Organisation{Slug: "org-x", Name: `<b>Org</b> "X"`, Kind: account.KindOther, Level: account.LevelLocal, Public: true,
		DescriptionMD: "<script>alert(1)</script>\n\n[klick](javascript:alert(1)) <img src=x onerror=alert(1)>"}
	if err := ta.Accounts.PutOrganisations(t.Context(), []account.Organisation{o}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/organisationer/org-x", "/bibliotek", "/", "/natverket"} {
		body := readBody(t, ta.do(req{method: "GET", path: p}))
		for _, bad := range []string{"<script>alert", "javascript:", "onerror", "<b>Org</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
	}
}

// TestMail_ResetAndInvitation: with SMTP, the reset link goes only to the
// mailbox (the page says the same for known and unknown addresses) and an
// invitation is mailed instead of shown.
func TestMail_ResetAndInvitation(t *testing.T) {
	smtp := mailtest.Start(t)
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) { c.SMTPAddr, c.SMTPFrom = smtp.Addr, "framsyn@region.se" })
	ta.mustUser("u@x.se", "User", false)
	known := readBody(t, ta.do(req{method: "POST", path: "/glomt-losenord", form: url.Values{"email": {"u@x.se"}}}))
	unknown := readBody(t, ta.do(req{method: "POST", path: "/glomt-losenord", form: url.Values{"email": {"ingen@x.se"}}}))
	if linkRE.MatchString(known) || known != unknown {
		t.Fatalf("the reset page differs for known and unknown addresses, or shows a link")
	}
	msg := smtp.Wait(1)[0]
	link := linkRE.FindString(strings.ReplaceAll(msg.Data, "=\r\n", ""))
	if msg.To[0] != "u@x.se" || !strings.HasPrefix(link, "/aterstall/") {
		t.Fatalf("reset mail to %v with link %q", msg.To, link)
	}
	form := url.Values{"password": {"a brand new password"}, "confirm": {"a brand new password"}}
	if resp := ta.do(req{method: "POST", path: link, form: form}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mailed reset link: %d", resp.StatusCode)
	}

	admin := ta.mustUser("admin@x.se", "Admin", true)
	body := readBody(t, ta.do(req{method: "POST", path: "/admin/inbjudningar", session: ta.mintSession(admin), form: url.Values{"email": {"ny@x.se"}}}))
	if linkRE.MatchString(body) {
		t.Fatal("invitation link shown although it was mailed")
	}
	if msgs := smtp.Wait(2); msgs[1].To[0] != "ny@x.se" || !strings.Contains(msgs[1].Data, "/inbjudan/") {
		t.Fatalf("invitation mail %+v", msgs[1])
	}
	if len(smtp.Messages()) != 2 {
		t.Fatalf("%d mails, want 2 (none for the unknown address)", len(smtp.Messages()))
	}
}

// TestContact_LinkedToMemberOnly: a contact may be linked to the account
// of a member of the organisation, and to no one else's.
func TestContact_LinkedToMemberOnly(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	org := ta.mustOrg("org-a", true)
	editor := ta.mustUser("e@a.se", "Eva Editor", false)
	outsider := ta.mustUser("o@b.se", "Olle Outsider", false)
	ta.mustMember(editor, org, account.RoleEditor)
	s := ta.mintSession(editor)
	if body := readBody(t, ta.do(req{method: "GET", path: "/organisationer/org-a/redigera", session: s})); !strings.Contains(body, "Eva Editor (e@a.se)") || strings.Contains(body, "o@b.se") {
		t.Fatal("the account choice should list the members and only them")
	}
	tests := []struct {
		name string
		user int64
		want int
	}{
		{"ErrNotMember", outsider.ID, http.StatusUnprocessableEntity},
		{"OKMember", editor.ID, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ta.do(req{method: "POST", path: "/organisationer/org-a/kontakter", session: s,
				form: url.Values{"contact_name": {"Eva"}, "contact_user": {strconv.FormatInt(tt.user, 10)}}})
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	o, _ := ta.Stores.Accounts.OrganisationBySlug(t.Context(), "org-a")
	if len(o.Contacts) != 1 || o.Contacts[0].UserID != editor.ID {
		t.Fatalf("contacts %+v", o.Contacts)
	}
}
