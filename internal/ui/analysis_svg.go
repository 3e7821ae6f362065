package ui

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/framsyn/framsyn/internal/analysis"
)

// The analysis area's charts, drawn as SVG on the server: the same
// markup is the page's figure, the fragment the sliders redraw and the
// file the export link downloads. Each chart has a title and a
// description, and the page beside it a table with the same figures.

// svgEsc escapes text for SVG.
func svgEsc(s string) string { return html.EscapeString(s) }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// numText says a figure for people: one decimal, a decimal comma in
// Swedish, "–" when missing.
func numText(lang string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if lang == "sv" {
		s = strings.Replace(s, ".", ",", 1)
		s = strings.Replace(s, "-", "−", 1)
	}
	return s
}

// The map's projection: longitude scaled by cos 62° (the middle of
// Sweden), latitude up; the paths are made once.
type lanShape struct {
	Code, Name string
	Path       string
}

var (
	mapOnce   sync.Once
	mapShapes []lanShape
	mapW      float64
	mapH      float64
)

const mapWidth = 300.0

func lanShapes() []lanShape {
	mapOnce.Do(func() {
		var fc struct {
			Features []struct {
				Properties struct{ Code, Name string } `json:"properties"`
				Geometry   struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(analysis.LanGeoJSON, &fc); err != nil {
			panic(err)
		}
		k := math.Cos(62 * math.Pi / 180)
		type ring [][2]float64
		var all [][]ring
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, f := range fc.Features {
			var polys [][]ring
			if f.Geometry.Type == "Polygon" {
				var p []ring
				_ = json.Unmarshal(f.Geometry.Coordinates, &p)
				polys = [][]ring{p}
			} else {
				_ = json.Unmarshal(f.Geometry.Coordinates, &polys)
			}
			var rings []ring
			for _, p := range polys {
				for _, r := range p {
					pr := make(ring, len(r))
					for i, pt := range r {
						x, y := pt[0]*k, -pt[1]
						pr[i] = [2]float64{x, y}
						minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
					}
					rings = append(rings, pr)
				}
			}
			all = append(all, rings)
		}
		scale := mapWidth / (maxX - minX)
		mapW, mapH = mapWidth, (maxY-minY)*scale
		for i, f := range fc.Features {
			var b strings.Builder
			for _, r := range all[i] {
				// Islets under 2 px across are invisible at this size.
				x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
				for _, pt := range r {
					x0, y0, x1, y1 = min(x0, pt[0]), min(y0, pt[1]), max(x1, pt[0]), max(y1, pt[1])
				}
				if (x1-x0)*scale < 2 && (y1-y0)*scale < 2 {
					continue
				}
				pts := make([][2]float64, len(r))
				for j, pt := range r {
					pts[j] = [2]float64{(pt[0] - minX) * scale, (pt[1] - minY) * scale}
				}
				for j, pt := range simplify(pts, 0.8) {
					if j == 0 {
						b.WriteString("M")
					} else {
						b.WriteString("L")
					}
					b.WriteString(f1(pt[0]) + " " + f1(pt[1]))
				}
				b.WriteString("Z")
			}
			mapShapes = append(mapShapes, lanShape{Code: f.Properties.Code, Name: f.Properties.Name, Path: b.String()})
		}
	})
	return mapShapes
}

// simplify is the Douglas–Peucker simplification of a ring: the points
// that lie farther than eps from the line through their neighbours kept.
func simplify(pts [][2]float64, eps float64) [][2]float64 {
	if len(pts) < 4 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		a, b := pts[sp.a], pts[sp.b]
		dx, dy := b[0]-a[0], b[1]-a[1]
		n := math.Hypot(dx, dy)
		far, at := 0.0, -1
		for i := sp.a + 1; i < sp.b; i++ {
			p := pts[i]
			var d float64
			if n == 0 {
				d = math.Hypot(p[0]-a[0], p[1]-a[1])
			} else {
				d = math.Abs(dy*p[0]-dx*p[1]+b[0]*a[1]-b[1]*a[0]) / n
			}
			if d > far {
				far, at = d, i
			}
		}
		if at >= 0 && far > eps {
			keep[at] = true
			stack = append(stack, span{sp.a, at}, span{at, sp.b})
		}
	}
	out := make([][2]float64, 0, len(pts)/4)
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

// blues is a five-class sequential scale (ColorBrewer Blues), light to dark.
var blues = [5]string{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"}

// classOf puts v in one of five equal classes between lo and hi.
func classOf(v, lo, hi float64) int {
	if hi <= lo {
		return 2
	}
	c := int((v - lo) / (hi - lo) * 5)
	return min(max(c, 0), 4)
}

// chartValue is a labelled figure of a chart.
type chartValue struct {
	Code, Label string
	Value       float64
}

// mapSVG draws the 21 län coloured by value (missing: hatched), with a
// legend of the classes.
func mapSVG(id, title, desc, lang, missing string, vals map[string]float64) template.HTML {
	shapes := lanShapes()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	legendH := 6*18.0 + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart map" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d">`,
		id, f1(mapW+150), f1(max(mapH, legendH)), f1(mapW+150), f1(max(mapH, legendH)), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
	// Missing is hatched, so it is not read as the lightest class.
	na := "url(#" + id + "-na)"
	fmt.Fprintf(&b, `<defs><pattern id="%s-na" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="#ffffff"/><path d="M0 6L6 0" stroke="#4a5560" stroke-width="1"/></pattern></defs>`, id)
	for _, s := range shapes {
		v, ok := vals[s.Code]
		fill, label := na, missing
		if ok && !math.IsNaN(v) {
			fill, label = blues[classOf(v, lo, hi)], numText(lang, v)
		}
		fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#1b1f23" stroke-width="0.6" data-code="%s"><title>%s: %s</title></path>`,
			s.Path, fill, s.Code, svgEsc(s.Name), svgEsc(label))
	}
	x := mapW + 14
	if !math.IsInf(lo, 0) {
		for c := 4; c >= 0; c-- {
			a, z := lo+(hi-lo)*float64(c)/5, lo+(hi-lo)*float64(c+1)/5
			y := 8 + float64(4-c)*18
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="14" fill="%s" stroke="#1b1f23" stroke-width="0.6"/><text x="%s" y="%s" font-size="11" fill="#1b1f23">%s–%s</text>`,
				f1(x), f1(y), blues[c], f1(x+20), f1(y+11), numText(lang, a), numText(lang, z))
		}
	}
	y := 8 + 5*18.0
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="14" fill="%s" stroke="#1b1f23" stroke-width="0.6"/><text x="%s" y="%s" font-size="11" fill="#1b1f23">%s</text>`,
		f1(x), f1(y), na, f1(x+20), f1(y+11), svgEsc(missing))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barsSVG draws one block's values as horizontal bars, in the order given.
func barsSVG(id, title, desc, lang string, vals []chartValue) template.HTML {
	const labelW, barW, rowH, top = 96.0, 190.0, 15.0, 6.0
	lo, hi := 0.0, math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v.Value) {
			lo, hi = min(lo, v.Value), max(hi, v.Value)
		}
	}
	if math.IsInf(hi, 0) || hi <= lo {
		hi = lo + 1
	}
	h := top*2 + rowH*float64(len(vals))
	w := labelW + barW + 44
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart bars" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d">`,
		id, f1(w), f1(h), f1(w), f1(h), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
	zero := labelW + (0-lo)/(hi-lo)*barW
	for i, v := range vals {
		y := top + rowH*float64(i)
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#1b1f23">%s</text>`, f1(labelW-4), f1(y+10.5), svgEsc(v.Label))
		if math.IsNaN(v.Value) {
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" fill="#1b1f23">–</text>`, f1(zero+3), f1(y+10.5))
			continue
		}
		x := labelW + (v.Value-lo)/(hi-lo)*barW
		x0, x1 := min(zero, x), max(zero, x)
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="11" fill="#14406b" data-code="%s"><title>%s: %s</title></rect>`,
			f1(x0), f1(y+1), f1(max(x1-x0, 0.5)), v.Code, svgEsc(v.Label), numText(lang, v.Value))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" fill="#1b1f23">%s</text>`, f1(x1+3), f1(y+10), numText(lang, v.Value))
	}
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#4a5560" stroke-width="0.8"/>`, f1(zero), f1(zero), f1(top-2), f1(h-top+2))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// spiderSVG draws a region's block values against the national median on
// axes from the lowest to the highest value of any region.
func spiderSVG(id, title, desc, lang string, axes []string, region, median []float64, lo, hi float64, regionName, medianName string) template.HTML {
	const width, size, r0 = 520.0, 360.0, 120.0
	cx, cy := width/2, size/2-6
	if hi <= lo {
		hi = lo + 1
	}
	n := len(axes)
	pt := func(i int, v float64) (float64, float64) {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(max(n, 1))
		rr := r0 * (v - lo) / (hi - lo)
		if math.IsNaN(v) {
			rr = 0
		}
		return cx + rr*math.Cos(a), cy + rr*math.Sin(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart spider" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d">`,
		id, f1(width), f1(size+30), f1(width), f1(size+30), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
	for ring := 1; ring <= 4; ring++ {
		var p []string
		for i := range n {
			x, y := pt(i, lo+(hi-lo)*float64(ring)/4)
			p = append(p, f1(x)+","+f1(y))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="none" stroke="#c9d1d9" stroke-width="0.8"/>`, strings.Join(p, " "))
	}
	for i, a := range axes {
		x, y := pt(i, hi)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#c9d1d9"/>`, f1(cx), f1(cy), f1(x), f1(y))
		lx, ly := pt(i, hi+(hi-lo)*0.12)
		anchor := "middle"
		if lx < cx-10 {
			anchor = "end"
		} else if lx > cx+10 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="%s" fill="#1b1f23">%s</text>`, f1(lx), f1(ly+4), anchor, svgEsc(a))
	}
	poly := func(vals []float64, stroke, fill, dash string) {
		var p []string
		for i, v := range vals {
			x, y := pt(i, v)
			p = append(p, f1(x)+","+f1(y))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.2" stroke="%s" stroke-width="2"%s/>`, strings.Join(p, " "), fill, stroke, dash)
	}
	poly(median, "#a4141b", "none", ` stroke-dasharray="5 3"`)
	poly(region, "#14406b", "#14406b", "")
	ly := size + 4
	fmt.Fprintf(&b, `<line x1="90" x2="114" y1="%s" y2="%s" stroke="#14406b" stroke-width="2"/><text x="120" y="%s" font-size="11" fill="#1b1f23">%s</text>`, f1(ly), f1(ly), f1(ly+4), svgEsc(regionName))
	fmt.Fprintf(&b, `<line x1="290" x2="314" y1="%s" y2="%s" stroke="#a4141b" stroke-width="2" stroke-dasharray="5 3"/><text x="320" y="%s" font-size="11" fill="#1b1f23">%s</text>`, f1(ly), f1(ly), f1(ly+4), svgEsc(medianName))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// linesSVG draws series over years (the first solid, the others dashed).
