package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The cross as PNG, drawn on the server from the same crossDrawing as the
// SVG, at twice the SVG's size. The Go fonts (embedded in
// golang.org/x/image, BSD licence) cover å, ä and ö, so labels need no
// font on the server and look the same everywhere; drawing in the browser
// would need script and the fonts of each browser.

const pngScale = 2

var (
	pngFontsOnce sync.Once
	pngFonts     map[string]*opentype.Font
	pngFontsErr  error
)

func pngFace(style string, size float64) (font.Face, error) {
	pngFontsOnce.Do(func() {
		pngFonts = map[string]*opentype.Font{}
		for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF, "italic": goitalic.TTF} {
			f, err := opentype.Parse(ttf)
			if err != nil {
				pngFontsErr = err
				return
			}
			pngFonts[name] = f
		}
	})
	if pngFontsErr != nil {
		return nil, pngFontsErr
	}
	return opentype.NewFace(pngFonts[style], &opentype.FaceOptions{Size: size * pngScale, DPI: 72, Hinting: font.HintingFull})
}

// drawCrossPNG writes d as a PNG of 960×960 pixels.
func drawCrossPNG(w io.Writer, d crossDrawing) error {
	const n = 480 * pngScale
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		draw.Draw(img, image.Rect(x0*pngScale, y0*pngScale, x1*pngScale, y1*pngScale), image.NewUniform(c), image.Point{}, draw.Src)
	}
	ink, brand, muted := color.RGBA{0x1b, 0x1f, 0x24, 0xff}, color.RGBA{0x14, 0x40, 0x6b, 0xff}, color.RGBA{0x4a, 0x55, 0x60, 0xff}
	fill(40, 40, 440, 440, color.RGBA{0xc9, 0xd1, 0xd9, 0xff})
	fill(41, 41, 439, 439, color.RGBA{0xf3, 0xf6, 0xf9, 0xff})
	fill(40, 238, 440, 242, brand)
	fill(238, 40, 242, 440, brand)
	// text draws s with its baseline at y; anchor is start, middle or end.
	// Faces are not safe for concurrent use: each drawing makes its own,
	// one per style and size.
	faces := map[[2]any]font.Face{}
	defer func() {
		for _, f := range faces {
			f.Close()
		}
	}()
	text := func(s string, x, y int, size float64, style, anchor string, c color.Color) error {
		face, ok := faces[[2]any{style, size}]
		if !ok {
			var err error
			if face, err = pngFace(style, size); err != nil {
				return err
			}
			faces[[2]any{style, size}] = face
		}
		dr := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
		width := dr.MeasureString(s).Ceil()
		px := x * pngScale
		switch anchor {
		case "middle":
			px -= width / 2
		case "end":
			px -= width
		}
		dr.Dot = fixed.P(px, y*pngScale)
		dr.DrawString(s)
		return nil
	}
	type label struct {
		s            string
		x, y         int
		size         float64
		style, align string
		c            color.Color
	}
	labels := []label{
		{clip(d.YHigh, 40), 240, 26, 14, "bold", "middle", ink},
		{clip(d.YLow, 40), 240, 466, 14, "bold", "middle", ink},
		{clip(d.XLow, 22), 44, 232, 13, "bold", "start", ink},
		{clip(d.XHigh, 22), 436, 232, 13, "bold", "end", ink},
	}
	if d.XName != "" {
		labels = append(labels, label{clip(d.XName, 34), 436, 258, 11, "italic", "end", brand})
	}
	if d.YName != "" {
		labels = append(labels, label{clip(d.YName, 30), 248, 56, 11, "italic", "start", brand})
	}
	centres := [4][2]int{{340, 140}, {140, 140}, {140, 340}, {340, 340}}
	for i, name := range d.Names {
		c := centres[i]
		labels = append(labels, label{string(rune('1' + i)), c[0], c[1] - 40, 12, "regular", "middle", muted})
		for j, line := range wrap(orDash(name), 20, 3) {
			labels = append(labels, label{line, c[0], c[1] + j*20, 16, "bold", "middle", ink})
		}
	}
	for _, l := range labels {
		if err := text(l.s, l.x, l.y, l.size, l.style, l.align, l.c); err != nil {
			return err
		}
	}
	// Flat colours compress well even at the fastest level.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// crossPNGs keeps the PNGs drawn last, by their drawing. Encoding a
// 960×960 image is ~20 ms of CPU (BenchmarkCrossPNG), and the drawing is
// the whole input of the picture, so a cross or language that changed is
// another key and nothing cached is ever stale. Who may see the cross is
// decided before the cache is asked.
var crossPNGs = &pngCache{max: 64}

type pngCache struct {
	mu    sync.Mutex
	max   int
	m     map[crossDrawing][]byte
	order []crossDrawing // oldest first, for eviction
}

// png returns the PNG of d, drawing it when it is not kept.
func (c *pngCache) png(d crossDrawing) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.m[d]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	var buf bytes.Buffer
	if err := drawCrossPNG(&buf, d); err != nil {
		return nil, err
	}
	b = buf.Bytes()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[crossDrawing][]byte{}
	}
	if _, ok := c.m[d]; !ok {
		c.m[d] = b
		c.order = append(c.order, d)
		for len(c.order) > c.max {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	return b, nil
}
