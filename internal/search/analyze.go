package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/unicode/norm"
)

// Limits of the query analyzer: longer input is cut, never refused.
const (
	MaxQueryRunes = 500 // runes of a query that are read
	MaxQueryTerms = 10  // terms of a query that are searched for
	MaxTermRunes  = 64  // a longer word is cut (it still matches as a prefix)
	MinTermRunes  = 2   // a shorter word is ignored
)

// token is a word in a text, by byte offsets into the NFC form.
type token struct {
	start, end int
	lower      string
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokens splits NFC text into words: runs of letters, digits and combining
// marks. Everything else, quotes, operators and control characters
// included, separates words and carries no meaning.
func tokens(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, token{start: start, end: i, lower: strings.ToLower(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start: start, end: len(text), lower: strings.ToLower(text[start:])})
	}
	return out
}

// indexable reports whether a lower-cased word is indexed at all: stop
// words (PostgreSQL's Swedish list, which is Snowball's) and single
// characters are not.
func indexable(w string) bool {
	return utf8.RuneCountInString(w) >= MinTermRunes && !swedish.IsStopWord(w)
}

// IsStopWord reports whether a lower-cased word is a Swedish stop word,
// which is neither indexed nor searched for.
func IsStopWord(w string) bool { return swedish.IsStopWord(w) }

// Stem returns the stem of a lower-cased word: by the platform's own
// vocabulary (stemClasses) where Snowball scatters a word's forms, else
// Snowball's Swedish stem. The stem is always a prefix of the word, which
// the highlighter relies on.
func Stem(w string) string {
	if s := exceptionStem(w); s != "" {
		return s
	}
	return swedish.Stem(w, true)
}

// Snowball returns the Snowball Swedish stem of a lower-cased word alone,
// which PostgreSQL's swedish_stem gives too (TestDB_StemParity).
func Snowball(w string) string { return swedish.Stem(w, true) }

// IndexTerms returns text as the engines index it: the indexable words,
// lower-cased, separated by spaces. With stem set, each word is replaced
// by its stem, as both engines index it (PostgreSQL through the 'simple'
// configuration, so that its stems are Go's); without, the words as they
// are, which compounds are split from.
func IndexTerms(text string, stem bool) string {
	return strings.Join(indexWords(text, stem), " ")
}

// SnowballTerms returns the Snowball stems of text's indexable words
// alone, as the index held them before the exception table (migration 11
// down).
func SnowballTerms(text string) []string {
	words := indexWords(text, false)
	for i, w := range words {
		words[i] = Snowball(w)
	}
	return words
}

// indexWords is IndexTerms as a list.
func indexWords(text string, stem bool) []string {
	text = norm.NFC.String(text)
	var out []string
	for _, t := range tokens(text) {
		if !indexable(t.lower) {
			continue
		}
		if stem {
			out = append(out, Stem(t.lower))
		} else {
			out = append(out, t.lower)
		}
	}
	return out
}

// Parsed is a query after analysis. Every term is required, and every
// term matches as a prefix of a stem: "scenarier" becomes "scenari", which
// finds scenario, scenariot and scenarierna, and the last, half-typed
// word finds its completions. There are no operators: quotes, AND, OR,
// NEAR, *, - and parentheses are words or separators like any other.
type Parsed struct {
	Words []string // lower-cased words, for PostgreSQL's to_tsquery('swedish')
	Stems []string // their stems, for FTS5 and the highlighter
}

// Empty reports whether nothing is left to search for.
func (p Parsed) Empty() bool { return len(p.Stems) == 0 }

// Parse analyses a query as typed. It never fails: overlong input is cut,
// and input with nothing searchable gives an empty Parsed.
func Parse(text string) Parsed {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	if utf8.RuneCountInString(text) > MaxQueryRunes {
		text = string([]rune(text)[:MaxQueryRunes])
	}
	text = norm.NFC.String(text)
	var p Parsed
	seen := map[string]bool{}
	for _, t := range tokens(text) {
		w := t.lower
		if utf8.RuneCountInString(w) > MaxTermRunes {
			w = string([]rune(w)[:MaxTermRunes])
		}
		if !indexable(w) {
			continue
		}
		s := Stem(w)
		if seen[s] {
			continue
		}
		seen[s] = true
		p.Words = append(p.Words, w)
		p.Stems = append(p.Stems, s)
		if len(p.Stems) == MaxQueryTerms {
			break
		}
	}
	return p
}

