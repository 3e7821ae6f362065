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

// BenchmarkSnippet makes the snippets of a page of 20 hits of work-sized
// texts, with a stem without diacritics (the folded match is tried).
func BenchmarkSnippet(b *testing.B) {
	raw, err := os.ReadFile("testdata/words.txt")
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(string(raw))
	var texts []string
	for i := range 20 {
		texts = append(texts, strings.Join(words[i*7%len(words):][:min(120, len(words)-i*7%len(words))], " "))
	}
	stems := []string{Stem("scenario"), "vasterbott"}
	for b.Loop() {
		for _, t := range texts {
			Snippet(t, stems)
		}
	}
}
