package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestLibrary_OrganisationCombobox: the library's organisation filter is
// a combobox with script: typing shows the organisations whose words
// begin so (from /api/v1/organizations?q=), the arrow keys move through
// them as the active descendant, Enter chooses one, and the form submits
// its slug. The page does not list the network as options.
func TestLibrary_OrganisationCombobox(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)
	open(t, ctx, s.URL+"/bibliotek", 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("#organisation option, select#organisation").length`); n != 0 {
		t.Fatalf("%d options: the filter lists organisations", n)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("organisation"), "värm"))
	do(t, briefly(t, ctx), chromedp.WaitVisible(chromedp.CSS(`#organisation-options li[role="option"]`)))
	opts := eval[[]string](t, ctx, `[...document.querySelectorAll('#organisation-options [role="option"]')].map(li => li.textContent)`)
	if strings.Join(opts, "|") != "Region Värmland" {
		t.Fatalf("options %q, want Region Värmland", opts)
	}
	if got := eval[string](t, ctx, `document.getElementById("organisation").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("aria-expanded %q with the list open", got)
	}
	do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	active := eval[string](t, ctx, `document.getElementById("organisation").getAttribute("aria-activedescendant") || ""`)
	if active == "" || eval[string](t, ctx, `document.getElementById("`+active+`").getAttribute("aria-selected")`) != "true" {
		t.Fatalf("ArrowDown: active descendant %q not selected", active)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if v := eval[string](t, ctx, `document.getElementById("organisation").value`); v != "Region Värmland" {
		t.Errorf("Enter chose %q", v)
	}
	if got := eval[string](t, ctx, `document.getElementById("organisation").getAttribute("aria-expanded")`); got != "false" {
		t.Errorf("aria-expanded %q after choosing", got)
	}
	follow(t, ctx, `form.filters .actions button`, 200)
	if q := eval[string](t, ctx, `location.search`); !strings.Contains(q, "organisation=region-varmland") {
		t.Errorf("the form sent %q, want the slug", q)
	}
	if v := eval[string](t, ctx, `document.getElementById("organisation").value`); v != "Region Värmland" {
		t.Errorf("after submitting, the field shows %q", v)
	}
}
