package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// axeSource returns axe-core's axe.min.js: FRAMSYN_AXE_JS, else the copy
// `npm install --no-save --prefix e2e axe-core@4` leaves in node_modules.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FRAMSYN_AXE_JS")
	if path == "" {
		path = "node_modules/axe-core/axe.min.js"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		skipOrFail(t, fmt.Sprintf("axe-core not found (%v): set FRAMSYN_AXE_JS or run npm install --no-save --prefix e2e axe-core@4", err))
	}
	return string(b)
}

// injectAxe has the browser load axe-core (src, from axeSource) into
// every document ctx opens from now on, so checkAxe can run it.
func injectAxe(t *testing.T, ctx context.Context, src string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
}

// checkAxe runs axe-core (injected on every new document) on the page.
func checkAxe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	r := get(t, ctx, chromedp.Evaluate[axeResult](runAxe, chromedp.EvalAwaitPromise))
	if r.Passes == 0 {
		t.Fatalf("%s: axe passed no rule: it did not run", what)
	}
	for _, v := range r.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s (%s): %s\n    %s", what, v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		t.Error(b.String())
	}
}

// axeViolation is one failed axe rule with the nodes that fail it.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct{ Target, HTML, Summary string }
}

// axeResult is what runAxe returns: the rules passed and those failed.
type axeResult struct {
	Passes     int
	Violations []axeViolation
}

// runAxe checks the page against WCAG 2.0 and 2.1, levels A and AA.
const runAxe = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
	.then(r => ({Passes: r.passes.length, Violations: r.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => ({Target: n.target.join(" "), HTML: n.html, Summary: n.failureSummary || ""}))}))}))`

// TestAccessibility_Axe: every page type, signed out and signed in, in
// Swedish and English, has no axe-core violations of WCAG 2.1 A and AA.
func TestAccessibility_Axe(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	const org = "/organisationer/region-varmland"
	// Every page the tab loads gets axe first, past the site's CSP.
	injectAxe(t, ctx, axe)

	type axePage struct {
		name, path string
		then       func(t *testing.T, ctx context.Context) // brings the page to the state checked
	}
	for _, who := range []struct {
		name  string
		email string
		pages []axePage
	}{
		{"Visitor", "", []axePage{
			{"Front", "/", nil},
			{"Library", "/bibliotek", nil},
			{"LibraryOrganisationsOpen", "/bibliotek", func(t *testing.T, ctx context.Context) {
				do(t, ctx, chromedp.SendKeys(chromedp.ID("organisation"), "region"))
				do(t, briefly(t, ctx), chromedp.WaitVisible(chromedp.CSS(`#organisation-options [role="option"]`)))
			}},
			{"NetworkFiltered", "/natverket?q=region&niva=regional", nil},
			{"OrganisationsNoneFound", "/organisationer?q=zzz", nil},
			{"Network", "/natverket", nil},
			{"Organisations", "/organisationer", nil},
			{"Organisation", org, nil},
			{"SignIn", "/logga-in", nil},
			{"Accessibility", "/tillganglighet", nil},
			{"Workshops", "/workshoppar", nil},
		}},
		{"Admin", demo.AdminEmail, []axePage{
			{"Account", "/konto", nil},
			{"OrganisationForm", org + "/redigera", nil},
			{"OrganisationFormWithErrors", org + "/redigera", func(t *testing.T, ctx context.Context) {
				follow(t, ctx, `form[action$="/kontakter"] button`, 422)
			}},
			{"Users", "/admin/anvandare", nil},
			{"Members", org + "/medlemmar", nil},
		}},
	} {
		t.Run(who.name, func(t *testing.T) {
			if who.email != "" {
				signIn(t, ctx, s, who.email)
			}
			for _, lang := range []string{"sv", "en"} {
				t.Run(lang, func(t *testing.T) {
					setLang(t, ctx, s, lang)
					for _, p := range who.pages {
						t.Run(p.name+"NoViolations", func(t *testing.T) {
							open(t, ctx, s.URL+p.path, 200)
							if p.then != nil {
								p.then(t, ctx)
							}
							if got := eval[string](t, ctx, `document.documentElement.lang`); got != lang {
								t.Fatalf("page in %q, want %q", got, lang)
							}
							r := get(t, ctx, chromedp.Evaluate[axeResult](runAxe, chromedp.EvalAwaitPromise))
							if r.Passes == 0 {
								t.Fatal("axe passed no rule: it did not run")
							}
							for _, v := range r.Violations {
								var b strings.Builder
								fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
								for _, n := range v.Nodes {
									fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
								}
								t.Error(b.String())
							}
						})
					}
				})
			}
		})
	}
}
