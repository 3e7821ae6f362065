package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// workTitle is the work the library test publishes; its text says
// "scenariot" and "glesbygden", never the forms the visitor searches for.
const workTitle = "Värmland 2050 – fyra framtider för landsbygden"

// pdfFile writes a small PDF for the upload and returns its path.
func pdfFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Så här gjorde vi.pdf")
	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	if err := os.WriteFile(p, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// publishWork fills in and sends the new-work form as the signed-in
// editor, then attaches a PDF on the work's page.
func publishWork(t *testing.T, ctx context.Context, s *site) {
	t.Helper()
	open(t, ctx, s.URL+"/bibliotek/ny", 200)
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("title"), workTitle),
		chromedp.SetValue(chromedp.ID("type"), "scenario_set"),
		chromedp.SendKeys(chromedp.ID("summary"), "Fyra framtidsbilder för Värmland, framtagna med kommunerna."),
		chromedp.SetValue(chromedp.ID("body"), "## Om arbetet\n\nI scenariot *Gröna glesbygden* flyttar unga tillbaka till glesbygden."),
		chromedp.SendKeys(chromedp.ID("horizon_year"), "2050"),
		chromedp.SendKeys(chromedp.ID("methods"), "Scenariokors, Backcasting"),
		chromedp.SendKeys(chromedp.ID("themes"), "Landsbygd"),
		chromedp.SendKeys(chromedp.ID("links_0_url"), "https://example.se/varmland-2050"),
		chromedp.Click(chromedp.ID("visibility_public")),
		chromedp.SendKeys(chromedp.ID("experience_purpose"), "Att ge kommunerna en gemensam bild av möjliga framtider."),
		chromedp.SendKeys(chromedp.ID("experience_participant_count"), "45"),
		chromedp.SetValue(chromedp.ID("experience_steps"), "Omvärldsanalys\nScenariokors i smågrupper\nBackcasting"),
		chromedp.SendKeys(chromedp.ID("experience_time_used"), "två halvdagar"),
		chromedp.SendKeys(chromedp.ID("experience_worked"), "Smågrupper med blandade kommuner."),
		chromedp.SendKeys(chromedp.ID("experience_ask_whom"), "Framsynsledaren i Region Värmland."),
	)
	follow(t, ctx, `main form button:not(.secondary)`, 200)
	if got := eval[string](t, ctx, `document.querySelector(".flash")?.textContent.trim() ?? ""`); got != "Framsynsarbetet är sparat." {
		t.Fatalf("after saving: flash %q at %s", got, eval[string](t, ctx, `location.pathname`))
	}
	if got := eval[string](t, ctx, `document.querySelector(".experience h2").textContent`); got != "Så här gjorde vi" {
		t.Errorf("no experience report on the work page: %q", got)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{pdfFile(t)}))
	follow(t, ctx, `form[action$="/bilagor"] button`, 200)
	if got := eval[string](t, ctx, `document.querySelector(".attachments a")?.textContent ?? ""`); got != "Så här gjorde vi.pdf" {
		t.Fatalf("the attachment is not listed: %q", got)
	}
}