func linesSVG(id, title, desc, lang string, years []int, series [][]float64, names []string) template.HTML {
	const w, h, left, right, top, bottom = 420.0, 220.0, 44.0, 12.0, 10.0, 46.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		hi = lo + 1
	}
	pad := (hi - lo) * 0.08
	lo, hi = lo-pad, hi+pad
	x := func(i int) float64 {
		if len(years) < 2 {
			return left + (w-left-right)/2
		}
		return left + (w-left-right)*float64(years[i]-years[0])/float64(years[len(years)-1]-years[0])
	}
	y := func(v float64) float64 { return top + (h-top-bottom)*(hi-v)/(hi-lo) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart lines" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d">`,
		id, f1(w), f1(h), f1(w), f1(h), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
	for k := 0; k <= 4; k++ {
		v := lo + (hi-lo)*float64(k)/4
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#c9d1d9" stroke-width="0.8"/><text x="%s" y="%s" font-size="10" text-anchor="end" fill="#1b1f23">%s</text>`,
			f1(left), f1(w-right), f1(y(v)), f1(y(v)), f1(left-4), f1(y(v)+3), numText(lang, v))
	}
	for i, yr := range years {
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" text-anchor="middle" fill="#1b1f23">%d</text>`, f1(x(i)), f1(h-bottom+14), yr)
	}
	colours := []string{"#14406b", "#a4141b", "#1d6b36"}
	for si, s := range series {
		var p []string
		for i, v := range s {
			if !math.IsNaN(v) {
				p = append(p, f1(x(i))+","+f1(y(v)))
			}
		}
		dash := ""
		if si > 0 {
			dash = ` stroke-dasharray="5 3"`
		}
		c := colours[si%len(colours)]
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, strings.Join(p, " "), c, dash)
		for i, v := range s {
			if !math.IsNaN(v) {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s %d: %s</title></circle>`, f1(x(i)), f1(y(v)), c, svgEsc(names[si]), years[i], numText(lang, v))
			}
		}
		lx := left + float64(si)*170
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"%s/><text x="%s" y="%s" font-size="11" fill="#1b1f23">%s</text>`,
			f1(lx), f1(lx+22), f1(h-10), f1(h-10), c, dash, f1(lx+28), f1(h-6), svgEsc(names[si]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// intervalRow is a region's rank interval for the chart.
type intervalRow struct {
	Label               string
	Nominal             int
	P05, Median, P95    float64
	P05T, MedianT, P95T string
}

// intervalsSVG draws each region's 5th–95th percentile rank as a line,
// the median as a dot and the nominal rank as a diamond; rank 1 left.
func intervalsSVG(id, title, desc string, rows []intervalRow, n int, legend [3]string) template.HTML {
	const labelW, plotW, rowH, top = 96.0, 260.0, 16.0, 22.0
	h := top + rowH*float64(len(rows)) + 30
	w := labelW + plotW + 20
	x := func(rank float64) float64 {
		if n <= 1 {
			return labelW
		}
		return labelW + plotW*(rank-1)/float64(n-1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart intervals" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d">`,
		id, f1(w), f1(h), f1(w), f1(h), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
	for r := 1; r <= n; r++ {
		if r == 1 || r%5 == 0 || r == n {
			fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#c9d1d9" stroke-width="0.8"/><text x="%s" y="%s" font-size="10" text-anchor="middle" fill="#1b1f23">%d</text>`,
				f1(x(float64(r))), f1(x(float64(r))), f1(top-6), f1(h-30), f1(x(float64(r))), f1(top-9), r)
		}
	}
	for i, r := range rows {
		y := top + rowH*float64(i) + 8
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#1b1f23">%s</text>`, f1(labelW-6), f1(y+4), svgEsc(r.Label))
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#14406b" stroke-width="3"><title>%s: %s–%s</title></line>`,
			f1(x(r.P05)), f1(max(x(r.P95), x(r.P05)+1)), f1(y), f1(y), svgEsc(r.Label), r.P05T, r.P95T)
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="4" fill="#ffffff" stroke="#14406b" stroke-width="2"/>`, f1(x(r.Median)), f1(y))
		nx := x(float64(r.Nominal))
		fmt.Fprintf(&b, `<path d="M%s %sL%s %sL%s %sL%s %sZ" fill="#a4141b"/>`, f1(nx), f1(y-4), f1(nx+4), f1(y), f1(nx), f1(y+4), f1(nx-4), f1(y))
	}
	ly := h - 12
	fmt.Fprintf(&b, `<line x1="10" x2="30" y1="%s" y2="%s" stroke="#14406b" stroke-width="3"/><text x="34" y="%s" font-size="11" fill="#1b1f23">%s</text>`, f1(ly), f1(ly), f1(ly+4), svgEsc(legend[0]))
	fmt.Fprintf(&b, `<circle cx="150" cy="%s" r="4" fill="#ffffff" stroke="#14406b" stroke-width="2"/><text x="158" y="%s" font-size="11" fill="#1b1f23">%s</text>`, f1(ly), f1(ly+4), svgEsc(legend[1]))
	fmt.Fprintf(&b, `<path d="M250 %sL254 %sL250 %sL246 %sZ" fill="#a4141b"/><text x="258" y="%s" font-size="11" fill="#1b1f23">%s</text>`, f1(ly-4), f1(ly), f1(ly+4), f1(ly), f1(ly+4), svgEsc(legend[2]))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
