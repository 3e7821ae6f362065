// Package method holds the method guides (/metoder): how to run a
// scenario cross, backcasting, a megatrend workshop, design fiction, weak
// signals, a futures wheel and three horizons, in the network's own
// language, each with the workshop template it starts and the seeds'
// accounts of who used it. The guides are text of the product, not data
// of an organisation: they ship with the binary and are indexed for
// search at start.
package method

import (
	"strings"

	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of method guides.
const Kind = "method"

// Step is one step of a method, with the time it takes.
type Step struct {
	Title   string `json:"title"`
	Minutes int    `json:"minutes"`
	Text    string `json:"text"`
}

// Example is where the network used the method, as the seeds tell it:
// Quote is the seed's passage verbatim, Path the work or organisation
// page it leads to. An example of our own (the demo cross) says so in
// its Label.
type Example struct {
	Label string `json:"label"`
	Quote string `json:"quote,omitempty"`
	Seed  string `json:"seed,omitempty"` // the seed document the quote is from
	Path  string `json:"path"`
}

// Guide is one method guide.
type Guide struct {
	ID        int64     `json:"-"` // its search document id; stable
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Purpose   string    `json:"purpose"`
	When      string    `json:"when"`
	Time      string    `json:"time"`
	GroupSize string    `json:"group_size"`
	Steps     []Step    `json:"steps"`
	Roles     []string  `json:"roles"`
	Materials []string  `json:"materials"`
	Tips      []string  `json:"tips"`
	Pitfalls  []string  `json:"pitfalls"`
	Digital   string    `json:"digital"`            // the digital variant in framsyn
	Template  string    `json:"template"`           // the workshop template it starts
	FromCross bool      `json:"from_cross"`         // starts from an existing cross (backcasting)
	Origin    string    `json:"origin"`             // where the method comes from
	Source    string    `json:"origin_source"`      // the public source of Origin
	Examples  []Example `json:"examples,omitempty"` // filled by the demo from the seeds
}

// Minutes is the sum of the steps' times.
func (g *Guide) Minutes() int {
	n := 0
	for _, s := range g.Steps {
		n += s.Minutes
	}
	return n
}

// BySlug returns the guide with slug.
func BySlug(slug string) (*Guide, bool) {
	for i := range Guides {
		if Guides[i].Slug == slug {
			return &Guides[i], true
		}
	}
	return nil, false
}

// ByID returns the guide with a search document id.
func ByID(id int64) (*Guide, bool) {
	for i := range Guides {
		if Guides[i].ID == id {
			return &Guides[i], true
		}
	}
	return nil, false
}

// SearchDocuments returns the guides as the search index holds them:
// public, of no organisation. The body holds the English words after the
// Swedish ones: the index stems both with the Swedish stemmer, and a
// query is stemmed the same way, so "futures wheel" finds the guide as
// "framtidshjulet" does, and no Swedish document changes.
func SearchDocuments() []search.Document {
	out := make([]search.Document, 0, len(Guides))
	for _, g := range Guides {
		b := guideWords(nil, g)
		if en := g.in("en"); en.Name != g.Name || en.Purpose != g.Purpose {
			b = guideWords(append(b, en.Name), en)
		}
		out = append(out, search.Document{Kind: Kind, ID: g.ID, Scope: search.ScopePublic, Title: g.Name,
			Body: strings.Join(b, "\n"), Tags: []string{search.Tag("method", g.Slug)}})
	}
	return out
}

// guideWords appends what search reads of g to b.
func guideWords(b []string, g Guide) []string {
	b = append(b, g.Purpose, g.When, g.Digital, g.Origin)
	for _, s := range g.Steps {
		b = append(b, s.Title, s.Text)
	}
	return append(append(append(b, g.Roles...), g.Tips...), g.Pitfalls...)
}
