package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/framsyn/framsyn/internal/demo"
)

// focused describes document.activeElement.
type focused struct {
	Index        int // data-e2e index given by markInteractive, -1 for none
	Desc         string
	OutlineStyle string
	OutlineWidth float64
	OutlineColor string
	FocusVisible bool
	InView       bool
}

const readFocused = `(() => {
	const el = document.activeElement, cs = getComputedStyle(el), r = el.getBoundingClientRect();
	return {
		Index: el.dataset.e2e === undefined ? -1 : +el.dataset.e2e,
		Desc: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.getAttribute("href") || el.value || "") + " " + (el.textContent || "").trim().slice(0, 40),
		OutlineStyle: cs.outlineStyle, OutlineWidth: parseFloat(cs.outlineWidth) || 0, OutlineColor: cs.outlineColor,
		FocusVisible: el.matches(":focus-visible"),
		InView: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth,
	};
})()`

// markInteractive numbers every rendered interactive element in document
// order (data-e2e) and returns their descriptions.
const markInteractive = `[...document.querySelectorAll(
	'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')]
	.filter(el => el.getClientRects().length > 0)
	.map((el, i) => { el.dataset.e2e = i; return el.tagName.toLowerCase() + " " + (el.getAttribute("href") || el.value || "") + " " + el.textContent.trim().slice(0, 40); })`

// TestKeyboard_FrontPage: on the front page the skip link is the first Tab
// stop and moves focus to main; Tab reaches every interactive element, and
// each shows a visible focus outline.
func TestKeyboard_FrontPage(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)
	tab := func(t *testing.T) focused {
		t.Helper()
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		return eval[focused](t, ctx, readFocused)
	}

	for _, tt := range []struct {
		name   string
		before func(t *testing.T, ctx context.Context)
		header string // an element of the header that must be reachable
	}{
		{"Visitor", func(*testing.T, context.Context) {}, `.bar > .tools a[href="/logga-in"]`},
		{"SignedInAdmin", func(t *testing.T, ctx context.Context) { signIn(t, ctx, s, demo.AdminEmail) }, `.bar > .tools form[action="/logga-ut"] button`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.before(t, ctx)
			t.Run("SkipLinkFirst", func(t *testing.T) {
				open(t, ctx, s.URL+"/", 200)
				f := tab(t)
				isSkip := eval[bool](t, ctx, `document.activeElement.matches("a.skip[href='#main']")`)
				if !isSkip || !f.InView || f.OutlineStyle == "none" {
					t.Fatalf("first Tab stop %+v, want the visible skip link with an outline", f)
				}
				do(t, briefly(t, ctx),
					chromedp.KeyEvent(kb.Enter),
					chromedp.Poll[chromedp.Void](`document.activeElement.id === "main"`),
				)
				if f := tab(t); !eval[bool](t, ctx, `document.getElementById("main").contains(document.activeElement)`) {
					t.Errorf("Tab after the skip link went to %s, want the first element in main", f.Desc)
				}
			})
			t.Run("EveryElementReachableWithFocusStyle", func(t *testing.T) {
				open(t, ctx, s.URL+"/", 200)
				all := eval[[]string](t, ctx, markInteractive)
				if len(all) < 10 {
					t.Fatalf("only %d interactive elements on the front page: %q", len(all), all)
				}
				if !eval[bool](t, ctx, `!!document.querySelector(`+strconv.Quote(tt.header)+`)?.dataset.e2e`) {
					t.Fatalf("no %s on the front page", tt.header)
				}
				reached := make([]bool, len(all))
				for range len(all) + 2 {
					f := tab(t)
					if f.Index < 0 || reached[f.Index] {
						break // past the last element, or round again
					}
					reached[f.Index] = true
					if f.OutlineStyle == "none" || f.OutlineWidth < 2 || !f.FocusVisible || !f.InView {
						t.Errorf("%s: focus not visible (outline %s %.0fpx %s, :focus-visible %v, in view %v)",
							f.Desc, f.OutlineStyle, f.OutlineWidth, f.OutlineColor, f.FocusVisible, f.InView)
					}
				}
				for i, ok := range reached {
					if !ok {
						t.Errorf("not reachable by Tab: %s", all[i])
					}
				}
			})
		})
	}
}
