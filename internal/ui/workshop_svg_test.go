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
		{"close together", []labelDot{{x: 220, y: 220, text: "Förändrad"}, {x: 224, y: 222, text: "Mobilitet"}, {x: 218, y: 226, text: "Klimat"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ls := placeLabels(c.dots, [4]float64{4, 4, 416, 404}, 11, 7)
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

// TestPlaceLabels_Projector: at the projector's size (labels of 21 units
// in a 1000×660 chart) fifteen drivers crowded where ratings gather find
// room inside the plot area, never overlapping: by name, or by rank where
// a name does not fit, and no label sits on a dot.
func TestPlaceLabels_Projector(t *testing.T) {
	ly := projectorScatter
	sx, sy := (ly.R-ly.L)/4, (ly.B-ly.T)/4
	at := func(u, i float64) (float64, float64) { return ly.L + (u-1)*sx, ly.B - (i-1)*sy }
	var crowd, spread []labelDot
	for i := range 15 {
		x, y := at(3.2+float64(i%4)*0.15, 3.1+float64(i/4)*0.2)
		crowd = append(crowd, labelDot{x: x, y: y, text: fmt.Sprintf("Exempel %d: mer digitalis…", i+1), short: fmt.Sprint(i + 1)})
		x, y = at(1+float64(i%5), 1+float64(i/5)*2)
		spread = append(spread, labelDot{x: x, y: y, text: "Mobilitet i glesbygd", short: fmt.Sprint(i + 1)})
	}
	area := [4]float64{ly.L + 2, ly.T + 2, ly.R - 2, ly.B - 2}
	for _, c := range []struct {
		name string
		dots []labelDot
	}{{"fifteen crowded", crowd}, {"fifteen spread to the edges", spread}} {
		t.Run(c.name, func(t *testing.T) {
			ls := placeLabels(c.dots, area, ly.Font, ly.Dot)
			names := 0
			for i, a := range ls {
				if a.text == a.dot.text {
					names++
				}
				if a.x < area[0] || a.y < area[1] || a.x+a.w > area[2] || a.y+a.h > area[3] {
					t.Errorf("label %d (%q) at %.0f,%.0f leaves the plot", i, a.text, a.x, a.y)
				}
				if a.overlaps {
					t.Errorf("label %d (%q) found no free place", i, a.text)
				}
				for j, b := range ls[:i] {
					if a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h {
						t.Errorf("labels %d and %d overlap", j, i)
					}
				}
				for _, d := range c.dots {
					if d.x+ly.Dot > a.x && d.x-ly.Dot < a.x+a.w && d.y+ly.Dot > a.y && d.y-ly.Dot < a.y+a.h {
						t.Errorf("label %d (%q) covers a dot", i, a.text)
					}
				}
			}
			t.Logf("%d of %d labels by name", names, len(ls))
		})
	}
}
