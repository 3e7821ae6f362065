package ui

import (
	"testing"

	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/i18n"
)

// TestAvg_Language: a workshop's averages have a decimal comma in Swedish
// and a decimal point in English.
func TestAvg_Language(t *testing.T) {
	cat := i18n.MustLoad()
	for _, tt := range []struct {
		lang string
		v    float64
		n    int
		want string
	}{{"sv", 3.25, 4, "3,2"}, {"en", 3.25, 4, "3.2"}, {"sv", 4, 1, "4,0"}, {"en", 4, 1, "4.0"}, {"en", 0, 0, "–"}} {
		p := &boardPage{base: base{Translator: cat.For(tt.lang)}}
		if got := p.Avg(tt.v, tt.n); got != tt.want {
			t.Errorf("%s: Avg(%v, %d) = %q, want %q", tt.lang, tt.v, tt.n, got, tt.want)
		}
	}
}

// TestBlockName_Language: a preset's translated block names are the
// blocks' own names in Swedish, in the preset's order, and English where
// the catalogue has them.
func TestBlockName_Language(t *testing.T) {
	cat := i18n.MustLoad()
	sv := &modelsPage{base: base{Translator: cat.For("sv")}}
	en := &modelsPage{base: base{Translator: cat.For("en")}}
	translated := 0
	for _, p := range analysis.Presets {
		for i, b := range p.Blocks {
			if got := sv.BlockName(p.Key, i, b.Name); got != b.Name {
				t.Errorf("%s block %d: Swedish %q, the preset says %q", p.Key, i, got, b.Name)
			}
			if en.BlockName(p.Key, i, b.Name) != b.Name {
				translated++
			}
		}
	}
	if translated < 5 {
		t.Errorf("%d blocks in English, want the omstallning preset's 5", translated)
	}
}

// TestCrossDomain_Language: each suggested domain of a cross has its name
// in both catalogues, the Swedish one the stored value itself; a domain
// an editor typed is shown as typed.
func TestCrossDomain_Language(t *testing.T) {
	cat := i18n.MustLoad()
	sv, en := base{Translator: cat.For("sv")}, base{Translator: cat.For("en")}
	for _, d := range cross.Domains {
		if got := sv.CrossDomain(d); got != d {
			t.Errorf("%s in Swedish: %q", d, got)
		}
		if got := en.CrossDomain(d); got == d {
			t.Errorf("%s has no English name", d)
		}
	}
	if got := en.CrossDomain("egen sak"); got != "egen sak" {
		t.Errorf("a typed domain became %q", got)
	}
}
