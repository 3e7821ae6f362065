package storage

import (
	"reflect"
	"testing"
)

// TestDecodeSummary: both engines' forms of the summary column read the
// same, SQLite's missing scenarios dropped.
func TestDecodeSummary(t *testing.T) {
	want := crossSummaryBody{X: axisHead{Name: "Teknik", Low: "Långsam", High: "Snabb"}, Y: axisHead{Name: `Tillit "hög"`},
		Scenarios: []scenarioHead{{Quadrant: 1, Name: "Ett"}, {Quadrant: 2, Name: "Två"}}}
	for _, tc := range []struct{ name, summary string }{
		{"SQLite", `{"x":{"name":"Teknik","low":"Långsam","high":"Snabb"},"y":{"name":"Tillit \"hög\"","low":null,"high":null},` +
			`"scenarios":[{"quadrant":1,"name":"Ett"},{"quadrant":2,"name":"Två"},{"quadrant":null,"name":null},{"quadrant":null,"name":null}]}`},
		{"PostgreSQL", `{"x": {"low": "Långsam", "high": "Snabb", "name": "Teknik"}, "y": {"low": null, "high": null, "name": "Tillit \"hög\""}, ` +
			`"scenarios": [{"name": "Ett", "quadrant": 1}, {"name": "Två", "quadrant": 2}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeSummary(tc.summary)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("decodeSummary = %#v, %v; want %#v", got, err, want)
			}
		})
	}
	if _, err := decodeSummary(`{"x":`); err == nil {
		t.Error("decodeSummary of malformed JSON: no error")
	}
}

// BenchmarkDecodeSummary: one summary column of a list's cross, as
// SQLite's trigger writes it.
func BenchmarkDecodeSummary(b *testing.B) {
	s := `{"x":{"name":"Var vi bor och arbetar","low":"Samlat i storstäderna","high":"Spritt över hela landet"},` +
		`"y":{"name":"Tillit och gemensamma lösningar","low":"Var och en för sig","high":"Starka gemensamma lösningar"},` +
		`"scenarios":[{"quadrant":1,"name":"Hela landet lever"},{"quadrant":2,"name":"Starka städer, delat ansvar"},` +
		`{"quadrant":3,"name":"Staden för de få"},{"quadrant":4,"name":"Glesa nätverk"}]}`
	for b.Loop() {
		if _, err := decodeSummary(s); err != nil {
			b.Fatal(err)
		}
	}
}
