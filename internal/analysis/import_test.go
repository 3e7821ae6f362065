package analysis

import (
	"bytes"

	"context"
	"errors"
	"github.com/xuri/excelize/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func problems(t *testing.T, err error) []Problem {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) || !errs.Is(err, errs.Invalid) {
		t.Fatalf("want an Invalid import error, got %v", err)
	}
	return ie.Problems
}

func find(vals []Value, region, ind string, year int) (float64, bool) {
	for _, v := range vals {
		if v.Region == region && v.Indicator == ind && v.Year == year {
			return v.Value, true
		}
	}
	return 0, false
}

func TestRegions(t *testing.T) {
	if len(Regions) != 21 || Regions[0].Code != "01" || RegionByCode("25").Name != "Norrbottens län" || regionByKolada["0001"].Code != "01" {
		t.Fatalf("regions: %d, %+v", len(Regions), Regions[0])
	}
}

func TestParse_CSVLong(t *testing.T) {
	p, err := Parse(AutoFile, read(t, "long.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Values) != 5 {
		t.Fatalf("values %+v", p.Values)
	}
	if _, ok := find(p.Values, "04", "FoU-utgifter", 2020); ok {
		t.Error("an empty cell became a value; missing must stay missing")
	}
	if v, _ := find(p.Values, "05", "FoU-utgifter", 2020); v != 3.4 {
		t.Errorf("decimal comma: %v", v)
	}
	if !slices.Equal(p.Indicators, []Indicator{{"FoU-utgifter", "procent av BRP"}, {"Nyföretagande", "per 1000 inv"}}) {
		t.Errorf("indicators %+v", p.Indicators)
	}
}

func TestParse_CSVBadRowsNamed(t *testing.T) {
	ps := problems(t, func() error { _, err := Parse(CSVLong, read(t, "bad.csv")); return err }())
	want := []Problem{
		{Row: 3, Column: "region_code", Key: "analysis.import.region_unknown", Value: "99"},
		{Row: 4, Column: "value", Key: "analysis.import.not_a_number", Value: "abc"},
		{Row: 5, Column: "year", Key: "analysis.import.year_unknown", Value: "tjugo"},
		{Row: 6, Key: "analysis.import.duplicate", Value: "01, FoU-utgifter, 2020 (rad 2)"},
	}
	if !slices.Equal(ps, want) {
		t.Errorf("problems\n%+v\nwant\n%+v", ps, want)
	}
	tr := i18n.MustLoad().For("sv")
	if got := ps[1].Text(tr); !strings.Contains(got, "4") || !strings.Contains(got, "value") || !strings.Contains(got, `"abc"`) {
		t.Errorf("Swedish text %q", got)
	}
	// A header without the columns.
	ps = problems(t, func() error { _, err := Parse(CSVLong, []byte("lan,varde\n01,3\n")); return err }())
	if len(ps) != 4 || ps[0].Key != "analysis.import.column_missing" {
		t.Errorf("missing columns: %+v", ps)
	}
	// Quotes that never close.
	ps = problems(t, func() error {
		_, err := Parse(CSVLong, []byte("region_code,indicator,year,value\n01,\"x,2020,1\n"))
		return err
	}())
	if ps[0].Key != "analysis.import.csv_malformed" {
		t.Errorf("malformed CSV: %+v", ps)
	}
}

func TestParse_CSVWide(t *testing.T) {
	p, err := Parse(AutoFile, read(t, "wide.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Values) != 3 || len(p.Indicators) != 2 {
		t.Fatalf("%+v", p)
	}
	if v, _ := find(p.Values, "03", "FoU-utgifter", 2020); v != 5.2 {
		t.Errorf("03 = %v", v)
	}
	if _, ok := find(p.Values, "03", "Nyföretagande", 2020); ok {
		t.Error("empty wide cell imported")
	}
}

func TestParse_Kolada(t *testing.T) {
	p, err := Parse(AutoFile, read(t, "kolada.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Values) != 2 {
		t.Fatalf("%+v", p.Values)
	}
	if v, _ := find(p.Values, "01", "N00005", 2020); v != 2.5 {
		t.Errorf("gender T of 0001: %v", v)
	}
	if v, _ := find(p.Values, "14", "N00005", 2020); v != 3.25 {
		t.Errorf("0014: %v", v)
	}
	ps := problems(t, func() error { _, err := Parse(Kolada, read(t, "kolada_bad.json")); return err }())
	if len(ps) != 3 || ps[0].Row != 2 || ps[0].Key != "analysis.import.region_unknown" || ps[1].Row != 3 ||
		ps[1].Key != "analysis.import.year_unknown" || ps[2].Row != 4 || ps[2].Key != "analysis.import.duplicate" {
		t.Errorf("kolada problems %+v", ps)
	}
	ps = problems(t, func() error { _, err := Parse(Kolada, read(t, "kolada_truncated.json")); return err }())
	if ps[0].Key != "analysis.import.kolada_malformed" {
		t.Errorf("truncated: %+v", ps)
	}
}

func TestParse_PxWeb(t *testing.T) {
	p, err := Parse(AutoFile, read(t, "pxweb.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Values) != 5 || p.Indicators[0] != (Indicator{"Folkmängd", "antal"}) {
		t.Fatalf("%+v", p)
	}
	if v, _ := find(p.Values, "03", "Folkmängd", 2023); v != 404589 {
		t.Errorf("03 2023 = %v", v)
	}
	if _, ok := find(p.Values, "25", "Folkmängd", 2022); ok {
		t.Error("null imported")
	}
	ps := problems(t, func() error { _, err := Parse(PxWeb, read(t, "pxweb_bad.json")); return err }())
	if len(ps) != 2 || ps[0].Row != 3 || ps[0].Value != "0180" || ps[1].Row != 4 {
		t.Errorf("pxweb problems %+v", ps)
	}
	ps = problems(t, func() error {
		_, err := Parse(PxWeb, []byte(`{"id":["Region"],"size":[1],"dimension":{}}`))
		return err
	}())
	if ps[0].Key != "analysis.import.jsonstat_dimensions" && ps[0].Key != "analysis.import.jsonstat_malformed" {
		t.Errorf("no dimensions: %+v", ps)
	}
}

func TestFetch_RefusesLoopbackAndSchemes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(read(t, "long.csv"))
	}))
	defer srv.Close()
	ctx := context.Background()
	f := NewFetcher()
	for _, u := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), "http://[::1]:1/", "http://169.254.169.254/latest", "http://10.0.0.1/"} {
		_, err := f.Fetch(ctx, u)
		if e := errs.As(err); e.Kind != errs.Invalid || e.Key != "analysis.fetch.private" {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/x", "gopher://x", "http://user:pw@example.org/"} {
		if _, err := f.Fetch(ctx, u); errs.As(err).Key != "analysis.fetch.scheme" {
			t.Errorf("%s: %v", u, err)
		}
	}
	// A public name redirecting to loopback is refused at dial time too:
	// served here by a test fetcher that allows one loopback port only.
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.2:1/", http.StatusFound)
	}))
	defer redirect.Close()
	allowed := netip.MustParseAddrPort(strings.TrimPrefix(redirect.URL, "http://")).Addr()
	tf := NewTestFetcher(func(a netip.Addr) bool { return a == allowed })
	if _, err := tf.Fetch(ctx, redirect.URL); errs.As(err).Key != "analysis.fetch.private" && errs.As(err).Key != "analysis.fetch.failed" {
		t.Errorf("redirect to loopback: %v", err)
	}
	// The test fetcher reaches its server and the body is read.
	b, err := NewTestFetcher(func(netip.Addr) bool { return true }).Fetch(ctx, srv.URL)
	if err != nil || !strings.HasPrefix(string(b), "region_code") {
		t.Errorf("allowed fetch: %v %q", err, b)
	}
	// Too large.
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range 17 {
			_, _ = w.Write(chunk)
		}
	}))
	defer big.Close()
	if _, err := NewTestFetcher(func(netip.Addr) bool { return true }).Fetch(ctx, big.URL); errs.As(err).Key != "analysis.fetch.too_large" {
		t.Errorf("too large: %v", err)
	}
}

