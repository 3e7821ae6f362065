package web

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The colour system's pairs meet WCAG 2.1 contrast: each "contrast: --fg
// on --bg: min" line in style.css names two custom properties of its
// :root and the ratio they must reach, so a changed colour fails here, in
// CI, rather than in an audit.

var (
	rootRE     = regexp.MustCompile(`(?s):root\s*\{(.*?)\n\}`)
	colourRE   = regexp.MustCompile(`(--[a-z0-9-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;`)
	contrastRE = regexp.MustCompile(`(?m)^\s*contrast:\s*(--[a-z0-9-]+) on (--[a-z0-9-]+):\s*([0-9.]+)\s*$`)
)

func TestColourContrast(t *testing.T) {
	b, err := Static.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	root := rootRE.FindStringSubmatch(css)
	if root == nil {
		t.Fatal("style.css has no :root block")
	}
	colours := map[string]string{}
	for _, m := range colourRE.FindAllStringSubmatch(root[1], -1) {
		colours[m[1]] = m[2]
	}
	pairs := contrastRE.FindAllStringSubmatch(css, -1)
	if len(pairs) < 20 {
		t.Fatalf("style.css declares %d contrast pairs, want the colour system's (at least 20)", len(pairs))
	}
	for _, p := range pairs {
		fg, bg := p[1], p[2]
		t.Run(strings.TrimPrefix(fg, "--")+"_on_"+strings.TrimPrefix(bg, "--"), func(t *testing.T) {
			min, err := strconv.ParseFloat(p[3], 64)
			if err != nil || (min != 3 && min != 4.5 && min != 7) {
				t.Fatalf("minimum %q: want 3 (large text, UI), 4.5 (text) or 7", p[3])
			}
			for _, v := range []string{fg, bg} {
				if _, ok := colours[v]; !ok {
					t.Fatalf("%s is not a hex colour of :root", v)
				}
			}
			got, err := contrast(colours[fg], colours[bg])
			if err != nil {
				t.Fatal(err)
			}
			if got < min {
				t.Errorf("%s (%s) on %s (%s): %.2f:1, want at least %.1f:1", fg, colours[fg], bg, colours[bg], got, min)
			}
		})
	}
	// Every colour of the system takes part in a checked pair, except the
	// decorative lines (borders that do not show a control).
	decorative := map[string]bool{"--line": true, "--note-line": true, "--warn-line": true}
	used := map[string]bool{}
	for _, p := range pairs {
		used[p[1]], used[p[2]] = true, true
	}
	for v := range colours {
		if !used[v] && !decorative[v] {
			t.Errorf("%s is in :root but in no contrast pair", v)
		}
	}
}

func TestContrastFormula(t *testing.T) {
	for _, tt := range []struct {
		name, fg, bg string
		want         float64
	}{
		{"BlackOnWhite", "#000000", "#ffffff", 21},
		{"Same", "#777777", "#777777", 1},
		{"GreyOnWhite", "#777", "#fff", 4.48},      // the well-known just-failing grey
		{"GreyOnWhiteOK", "#767676", "#fff", 4.54}, // the lightest passing grey
		{"Symmetric", "#ffffff", "#14406b", 10.6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := contrast(tt.fg, tt.bg)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 0.05 {
				t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tt.fg, tt.bg, got, tt.want)
			}
		})
	}
}

// contrast is the WCAG 2.1 contrast ratio of two sRGB hex colours.
func contrast(a, b string) (float64, error) {
	la, err := luminance(a)
	if err != nil {
		return 0, err
	}
	lb, err := luminance(b)
	if err != nil {
		return 0, err
	}
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05), nil
}

// luminance is a colour's relative luminance (WCAG 2.1, "relative luminance").
func luminance(hex string) (float64, error) {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return 0, fmt.Errorf("colour %q: want #rgb or #rrggbb", hex)
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return 0, fmt.Errorf("colour %q: %w", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l, nil
}
