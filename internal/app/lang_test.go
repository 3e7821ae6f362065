package app_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
)

// TestPages_LanguageOfParts is WCAG 3.1.2: on an English page, what people
// wrote in Swedish (a work's title, summary and text, a post, an
// organisation's name, a search hit) carries lang="sv", and a work in
// English carries lang="en" on a Swedish page; where the page's language
// is the content's, no redundant lang is written.
func TestPages_LanguageOfParts(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	f.mustWork(t, "scenariot", "Scenariot för norr", library.Public)
	f.mustWork(t, "foresight", "Foresight in the north", library.Public, func(w *library.Work) { w.Language = "en"; w.Summary = "A summary in English." })
	f.ta.mustPost(f.editor, f.orgA.ID, "Vi höll en workshop om scenarier.", post.Public)
	get := func(path, lang string) string {
		t.Helper()
		return expect(t, f.ta.do(req{method: "GET", path: path, header: map[string]string{"Cookie": "framsyn_lang=" + lang}}), http.StatusOK)
	}
	// noSv is a content element marked Swedish (not the page's <html>,
	// nor the language switch's button).
	const noSv = `<(h1|h2|h3|p|div|a|dd|article)\b[^>]* lang="sv"`
	has := func(page, re string) bool { return regexp.MustCompile(re).MatchString(page) }
	tests := []struct {
		name, path, lang string
		want, not        []string // regular expressions
	}{
		{"WorkEnglishUI", "/bibliotek/scenariot", "en",
			[]string{`<h1 lang="sv">Scenariot för norr</h1>`, `<p class="lead" lang="sv">Sammanfattning`, `<div class="prose" lang="sv">`, `<html lang="en">`}, nil},
		{"WorkSwedishUI", "/bibliotek/scenariot", "sv",
			[]string{`<h1>Scenariot för norr</h1>`, `<p class="lead">Sammanfattning`}, []string{noSv}},
		{"EnglishWorkSwedishUI", "/bibliotek/foresight", "sv",
			[]string{`<h1 lang="en">Foresight in the north</h1>`, `<p class="lead" lang="en">A summary`}, nil},
		{"EnglishWorkEnglishUI", "/bibliotek/foresight", "en",
			[]string{`<h1>Foresight in the north</h1>`}, []string{noSv, `<h1 lang=`}},
		{"LibraryEnglishUI", "/bibliotek", "en",
			[]string{`<h3 lang="sv"><a href="/bibliotek/scenariot">`, `<h3><a href="/bibliotek/foresight">`}, nil},
		{"OrganisationEnglishUI", "/organisationer/org-a", "en",
			[]string{`<h1 lang="sv">`, `<div class="prose" lang="sv"><p>Vi höll en workshop`, `<h3 lang="sv"><a href="/bibliotek/scenariot">`}, nil},
		{"OrganisationSwedishUI", "/organisationer/org-a", "sv",
			[]string{`<div class="prose"><p>Vi höll en workshop`, `<h3 lang="en"><a href="/bibliotek/foresight">`}, []string{noSv}},
		{"FrontPageEnglishUI", "/", "en",
			[]string{`href="/bibliotek/scenariot" lang="sv">`, `#post-\d+" lang="sv">Vi höll`}, nil},
		{"SearchEnglishUI", "/sok?q=scenariot", "en",
			[]string{`<h2 lang="sv"><a href="/bibliotek/scenariot">`}, nil},
		{"SearchSwedishUI", "/sok?q=scenariot", "sv",
			[]string{`<h2><a href="/bibliotek/scenariot">`}, []string{noSv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := get(tt.path, tt.lang)
			for _, re := range tt.want {
				if !has(page, re) {
					t.Errorf("page lacks %s", re)
				}
			}
			for _, re := range tt.not {
				if has(page, re) {
					t.Errorf("page has %s", re)
				}
			}
		})
	}
}
