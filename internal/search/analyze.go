package search

import (
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

// Stem returns the Snowball Swedish stem of a lower-cased word. The stem
// is always a prefix of the word, which the highlighter relies on.
func Stem(w string) string { return swedish.Stem(w, true) }

// IndexTerms returns text as the engines index it: the indexable words,
// lower-cased, separated by spaces. With stem set, each word is replaced
// by its stem (for SQLite FTS5, which has no Swedish stemmer); without,
// the words are left for PostgreSQL's 'swedish' configuration to stem.
func IndexTerms(text string, stem bool) string {
	text = norm.NFC.String(text)
	var b strings.Builder
	for _, t := range tokens(text) {
		if !indexable(t.lower) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if stem {
			b.WriteString(Stem(t.lower))
		} else {
			b.WriteString(t.lower)
		}
	}
	return b.String()
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

// TSQuery returns the query as input for PostgreSQL's to_tsquery('swedish',
// …): each word prefixed (PostgreSQL stems it first, then matches the stem
// as a prefix), all required. Words hold only letters and digits, so no
// tsquery syntax can reach the engine.
func (p Parsed) TSQuery() string {
	parts := make([]string, len(p.Words))
	for i, w := range p.Words {
		parts[i] = w + ":*"
	}
	return strings.Join(parts, " & ")
}

// matches reports whether a lower-cased word of a text matches one of the
// stems: the rule the engines apply, done again in Go for highlighting.
func matches(w string, stems []string) bool {
	if !indexable(w) {
		return false
	}
	var st string
	for _, s := range stems {
		// The stem of w is a prefix of w, so a cheap test comes first.
		if !strings.HasPrefix(w, s) {
			continue
		}
		if st == "" {
			st = Stem(w)
		}
		if strings.HasPrefix(st, s) {
			return true
		}
	}
	return false
}
