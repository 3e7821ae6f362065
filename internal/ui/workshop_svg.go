package ui

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
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
	return scatterSVG(&r, p.T, boardScatter)
}

// scatterLayout is how large a scatter is drawn, in its viewBox's units.
type scatterLayout struct {
	W, H       float64 // the viewBox
	L, T, R, B float64 // the plot area
	Font, Tick float64 // labels' and axes' font size
	Dot        float64 // a dot's radius
	Clip       int     // a label's characters at most
	// Inside keeps the labels inside the plot area; Numbered labels a
	// dot that finds no room for its name with its rank, which the list
	// beside the chart names.
	Inside, Numbered bool
}

// boardScatter is the board's and the results page's scatter.
var boardScatter = scatterLayout{W: 420, H: 420, L: 60, T: 60, R: 380, B: 380, Font: 11, Tick: 12, Dot: 7, Clip: 24}

// projectorScatter is the projector's: wide like the screen and drawn at
// about 62vw (1190 px at 1920×1080, 1.19 px a unit), so a label of 21
// units is 25 px, readable at four metres; labels stay in the plot.
var projectorScatter = scatterLayout{W: 1000, H: 660, L: 80, T: 12, R: 988, B: 590, Font: 21, Tick: 24, Dot: 13, Clip: 22, Inside: true, Numbered: true}

