package search

import (
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"göteborg", "goteborg"}, {"västerbott", "vasterbott"}, {"jämtland", "jamtland"},
		{"örebro", "orebro"}, {"åre", "are"}, {"café", "cafe"}, {"scenari", "scenari"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// dict is a Dictionary of the stems of words.
func dict(words string) Dictionary {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[Stem(w)] = true
	}
	return func(s string) bool { return m[s] }
}

func TestSplit(t *testing.T) {
	known := dict("design fiktion framsyn arbete scenario övning sjuk vård klimat anpassning plan region kommun mun stor")
	tests := []struct {
		name, word string
		want       []string
	}{
		{"HeadAndModifier", "designfiktioner", []string{"design", "fiktion"}},
		{"Definite", "designfiktionerna", []string{"design", "fiktion"}},
		{"LinkingS", "framsynsarbete", []string{"framsyn", "arbet"}},
		{"VowelMeetsVowel", "scenarioövningar", []string{"scenari", "övning"}},
		{"Care", "sjukvården", []string{"sjuk", "vård"}},
		{"ThreeParts", "klimatanpassningsplan", []string{"klim", "anpassning", "plan"}},
		{"NoBlindSubstring", "kommunerna", nil}, // "mun" is known, but too short a part
		{"UnknownHead", "designhuset", nil},
		{"UnknownModifier", "filmfiktion", nil},
		{"Short", "stovård", nil},
		{"TwoShortParts", "storvård", []string{"stor", "vård"}},
		{"NotACompound", "fiktioner", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.word, known); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestCompoundProbes: every stem Split asks the dictionary about is among
// the probes, so that storage's one lookup answers all.
func TestCompoundProbes(t *testing.T) {
	words := []string{"designfiktioner", "klimatanpassningsplan", "scenarioövningar", "hälsovård", "kort"}
	probes := map[string]bool{}
	for _, p := range CompoundProbes(words) {
		probes[p] = true
	}
	for _, w := range words {
		Split(w, func(s string) bool {
			if !probes[s] {
				t.Errorf("Split(%q) asks %q, not a probe", w, s)
			}
			return true
		})
	}
}

func TestAltTerms(t *testing.T) {
	known := dict("design fiktion göteborg")
	got := AltTerms(IndexWords("Designfiktioner från Göteborgs stad"), known)
	want := []string{"design", "fiktion", "goteborg"}
	if !slices.Equal(got, want) {
		t.Errorf("AltTerms = %q, want %q", got, want)
	}
}

func TestParsed_Terms(t *testing.T) {
	k := SynonymKey
	syn := map[string][]string{
		"skr":                                {"skl", k("Sveriges Kommuner och Regioner")},
		k("Sveriges Kommuner och Landsting"): {"skl", "skr"},
		"landsting":                          {"region"},
	}
	tests := []struct {
		name, q, tsq string
	}{
		{"Abbreviation", "SKR", "(skr:* | skl:* | sver <-> kommun <-> region)"},
		{"LongestPhraseWins", "Sveriges Kommuner och Landsting", "(sver:* & kommun:* & landsting:* | skl:* | skr:*)"},
		{"OneWord", "landstingen scenario", "(landsting:* | region:*) & scenari:*"},
		{"None", "kommun", "kommun:*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TSQuery(Parse(tt.q).Terms(syn)); got != tt.tsq {
				t.Errorf("TSQuery = %q, want %q", got, tt.tsq)
			}
		})
	}
}
