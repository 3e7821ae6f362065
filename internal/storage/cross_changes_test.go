package storage

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/framsyn/framsyn/internal/cross"
)

// TestDecodeChanges: the direct reading gives what encoding/json gives for
// what crossJSON writes, and odd forms fall back to encoding/json.
func TestDecodeChanges(t *testing.T) {
	written := [][]cross.AxisChange{
		nil,
		{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Kept}},
		{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Renamed, Why: "Vår fråga är välfärd, inte teknik."}},
		{{Axis: "x", Change: cross.Replaced, Why: `Citat "så här" & <b>`}, {Axis: "y", Change: cross.Renamed, Why: "rad\nny rad"}},
		{{Axis: "x", Change: cross.Replaced, Why: "ok"}},
	}
	for _, want := range written {
		c := &cross.Cross{AxisChanges: want}
		_, s := crossJSON(c)
		got, err := decodeChanges(s)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeChanges(%s) = %#v, %v; want %#v", s, got, err, want)
		}
	}
	odd := []string{
		`[{"change":"kept","axis":"x"}]`,
		`[ {"axis":"x","change":"kept"} ]`,
		`[{"axis":"x","change":"renamed","why":"a\"b"}]`,
	}
	for _, s := range odd {
		var want []cross.AxisChange
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if got, err := decodeChanges(s); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeChanges(%s) = %#v, %v; want %#v", s, got, err, want)
		}
	}
	for _, s := range []string{`[{"axis":"x","change":"kept"},]`, `[{"axis":"x"`, `{}`} {
		if _, ok := scanChanges(s); ok {
			t.Errorf("scanChanges(%s) read it, want refused", s)
		}
		if _, err := decodeChanges(s); err == nil {
			t.Errorf("decodeChanges(%s): no error", s)
		}
	}
}