func scatterSVG(r *workshop.Results, t func(string, ...any) string, ly scatterLayout) template.HTML {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="ws-scatter" data-live="scatter" viewBox="0 0 %g %g" role="img" aria-labelledby="sc-t sc-d" xmlns="http://www.w3.org/2000/svg">`, ly.W, ly.H)
	fmt.Fprintf(&b, `<title id="sc-t">%s</title><desc id="sc-d">%s</desc>`, e(t("workshop.rating.scatter")), e(t("workshop.rating.scatter_desc")))
	// Value v (1–5) maps to L+(v-1)*sx across and B-(v-1)*sy up.
	sx, sy := (ly.R-ly.L)/4, (ly.B-ly.T)/4
	midX, midY := ly.L+2*sx, ly.B-2*sy
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="#fdf3d6" stroke="#c9a227" stroke-width="%g"/>`, midX, ly.T, ly.R-midX, midY-ly.T, ly.Dot/5)
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#c9d1d9"/>`, ly.L, ly.T, ly.R-ly.L, ly.B-ly.T)
	for v := 1; v <= 5; v++ {
		x, y := ly.L+float64(v-1)*sx, ly.B-float64(v-1)*sy
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="%g">%d</text><text x="%g" y="%g" text-anchor="end" font-size="%g">%d</text>`,
			x, ly.B+ly.Tick*1.5, ly.Tick, v, ly.L-ly.Tick, y+ly.Tick*0.35, ly.Tick, v)
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="%g" font-weight="600">%s</text>`, midX, ly.H-ly.Tick*0.3, ly.Tick*1.08, e(t("workshop.rating.uncertainty")))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="%g" font-weight="600" transform="rotate(-90 %g %g)">%s</text>`, ly.Tick*1.3, (ly.T+ly.B)/2, ly.Tick*1.08, ly.Tick*1.3, (ly.T+ly.B)/2, e(t("workshop.rating.impact")))
	critical := t("workshop.rating.critical")
	cf := ly.Font * 0.95
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" font-size="%g" font-weight="600" fill="#6b4e00">%s</text>`, ly.R-ly.Font*0.4, ly.T+cf*1.3, cf, e(critical))
	// The corner's words are a label the others keep clear of.
	cw := charWidth * cf * float64(utf8.RuneCountInString(critical))
	fixed := []placedLabel{{x: ly.R - ly.Font*0.4 - cw, y: ly.T + cf*0.3, w: cw, h: cf * 1.1}}
	var dots []labelDot
	n := 0
	for _, d := range r.Drivers {
		if d.Ratings == 0 {
			continue
		}
		n++
		fill := "#14406b"
		if d.Critical() {
			fill = "#a4141b"
		}
		cx, cy := ly.L+(d.Uncertainty-1)*sx, ly.B-(d.Impact-1)*sy
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"><title>%s</title></circle>`, cx, cy, ly.Dot, fill, e(d.Name))
		ld := labelDot{x: cx, y: cy, text: clip(d.Name, ly.Clip)}
		if ly.Numbered {
			ld.short = strconv.Itoa(n)
		}
		dots = append(dots, ld)
	}
	area := [4]float64{4, 4, ly.W - 4, ly.H - 4}
	if ly.Inside {
		area = [4]float64{ly.L + 2, ly.T + 2, ly.R - 2, ly.B - 2}
	}
	for _, l := range placeLabels(dots, area, ly.Font, ly.Dot, fixed...) {
		if l.leader {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8a949e" stroke-width="%g"/>`, l.dot.x, l.dot.y, l.lx, l.ly, ly.Font/11)
		}
		weight := ""
		if l.text != l.dot.text {
			weight = ` font-weight="700"`
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%g"%s>%s</text>`, l.x, l.y+ly.Font*0.82, ly.Font, weight, e(l.text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// labelDot is a point of a chart with the label to place next to it and,
// when that finds no room, the short label to place instead ("" none).
type labelDot struct {
	x, y  float64
	text  string
	short string
}

// placedLabel is a label's box (top left x, y) and, when the label is
// away from its dot, the point of the box a leader line goes to.
type placedLabel struct {
	dot      labelDot
	text     string // the label placed: the dot's text or its short label
	x, y     float64
	leader   bool
	lx, ly   float64
	w, h     float64
	overlaps bool
}

// charWidth is a label's average character width per unit of font size
// (sans-serif, mixed case).
const charWidth = 0.55

// placeLabels puts each dot's label where it overlaps no label placed
// before it (nor the fixed boxes), no dot, and stays inside the area
// (x0, y0, x1, y1): it tries the corners and sides next to the dot, then
// rings further out (with a leader line back to the dot). A label that
// finds no free place tries the dot's short label the same way; failing
// both it goes to its nearest place inside the area, marked overlaps.
// font is the labels' font size, r the dots' radius, in the same units.
func placeLabels(dots []labelDot, area [4]float64, font, r float64, fixed ...placedLabel) []placedLabel {
	x0, y0, x1, y1 := area[0], area[1], area[2], area[3]
	h, f := font, font/11
	placed := slices.Clone(fixed)
	free := func(x, y, w float64) bool {
		if x < x0 || y < y0 || x+w > x1 || y+h > y1 {
			return false
		}
		for _, p := range placed {
			if x < p.x+p.w+2*f && p.x < x+w+2*f && y < p.y+p.h+f && p.y < y+h+f {
				return false
			}
		}
		for _, d := range dots {
			if d.x+r > x && d.x-r < x+w && d.y+r > y && d.y-r < y+h {
				return false
			}
		}
		return true
	}
	try := func(d labelDot, w float64) (float64, float64, bool) {
		for ring := 0; ring < 14; ring++ {
			off := r + 2*f + float64(ring)*12*f
			for _, c := range [][2]float64{{off, -off - h + 4*f}, {off, off - 4*f}, {-off - w, -off - h + 4*f}, {-off - w, off - 4*f},
				{-w / 2, -off - h}, {-w / 2, off}, {off, -h / 2}, {-off - w, -h / 2}} {
				if x, y := d.x+c[0], d.y+c[1]; free(x, y, w) {
					return x, y, true
				}
			}
		}
		return 0, 0, false
	}
	width := func(s string) float64 { return charWidth*font*float64(utf8.RuneCountInString(s)) + 2*f }
	for _, d := range dots {
		l := placedLabel{dot: d, text: d.text, w: width(d.text), h: h}
		x, y, found := try(d, l.w)
		if !found && d.short != "" {
			l.text, l.w = d.short, width(d.short)
			x, y, found = try(d, l.w)
		}
		l.x, l.y = x, y
		if !found {
			l.x, l.y = math.Min(math.Max(d.x+r+2*f, x0), x1-l.w), math.Min(math.Max(d.y-h, y0), y1-h)
			l.overlaps = true
		}
		w := l.w
		near := math.Abs(l.x-d.x) < 30*f && math.Abs(l.y-d.y) < 24*f || math.Abs(l.x+w-d.x) < 30*f && math.Abs(l.y-d.y) < 24*f
		if !near {
			l.leader = true
			l.lx, l.ly = math.Min(math.Max(d.x, l.x), l.x+w), math.Min(math.Max(d.y, l.y), l.y+h)
		}
		placed = append(placed, l)
	}
	return placed[len(fixed):]
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
