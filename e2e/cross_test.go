package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/demo"
)

// TestCrosses_DeriveInBrowser: the demo editor of Region Värmland adapts
// the national example cross into a regional welfare cross, replacing the
// vertical axis; the new cross's lineage shows it under the national one
// with its axis replaced, and the comparison marks the changed axis as
// differing from the parent. The cross page, the derive form (also with
// its errors), the lineage, the comparison, the stress test and the
// method guides have no axe-core violations of WCAG 2.1 AA.
func TestCrosses_DeriveInBrowser(t *testing.T) {
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
	national, err := s.Crosses.List(t.Context(), nil, cross.ListQuery{Level: cross.LevelNational})
	if err != nil || len(national) != 1 || national[0].Title != demo.ExampleCrossTitle {
		t.Fatalf("the demo's national cross: %+v, %v", national, err)
	}
	nat := fmt.Sprintf("%s/scenariekors/%d", s.URL, national[0].ID)
	open(t, ctx, nat, 200)
	if !eval[bool](t, ctx, `document.querySelector("svg.ws-cross title").textContent.includes("exempel")`) {
		t.Error("the national cross's drawing does not say it is an example")
	}
	t.Run("CrossPageNoViolations", check)
	follow(t, ctx, `#derive`, 200)
	t.Run("DeriveFormNoViolations", check)

	// Replacing an axis without saying why: an error, nothing saved.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name="y_change"][value="replaced"]`), chromedp.NodeVisible),
		chromedp.SetValue(chromedp.ID("y_name"), "Välfärdens arbetskraft"),
		chromedp.SetValue(chromedp.ID("y_low"), "Stor brist på personal"),
		chromedp.SetValue(chromedp.ID("y_high"), "Personalen räcker"),
	)
	follow(t, ctx, `form.stack > div:last-child > button`, 422)
	if got := eval[string](t, ctx, `document.querySelector("#y_why-error") ? document.querySelector("#y_why-error").textContent : ""`); got == "" {
		t.Fatal("no error for a replaced axis without a reason")
	}
	t.Run("DeriveErrorsNoViolations", check)
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("title"), "Välfärden i Värmland 2050"),
		chromedp.SetValue(chromedp.ID("level"), "regional"),
		chromedp.SetValue(chromedp.ID("domain"), "välfärd"),
		chromedp.SetValue(chromedp.ID("geography"), "Värmlands län"),
		chromedp.SetValue(chromedp.ID("y_why"), "För välfärden avgör personalen mer än tilliten."),
	)
	follow(t, ctx, `form.stack > div:last-child > button`, 200)
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Välfärden i Värmland 2050" {
		t.Fatalf("after deriving: %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector("#parent a").textContent.includes("nationellt scenariokors")`) {
		t.Error("the new cross does not name its parent")
	}
	if !eval[bool](t, ctx, `document.querySelector("svg.ws-cross").textContent.includes("Personalen räcker")`) {
		t.Error("the new cross's drawing lacks the new pole")
	}
	child := eval[string](t, ctx, `location.pathname`)

	open(t, ctx, s.URL+child+"/slakttrad", 200)
	if !eval[bool](t, ctx, `(() => { const cur = document.querySelector("ul.lineage li.current"); return !!cur && cur.textContent.includes("Välfärden i Värmland 2050") && cur.textContent.includes("Utbytt") && cur.parentElement.closest("li").textContent.includes("nationellt scenariokors"); })()`) {
		t.Error("the lineage does not show the new cross under the national one with its axis replaced")
	}
	t.Run("LineageNoViolations", check)

	open(t, ctx, s.URL+child, 200)
	follow(t, ctx, `#parent a[href*="jamfor"]`, 200)
	if !eval[bool](t, ctx, `Array.from(document.querySelectorAll("table.compare tbody tr")).some(tr => tr.querySelector("th").textContent.includes("Lodrät axel") && tr.querySelectorAll("td.differs").length === 1 && tr.textContent.includes("Välfärdens arbetskraft"))`) {
		t.Error("the comparison does not mark the replaced axis as differing from the parent")
	}
	if eval[bool](t, ctx, `Array.from(document.querySelectorAll("table.compare tbody tr")).some(tr => tr.querySelector("th").textContent.trim() === "Vågrät axel" && tr.querySelector("td.differs"))`) {
		t.Error("the comparison marks the kept axis as differing")
	}
	t.Run("CompareNoViolations", check)

	open(t, ctx, s.URL+child+"/stresstest", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.ID("actions"), "1. Bygg ut vården i hemmet\n2. Locka fler till vårdyrken"))
	follow(t, ctx, `form[action$="/atgarder"] button`, 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("table.stress tbody tr").length`); n != 2 {
		t.Errorf("the stress test has %d actions, want 2", n)
	}
	t.Run("StressTestNoViolations", check)

	open(t, ctx, s.URL+"/metoder", 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("ul.cards li h2 a").length`); n != 7 {
		t.Errorf("/metoder lists %d guides, want 7", n)
	}
	t.Run("MethodsNoViolations", check)
	open(t, ctx, s.URL+"/metoder/backcasting", 200)
	if !eval[bool](t, ctx, `!!document.querySelector("ul.examples a[href^='/bibliotek/']")`) {
		t.Error("the backcasting guide links to no work")
	}
	t.Run("MethodNoViolations", check)
}
