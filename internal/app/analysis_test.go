package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// analysisCSV is a long CSV of the Omställningsförmåga preset's
// indicators for the 21 län in 2020 and 2021 (made-up figures).
func analysisCSV() string {
	var b strings.Builder
	b.WriteString("region_code,indicator,year,value\n")
	seen := map[string]bool{}
	for _, p := range analysis.Presets {
		for _, bl := range p.Blocks {
			for k, ind := range bl.Indicators {
				if seen[ind] {
					continue
				}
				seen[ind] = true
				for i, r := range analysis.Regions {
					for _, y := range []int{2020, 2021} {
						fmt.Fprintf(&b, "%s,%s,%d,%d\n", r.Code, ind, y, 10+(i*7+k*13+y)%23)
					}
				}
			}
		}
	}
	return b.String()
}

// analysisFixture is what the matrix reads and writes in the area.
type analysisFixture struct {
	dsA, dsB int64 // public in A; draft in hidden B
	mA, mB   int64
	anA, anB int64
}

func newAnalysisFixture(t *testing.T, ta *testApp, a, b *account.Organisation, admin *account.User) analysisFixture {
	t.Helper()
	ctx := context.Background()
	act := ta.actorOf(admin)
	var f analysisFixture
	for i, o := range []struct {
		org int64
		vis analysis.Visibility
		ds  *int64
		m   *int64
		an  *int64
	}{{a.ID, analysis.Public, &f.dsA, &f.mA, &f.anA}, {b.ID, analysis.Draft, &f.dsB, &f.mB, &f.anB}} {
		d, err := ta.Analysis.Import(ctx, act, analysis.Dataset{OrganisationID: o.org, Name: "Data " + strconv.Itoa(i), Visibility: o.vis, Example: true},
			analysis.CSVLong, []byte(analysisCSV()))
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := analysis.PresetSpec("omstallning", "Omställning "+strconv.Itoa(i), d.ID, 2021)
		m, err := ta.Analysis.CreateModel(ctx, act, o.org, o.vis, spec)
		if err != nil {
			t.Fatal(err)
		}
		an, err := ta.Analysis.Publish(ctx, act, &analysis.Analysis{OrganisationID: o.org, Title: "Analys " + strconv.Itoa(i),
			Body: "Text om **omställning**.", Visibility: o.vis, DatasetID: d.ID, ModelID: m.ID})
		if err != nil {
			t.Fatal(err)
		}
		*o.ds, *o.m, *o.an = d.ID, m.ID, an.ID
	}
	return f
}

