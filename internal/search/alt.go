package search

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A document's alternative terms are indexed beside its words, weighing
// less than the body (a fourth FTS5 column, weight C of the tsvector), so
// that a query finds them but ranks an exact match first:
//   - the parts of its compound words, "designfiktioner" giving "design"
//     and "fiktion", split by a dictionary, never by blind substring;
//   - the folded form of every term and part with diacritics, so that
//     "goteborg" typed on a keyboard without å ä ö finds "Göteborg".

// Fold returns w without diacritics: å and ä become a, ö becomes o, é e.
func Fold(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Limits of compound splitting.
const (
	minPartRunes     = 4  // a part's stem is at least this long: "vård", "plan", "sjuk"
	minCompoundRunes = 8  // a shorter word is not split
	minNestedRunes   = 12 // a head this long may be split once more: klimat|anpassning|s|plan
)

//go:embed words_sv.txt
var wordsSV string

// shipped is the stems of words_sv.txt, words compounds are made of that
// a small index may not hold alone.
var shipped = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(wordsSV, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[Stem(l)] = true
		}
	}
	return m
}()

// Shipped reports whether a stem is one of the word list shipped with
// framsyn for splitting compounds.
func Shipped(stem string) bool { return shipped[stem] }

// Dictionary tells whether a stem is a known word, as a part of a compound
// may be: storage answers from the index's own vocabulary and Words.
type Dictionary func(stem string) bool

// CompoundProbes returns every stem that splitting words may ask a
// Dictionary about, so that storage can look them all up in one query.
func CompoundProbes(words []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, w := range words {
		probes(w, 1, add)
	}
	return out
}

func probes(w string, depth int, add func(string)) {
	bounds := runeBounds(w)
	for r, i := range bounds {
		if r < minPartRunes || len(bounds)-r < minPartRunes {
			continue
		}
		for _, m := range modifiers(w[:i]) {
			add(partStem(m))
		}
		head := w[i:]
		add(partStem(head))
		if depth > 0 && len(bounds)-r >= minNestedRunes {
			probes(head, depth-1, add)
		}
	}
}

// runeBounds returns the byte offset of each rune of w, or nil when w is
// too short to be split.
func runeBounds(w string) []int {
	if utf8.RuneCountInString(w) < minCompoundRunes {
		return nil
	}
	var bounds []int
	for i := range w {
		bounds = append(bounds, i)
	}
	return bounds
}

// modifiers returns the forms a compound's first part may take: as it is,
// and without a linking s or e (framsyn|s|arbete, skol|e|gård… as
// "framsyn", "skol").
func modifiers(mod string) []string {
	out := []string{mod}
	if l := mod[len(mod)-1]; (l == 's' || l == 'e') && utf8.RuneCountInString(mod) > minPartRunes {
		out = append(out, mod[:len(mod)-1])
	}
	return out
}

// Split returns the stems of the parts of a compound word (lower-cased,
// unstemmed), or nil when it is none by known: a modifier and a head both
// in the dictionary, the longest modifier first; failing that, a head that
// splits once more.
func Split(w string, known Dictionary) []string {
	return split(w, known, 1)
}

func split(w string, known Dictionary, depth int) []string {
	type cut struct{ mod, head string }
	var cuts []cut // every known modifier, longest first
	bounds := runeBounds(w)
	for r := len(bounds) - 1; r >= 0; r-- {
		if r < minPartRunes || len(bounds)-r < minPartRunes {
			continue
		}
		for _, m := range modifiers(w[:bounds[r]]) {
			if ms := partStem(m); part(ms) && known(ms) {
				cuts = append(cuts, cut{ms, w[bounds[r]:]})
				break
			}
		}
	}
	for _, c := range cuts {
		if hs := partStem(c.head); part(hs) && known(hs) {
			return []string{c.mod, hs}
		}
	}
	if depth == 0 {
		return nil
	}
	for _, c := range cuts {
		if utf8.RuneCountInString(c.head) < minNestedRunes {
			continue
		}
		if rest := split(c.head, known, depth-1); rest != nil {
			return append([]string{c.mod}, rest...)
		}
	}
	return nil
}

// partStem is Stem for the parts compounds are split into, remembered:
// splitting a word stems each of its prefixes and suffixes, most of a
// document's analysis, and a library's words recur. The memory is
// emptied when full.
func partStem(w string) string {
	stems.Lock()
	s, ok := stems.m[w]
	stems.Unlock()
	if ok {
		return s
	}
	s = Stem(w)
	stems.Lock()
	if len(stems.m) >= maxStems {
		clear(stems.m)
	}
	stems.m[w] = s
	stems.Unlock()
	return s
}

const maxStems = 1 << 18

var stems = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// part reports whether a stem may be a part of a compound.
func part(s string) bool {
	return utf8.RuneCountInString(s) >= minPartRunes && !IsStopWord(s)
}

// AltTerms returns the alternative terms of a document's words (lower-cased,
// unstemmed, as IndexTerms without stemming gives them): the parts of its
// compounds by known and the folded forms of its terms and parts, each
// once.
func AltTerms(words []string, known Dictionary) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	done := map[string]bool{}
	for _, w := range words {
		if done[w] {
			continue
		}
		done[w] = true
		st := Stem(w)
		if f := Fold(st); f != st {
			add(f)
		}
		for _, p := range Split(w, known) {
			add(p)
			if f := Fold(p); f != p {
				add(f)
			}
		}
	}
	return out
}

// IndexWords returns the indexable words of text, lower-cased and
// unstemmed: what AltTerms and CompoundProbes take.
func IndexWords(text string) []string { return indexWords(text, false) }
