package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/index"
)

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
}

// mustID is the id at the end of a path.
func mustID(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("no id in %s", path)
	}
	return id
}

// indexCSV writes a long CSV of the Omställningsförmåga preset's
// indicators for the 21 län in 2021 (made-up figures) and returns its path.
func indexCSV(t *testing.T, name, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("region_code,indicator,year,value\n")
	for _, p := range analysis.Presets {
		if p.Key != "omstallning" {
			continue
		}
		for bi, bl := range p.Blocks {
			for k, ind := range bl.Indicators {
				for i, r := range analysis.Regions {
					fmt.Fprintf(&b, "%s,%s,2021,%d\n", r.Code, ind, 5+(i*(bi+3)+k*11+bi*7)%31)
				}
			}
		}
	}
	b.WriteString(extra)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAnalysis_ImportModelSlider: an analyst imports a CSV (a malformed
// one first: refused, rows named, nothing imported), builds a model from
// the Omställningsförmåga preset, moves a block-weight slider and sees
// the ranking, the bars and the map change without a page load; axe finds
// nothing on the area's pages.
func TestAnalysis_ImportModelSlider(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	signIn(t, ctx, s, demo.EditorEmail)
	injectAxe(t, ctx, axe)

	open(t, ctx, s.URL+"/analys", 200)
	checkAxe(t, ctx, "/analys")
	open(t, ctx, s.URL+"/analys/data", 200)
	checkAxe(t, ctx, "/analys/data")

	// A malformed file: the page names its bad rows, nothing is imported.
	bad := indexCSV(t, "fel.csv", "99,Branschbredd,2021,3\n01,Valdeltagande,2021,många\n03,Branschbredd,2021,4\n")
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("name"), "Fel data"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}),
	)
	follow(t, ctx, `#import-form button`, 422)
	report := eval[string](t, ctx, `document.getElementById("import-report")?.textContent ?? ""`)
	for _, want := range []string{"Okänd länskod: \"99\"", "Inte ett tal: \"många\"", "Samma län, indikator och år"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, report)
		}
	}
	checkAxe(t, ctx, "/analys/data with a refused file")
	adminUser, err := s.Accounts.UserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	admin := &account.Actor{User: adminUser} // sees every dataset
	if list, _ := s.Analysis.Datasets(context.Background(), admin, 0, 100); len(list) != 0 {
		t.Fatalf("a refused file left %d datasets", len(list))
	}

	// A good file.
	good := indexCSV(t, "omstallning.csv", "")
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("name"), "Omställningsdata"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}),
	)
	follow(t, ctx, `#import-form button`, 200)
	if got := eval[string](t, ctx, `document.querySelector(".flash")?.textContent.trim() ?? ""`); got != "Datasetet är importerat." {
		t.Fatalf("after the import: flash %q at %s", got, eval[string](t, ctx, `location.pathname`))
	}
	checkAxe(t, ctx, "the dataset page")

	// A model from the preset, on the dataset's page.
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("preset"), "omstallning"),
		chromedp.SendKeys(chromedp.ID("m-name"), "Vår omställningsförmåga"),
	)
	follow(t, ctx, `form[action="/analys/index"] button`, 200)
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Vår omställningsförmåga" {
		t.Fatalf("model page h1 %q", got)
	}
	checkAxe(t, ctx, "the model page")

	state := `JSON.stringify({
		order: [...document.querySelectorAll("#ranking tbody tr")].map(r => r.dataset.code),
		bars: document.getElementById("bars-0").outerHTML,
		map: [...document.querySelectorAll("#index-map path")].map(p => p.getAttribute("fill")).join(","),
		seq: document.getElementById("index-results").dataset.seq || ""})`
	before := eval[string](t, ctx, state)
	path := eval[string](t, ctx, `location.pathname`)
	// Move the sliders: all weight on Grön omställning (block 3).
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		for (const [id, v] of [["bw0", 0], ["bw1", 0], ["bw2", 0], ["bw4", 0], ["bw3", 10]]) {
			const el = document.getElementById(id);
			el.value = v;
			el.dispatchEvent(new Event("input", {bubbles: true}));
		}
	})()`))
	// Wait for the last request's redraw (seq 5): each move asks at once
	// and aborts the one before.
	if _, err := chromedp.Run(briefly(t, ctx), chromedp.Poll[chromedp.Void](`document.getElementById("index-results").dataset.seq === "5"`,
		chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		t.Fatalf("the results were not redrawn after the sliders moved: %v", err)
	}
	after := eval[string](t, ctx, state)
	var b, a struct {
		Order []string
		Bars  string
		Map   string
	}
	mustJSON(t, before, &b)
	mustJSON(t, after, &a)
	if strings.Join(b.Order, ",") == strings.Join(a.Order, ",") {
		t.Error("the ranking did not change")
	}
	if b.Bars == a.Bars {
		t.Error("the bars did not change")
	}
	if b.Map == a.Map {
		t.Error("the map did not change")
	}
	if got := eval[string](t, ctx, `location.pathname`); got != path {
		t.Errorf("the page was left for %s", got)
	}
	// The new ranking is the server's for the same knobs.
	c, err := s.Analysis.Results(context.Background(), admin, mustID(t, path), 0)
	if err != nil {
		t.Fatal(err)
	}
	w, bw := c.Prepared.Weights()
	bw = []float64{0, 0, 0, 10, 0}
	rs, err := c.Prepared.ComputeWith(w, bw, index.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if i < len(a.Order) && a.Order[i] != r.Region {
			t.Fatalf("page order %v differs from the server's at %d (%s)", a.Order, i, r.Region)
		}
	}
	// Single moves, one at a time: the time from input to redrawn results.
	var times []string
	for i, v := range []string{"9", "8", "7", "6", "5"} {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const el = document.getElementById("bw1"); el.value = `+v+`;
			el.dispatchEvent(new Event("input", {bubbles: true})); })()`))
		want := strconv.Itoa(6 + i)
		if _, err := chromedp.Run(briefly(t, ctx), chromedp.Poll[chromedp.Void](`document.getElementById("index-results").dataset.seq === "`+want+`"`,
			chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
			t.Fatalf("move %d not redrawn: %v", i, err)
		}
		times = append(times, eval[string](t, ctx, `document.getElementById("index-results").dataset.redrawMs`))
	}
	t.Logf("input to redrawn results, five single moves: %s ms", strings.Join(times, ", "))
	checkAxe(t, ctx, "the model page after the sliders moved")
	open(t, ctx, s.URL+"/analys/index", 200)
	checkAxe(t, ctx, "/analys/index")
	// The region's page shows its index profile.
	open(t, ctx, s.URL+"/organisationer/region-varmland", 200)
	if got := eval[string](t, ctx, `document.getElementById("index-profile-h")?.textContent ?? ""`); got != "Värmlands län i indexen" {
		t.Errorf("index profile heading %q", got)
	}
	checkAxe(t, ctx, "a region's page with its index profile")
}
