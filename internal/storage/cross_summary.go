package storage

import (
	"encoding/json"
	"strings"

	"github.com/framsyn/framsyn/internal/cross"
)

// crossSummaryBody is what a summary (cross.ListQuery.Summary) reads of
// a cross's body: the axes' names and poles and the scenarios' names.
type crossSummaryBody struct {
	X         axisHead       `json:"x"`
	Y         axisHead       `json:"y"`
	Scenarios []scenarioHead `json:"scenarios"`
}

type axisHead struct {
	Name string `json:"name"`
	Low  string `json:"low"`
	High string `json:"high"`
}

type scenarioHead struct {
	Quadrant int    `json:"quadrant"`
	Name     string `json:"name"`
}

func (a axisHead) axis() cross.Axis { return cross.Axis{Name: a.Name, Low: a.Low, High: a.High} }

// decodeSummary reads a summary from a body. A list decodes up to 100
// bodies of four stories each, and encoding/json, which scans every story
// to skip it, was most of a fresh list's time; so the body is walked
// directly, skipping the texts it does not keep, and anything the walk
// does not expect (whitespace, a malformed value) goes to encoding/json.
func decodeSummary(body string) (crossSummaryBody, error) {
	if b, ok := scanSummary(body); ok {
		return b, nil
	}
	var b crossSummaryBody
	err := json.Unmarshal([]byte(body), &b)
	return b, err
}

// scanSummary is decodeSummary's direct walk of a body as crossJSON
// writes it (json.Marshal: compact, keys as tagged); ok is false when it
// is not an object the walk can read. A value it skips is not validated.
func scanSummary(body string) (b crossSummaryBody, ok bool) {
	w := jsonWalk{s: body}
	ok = w.object(func(key string) bool {
		switch key {
		case "x":
			return w.axis(&b.X)
		case "y":
			return w.axis(&b.Y)
		case "scenarios":
			return w.scenarios(&b.Scenarios)
		}
		return w.skip()
	})
	return b, ok && w.i == len(w.s)
}

// jsonWalk reads compact JSON (as encoding/json writes it: no whitespace)
// from s at i; each method reports whether what it expected was there.
type jsonWalk struct {
	s string
	i int
}

func (w *jsonWalk) byte(c byte) bool {
	if w.i < len(w.s) && w.s[w.i] == c {
		w.i++
		return true
	}
	return false
}

// object reads {"key":value,...}, calling field for each key with the
// walk at its value.
func (w *jsonWalk) object(field func(key string) bool) bool {
	if !w.byte('{') {
		return false
	}
	if w.byte('}') {
		return true
	}
	for {
		key, ok := w.str()
		if !ok || !w.byte(':') || !field(key) {
			return false
		}
		if w.byte('}') {
			return true
		}
		if !w.byte(',') {
			return false
		}
	}
}

// str reads a string; one with an escape is decoded by encoding/json.
func (w *jsonWalk) str() (string, bool) {
	start := w.i
	if w.i >= len(w.s) || w.s[w.i] != '"' || !w.strSkip() {
		return "", false
	}
	raw := w.s[start:w.i]
	if strings.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1], true
	}
	var v string
	if json.Unmarshal([]byte(raw), &v) != nil {
		return "", false
	}
	return v, true
}

// skip passes over one value of any kind.
func (w *jsonWalk) skip() bool {
	if w.i >= len(w.s) {
		return false
	}
	switch c := w.s[w.i]; {
	case c == '"':
		return w.strSkip()
	case c == '{' || c == '[':
		depth := 0
		for w.i < len(w.s) {
			switch w.s[w.i] {
			case '"':
				if !w.strSkip() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					w.i++
					return true
				}
			}
			w.i++
		}
		return false
	}
	// A number, true, false or null: up to the next delimiter.
	start := w.i
	for w.i < len(w.s) && !strings.ContainsRune(",}]", rune(w.s[w.i])) {
		w.i++
	}
	return w.i > start
}

// strSkip passes over a string without decoding it: to the next quote
// not escaped, one after an even run of backslashes.
func (w *jsonWalk) strSkip() bool {
	w.i++ // the opening quote
	for {
		j := strings.IndexByte(w.s[w.i:], '"')
		if j < 0 {
			return false
		}
		w.i += j + 1
		n := 0
		for k := w.i - 2; w.s[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
	}
}

func (w *jsonWalk) axis(a *axisHead) bool {
	return w.object(func(key string) bool {
		var ok bool
		switch key {
		case "name":
			a.Name, ok = w.str()
		case "low":
			a.Low, ok = w.str()
		case "high":
			a.High, ok = w.str()
		default:
			ok = w.skip()
		}
		return ok
	})
}

func (w *jsonWalk) scenarios(out *[]scenarioHead) bool {
	*out = nil // a key given twice: the last, as encoding/json reads it
	if strings.HasPrefix(w.s[w.i:], "null") {
		w.i += 4
		return true
	}
	if !w.byte('[') {
		return false
	}
	if w.byte(']') {
		return true
	}
	for {
		var sc scenarioHead
		ok := w.object(func(key string) bool {
			switch key {
			case "quadrant":
				return w.digit(&sc.Quadrant)
			case "name":
				var ok bool
				sc.Name, ok = w.str()
				return ok
			}
			return w.skip()
		})
		if !ok {
			return false
		}
		*out = append(*out, sc)
		if w.byte(']') {
			return true
		}
		if !w.byte(',') {
			return false
		}
	}
}

// digit reads a quadrant, one digit; another number goes to encoding/json.
func (w *jsonWalk) digit(q *int) bool {
	if w.i >= len(w.s) || w.s[w.i] < '0' || w.s[w.i] > '9' {
		return false
	}
	*q = int(w.s[w.i] - '0')
	w.i++
	return w.i < len(w.s) && (w.s[w.i] == ',' || w.s[w.i] == '}')
}
