package ui

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/i18n"
)

func svgCross() *cross.Cross {
	c := &cross.Cross{Title: "Välfärd & tillit <2050>", X: cross.Axis{Name: "Arbetskraft i vården", Low: "Stor brist", High: "Räcker väl"},
		Y: cross.Axis{Name: "Tillit", Low: "Var och en för sig", High: "Gemensamma lösningar"}}
	for q, name := range []string{"Omsorg nära alla", "Gemensam kraftsamling", "Vård för den som kan betala", "Familjen tar över – åäö"} {
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q + 1, Name: name})
	}
	return c
}

// TestCrossSVG: the drawing is valid XML with a title and a description,
// and its text holds every axis name, pole and scenario name.
func TestCrossSVG(t *testing.T) {
	tr := i18n.MustLoad().For("sv")
	c := svgCross()
	out := string(drawCross(crossDrawingOf(c, "cross", tr.T)))
	dec := xml.NewDecoder(strings.NewReader(out))
	var texts, title, desc strings.Builder
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v\n%s", err, out)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			stack = append(stack, v.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch stack[len(stack)-1] {
			case "text":
				texts.WriteString(string(v) + " ")
			case "title":
				title.WriteString(string(v))
			case "desc":
				desc.WriteString(string(v))
			}
		}
	}
	if title.String() != c.Title {
		t.Errorf("title %q, want %q", title.String(), c.Title)
	}
	drawn := strings.Join(strings.Fields(texts.String()), " ")
	for _, label := range []string{c.X.Name, c.X.Low, c.X.High, c.Y.Name, c.Y.Low, c.Y.High} {
		if !strings.Contains(drawn, label) {
			t.Errorf("the drawing lacks %q: %s", label, drawn)
		}
		if !strings.Contains(desc.String(), label) {
			t.Errorf("the description lacks %q", label)
		}
	}
	for _, s := range c.Scenarios {
		if !strings.Contains(drawn, s.Name) {
			t.Errorf("the drawing lacks scenario %q: %s", s.Name, drawn)
		}
		if !strings.Contains(desc.String(), s.Name) {
			t.Errorf("the description lacks scenario %q", s.Name)
		}
	}
}

// TestCrossPNG: the PNG decodes at twice the SVG's size and draws ink.
func TestCrossPNG(t *testing.T) {
	tr := i18n.MustLoad().For("sv")
	var buf bytes.Buffer
	if err := drawCrossPNG(&buf, crossDrawingOf(svgCross(), "cross", tr.T)); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 960 {
		t.Fatalf("size %v", b)
	}
	// The top pole's label is drawn above the square: dark pixels there.
	dark := 0
	for x := 300; x < 660; x++ {
		for y := 20; y < 60; y++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x4000 {
				dark++
			}
		}
	}
	if dark < 50 {
		t.Errorf("%d dark pixels where the top pole's label is, want a label", dark)
	}
}

func BenchmarkCrossSVG(b *testing.B) {
	tr := i18n.MustLoad().For("sv")
	d := crossDrawingOf(svgCross(), "cross", tr.T)
	for b.Loop() {
		_ = drawCross(d)
	}
}

// TestPNGCache: the same drawing gives the same bytes without drawing
// again, another drawing gets its own, and the cache stays bounded.
func TestPNGCache(t *testing.T) {
	tr := i18n.MustLoad().For("sv")
	d := crossDrawingOf(svgCross(), "cross", tr.T)
	c := &pngCache{max: 2}
	first, err := c.png(d)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.png(d)
	if &first[0] != &again[0] {
		t.Error("the same drawing was drawn again")
	}
	other := d
	other.Names[0] = "Ett annat namn med å ä ö"
	o, _ := c.png(other)
	if bytes.Equal(o, first) {
		t.Error("another drawing got the first one's PNG")
	}
	third := d
	third.XLow = "Annan pol"
	c.png(third)
	if len(c.m) != 2 || len(c.order) != 2 {
		t.Errorf("the cache holds %d (%d in order), want 2", len(c.m), len(c.order))
	}
	if _, ok := c.m[d]; ok {
		t.Error("the oldest drawing was not evicted")
	}
}

func BenchmarkCrossPNGCached(b *testing.B) {
	tr := i18n.MustLoad().For("sv")
	d := crossDrawingOf(svgCross(), "cross", tr.T)
	c := &pngCache{max: 64}
	for b.Loop() {
		if _, err := c.png(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCrossPNG(b *testing.B) {
	tr := i18n.MustLoad().For("sv")
	d := crossDrawingOf(svgCross(), "cross", tr.T)
	for b.Loop() {
		if err := drawCrossPNG(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
