package search

import "strings"

// MaxSynonymWords is the longest synonym phrase, in stems, that a query is
// looked up by: "sveriges kommuner och landsting" is three.
const MaxSynonymWords = 4

// SynonymKey is a phrase as synonyms are stored and looked up: its stems,
// separated by spaces ("Sveriges Kommuner och Regioner": "sverig kommun
// region"); "" when nothing in it is searchable.
func SynonymKey(phrase string) string {
	return IndexTerms(phrase, true)
}

// SynonymKeys returns the keys a query's synonyms are looked up by: every
// run of up to MaxSynonymWords of its stems.
func (p Parsed) SynonymKeys() []string {
	var out []string
	for i := range p.Stems {
		for n := 1; n <= MaxSynonymWords && i+n <= len(p.Stems); n++ {
			out = append(out, strings.Join(p.Stems[i:i+n], " "))
		}
	}
	return out
}

// Term is one required term of a query: the stems as typed (all required,
// each a prefix) or any of its synonyms (a stem as a prefix, a phrase of
// several stems exactly).
type Term struct {
	Typed []string   // one stem, or the several of a synonym phrase typed
	Alts  [][]string // the synonyms' stems
}

// Terms returns p's required terms, with the synonyms of syn (a key of
// SynonymKeys: the keys of the other phrases of its group). The longest
// phrase typed wins: "sveriges kommuner och landsting" is one term, its
// synonyms SKL and SKR.
func (p Parsed) Terms(syn map[string][]string) []Term {
	var out []Term
	for i := 0; i < len(p.Stems); {
		n := 1
		var alts [][]string
		for k := min(MaxSynonymWords, len(p.Stems)-i); k >= 1; k-- {
			if s, ok := syn[strings.Join(p.Stems[i:i+k], " ")]; ok {
				n = k
				for _, a := range s {
					alts = append(alts, strings.Fields(a))
				}
				break
			}
		}
		out = append(out, Term{Typed: p.Stems[i : i+n], Alts: alts})
		i += n
	}
	return out
}

// HighlightStems returns the stems a result's highlights mark: those typed
// and the one-word synonyms.
func HighlightStems(terms []Term) []string {
	var out []string
	for _, t := range terms {
		out = append(out, t.Typed...)
		for _, a := range t.Alts {
			if len(a) == 1 {
				out = append(out, a[0])
			}
		}
	}
	return out
}
