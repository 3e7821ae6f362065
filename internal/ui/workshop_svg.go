package ui

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/workshop"
)

// The cross and the rating scatter are drawn on the server as SVG, so they
// print, need no script, and carry their text alternative (a <title>, a
// <desc>, and the list or table beside them on the page).

// CrossSVG draws the 2×2 cross: the axes with their named poles and the
// four scenarios, quadrant 1 top right, then counter-clockwise.
func (p *boardPage) CrossSVG() template.HTML { return crossSVG(p.Results, p.T) }

func crossSVG(r *workshop.Results, t func(string, ...any) string) template.HTML {
	x, y := r.Axis("x"), r.Axis("y")
	desc := t("workshop.cross.desc", x.Label, x.Low, x.High, y.Label, y.Low, y.High)
	d := crossDrawing{ID: "cross", Live: "cross", Title: t("workshop.results.cross"),
		XLow: x.Low, XHigh: x.High, YLow: y.Low, YHigh: y.High}
	for _, s := range r.Scenarios {
		desc += " " + t("workshop.quadrant_n", s.Quadrant) + ": " + orDash(s.Name) + " (" + r.QuadrantPoles(s.Quadrant) + ")."
		if s.Quadrant >= 1 && s.Quadrant <= 4 {
			d.Names[s.Quadrant-1] = s.Name
		}
	}
	d.Desc = desc
	return drawCross(d)
}

// ScatterSVG plots each rated driver at (uncertainty, impact), averages on
// 1–5; the critical uncertainties are top right.
func (p *boardPage) ScatterSVG() template.HTML {
	r := *p.Results
	r.Drivers = p.TopDrivers()
	return scatterSVG(&r, p.T)
}

func scatterSVG(r *workshop.Results, t func(string, ...any) string) template.HTML {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="ws-scatter" data-live="scatter" viewBox="0 0 420 420" role="img" aria-labelledby="sc-t sc-d" xmlns="http://www.w3.org/2000/svg">`)
	fmt.Fprintf(&b, `<title id="sc-t">%s</title><desc id="sc-d">%s</desc>`, e(t("workshop.rating.scatter")), e(t("workshop.rating.scatter_desc")))
	// Plot area 60..380 on both axes; value v (1–5) maps to 60+(v-1)*80.
	b.WriteString(`<rect x="220" y="60" width="160" height="160" fill="#fdf3d6"/>`)
	b.WriteString(`<rect x="60" y="60" width="320" height="320" fill="none" stroke="#c9d1d9"/>`)
	for v := 1; v <= 5; v++ {
		pos := 60 + (v-1)*80
		fmt.Fprintf(&b, `<text x="%d" y="398" text-anchor="middle" font-size="12">%d</text><text x="48" y="%d" text-anchor="end" font-size="12">%d</text>`, pos, v, 384-(v-1)*80, v)
	}
	fmt.Fprintf(&b, `<text x="220" y="416" text-anchor="middle" font-size="13" font-weight="600">%s</text>`, e(t("workshop.rating.uncertainty")))
	fmt.Fprintf(&b, `<text x="16" y="220" text-anchor="middle" font-size="13" font-weight="600" transform="rotate(-90 16 220)">%s</text>`, e(t("workshop.rating.impact")))
	fmt.Fprintf(&b, `<text x="376" y="76" text-anchor="end" font-size="11" fill="#6b4e00">%s</text>`, e(t("workshop.rating.critical")))
	var dots []labelDot
	for _, d := range r.Drivers {
		if d.Ratings == 0 {
			continue
		}
		fill := "#14406b"
		if d.Critical() {
			fill = "#a4141b"
		}
		cx, cy := 60+(d.Uncertainty-1)*80, 380-(d.Impact-1)*80
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="7" fill="%s"><title>%s</title></circle>`, cx, cy, fill, e(d.Name))
		dots = append(dots, labelDot{x: cx, y: cy, text: clip(d.Name, 24)})
	}
	for _, l := range placeLabels(dots, 4, 4, 416, 404) {
		if l.leader {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8a949e" stroke-width="1"/>`, l.dot.x, l.dot.y, l.lx, l.ly)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11">%s</text>`, l.x, l.y+9, e(l.dot.text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// labelDot is a point of a chart with the label to place next to it.
type labelDot struct {
	x, y float64
	text string
}

// placedLabel is a label's box (top left x, y) and, when the label is
// away from its dot, the point of the box a leader line goes to.
type placedLabel struct {
	dot      labelDot
	x, y     float64
	leader   bool
	lx, ly   float64
	w, h     float64
	overlaps bool
}

// placeLabels puts each dot's label where it overlaps no label placed
// before it, no dot, and stays inside the box (x0, y0)–(x1, y1): it tries
// the four corners next to the dot, then rings further out (with a
// leader line back to the dot). A label that finds no free place within
// the rings goes to its nearest place inside the box. Labels are about
// 6 units wide a character at font size 11, 11 high.
func placeLabels(dots []labelDot, x0, y0, x1, y1 float64) []placedLabel {
	const h = 11.0
	var placed []placedLabel
	free := func(x, y, w float64) bool {
		if x < x0 || y < y0 || x+w > x1 || y+h > y1 {
			return false
		}
		for _, p := range placed {
			if x < p.x+p.w+2 && p.x < x+w+2 && y < p.y+p.h+1 && p.y < y+h+1 {
				return false
			}
		}
		for _, d := range dots {
			if d.x+7 > x && d.x-7 < x+w && d.y+7 > y && d.y-7 < y+h {
				return false
			}
		}
		return true
	}
	for _, d := range dots {
		w := 6.0*float64(utf8.RuneCountInString(d.text)) + 2
		l := placedLabel{dot: d, w: w, h: h}
		found := false
		for ring := 0; ring < 12 && !found; ring++ {
			off := 9 + float64(ring)*12
			for _, c := range [][2]float64{{off, -off - h + 4}, {off, off - 4}, {-off - w, -off - h + 4}, {-off - w, off - 4}, {-w / 2, -off - h}, {-w / 2, off}} {
				x, y := d.x+c[0], d.y+c[1]
				if free(x, y, w) {
					l.x, l.y, found = x, y, true
					break
				}
			}
		}
		if !found {
			l.x, l.y = math.Min(math.Max(d.x+9, x0), x1-w), math.Min(math.Max(d.y-h, y0), y1-h)
			l.overlaps = true
		}
		near := math.Abs(l.x-d.x) < 30 && math.Abs(l.y-d.y) < 24 || math.Abs(l.x+w-d.x) < 30 && math.Abs(l.y-d.y) < 24
		if !near {
			l.leader = true
			l.lx, l.ly = math.Min(math.Max(d.x, l.x), l.x+w), math.Min(math.Max(d.y, l.y), l.y+h)
		}
		placed = append(placed, l)
	}
	return placed
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// wrap breaks s into at most max lines of about width characters.
func wrap(s string, width, max int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > max {
		lines = lines[:max]
		lines[max-1] = clip(lines[max-1]+" …", width)
	}
	for i := range lines {
		lines[i] = clip(lines[i], width+4)
	}
	return lines
}
