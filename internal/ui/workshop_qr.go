package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"

	"github.com/boombuler/barcode/qr"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// The QR code of a workshop's join link, as PNG (to show or download) and
// as SVG (to print sharp at any size).
func (wp *workshopPages) qrPNG(w http.ResponseWriter, r *http.Request) error {
	code, err := wp.joinQR(r)
	if err != nil {
		return err
	}
	const scale, quiet = 8, 4
	n := code.Bounds().Dx()
	size := (n + 2*quiet) * scale
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if dark(code.At(x, y)) {
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						img.SetColorIndex((x+quiet)*scale+dx, (y+quiet)*scale+dy, 1)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(buf.Bytes())
	return nil
}

func (wp *workshopPages) qrSVG(w http.ResponseWriter, r *http.Request) error {
	code, err := wp.joinQR(r)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	writeQRSVG(&b, code, "")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(b.Bytes())
	return nil
}

// joinQR encodes the join link of the workshop with the code in the path.
func (wp *workshopPages) joinQR(r *http.Request) (interface {
	Bounds() image.Rectangle
	At(x, y int) color.Color
}, error) {
	ws, err := wp.svc.ByCode(r.Context(), httpx.Path(r, "code"), clientKey(r))
	if err != nil {
		return nil, err
	}
	return qr.Encode(wp.cfg.BaseURL+paths.Join(ws.Code), qr.M, qr.Auto)
}

func dark(c color.Color) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}

// writeQRSVG draws a QR code as SVG, one path of dark modules; attrs are
// added to the svg element (the projector's inline code names itself).
func writeQRSVG(b *bytes.Buffer, code interface {
	Bounds() image.Rectangle
	At(x, y int) color.Color
}, attrs string) {
	const quiet = 4
	n := code.Bounds().Dx()
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img"%s>`, n+2*quiet, n+2*quiet, attrs)
	fmt.Fprintf(b, `<rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`)
	// One run of dark modules per path segment.
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !dark(code.At(x, y)) {
				x++
				continue
			}
			start := x
			for x < n && dark(code.At(x, y)) {
				x++
			}
			fmt.Fprintf(b, "M%d %dh%dv1h-%dz", start+quiet, y+quiet, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
}