// The analysis area's cases of the authorization matrix.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	a, b := f.orgs["org-a"], f.orgs["org-b"]
	x := newAnalysisFixture(t, f.ta, a, b, f.users[5])
	hiddenB := [6]int{nf, nf, nf, nf, ok, ok}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	ds, dsB := "/analys/data/"+id(x.dsA), "/analys/data/"+id(x.dsB)
	m, mB := "/analys/index/"+id(x.mA), "/analys/index/"+id(x.mB)
	spec := fmt.Sprintf(`{"name":"API-modell","dataset_id":%d,"year":2021,"missing":"reweight","organization_id":%d,"blocks":[{"name":"B","weight":1,"aggregation":"arithmetic","indicators":[{"indicator":"Branschbredd","weight":1,"direction":1,"normalisation":"zscore"}]}]}`, x.dsA, a.ID)
	kolada := `{"values":[{"kpi":"N1","municipality":"0001","period":2021,"values":[{"gender":"T","value":1}]}]}`
	return []matrixCase{
		{pattern: "POST /analys", method: "POST", path: "/analys", form: v("title", "Ny analys", "body", "Text.", "organisation", id(a.ID), "visibility", "public"), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /analys", method: "POST", path: "/analys", form: v("title", "", "body", "Text.", "organisation", id(a.ID)), want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "GET /analys/{id}", method: "GET", path: "/analys/" + id(x.anA), want: all(ok)},
		{pattern: "GET /analys/{id}", method: "GET", path: "/analys/" + id(x.anB), want: hiddenB},
		{pattern: "GET /analys/{id}", method: "GET", path: "/analys/inte-ett-id", want: all(nf)},
		{pattern: "GET /analys/data", method: "GET", path: "/analys/data", want: all(ok)},
		// An upload without an organisation goes to the editor's only one;
		// the platform admin, editor of none, must choose.
		{pattern: "POST /analys/data", method: "POST", path: "/analys/data", upload: analysisCSV(), want: [6]int{see, forb, see, see, see, bad}},
		{pattern: "POST /analys/data", method: "POST", path: "/analys/data", upload: "region_code,indicator,year,value\n99,x,2020,1\n", want: [6]int{see, forb, bad, bad, bad, bad}},
		{pattern: "GET /analys/data/{id}", method: "GET", path: ds, want: all(ok)},
		{pattern: "GET /analys/data/{id}", method: "GET", path: dsB, want: hiddenB},
		{pattern: "GET /analys/data/{id}", method: "GET", path: "/analys/data/0", want: all(nf)},
		{pattern: "GET /analys/data/{id}/data.csv", method: "GET", path: ds + "/data.csv", want: all(ok)},
		{pattern: "GET /analys/data/{id}/data.csv", method: "GET", path: dsB + "/data.csv", want: hiddenB},
		{pattern: "GET /analys/data/{id}/data.xlsx", method: "GET", path: ds + "/data.xlsx", want: all(ok)},
		{pattern: "GET /analys/data/{id}/data.xlsx", method: "GET", path: dsB + "/data.xlsx", want: hiddenB},
		{pattern: "GET /analys/data/{id}/karta.svg", method: "GET", path: ds + "/karta.svg", want: all(ok)},
		{pattern: "GET /analys/index", method: "GET", path: "/analys/index", want: all(ok)},
		{pattern: "POST /analys/index", method: "POST", path: "/analys/index", form: v("preset", "omstallning", "dataset", id(x.dsA), "name", "Ny", "year", "2021", "organisation", id(a.ID)), want: [6]int{see, forb, see, see, forb, see}},
		// A dataset B's editors keep as a draft is not found for others.
		{pattern: "POST /analys/index", method: "POST", path: "/analys/index", form: v("preset", "omstallning", "dataset", id(x.dsB), "name", "Ny", "year", "2021", "organisation", id(a.ID)), want: [6]int{see, forb, bad, bad, forb, see}},
		{pattern: "GET /analys/index/{id}", method: "GET", path: m, want: all(ok)},
		{pattern: "GET /analys/index/{id}", method: "GET", path: mB, want: hiddenB},
		{pattern: "POST /analys/index/{id}", method: "POST", path: m, form: v("bw0", "3"), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /analys/index/{id}", method: "POST", path: mB, form: v("bw0", "3"), want: [6]int{see, nf, nf, nf, see, see}},
		{pattern: "GET /analys/index/{id}/resultat.html", method: "GET", path: m + "/resultat.html?bw0=4", want: all(ok)},
		{pattern: "GET /analys/index/{id}/resultat.html", method: "GET", path: mB + "/resultat.html", want: hiddenB},
		{pattern: "GET /analys/index/{id}/resultat.csv", method: "GET", path: m + "/resultat.csv", want: all(ok)},
		{pattern: "GET /analys/index/{id}/karta.svg", method: "GET", path: m + "/karta.svg", want: all(ok)},
		{pattern: "GET /analys/index/{id}/karta.svg", method: "GET", path: mB + "/karta.svg", want: hiddenB},
		{pattern: "GET /analys/index/{id}/staplar.svg", method: "GET", path: m + "/staplar.svg?block=1", want: all(ok)},
		{pattern: "GET /analys/index/{id}/staplar.svg", method: "GET", path: m + "/staplar.svg?block=99", want: all(nf)},
		{pattern: "GET /analys/index/{id}/spindel.svg", method: "GET", path: m + "/spindel.svg?lan=25", want: all(ok)},
		{pattern: "GET /analys/index/{id}/rangintervall.svg", method: "GET", path: m + "/rangintervall.svg?dragningar=200", want: all(ok)},

		{pattern: "GET /api/v1/datasets", method: "GET", path: "/api/v1/datasets", want: all(ok)},
		{pattern: "POST /api/v1/datasets", method: "POST", path: "/api/v1/datasets?name=Kolada", json: kolada, want: [6]int{unath, forb, http.StatusCreated, http.StatusCreated, http.StatusCreated, bad}},
		{pattern: "GET /api/v1/datasets/{id}", method: "GET", path: "/api/v1/datasets/" + id(x.dsA), want: all(ok)},
		{pattern: "GET /api/v1/datasets/{id}", method: "GET", path: "/api/v1/datasets/" + id(x.dsB), want: hiddenB},
		{pattern: "GET /api/v1/index-models", method: "GET", path: "/api/v1/index-models", want: all(ok)},
		{pattern: "POST /api/v1/index-models", method: "POST", path: "/api/v1/index-models", json: spec, want: [6]int{unath, forb, http.StatusCreated, http.StatusCreated, forb, http.StatusCreated}},
		{pattern: "GET /api/v1/index-models/{id}", method: "GET", path: "/api/v1/index-models/" + id(x.mA), want: all(ok)},
		{pattern: "GET /api/v1/index-models/{id}", method: "GET", path: "/api/v1/index-models/" + id(x.mB), want: hiddenB},
		{pattern: "GET /api/v1/index-models/{id}/results", method: "GET", path: "/api/v1/index-models/" + id(x.mA) + "/results", want: all(ok)},
		{pattern: "GET /api/v1/index-models/{id}/results", method: "GET", path: "/api/v1/index-models/" + id(x.mB) + "/results", want: hiddenB},
		{pattern: "POST /api/v1/index-models/{id}/sensitivity", method: "POST", path: "/api/v1/index-models/" + id(x.mA) + "/sensitivity", json: `{"draws":200,"noise":0.2,"seed":1}`, want: all(ok)},
		{pattern: "POST /api/v1/index-models/{id}/sensitivity", method: "POST", path: "/api/v1/index-models/" + id(x.mB) + "/sensitivity", json: `{"draws":200,"noise":0.2,"seed":1}`, want: hiddenB},
	}
})