// FTS5 returns the query as an FTS5 MATCH expression: each stem quoted and
// prefixed, all required. Stems hold only letters and digits, so the
// quoting is belt and braces.
func (p Parsed) FTS5() string {
	parts := make([]string, len(p.Stems))
	for i, s := range p.Stems {
		parts[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"*`
	}
	return strings.Join(parts, " AND ")
}

// TSQuery returns the query as input for PostgreSQL's to_tsquery('simple',
// …), without synonyms: TSQuery(p.Terms(nil)).
func (p Parsed) TSQuery() string { return TSQuery(p.Terms(nil)) }

// TSQuery returns terms as input for PostgreSQL's to_tsquery('simple', …),
// all required: each stem typed as a prefix (PostgreSQL indexes Go's
// stems, so it stems nothing itself), or one of its synonyms, a stem as a
// prefix, a phrase word by word. Stems hold only letters and digits, so
// no tsquery syntax can reach the engine. It is what a result is ranked
// by, over the words and the alternative terms together; a document is
// matched term by term (TSQueryTerm, TSQueryAlt).
func TSQuery(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = TSQueryTerm(t)
	}
	return strings.Join(parts, " & ")
}

// TSQueryTerm is one term as to_tsquery('simple', …) input over a
// document's words: the stems typed as prefixes, or a synonym.
func TSQueryTerm(t Term) string {
	typed := make([]string, len(t.Typed))
	for j, s := range t.Typed {
		typed[j] = s + ":*"
	}
	alts := []string{strings.Join(typed, " & ")}
	for _, a := range t.Alts {
		if len(a) == 1 {
			alts = append(alts, a[0]+":*")
		} else {
			alts = append(alts, strings.Join(a, " <-> "))
		}
	}
	if len(alts) == 1 && len(typed) == 1 {
		return alts[0]
	}
	return "(" + strings.Join(alts, " | ") + ")"
}

// AltWords returns the words a term matches among a document's alternative
// terms (compound parts, folded forms): the stem typed and the one-word
// synonyms, whole. A prefix is not looked for there: "sam" would reach
// every part and folded form beginning with it (00014), and a part is a
// word of its own, not the start of one. A phrase typed (several stems)
// has none: its words are matched in the text.
func AltWords(t Term) []string {
	var out []string
	if len(t.Typed) == 1 {
		out = append(out, t.Typed[0])
	}
	for _, a := range t.Alts {
		if len(a) == 1 && !slices.Contains(out, a[0]) {
			out = append(out, a[0])
		}
	}
	return out
}

// TSQueryAlt is AltWords as to_tsquery('simple', …) input, exact words;
// "" when there are none.
func TSQueryAlt(t Term) string {
	return strings.Join(AltWords(t), " | ")
}

// matches reports whether a lower-cased word of a text matches one of the
// stems: the rule the engines apply, done again in Go for highlighting. A
// stem without diacritics also matches the folded stem of the word, as
// the engines match the folded forms among a document's alternative terms.
func matches(w string, stems []string) bool {
	if !indexable(w) {
		return false
	}
	var st, folded string
	for _, s := range stems {
		if strings.HasPrefix(w, s) {
			if st == "" {
				st = Stem(w)
			}
			if strings.HasPrefix(st, s) {
				return true
			}
		}
		// The folded stem is a prefix of the folded word (a stem is a
		// prefix of its word), so a word whose folded first letter is
		// not the stem's is not stemmed at all.
		if isASCII(s) && !isASCII(w) && foldedHead(w) == s[0] {
			if folded == "" {
				folded = Fold(Stem(w))
			}
			if strings.HasPrefix(folded, s) {
				return true
			}
		}
	}
	return false
}

// foldedHead is the first byte of w's folded form (Fold), 0 for none.
func foldedHead(w string) byte {
	switch {
	case w == "":
		return 0
	case w[0] < utf8.RuneSelf:
		return w[0]
	}
	_, n := utf8.DecodeRuneInString(w)
	if f := Fold(w[:n]); f != "" {
		return f[0]
	}
	return 0
}
