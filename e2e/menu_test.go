package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/framsyn/framsyn/internal/demo"
)

// headerState is the header as the test sees it at one width.
type headerState struct {
	Height      float64
	MenuShown   bool // the menu's summary is displayed
	NavShown    bool // the wide screen's navigation is displayed
	ToolsShown  bool // the wide screen's tools are displayed
	MenuOpen    bool
	PanelLinks  int    // visible links in the open menu
	FocusedText string // the focused element's text
}

const readHeader = `(() => {
	const shown = el => !!el && el.getClientRects().length > 0;
	const menu = document.querySelector("header.site details.menu");
	return {
		Height: document.querySelector("header.site").getBoundingClientRect().height,
		MenuShown: shown(menu && menu.querySelector("summary")),
		NavShown: shown(document.querySelector("header.site nav.site-nav")),
		ToolsShown: shown(document.querySelector("header.site .bar > .tools")),
		MenuOpen: !!menu && menu.open,
		PanelLinks: menu ? [...menu.querySelectorAll(".menu-panel a")].filter(shown).length : 0,
		FocusedText: (document.activeElement.textContent || "").trim(),
	};
})()`

// TestLayout_PhoneMenu: on a phone the header is two short rows, the
// areas and the tools folded into a menu (a disclosure, no script) that
// the keyboard opens with Enter and whose links then follow in Tab order,
// axe clean open, for a visitor and a signed-in admin; on a desktop the
// menu is not shown and the navigation and tools are, as before.
func TestLayout_PhoneMenu(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	injectAxe(t, ctx, axe)
	for _, who := range []struct{ name, email string }{{"Visitor", ""}, {"Admin", demo.AdminEmail}} {
		t.Run(who.name, func(t *testing.T) {
			if who.email != "" {
				signIn(t, ctx, s, who.email)
			}
			t.Run("Phone", func(t *testing.T) {
				do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
				open(t, ctx, s.URL+"/bibliotek", 200)
				h := eval[headerState](t, ctx, readHeader)
				if h.Height > 120 || !h.MenuShown || h.NavShown || h.ToolsShown || h.MenuOpen {
					t.Fatalf("phone header %+v, want at most 120 px with a closed menu and nothing else of the navigation", h)
				}
				do(t, ctx, chromedp.Focus(chromedp.CSS("details.menu > summary")), chromedp.KeyEvent(kb.Enter))
				h = eval[headerState](t, ctx, readHeader)
				want := 8 // seven areas and sign-in
				if who.email != "" {
					want = 9 // seven areas, the account and the admin pages
				}
				if !h.MenuOpen || h.PanelLinks != want {
					t.Fatalf("after Enter: %+v, want the menu open with %d links", h, want)
				}
				do(t, ctx, chromedp.KeyEvent(kb.Tab))
				if h = eval[headerState](t, ctx, readHeader); h.FocusedText != "Bibliotek" {
					t.Errorf("Tab from the open menu's summary reached %q, want its first link", h.FocusedText)
				}
				checkAxe(t, ctx, t.Name())
				do(t, ctx, chromedp.Focus(chromedp.CSS("details.menu > summary")), chromedp.KeyEvent(kb.Enter))
				if h = eval[headerState](t, ctx, readHeader); h.MenuOpen {
					t.Error("Enter again did not close the menu")
				}
			})
			t.Run("Desktop", func(t *testing.T) {
				do(t, ctx, chromedp.EmulateViewport(1366, 900))
				open(t, ctx, s.URL+"/bibliotek", 200)
				h := eval[headerState](t, ctx, readHeader)
				if h.MenuShown || !h.NavShown || !h.ToolsShown || h.Height > 120 {
					t.Errorf("desktop header %+v, want the navigation and tools, no menu, at most 120 px", h)
				}
			})
		})
	}
}
