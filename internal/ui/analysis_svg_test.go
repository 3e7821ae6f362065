package ui

import (
	"math"
	"strings"
	"testing"
)

func TestSimplify(t *testing.T) {
	// A square with points along its sides keeps its corners only.
	var ring [][2]float64
	for i := range 10 {
		ring = append(ring, [2]float64{float64(i), 0})
	}
	for i := range 10 {
		ring = append(ring, [2]float64{10, float64(i)})
	}
	for i := range 10 {
		ring = append(ring, [2]float64{10 - float64(i), 10})
	}
	for i := range 10 {
		ring = append(ring, [2]float64{0, 10 - float64(i)})
	}
	ring = append(ring, [2]float64{0, 0})
	got := simplify(ring, 0.5)
	if len(got) != 5 {
		t.Fatalf("simplified square: %v", got)
	}
}

func TestMapSVG_EveryLanAndMissingHatched(t *testing.T) {
	vals := map[string]float64{"01": 10, "25": 90, "03": math.NaN()}
	svg := string(mapSVG("m", "Titel", "Beskrivning", "sv", "saknas", vals))
	if n := strings.Count(svg, `stroke-width="0.6" data-code=`); n != 21 {
		t.Errorf("%d län drawn, want 21", n)
	}
	if !strings.Contains(svg, `data-code="03"><title>Uppsala län: saknas</title>`) || !strings.Contains(svg, `fill="url(#m-na)" stroke="#1b1f23" stroke-width="0.6" data-code="03"`) {
		t.Error("a missing value is not hatched and said")
	}
	if !strings.Contains(svg, `fill="#08519c" stroke="#1b1f23" stroke-width="0.6" data-code="25"><title>Norrbottens län: 90,0</title>`) {
		t.Error("the highest value is not in the darkest class")
	}
	if !strings.Contains(svg, `role="img" aria-labelledby="m-t m-d"`) {
		t.Error("the map has no accessible name")
	}
}
