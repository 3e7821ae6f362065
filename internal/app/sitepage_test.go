package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The site pages' cases of the authorization matrix: everyone reads,
// platform admins edit.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	var cases []matrixCase
	for _, slug := range []string{"om", "kontakt", "personuppgifter", "kakor"} {
		cases = append(cases,
			matrixCase{pattern: "GET /" + slug, method: "GET", path: "/" + slug, want: all(ok)},
			matrixCase{pattern: "GET /" + slug + "/redigera", method: "GET", path: "/" + slug + "/redigera", want: [6]int{see, forb, forb, forb, forb, ok}},
			matrixCase{pattern: "POST /" + slug + "/redigera", method: "POST", path: "/" + slug + "/redigera",
				form: form("lang", "sv", "title", ""), want: [6]int{see, forb, forb, forb, forb, bad}},
		)
	}
	return cases
})

// TestSitePages is issue 21 item 14: about, contact, personal data and
// cookies are linked from every page's footer, read by everyone, and
// edited by platform admins per language; a refused edit keeps the text.
func TestSitePages(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	admin := ta.mintSession(ta.mustUser("admin@x.se", "Admin Adminsson", true))
	editor := ta.mintSession(ta.mustUser("ed@x.se", "Ed", false))
	for _, path := range []string{"/", "/bibliotek", "/tillganglighet", "/finns-inte"} {
		body := readBody(t, ta.do(req{method: "GET", path: path}))
		footer := body[strings.Index(body, `<footer`):]
		for _, link := range []string{`href="/om"`, `href="/kontakt"`, `href="/personuppgifter"`, `href="/kakor"`, `href="/tillganglighet"`} {
			if !strings.Contains(footer, link) {
				t.Errorf("%s: the footer lacks %s", path, link)
			}
		}
	}
	privacy := readBody(t, ta.do(req{method: "GET", path: "/personuppgifter"}))
	for _, want := range []string{"<h1>Personuppgifter</h1>", "Integritetsskyddsmyndigheten", "7 dagar", "<table>"} {
		if !strings.Contains(privacy, want) {
			t.Errorf("/personuppgifter lacks %q", want)
		}
	}
	if strings.Contains(privacy, "/personuppgifter/redigera") {
		t.Error("the public is offered the edit link")
	}
	cookies := readBody(t, ta.do(req{method: "GET", path: "/kakor", header: map[string]string{"Cookie": "framsyn_lang=en"}}))
	if !strings.Contains(cookies, "<h1>Cookies</h1>") || !strings.Contains(cookies, "framsyn_lang") {
		t.Error("/kakor in English lacks its text")
	}

	if resp := ta.do(req{method: "POST", path: "/kontakt/redigera", session: editor, form: url.Values{"lang": {"sv"}, "title": {"X"}}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor saving: %d, want 403", resp.StatusCode)
	}
	resp := ta.do(req{method: "POST", path: "/kontakt/redigera", session: admin, form: url.Values{"lang": {"sv"}, "title": {" "}, "body": {"Ring oss på 010-000 00 00 (exempel)."}}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Skriv en rubrik.") || !strings.Contains(body, "Ring oss på 010-000 00 00 (exempel).") {
		t.Errorf("an empty heading: %d, message or kept text missing", resp.StatusCode)
	}
	resp = ta.do(req{method: "POST", path: "/kontakt/redigera", session: admin, form: url.Values{"lang": {"sv"}, "title": {"Kontakta oss"}, "body": {"Ring **oss** (exempel)."}}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/kontakt" {
		t.Fatalf("saving: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	sv := readBody(t, ta.do(req{method: "GET", path: "/kontakt"}))
	if !strings.Contains(sv, "<h1>Kontakta oss</h1>") || !strings.Contains(sv, "<strong>oss</strong>") || !strings.Contains(sv, "Senast ändrad") {
		t.Error("the saved Swedish page is not shown")
	}
	en := readBody(t, ta.do(req{method: "GET", path: "/kontakt", header: map[string]string{"Cookie": "framsyn_lang=en"}}))
	if !strings.Contains(en, "<h1>Contact</h1>") {
		t.Error("saving the Swedish page changed the English one")
	}
	if form := readBody(t, ta.do(req{method: "GET", path: "/kontakt/redigera", session: admin})); !strings.Contains(form, `value="Kontakta oss"`) {
		t.Error("the form does not hold the saved heading")
	}
}
