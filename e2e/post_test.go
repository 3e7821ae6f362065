package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// TestPosts_EditorPostsInBrowser: the demo editor of Region Värmland
// writes a post on the organisation page without JavaScript tricks, meets
// an error for an empty post, and the front page shows the post; the page
// with its post and edit forms, and with the error, has no axe-core
// violations of WCAG 2.1 AA.
func TestPosts_EditorPostsInBrowser(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	signIn(t, ctx, s, demo.EditorEmail)
	injectAxe(t, ctx, axe)
	check := func(t *testing.T) {
		t.Helper()
		checkAxe(t, ctx, t.Name())
	}
	org := s.URL + "/organisationer/region-varmland"
	open(t, ctx, org, 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("#arbeten ~ ul.works li").length`); n < 2 {
		t.Errorf("the organisation page lists %d works, want Värmland's two", n)
	}
	follow(t, ctx, `form.post-form button`, 422)
	if got := eval[string](t, ctx, `document.querySelector("#body-error") ? document.querySelector("#body-error").textContent : ""`); got == "" {
		t.Error("no error for the empty post")
	}
	t.Run("ErrorPageNoViolations", check)
	do(t, ctx, chromedp.SendKeys(chromedp.ID("body"), "Vi har bjudit in *Region Vänern*-gruppen till en ny scenarioövning."))
	follow(t, ctx, `form.post-form button`, 200)
	if got := eval[string](t, ctx, `location.hash`); got != "#pa-gang" {
		t.Errorf("after posting at %q, want #pa-gang", got)
	}
	if !eval[bool](t, ctx, `!!Array.from(document.querySelectorAll(".posts em")).find(e => e.textContent === "Region Vänern")`) {
		t.Error("the post is not on the page, rendered")
	}
	t.Run("PageWithPostsNoViolations", check)
	open(t, ctx, s.URL+"/", 200)
	if !eval[bool](t, ctx, `document.querySelector("#nya-poster").parentElement.textContent.includes("Region Vänern-gruppen")`) {
		t.Error("the front page does not show the new post")
	}
	t.Run("FrontPageNoViolations", check)
}
