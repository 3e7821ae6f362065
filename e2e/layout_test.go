package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// overflow is the widest sideways overflow on a page.
type overflow struct {
	Pixels int
	What   string
}

const sidewaysJS = `(() => {
	const d = document.documentElement;
	let o = {Pixels: d.scrollWidth - d.clientWidth, What: "the page"};
	for (const el of document.querySelectorAll("body *")) {
		if (!["auto", "scroll"].includes(getComputedStyle(el).overflowX)) continue;
		const px = el.scrollWidth - el.clientWidth;
		if (px > o.Pixels) o = {Pixels: px, What: el.tagName.toLowerCase() + "." + el.className + " in " + (el.closest("main > *") || el).tagName.toLowerCase()};
	}
	return o;
})()`

// TestLayout_Widths: at a phone's width no page scrolls sideways; full-page
// screenshots of the front page (Swedish and English, phone and desktop)
// go to e2e/out/ for a person to look at.
func TestLayout_Widths(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	stale, _ := filepath.Glob(filepath.Join("out", "overflow-*.png"))
	for _, f := range stale {
		os.Remove(f)
	}
	type width struct {
		name          string
		width, height int64
		mobile        bool
	}
	widths := []width{{"phone", 390, 844, true}, {"desktop", 1280, 800, false}}
	viewport := func(t *testing.T, w width) {
		t.Helper()
		opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
		if w.mobile {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		do(t, ctx, chromedp.EmulateViewport(w.width, w.height, opts...))
	}
	// sideways reports how far the page, or a box in it that scrolls on
	// its own (a table's wrapper), is wider than the room it has.
	sideways := func(t *testing.T) overflow {
		t.Helper()
		return eval[overflow](t, ctx, sidewaysJS)
	}

	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			setLang(t, ctx, s, lang)
			for _, w := range widths {
				t.Run(w.name+"FrontPageFits", func(t *testing.T) {
					viewport(t, w)
					open(t, ctx, s.URL+"/", 200)
					do(t, briefly(t, ctx), chromedp.WaitVisible(chromedp.CSS("main h1")))
					if o := sideways(t); o.Pixels > 0 {
						t.Errorf("the front page: %s is %dpx wider than the %dpx viewport", o.What, o.Pixels, w.width)
					}
					png := get(t, ctx, chromedp.FullScreenshot(100))
					if err := os.WriteFile(filepath.Join("out", "front-"+lang+"-"+w.name+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				})
			}
		})
	}

	// Every other page type fits a phone too, signed in or not.
	viewport(t, widths[0])
	const org = "/organisationer/region-varmland"
	for _, tt := range []struct {
		name, email string
		paths       []string
	}{
		{"VisitorPagesFitPhone", "", []string{"/bibliotek", "/natverket", "/organisationer", org, "/logga-in", "/tillganglighet", "/workshoppar"}},
		{"AdminPagesFitPhone", demo.AdminEmail, []string{"/konto", org + "/redigera", "/admin/anvandare", org + "/medlemmar"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.email != "" {
				signIn(t, ctx, s, tt.email)
			}
			for _, lang := range []string{"sv", "en"} {
				setLang(t, ctx, s, lang)
				for _, p := range tt.paths {
					open(t, ctx, s.URL+p, 200)
					if o := sideways(t); o.Pixels > 0 {
						t.Errorf("%s (%s): %s is %dpx wider than the phone", p, lang, o.What, o.Pixels)
						png := get(t, ctx, chromedp.FullScreenshot(100))
						name := "overflow-" + lang + "-" + filepath.Base(p) + ".png"
						if err := os.WriteFile(filepath.Join("out", name), png, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		})
	}
}
