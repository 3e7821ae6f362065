package ui

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// crossDrawing is what the 2×2 cross shows. The workshop's results and
// the scenario crosses both draw through drawCross, so the cross looks
// and reads the same wherever it appears.
type crossDrawing struct {
	ID    string // prefix of the title's and description's ids, unique on the page
	Live  string // the board's data-live name, or ""
	Title string
	Desc  string // the text alternative: axes, poles, and each quadrant's name
	// The axes' names (drawn along the axes when set) and poles.
	XName, XLow, XHigh string
	YName, YLow, YHigh string
	Names              [4]string // quadrants 1–4: top right, then counter-clockwise
}

// drawCross draws the cross as SVG with a <title> and <desc>.
func drawCross(d crossDrawing) template.HTML {
	e := html.EscapeString
	var b strings.Builder
	live := ""
	if d.Live != "" {
		live = ` data-live="` + e(d.Live) + `"`
	}
	fmt.Fprintf(&b, `<svg class="ws-cross"%s viewBox="0 0 480 480" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, live, e(d.ID), e(d.ID))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, e(d.ID), e(d.Title), e(d.ID), e(d.Desc))
	b.WriteString(`<rect x="40" y="40" width="400" height="400" fill="#f3f6f9" stroke="#c9d1d9"/>`)
	b.WriteString(`<line x1="40" y1="240" x2="440" y2="240" stroke="#14406b" stroke-width="3"/><line x1="240" y1="40" x2="240" y2="440" stroke="#14406b" stroke-width="3"/>`)
	fmt.Fprintf(&b, `<text x="240" y="26" text-anchor="middle" font-size="14" font-weight="600">%s</text>`, e(clip(d.YHigh, 40)))
	fmt.Fprintf(&b, `<text x="240" y="466" text-anchor="middle" font-size="14" font-weight="600">%s</text>`, e(clip(d.YLow, 40)))
	fmt.Fprintf(&b, `<text x="44" y="232" font-size="13" font-weight="600">%s</text>`, e(clip(d.XLow, 22)))
	fmt.Fprintf(&b, `<text x="436" y="232" text-anchor="end" font-size="13" font-weight="600">%s</text>`, e(clip(d.XHigh, 22)))
	if d.XName != "" {
		fmt.Fprintf(&b, `<text x="436" y="258" text-anchor="end" font-size="11" font-style="italic" fill="#14406b">%s</text>`, e(clip(d.XName, 34)))
	}
	if d.YName != "" {
		fmt.Fprintf(&b, `<text x="248" y="56" font-size="11" font-style="italic" fill="#14406b">%s</text>`, e(clip(d.YName, 30)))
	}
	centres := [4][2]int{{340, 140}, {140, 140}, {140, 340}, {340, 340}}
	for i, name := range d.Names {
		c := centres[i]
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#4a5560">%d</text>`, c[0], c[1]-40, i+1)
		for j, line := range wrap(orDash(name), 20, 3) {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="16" font-weight="700">%s</text>`, c[0], c[1]+j*20, e(line))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