// TestLibrary_PublishAndFind: an editor publishes a work with a PDF and an
// experience report in the browser; a visitor in another browser finds it
// by inflected Swedish words and opens the attachment.
func TestLibrary_PublishAndFind(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	editor := mustBrowser(t)
	signIn(t, editor, s, demo.EditorEmail)
	t.Run("EditorPublishes", func(t *testing.T) { publishWork(t, editor, s) })
	if t.Failed() {
		t.FailNow()
	}

	visitor := mustBrowser(t) // a browser of its own: no session, no cookies
	t.Run("VisitorFinds", func(t *testing.T) {
		open(t, visitor, s.URL+"/bibliotek", 200)
		// The work says "scenariot" and "glesbygden"; the visitor types
		// "scenarier" and "glesbygder".
		do(t, visitor, chromedp.SendKeys(chromedp.ID("q"), "scenarier glesbygder"))
		follow(t, visitor, `form.filters button`, 200)
		if q := eval[string](t, visitor, `location.search`); !strings.HasPrefix(q, "?q=scenarier+glesbygder&") {
			t.Fatalf("the search form sent %s", q)
		}
		titles := eval[[]string](t, visitor, `[...document.querySelectorAll(".works h3")].map(h => h.textContent.trim())`)
		if len(titles) != 1 || titles[0] != workTitle {
			t.Fatalf("hits %q, want the published work", titles)
		}
		marks := eval[[]string](t, visitor, `[...document.querySelectorAll(".works mark")].map(m => m.textContent)`)
		if !strings.Contains(strings.Join(marks, " "), "scenariot") {
			t.Errorf("marked words %q, want scenariot among them", marks)
		}
		follow(t, visitor, `.works h3 a`, 200)
		href := eval[string](t, visitor, `document.querySelector(".attachments a").href`)
		res := get(t, visitor, chromedp.Evaluate[[]string](`fetch(document.querySelector(".attachments a").href).then(r => r.text().then(b =>
			[String(r.status), r.headers.get("content-type"), r.headers.get("content-disposition"), b.slice(0, 5)]))`, chromedp.EvalAwaitPromise))
		if fmt.Sprint(res) != "[200 application/pdf inline; filename*=utf-8''S%C3%A5%20h%C3%A4r%20gjorde%20vi.pdf %PDF-]" {
			t.Errorf("the attachment at %s answers %q", href, res)
		}
	})
}

// TestLibrary_Axe: the library's pages in Swedish have no axe-core
// violations of WCAG 2.1 A and AA: the list, a search, the experience
// list, a work page for a visitor and its editor, the form (also with
// errors), the versions and the import page.
func TestLibrary_Axe(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	signIn(t, ctx, s, demo.EditorEmail)
	publishWork(t, ctx, s)
	work := eval[string](t, ctx, `location.pathname`)
	injectAxe(t, ctx, axe)
	check := func(t *testing.T) {
		t.Helper()
		if got := eval[string](t, ctx, `document.documentElement.lang`); got != "sv" {
			t.Fatalf("page in %q, want sv", got)
		}
		checkAxe(t, ctx, t.Name())
	}
	for _, p := range []struct {
		name, path string
		then       func(t *testing.T)
	}{
		{"List", "/bibliotek", nil},
		{"Search", "/bibliotek?q=scenarier", nil},
		{"Experiences", "/bibliotek/sa-har-gjorde-vi", nil},
		{"WorkForEditor", work, nil},
		{"Form", "/bibliotek/ny", nil},
		{"FormWithErrors", "/bibliotek/ny", func(t *testing.T) {
			do(t, ctx, chromedp.SendKeys(chromedp.ID("horizon_year"), "snart"), chromedp.SendKeys(chromedp.ID("links_0_url"), "inte en adress"))
			follow(t, ctx, `main form button:not(.secondary)`, 422)
			if n := eval[int](t, ctx, `document.querySelectorAll("#error-summary li").length`); n < 3 {
				t.Errorf("error summary lists %d errors, want title, horizon year and link", n)
			}
		}},
		{"EditForm", work + "/redigera", nil},
		{"Versions", work + "/versioner", nil},
		{"OldVersion", work + "/versioner/1", nil},
		{"Import", "/bibliotek/import", nil},
	} {
		t.Run(p.name, func(t *testing.T) {
			open(t, ctx, s.URL+p.path, 200)
			if p.then != nil {
				p.then(t)
			}
			check(t)
		})
	}
	t.Run("WorkForVisitor", func(t *testing.T) {
		if _, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: s.Config.SessionCookie(), URL: s.URL + "/"}); err != nil {
			t.Fatal(err)
		}
		open(t, ctx, s.URL+work, 200)
		if n := eval[int](t, ctx, `document.querySelectorAll("form[action$='/bilagor']").length`); n != 0 {
			t.Error("a visitor sees the upload form")
		}
		check(t)
	})
}
