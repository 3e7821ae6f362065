package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// identity is what a page shows of the site's visual identity.
type identity struct {
	FontLoaded   bool    // the embedded Source Sans 3 is in use, not a fallback
	BodyFont     string  // the body's font-family
	MarkShown    bool    // the logo mark in the header is drawn
	MarkHidden   bool    // and hidden from assistive technology
	BrandName    string  // the header link's accessible name
	Transition   float64 // a card's transition, in seconds
	TypeIconsArt int     // type icons not aria-hidden
	TypeIcons    int     // type icons on the page
}

const readIdentity = `document.fonts.ready.then(() => {
	const mark = document.querySelector("header.site .brand svg.logomark"), r = mark ? mark.getBoundingClientRect() : {width: 0};
	const card = document.querySelector("ol.works > li, .cards > li");
	const icons = [...document.querySelectorAll("svg.icon")];
	return {
		FontLoaded: [...document.fonts].some(f => f.family.replace(/"/g, "") === "Source Sans 3" && f.status === "loaded") && document.fonts.check('1rem "Source Sans 3"'),
		BodyFont: getComputedStyle(document.body).fontFamily,
		MarkShown: r.width >= 24,
		MarkHidden: !!mark && mark.getAttribute("aria-hidden") === "true",
		BrandName: document.querySelector("header.site .brand").getAttribute("aria-label") || "",
		Transition: card ? parseFloat(getComputedStyle(card).transitionDuration) || 0 : -1,
		TypeIconsArt: icons.filter(i => i.getAttribute("aria-hidden") !== "true").length,
		TypeIcons: icons.length,
	};
})`

// TestIdentity_FontMarkIconsMotion: the library shows the embedded font
// (self-hosted, so it loads with no network beyond the site), the logo mark
// hidden beside the named home link, a type icon per card that assistive
// technology skips, and no card transition for a visitor who asks for
// reduced motion.
func TestIdentity_FontMarkIconsMotion(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)
	for _, tt := range []struct {
		name   string
		reduce bool
	}{
		{"Motion", false},
		{"ReducedMotion", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			value := "no-preference"
			if tt.reduce {
				value = "reduce"
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: value}},
			}); err != nil {
				t.Fatal(err)
			}
			open(t, ctx, s.URL+"/bibliotek", 200)
			got := get(t, ctx, chromedp.Evaluate[identity](readIdentity, chromedp.EvalAwaitPromise))
			if !got.FontLoaded {
				t.Errorf("Source Sans 3 not loaded; body font %q", got.BodyFont)
			}
			if !got.MarkShown || !got.MarkHidden || got.BrandName == "" {
				t.Errorf("logo mark shown %v, aria-hidden %v, home link named %q; want shown, hidden, named", got.MarkShown, got.MarkHidden, got.BrandName)
			}
			if got.TypeIcons == 0 || got.TypeIconsArt != 0 {
				t.Errorf("%d type icons, %d of them not aria-hidden; want some, none", got.TypeIcons, got.TypeIconsArt)
			}
			if tt.reduce && got.Transition > 0.001 {
				t.Errorf("a card's transition is %gs under prefers-reduced-motion: reduce, want none", got.Transition)
			}
			if !tt.reduce && got.Transition <= 0 {
				t.Errorf("a card's transition is %gs, want the hover transition (else this test checks nothing)", got.Transition)
			}
		})
	}
}
