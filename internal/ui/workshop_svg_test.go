package ui

import (
	"fmt"
	"testing"
)

// TestPlaceLabels: labels of dots close together, on the same spot and at
// the chart's edges overlap no other label and stay inside the chart.
func TestPlaceLabels(t *testing.T) {
	same := func(n int, x, y float64) []labelDot {
		var d []labelDot
		for i := range n {
			d = append(d, labelDot{x: x, y: y, text: fmt.Sprintf("Förändrad mobilitet %d", i)})
		}
		return d
	}
	var grid []labelDot
	for i := range 5 {
		for j := range 5 {
			grid = append(grid, labelDot{x: 60 + float64(i)*80, y: 60 + float64(j)*80, text: "Mobilitet i glesbygd"})
		}
	}
	for _, c := range []struct {
		name string
		dots []labelDot
	}{
		{"one", same(1, 220, 220)},
		{"twenty on one spot", same(20, 220, 220)},
		{"eight in the top right corner", same(8, 380, 60)},
		{"eight in the bottom left corner", same(8, 60, 380)},
		{"a full grid", grid},
		{"close together", []labelDot{{220, 220, "Förändrad"}, {224, 222, "Mobilitet"}, {218, 226, "Klimat"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ls := placeLabels(c.dots, 4, 4, 416, 404)
			if len(ls) != len(c.dots) {
				t.Fatalf("%d labels for %d dots", len(ls), len(c.dots))
			}
			for i, a := range ls {
				if a.x < 4 || a.y < 4 || a.x+a.w > 416 || a.y+a.h > 404 {
					t.Errorf("label %d (%q) at %.0f,%.0f leaves the chart", i, a.dot.text, a.x, a.y)
				}
				if a.overlaps {
					t.Errorf("label %d (%q) found no free place", i, a.dot.text)
				}
				for j, b := range ls[:i] {
					if a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h {
						t.Errorf("labels %d and %d overlap", j, i)
					}
				}
			}
		})
	}
}
