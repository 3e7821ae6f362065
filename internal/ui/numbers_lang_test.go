package ui

import (
	"testing"

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