func TestPublicOnly(t *testing.T) {
	for s, want := range map[string]bool{"8.8.8.8": true, "2a00:1450:4001::1": true, "127.0.0.1": false, "10.1.2.3": false,
		"172.16.0.1": false, "192.168.1.1": false, "169.254.1.1": false, "100.64.0.1": false, "::1": false, "fe80::1": false,
		"fc00::1": false, "0.0.0.0": false, "::ffff:127.0.0.1": false} {
		if got := publicOnly(netip.MustParseAddr(s).Unmap()); got != want {
			t.Errorf("%s: %v", s, got)
		}
	}
}

func TestExport_CSVRoundTripAndXLSX(t *testing.T) {
	p, err := Parse(AutoFile, read(t, "long.csv"))
	if err != nil {
		t.Fatal(err)
	}
	d := &Dataset{Name: "x", Indicators: p.Indicators, Values: p.Values}
	var buf strings.Builder
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(AutoFile, []byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Values, p.Values) || !slices.Equal(back.Indicators, p.Indicators) {
		t.Errorf("round trip\n%+v\n%+v", back, p)
	}
	var x bytes.Buffer
	if err := WriteXLSX(&x, d, [][2]string{{"Källa", "test"}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Data")
	if len(rows) != len(p.Values)+1 || rows[1][0] != "01" || rows[1][1] != "Stockholms län" || rows[1][4] != "4.1" {
		t.Errorf("xlsx rows %v", rows)
	}
	if v, _ := f.GetCellValue("Om", "B1"); v != "test" {
		t.Errorf("about sheet: %q", v)
	}
}
