package ui

import (
	"fmt"
	"html"
	"html/template"
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
	e := html.EscapeString
	x, y := r.Axis("x"), r.Axis("y")
	var b strings.Builder
	desc := t("workshop.cross.desc", x.Label, x.Low, x.High, y.Label, y.Low, y.High)
	for _, s := range r.Scenarios {
		desc += " " + t("workshop.quadrant_n", s.Quadrant) + ": " + orDash(s.Name) + " (" + r.QuadrantPoles(s.Quadrant) + ")."
	}
	fmt.Fprintf(&b, `<svg class="ws-cross" viewBox="0 0 480 480" role="img" aria-labelledby="cross-t cross-d" xmlns="http://www.w3.org/2000/svg">`)
	fmt.Fprintf(&b, `<title id="cross-t">%s</title><desc id="cross-d">%s</desc>`, e(t("workshop.results.cross")), e(desc))
	b.WriteString(`<rect x="40" y="40" width="400" height="400" fill="#f3f6f9" stroke="#c9d1d9"/>`)
	b.WriteString(`<line x1="40" y1="240" x2="440" y2="240" stroke="#14406b" stroke-width="3"/><line x1="240" y1="40" x2="240" y2="440" stroke="#14406b" stroke-width="3"/>`)
	fmt.Fprintf(&b, `<text x="240" y="26" text-anchor="middle" font-size="14" font-weight="600">%s</text>`, e(clip(y.High, 40)))
	fmt.Fprintf(&b, `<text x="240" y="466" text-anchor="middle" font-size="14" font-weight="600">%s</text>`, e(clip(y.Low, 40)))
	fmt.Fprintf(&b, `<text x="44" y="232" font-size="13" font-weight="600">%s</text>`, e(clip(x.Low, 22)))
	fmt.Fprintf(&b, `<text x="436" y="232" text-anchor="end" font-size="13" font-weight="600">%s</text>`, e(clip(x.High, 22)))
	centres := map[int][2]int{1: {340, 140}, 2: {140, 140}, 3: {140, 340}, 4: {340, 340}}
	for _, s := range r.Scenarios {
		c := centres[s.Quadrant]
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#4a5560">%d</text>`, c[0], c[1]-40, s.Quadrant)
		for i, line := range wrap(orDash(s.Name), 20, 3) {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="16" font-weight="700">%s</text>`, c[0], c[1]+i*20, e(line))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// ScatterSVG plots each rated driver at (uncertainty, impact), averages on
// 1–5; the critical uncertainties are top right.
func (p *boardPage) ScatterSVG() template.HTML { return scatterSVG(p.Results, p.T) }

func scatterSVG(r *workshop.Results, t func(string, ...any) string) template.HTML {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="ws-scatter" viewBox="0 0 420 420" role="img" aria-labelledby="sc-t sc-d" xmlns="http://www.w3.org/2000/svg">`)
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
	n := 0
	for _, d := range r.Drivers {
		if d.Ratings == 0 {
			continue
		}
		n++
		cx := 60 + (d.Uncertainty-1)*80
		cy := 380 - (d.Impact-1)*80
		fill := "#14406b"
		if d.Critical() {
			fill = "#a4141b"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="7" fill="%s"><title>%s</title></circle>`, cx, cy, fill, e(d.Name))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11">%s</text>`, cx+9, cy-8, e(clip(d.Name, 24)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
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
