package search

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkAltTerms analyses a work-sized text of the seed vocabulary.
func BenchmarkAltTerms(b *testing.B) {
	raw, err := os.ReadFile("testdata/words.txt")
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(string(raw))
	text := strings.Join(words[:200], " ")
	known := dict(string(raw))
	for b.Loop() {
		w := IndexWords(text)
		CompoundProbes(w)
		AltTerms(w, known)
	}
}