// analysisApp is an app with an editor of public org A and a dataset.
type analysisApp struct {
	ta      *testApp
	org     *account.Organisation
	editor  *account.User
	session string
}

func newAnalysisApp(t *testing.T, dsn string) *analysisApp {
	ta := mustApp(t, dsn)
	x := &analysisApp{ta: ta, org: ta.mustOrg("region-a", true)}
	x.editor = ta.mustUser("analytiker@a.se", "Analytiker", false)
	ta.mustMember(x.editor, x.org, account.RoleEditor)
	x.session = ta.mintSession(x.editor)
	return x
}

func (x *analysisApp) api(method, path, ctype, body string) (*http.Response, map[string]any) {
	x.ta.t.Helper()
	resp := x.ta.do(req{method: method, path: path, body: strings.NewReader(body), ctype: ctype, session: x.session})
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp, out
}

func (x *analysisApp) datasetCount(t *testing.T) int {
	t.Helper()
	list, err := x.ta.Analysis.Datasets(context.Background(), x.ta.actorOf(x.editor), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestAnalysisAPI_ImportModelResultsSensitivity(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			x := newAnalysisApp(t, dsn)
			// A bad CSV: 422, every bad row named, nothing imported.
			resp, body := x.api("POST", "/api/v1/datasets", "text/csv",
				"region_code,indicator,year,value\n01,a,2020,1\n99,a,2020,2\n03,a,2020,abc\n01,a,2020,5\n")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("bad CSV: %d %v", resp.StatusCode, body)
			}
			fields := body["error"].(map[string]any)["fields"].(map[string]any)
			joined := fmt.Sprint(fields)
			for _, want := range []string{"Rad 3", "Okänd länskod", `"99"`, "Rad 4", "Inte ett tal", "Rad 5", "Samma län"} {
				if !strings.Contains(joined, want) {
					t.Errorf("problems %v lack %q", fields, want)
				}
			}
			if n := x.datasetCount(t); n != 0 {
				t.Fatalf("a refused file left %d datasets", n)
			}
			// Malformed Kolada and PxWeb: refused, nothing imported.
			for _, bad := range []string{`{"values": [`, `{"version":"2.0","id":["Region"],"size":[1],"dimension":{"Region":{"category":{"index":{"01":0}}}},"value":[1]}`} {
				if resp, body := x.api("POST", "/api/v1/datasets", "application/json", bad); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("malformed JSON %q: %d %v", bad, resp.StatusCode, body)
				}
			}
			if n := x.datasetCount(t); n != 0 {
				t.Fatalf("refused files left %d datasets", n)
			}
			resp, body = x.api("POST", "/api/v1/datasets?name=Omst%C3%A4llning&source=test", "text/csv", analysisCSV())
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("import: %d %v", resp.StatusCode, body)
			}
			ds := int64(body["id"].(float64))

			// A geometric mean over min–max zeros: refused with a message naming it.
			geo := fmt.Sprintf(`{"name":"Geo","dataset_id":%d,"year":2021,"missing":"reweight","blocks":[{"name":"Grönt","weight":1,"aggregation":"geometric","indicators":[{"indicator":"Förnybar energi","weight":1,"direction":1,"normalisation":"minmax"}]}]}`, ds)
			resp, body = x.api("POST", "/api/v1/index-models", "application/json", geo)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body), "Geometriskt medelvärde i blocket Grönt") {
				t.Errorf("geometric over zeros: %d %v", resp.StatusCode, body)
			}
			// All weights zero: refused.
			zero := strings.Replace(strings.Replace(geo, `"geometric"`, `"arithmetic"`, 1), `"weight":1,"direction"`, `"weight":0,"direction"`, 1)
			if resp, body = x.api("POST", "/api/v1/index-models", "application/json", zero); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("weights all zero: %d %v", resp.StatusCode, body)
			}
			spec := strings.Replace(strings.Replace(geo, `"geometric"`, `"arithmetic"`, 1), `"minmax"`, `"rank"`, 1)
			resp, body = x.api("POST", "/api/v1/index-models", "application/json", spec)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("model: %d %v", resp.StatusCode, body)
			}
			mid := int64(body["id"].(float64))
			resp, body = x.api("GET", fmt.Sprintf("/api/v1/index-models/%d/results", mid), "", "")
			items := body["items"].([]any)
			if resp.StatusCode != http.StatusOK || len(items) != 21 || body["model_version"].(float64) != 1 || int64(body["dataset_id"].(float64)) != ds {
				t.Fatalf("results: %d %v", resp.StatusCode, body)
			}
			first := items[0].(map[string]any)
			if first["rank"].(float64) != 1 || first["blocks"].(map[string]any)["Grönt"] == nil {
				t.Errorf("first result %v", first)
			}
			// Sensitivity: seeded, so the same request gives the same answer.
			req := `{"draws":500,"noise":0.3,"seed":7,"saltelli_base":64}`
			_, a := x.api("POST", fmt.Sprintf("/api/v1/index-models/%d/sensitivity", mid), "application/json", req)
			_, b := x.api("POST", fmt.Sprintf("/api/v1/index-models/%d/sensitivity", mid), "application/json", req)
			if fmt.Sprint(a) != fmt.Sprint(b) || len(a["items"].([]any)) != 21 {
				t.Errorf("sensitivity not reproducible or short:\n%v\n%v", a, b)
			}
			if resp, body := x.api("POST", fmt.Sprintf("/api/v1/index-models/%d/sensitivity", mid), "application/json", `{"draws":0,"noise":2}`); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("noise 2: %d %v", resp.StatusCode, body)
			}
		})
	}
}

