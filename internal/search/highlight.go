package search

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Segment is a piece of a title or snippet; Mark is set on the words that
// matched. Text is plain text from the document: templates escape it like
// any other string, so a document can never inject markup into a result.
type Segment struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// SnippetWords is how many words a snippet shows.
const SnippetWords = 30

// maxScan bounds the bytes of a body that are read for a snippet.
const maxScan = 64 << 10

// Highlight returns all of text with the words matching stems marked.
func Highlight(text string, stems []string) []Segment {
	text = norm.NFC.String(text)
	return segments(text, tokens(text), 0, len(text), newMatcher(stems))
}

// Snippet returns a window of about SnippetWords words of text, the one
// with the most matching words (the first such), with the matches marked
// and "…" where text was cut.
func Snippet(text string, stems []string) []Segment {
	text = norm.NFC.String(text)
	cut := false
	if len(text) > maxScan {
		i := maxScan
		for i > 0 && !isBoundary(text[i]) {
			i--
		}
		text, cut = text[:i], true
	}
	toks := tokens(text)
	if len(toks) == 0 {
		return nil
	}
	m := newMatcher(stems)
	hit := make([]bool, len(toks))
	for i, t := range toks {
		hit[i] = m.match(t.lower)
	}
	// Slide a window over the words; keep the first with the most hits.
	best, bestN, n := 0, -1, 0
	for i := range toks {
		if hit[i] {
			n++
		}
		if i >= SnippetWords && hit[i-SnippetWords] {
			n--
		}
		if start := max(0, i-SnippetWords+1); n > bestN {
			best, bestN = start, n
		}
	}
	// Start a few words before the first hit, for context.
	if bestN > 0 {
		for i := best; i < len(toks) && i < best+SnippetWords; i++ {
			if hit[i] {
				best = max(0, i-4)
				break
			}
		}
	}
	last := min(len(toks), best+SnippetWords) - 1
	start, end := toks[best].start, toks[last].end
	if best == 0 {
		start = 0
	}
	if last == len(toks)-1 && !cut {
		end = len(text)
	}
	segs := segments(text, toks[best:last+1], start, end, m)
	if start > 0 {
		segs = append([]Segment{{Text: "…"}}, segs...)
	}
	if end < len(text) || cut {
		segs = append(segs, Segment{Text: "…"})
	}
	return tidy(segs)
}

func isBoundary(b byte) bool { return b < 0x80 || b >= 0xC0 }

// matcher is matches over one set of stems, remembering each word's
// answer: a text repeats its words, and a word's answer may cost a stem
// (Snowball), which was a fifth of a search's time when 20 snippets
// stemmed every word of their bodies.
type matcher struct {
	stems []string
	seen  map[string]bool
}

func newMatcher(stems []string) *matcher {
	return &matcher{stems: stems, seen: map[string]bool{}}
}

func (m *matcher) match(w string) bool {
	if !m.maybe(w) {
		return false
	}
	v, ok := m.seen[w]
	if !ok {
		v = matches(w, m.stems)
		m.seen[w] = v
	}
	return v
}

// maybe reports whether w could match, without stemming it: it begins
// with a stem, or its folded form could (matches' two rules).
func (m *matcher) maybe(w string) bool {
	for _, s := range m.stems {
		if strings.HasPrefix(w, s) || (!isASCII(w) && isASCII(s) && foldedHead(w) == s[0]) {
			return true
		}
	}
	return false
}

// segments cuts text[start:end] at the matching words among toks.
func segments(text string, toks []token, start, end int, m *matcher) []Segment {
	var out []Segment
	pos := start
	for _, t := range toks {
		if t.start < start || t.end > end || !m.match(t.lower) {
			continue
		}
		if t.start > pos {
			out = append(out, Segment{Text: text[pos:t.start]})
		}
		out = append(out, Segment{Text: text[t.start:t.end], Mark: true})
		pos = t.end
	}
	if pos < end {
		out = append(out, Segment{Text: text[pos:end]})
	}
	return tidy(out)
}

// tidy folds runs of white space, so a snippet from Markdown source or a
// multi-line body reads as one line.
func tidy(segs []Segment) []Segment {
	out := segs[:0]
	for _, s := range segs {
		if !s.Mark {
			s.Text = foldSpace(s.Text)
		}
		if s.Text != "" {
			out = append(out, s)
		}
	}
	return out
}

func foldSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '\u00a0' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Plain joins segments back into text, for places without markup.
func Plain(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

// TermCounter counts the terms of a query a text holds, by the
// highlighter's rule (a word matches a stem it begins with and stems to,
// or its folded form): what is marked is what counts. It remembers each
// word's answer across texts, so counting the titles of a thousand
// candidates stems each distinct word once.
type TermCounter struct {
	ms []*matcher
}

// NewTermCounter returns a counter of terms, each its typed stems and
// one-word synonyms (HighlightStems).
func NewTermCounter(terms []Term) *TermCounter {
	c := &TermCounter{ms: make([]*matcher, len(terms))}
	for i, t := range terms {
		c.ms[i] = newMatcher(HighlightStems([]Term{t}))
	}
	return c
}

// Count returns how many of the terms text holds a word of.
func (c *TermCounter) Count(text string) int {
	toks := tokens(norm.NFC.String(text))
	n := 0
	for _, m := range c.ms {
		for _, t := range toks {
			if m.match(t.lower) {
				n++
				break
			}
		}
	}
	return n
}
