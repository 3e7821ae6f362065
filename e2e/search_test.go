package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/library"
)

// TestSearch_LiveResults: on /sok the hits follow what a visitor types,
// through the JSON API, and the polite status region says how many; the
// address follows the query, so the page reloads to the same results
// without JavaScript.
func TestSearch_LiveResults(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	ctx := context.Background()
	a, err := s.Accounts.SessionActor(ctx, s.mustSession(t, demo.EditorEmail))
	if err != nil || len(a.Memberships) == 0 {
		t.Fatalf("editor: %v", err)
	}
	for _, title := range []string{"Tidsresan genom Vänersborg", "Ljudvandringen 2050"} {
		w := &library.Work{Type: library.TypeScenario, Title: title, Summary: "Ett arbete i nätverket.",
			OrganisationID: a.Memberships[0].OrganisationID, Visibility: library.Public,
			Date: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC)}
		if _, err := s.Library.Create(ctx, a, w); err != nil {
			t.Fatal(err)
		}
	}

	b := mustBrowser(t)
	open(t, b, s.URL+"/sok", 200)
	do(t, b, chromedp.SendKeys(chromedp.ID("q"), "tidsresor"))
	do(t, briefly(t, b), chromedp.WaitVisible(chromedp.CSS("#search-hits li mark")))
	titles := eval[[]string](t, b, `[...document.querySelectorAll("#search-hits h2")].map(h => h.textContent.trim())`)
	if strings.Join(titles, "|") != "Tidsresan genom Vänersborg" {
		t.Fatalf("live hits %q", titles)
	}
	if got := eval[string](t, b, `document.getElementById("search-count").textContent`); got != "1 träff." {
		t.Errorf("status says %q", got)
	}
	if got := eval[string](t, b, `location.search`); got != "?q=tidsresor" {
		t.Errorf("address %q", got)
	}
	// A new query: its last word matches as a prefix while typing.
	eval[string](t, b, `document.getElementById("q").value = ""`)
	do(t, b, chromedp.SendKeys(chromedp.ID("q"), "ljudvandr"))
	do(t, briefly(t, b), chromedp.WaitVisible(chromedp.CSS(`#search-hits a[href="/bibliotek/ljudvandringen-2050"]`)))
	// The same address without JavaScript's help gives the same page.
	open(t, b, s.URL+"/sok?q=ljudvandr", 200)
	if got := eval[string](t, b, `document.querySelector("#search-hits h2").textContent.trim()`); got != "Ljudvandringen 2050" {
		t.Errorf("server-rendered hit %q", got)
	}
}