func multipartForm(t *testing.T, fields map[string]string, file string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if file != "" {
		fw, err := w.CreateFormFile("file", "data.csv")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte(file))
	}
	_ = w.Close()
	return &buf, w.FormDataContentType()
}

func TestAnalysisPages_ImportNamesRowsAndRefusesPrivateURL(t *testing.T) {
	x := newAnalysisApp(t, storagetest.DSNs(t)["sqlite"])
	body, ctype := multipartForm(t, map[string]string{"name": "Fel"}, "region_code,indicator,year,value\n01,a,2020,1\n01,a,år,2\n")
	resp := x.ta.do(req{method: "POST", path: "/analys/data", body: body, ctype: ctype, session: x.session})
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), "Rad 3") || !strings.Contains(string(page), "Okänt år") {
		t.Errorf("bad upload: %d\n%s", resp.StatusCode, page)
	}
	// A URL on loopback (a test server) is refused at dial time.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, analysisCSV()) }))
	defer srv.Close()
	body, ctype = multipartForm(t, map[string]string{"name": "Lokal", "url": srv.URL}, "")
	resp = x.ta.do(req{method: "POST", path: "/analys/data", body: body, ctype: ctype, session: x.session})
	page, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), "internt eller privat nät") {
		t.Errorf("loopback URL: %d\n%s", resp.StatusCode, page)
	}
	if n := x.datasetCount(t); n != 0 {
		t.Fatalf("refused imports left %d datasets", n)
	}
	// A good upload, a model from a preset, knobs that recompute, a new version.
	body, ctype = multipartForm(t, map[string]string{"name": "Bra"}, analysisCSV())
	resp = x.ta.do(req{method: "POST", path: "/analys/data", body: body, ctype: ctype, session: x.session})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	ds := strings.TrimPrefix(resp.Header.Get("Location"), "/analys/data/")
	resp = x.ta.do(req{method: "POST", path: "/analys/index", form: form("preset", "omstallning", "dataset", ds, "name", "Omställning", "year", "2021"), session: x.session})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("model: %d", resp.StatusCode)
	}
	m := resp.Header.Get("Location")
	frag := func(q string) string {
		resp := x.ta.do(req{method: "GET", path: m + "/resultat.html?" + q, session: x.session})
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("fragment %s: %d", q, resp.StatusCode)
		}
		return string(b)
	}
	before, after := frag(""), frag("bw0=0&bw1=0&bw2=0&bw3=10&bw4=0")
	if before == after || !strings.Contains(after, `id="ranking"`) || !strings.Contains(after, `id="index-map"`) {
		t.Error("moving the block weights changed nothing in the fragment")
	}
	if got := frag("bw0=0&bw1=0&bw2=0&bw3=0&bw4=0"); !strings.Contains(got, "Alla blockvikter är noll") {
		t.Errorf("all block weights zero: no message in\n%s", got)
	}
	resp = x.ta.do(req{method: "POST", path: m, form: form("bw3", "10"), session: x.session})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save version: %d", resp.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(m, "/analys/index/"), 10, 64)
	cur, err := x.ta.Analysis.Model(context.Background(), x.ta.actorOf(x.editor), id)
	if err != nil || cur.Version != 2 || cur.Spec.Blocks[3].Weight != 10 {
		t.Fatalf("version 2: %+v %v", cur, err)
	}
	v1, err := x.ta.Analysis.ModelAt(context.Background(), x.ta.actorOf(x.editor), id, 1)
	if err != nil || v1.Spec.Blocks[3].Weight != 1 {
		t.Errorf("version 1 kept: %+v %v", v1, err)
	}
}

