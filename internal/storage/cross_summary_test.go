package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/cross"
)

// TestDecodeSummary: the direct walk reads what encoding/json reads from
// what crossJSON writes, whatever the texts it skips hold, and odd forms
// fall back to encoding/json.
func TestDecodeSummary(t *testing.T) {
	tricky := `Citat "så här" & <b>, \ bakåtsnedstreck, {klamrar} [och] ,:; rad` + "\nny rad\t\u2028 é 🙂"
	full := &cross.Cross{
		X: cross.Axis{Name: "Teknik", Description: tricky, Low: "Långsam", High: "Snabb", Forces: []string{"AI", tricky}, DriverIDs: []int64{1}},
		Y: cross.Axis{Name: `Tillit "hög"`, Low: "Låg <tillit>", High: "Hög\\", Forces: []string{}},
	}
	for q := 1; q <= 4; q++ {
		full.Scenarios = append(full.Scenarios, cross.Scenario{Quadrant: q, Name: "Framtid " + strings.Repeat("å", q), Story: strings.Repeat(tricky, 50),
			Characteristics: tricky, DailyLife: "}", EarlySigns: "]", Implications: `"`})
	}
	full.Authors = []string{"Anna", tricky}
	bare := &cross.Cross{X: cross.Axis{Name: "X", Low: "a", High: "b"}, Y: cross.Axis{Name: "Y", Low: "c", High: "d"}}
	for _, c := range []*cross.Cross{full, bare} {
		body, _ := crossJSON(c)
		var want crossSummaryBody
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		got, ok := scanSummary(body)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("scanSummary(%.200s) = %#v, %v; want %#v", body, got, ok, want)
		}
	}
	odd := []string{
		`{ "x": {"name": "X", "low": "a", "high": "b"} }`,
		`{"x":{"name":"X","low":"a","high":"b"},"scenarios":[{"quadrant":12,"name":"n"}]}`,
		`{"scenarios":[{"quadrant":3,"name":"n"}],"extra":{"a":[1,2,{"b":null}]},"n":-1.5e3,"t":true}`,
	}
	for _, s := range odd {
		var want crossSummaryBody
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if got, err := decodeSummary(s); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeSummary(%s) = %#v, %v; want %#v", s, got, err, want)
		}
	}
	for _, s := range []string{`{"x":{"name":"X"}`, `{"x":{"name":"X"}},`, `{"scenarios":[{"name":"a"},]}`, `{"x":{"name":"a\"}}`, ``, `[]`} {
		if _, ok := scanSummary(s); ok {
			t.Errorf("scanSummary(%s) read it, want refused", s)
		}
		if _, err := decodeSummary(s); err == nil {
			t.Errorf("decodeSummary(%s): no error", s)
		}
	}
}

// BenchmarkDecodeSummary: a list's body with four 2,000-character stories,
// walked and by encoding/json.
func BenchmarkDecodeSummary(b *testing.B) {
	c := &cross.Cross{X: cross.Axis{Name: "Teknik", Low: "Långsam", High: "Snabb"}, Y: cross.Axis{Name: "Tillit", Low: "Låg", High: "Hög"}}
	for q := 1; q <= 4; q++ {
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q, Name: "Framtid", Story: strings.Repeat("En berättelse om välfärden år 2050. ", 55)})
	}
	body, _ := crossJSON(c)
	b.Run("walk", func(b *testing.B) {
		for b.Loop() {
			if _, ok := scanSummary(body); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var s crossSummaryBody
			if err := json.Unmarshal([]byte(body), &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
