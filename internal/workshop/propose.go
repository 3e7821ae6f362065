package workshop

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/search"
)

// Proposal is a cluster framsyn suggests: notes that share words, by the
// search analyser's Swedish stems, for a facilitator to accept (one
// cluster.group) or reject.
type Proposal struct {
	Notes []int64 `json:"notes"`
	Word  string  `json:"word"` // the shared word, as written in a note: a name to start from
}

// MaxProposals bounds the proposals shown at once.
const MaxProposals = 12

// maxProposalNotes: a bigger group shares only a common word.
const maxProposalNotes = 15

// ProposeClusters returns clusters suggested from the notes' text: two
// notes of the same group (or both plenary) that are cluster roots belong
// together when they share a stem that few notes have and at least a
// third of the stems of the shorter; the proposals are the connected groups of two
// or more, biggest first. The result is a pure function of the notes.
func ProposeClusters(notes []Note) []Proposal { return ProposeClustersExcept(notes, nil) }

// Key names a proposal by its notes: their ids joined by '-', as
// cluster.reject stores it.
func (p Proposal) Key() string { return ProposalKey(p.Notes) }

// ProposalKey is the key of a proposal of these notes (in any order).
func ProposalKey(notes []int64) string {
	ids := slices.Clone(notes)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, "-")
}

// ProposeClustersExcept is ProposeClusters without the proposals whose
// keys are rejected (a facilitator's cluster.reject).
func ProposeClustersExcept(notes []Note, rejected []string) []Proposal {
	type doc struct {
		id    int64
		group int64
		stems map[string]bool
		words map[string]string // stem → the word as written
	}
	var docs []doc
	df := map[string]int{}
	for _, n := range notes {
		if n.Removed || n.ClusterID != 0 {
			continue
		}
		text := n.Text
		if n.ClusterName != "" {
			text = n.ClusterName + " " + text
		}
		words, stems := search.IndexWords(text), strings.Fields(search.IndexTerms(text, true))
		d := doc{id: n.ID, group: n.GroupID, stems: map[string]bool{}, words: map[string]string{}}
		for i, s := range stems {
			if len([]rune(s)) < 3 {
				continue
			}
			if !d.stems[s] {
				df[s]++
			}
			d.stems[s] = true
			if _, ok := d.words[s]; !ok && i < len(words) {
				d.words[s] = words[i]
			}
		}
		docs = append(docs, d)
	}
	rare := max(3, len(docs)/4) // a stem in more notes says little
	parent := make([]int, len(docs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Only notes that share a rare stem may belong together: the pairs are
	// found through the rare stems' notes, not by comparing every two.
	posting := map[string][]int{}
	for i, d := range docs {
		for s := range d.stems {
			if df[s] <= rare {
				posting[s] = append(posting[s], i)
			}
		}
	}
	tried := map[[2]int]bool{}
	for _, ids := range posting {
		for x, i := range ids {
			for _, j := range ids[x+1:] {
				a, b := docs[i], docs[j]
				if a.group != b.group || tried[[2]int{i, j}] {
					continue
				}
				tried[[2]int{i, j}] = true
				shared := 0
				for s := range a.stems {
					if b.stems[s] {
						shared++
					}
				}
				if 3*shared >= min(len(a.stems), len(b.stems)) {
					parent[find(i)] = find(j)
				}
			}
		}
	}
	comps := map[int][]int{}
	for i := range docs {
		r := find(i)
		comps[r] = append(comps[r], i)
	}
	var out []Proposal
	for _, c := range comps {
		if len(c) < 2 || len(c) > maxProposalNotes {
			continue
		}
		p := Proposal{}
		count := map[string]int{}
		for _, i := range c {
			p.Notes = append(p.Notes, docs[i].id)
			for s := range docs[i].stems {
				count[s]++
			}
		}
		slices.Sort(p.Notes)
		if slices.Contains(rejected, p.Key()) {
			continue
		}
		best := ""
		for s, n := range count {
			if n > count[best] || n == count[best] && s < best {
				best = s
			}
		}
		for _, i := range c {
			if w, ok := docs[i].words[best]; ok {
				p.Word = w
				break
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Proposal) int {
		if c := cmp.Compare(len(b.Notes), len(a.Notes)); c != 0 {
			return c
		}
		return cmp.Compare(a.Notes[0], b.Notes[0])
	})
	if len(out) > MaxProposals {
		out = out[:MaxProposals]
	}
	return out
}
