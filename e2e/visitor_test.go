package e2e

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestVisitor_Language: a visitor meets Swedish, switches to English with
// the language button and keeps English on the next page; no page needs
// JavaScript.
func TestVisitor_Language(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)

	type page struct {
		lang, h1 string
		nav      []string
	}
	read := func(t *testing.T) page {
		t.Helper()
		do(t, briefly(t, ctx), chromedp.WaitVisible(chromedp.CSS("main h1")))
		return page{
			lang: eval[string](t, ctx, `document.documentElement.lang`),
			h1:   eval[string](t, ctx, `document.querySelector("main h1").textContent.trim()`),
			nav:  eval[[]string](t, ctx, `[...document.querySelectorAll("header nav.site-nav a")].map(a => a.textContent.trim())`),
		}
	}
	// The library's organisation combobox (combobox.js) is the one script
	// such a page may load: it only enhances a plain text field the server
	// resolves (TestLibrary_OrganisationFilter in internal/app).
	noScripts := func(t *testing.T) {
		t.Helper()
		if n := eval[int](t, ctx, `[...document.querySelectorAll("script")].filter(s => !/\/static\/combobox\.js\?/.test(s.src)).length`); n != 0 {
			t.Errorf("%d <script> elements on %s; pages must work without JavaScript", n, eval[string](t, ctx, `location.pathname`))
		}
	}

	// The areas mounted (an area not built yet has no menu item).
	svNav := []string{"Bibliotek", "Workshoppar", "Scenariekors", "Metoder", "Analys", "Evenemang", "Nätverket"}
	enNav := []string{"Library", "Workshops", "Scenario crosses", "Methods", "Analysis", "Events", "The network"}

	t.Run("SwedishFirst", func(t *testing.T) {
		open(t, ctx, s.URL+"/", 200)
		got := read(t)
		if got.lang != "sv" || got.h1 != "Framsyn tillsammans" {
			t.Errorf("front page: lang %q, h1 %q; want sv, Framsyn tillsammans", got.lang, got.h1)
		}
		if !slices.Equal(got.nav, svNav) {
			t.Errorf("navigation %q, want %q", got.nav, svNav)
		}
		noScripts(t)
	})
	t.Run("EnglishByButton", func(t *testing.T) {
		follow(t, ctx, `.bar > .tools form.lang button[value="en"]`, 200)
		got := read(t)
		if got.lang != "en" || got.h1 != "Foresight together" {
			t.Errorf("after the English button: lang %q, h1 %q; want en, Foresight together", got.lang, got.h1)
		}
		if !slices.Equal(got.nav, enNav) {
			t.Errorf("navigation %q, want %q", got.nav, enNav)
		}
		if p := eval[string](t, ctx, `location.pathname`); p != "/" {
			t.Errorf("the button led to %s, want back to /", p)
		}
		noScripts(t)
	})
	t.Run("EnglishStays", func(t *testing.T) {
		for _, link := range []string{`header nav.site-nav a[href="/bibliotek"]`, `header nav.site-nav a[href="/natverket"]`, `footer a[href="/organisationer"]`} {
			follow(t, ctx, link, 200)
			if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
				t.Errorf("%s: lang %q, want en", link, lang)
			}
			noScripts(t)
		}
		follow(t, ctx, `.bar > .tools form.lang button[value="sv"]`, 200)
		if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "sv" {
			t.Errorf("after Svenska: lang %q, want sv", lang)
		}
	})
	t.Run("NoScripts", func(t *testing.T) {
		for _, path := range []string{"/workshoppar", "/tillganglighet", "/logga-in", "/organisationer/region-varmland"} {
			open(t, ctx, s.URL+path, 200)
			noScripts(t)
		}
	})
}