// A published analysis is in the search and the feeds; a region's page
// shows its index profile.
func TestAnalysis_SearchFeedAndRegionProfile(t *testing.T) {
	ta := mustApp(t, storagetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	o := account.Organisation{Slug: "region-norr", Name: "Region Norrbotten", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "25", Public: true}
	if err := ta.Accounts.PutOrganisations(ctx, []account.Organisation{o}); err != nil {
		t.Fatal(err)
	}
	org, err := ta.Stores.Accounts.OrganisationBySlug(ctx, "region-norr")
	if err != nil {
		t.Fatal(err)
	}
	adminUser := ta.mustUser("admin@x.se", "Admin", true)
	admin := ta.actorOf(adminUser)
	d, err := ta.Analysis.Import(ctx, admin, analysis.Dataset{OrganisationID: org.ID, Name: "Data", Visibility: analysis.Public}, analysis.CSVLong, []byte(analysisCSV()))
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := analysis.PresetSpec("omstallning", "Omställning i norr", d.ID, 2021)
	m, err := ta.Analysis.CreateModel(ctx, admin, org.ID, analysis.Public, spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Analysis.Publish(ctx, admin, &analysis.Analysis{OrganisationID: org.ID, Title: "Rangintervallen för Norrbotten",
		Body: "Norrbottens **rangintervall** är brett.", Visibility: analysis.Public, ModelID: m.ID}); err != nil {
		t.Fatal(err)
	}
	// An analysis with related works, published through the form: the
	// page links the work the visitor may see, not the draft.
	work := ta.mustWork(admin, org.ID, "Norrbotten 2040", library.Public)
	draft := ta.mustWork(admin, org.ID, "Utkast om gruvorna", library.Draft)
	resp := ta.do(req{method: "POST", path: "/analys", session: ta.mintSession(adminUser), form: url.Values{"title": {"Med arbeten"},
		"body": {"Se arbetena."}, "organisation": {strconv.FormatInt(org.ID, 10)}, "visibility": {"public"},
		"works": {strconv.FormatInt(work.ID, 10), strconv.FormatInt(draft.ID, 10)}}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish with works: %d", resp.StatusCode)
	}
	withWorks := resp.Header.Get("Location")
	if resp := ta.do(req{method: "POST", path: "/analys", session: ta.mintSession(adminUser), form: url.Values{"title": {"Fel arbete"},
		"body": {"x"}, "organisation": {strconv.FormatInt(org.ID, 10)}, "works": {"999999"}}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown work: %d", resp.StatusCode)
	}
	body := func(path string) string {
		resp := ta.do(req{method: "GET", path: path})
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	if page := body(withWorks); !strings.Contains(page, "Norrbotten 2040") || strings.Contains(page, "Utkast om gruvorna") {
		t.Errorf("related works as a visitor sees them:\n%s", page)
	}
	if page := body("/analys"); !strings.Contains(page, "Rangintervallen för Norrbotten") {
		t.Errorf("/analys does not list the analysis")
	}
	if page := body("/organisationer/region-norr"); !strings.Contains(page, "Norrbottens län i indexen") || !strings.Contains(page, "Omställning i norr") {
		t.Errorf("the region's page has no index profile")
	}
	if page := body("/sok?q=rangintervall"); !strings.Contains(page, `href="/analys/`) || !strings.Contains(page, "för Norrbotten") {
		t.Errorf("search does not find the analysis: %s", page)
	}
	if f := body("/flode.atom"); !strings.Contains(f, "Rangintervallen för Norrbotten") || !strings.Contains(f, "/analys/") {
		t.Errorf("the site feed lacks the analysis: %s", f)
	}
	if f := body("/organisationer/region-norr/flode.atom"); !strings.Contains(f, "Rangintervallen för Norrbotten") {
		t.Errorf("the organisation's feed lacks the analysis")
	}
}

// BenchmarkAnalysis_SliderFragment is one slider move as the page makes
// it: GET the results fragment with new weights, over loopback HTTP,
// through the whole stack (session, model, cached preparation, compute,
// change over years, SVG, template).
func BenchmarkAnalysis_SliderFragment(b *testing.B) {
	ta := mustApp(b, sqliteDSN(b))
	ctx := context.Background()
	org := ta.mustOrg("region-a", true)
	u := ta.mustUser("analytiker@a.se", "Analytiker", false)
	ta.mustMember(u, org, account.RoleEditor)
	a, err := ta.Accounts.SessionActor(ctx, ta.mintSession(u))
	if err != nil {
		b.Fatal(err)
	}
	d, err := ta.Analysis.Import(ctx, a, analysis.Dataset{OrganisationID: org.ID, Name: "Data", Visibility: analysis.Public}, analysis.CSVLong, []byte(analysisCSV()))
	if err != nil {
		b.Fatal(err)
	}
	spec, _ := analysis.PresetSpec("omstallning", "Omställning", d.ID, 2021)
	m, err := ta.Analysis.CreateModel(ctx, a, org.ID, analysis.Public, spec)
	if err != nil {
		b.Fatal(err)
	}
	client := ta.srv.Client()
	base := ta.srv.URL + "/analys/index/" + strconv.FormatInt(m.ID, 10) + "/resultat.html?bw3="
	i := 0
	for b.Loop() {
		resp, err := client.Get(base + strconv.Itoa(i%10))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		i++
	}
}
