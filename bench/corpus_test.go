package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// corpus is a deterministic, Swedish-ish library: words of the seed
// documents and the foresight field (internal/search/testdata/words.txt)
// with Swedish inflection endings, drawn with a Zipf skew, so a few
// content words are in a large share of the works and most are rare.
type corpus struct {
	works []*library.Work
	df    map[string]int // documents per stem
	words map[string]string
	// forms lists every word form with its stem, for picking queries.
	forms []string
}

var endings = []string{"", "", "", "en", "er", "erna", "et", "ar", "arna", "s", "na", "or"}

var methods = []string{"Scenariokors", "Backcasting", "Megatrender", "Designfiktion", "Svaga signaler",
	"Trendworkshop", "Framtidshjul"}

var themes = []string{"Välfärd", "Arbetsmarknad", "Klimat", "Demografi", "Digitalisering", "Landsbygd",
	"Infrastruktur", "Kompetensförsörjning", "Energi", "Demokrati"}

// newCorpus generates n works over orgs (their ids), always the same for
// the same n.
func newCorpus(n int, orgs []int64) (*corpus, error) {
	raw, err := os.ReadFile("../internal/search/testdata/words.txt")
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(2050, 2026))
	var content, stop []string
	for _, w := range strings.Fields(string(raw)) {
		if search.IsStopWord(w) {
			stop = append(stop, w)
		} else {
			content = append(content, w)
		}
	}
	r.Shuffle(len(content), func(i, j int) { content[i], content[j] = content[j], content[i] })
	zipf := rand.NewZipf(r, 1.1, 3, uint64(len(content)-1))
	word := func() string {
		if r.IntN(4) == 0 {
			return stop[r.IntN(len(stop))]
		}
		return content[zipf.Uint64()] + endings[r.IntN(len(endings))]
	}
	sentence := func(min, max int) string {
		k := min + r.IntN(max-min+1)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = word()
		}
		return capital(strings.Join(ws, " ")) + "."
	}
	c := &corpus{df: map[string]int{}, words: map[string]string{}}
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		title := strings.TrimSuffix(sentence(3, 7), ".")
		var body []string
		for range 5 + r.IntN(8) {
			body = append(body, sentence(6, 14))
		}
		w := &library.Work{
			Slug:           fmt.Sprintf("verk-%06d", i),
			Type:           library.Types[r.IntN(len(library.Types))],
			Title:          title,
			Summary:        sentence(10, 20),
			BodyMD:         strings.Join(body, " "),
			OrganisationID: orgs[r.IntN(len(orgs))],
			HorizonYear:    []int{0, 2030, 2040, 2050}[r.IntN(4)],
			Methods:        []string{methods[r.IntN(len(methods))]},
			Themes:         []string{themes[r.IntN(len(themes))], themes[r.IntN(len(themes))]},
			Date:           start.AddDate(0, 0, r.IntN(16*365)),
			Visibility:     visibility(r.IntN(100)),
		}
		if r.IntN(5) == 0 {
			w.Experience = &library.ExperienceReport{Purpose: sentence(6, 12), Count: 5 + r.IntN(150),
				Steps: []string{sentence(3, 6), sentence(3, 6)}, Worked: sentence(6, 12)}
		}
		if err := w.Validate(); err != nil {
			return nil, fmt.Errorf("work %d: %w", i, err)
		}
		seen := map[string]bool{}
		for _, t := range strings.Fields(search.IndexTerms(w.Title+" "+w.Summary+" "+w.BodyMD, false)) {
			s := search.Stem(t)
			if !seen[s] {
				seen[s] = true
				c.df[s]++
			}
			if _, ok := c.words[s]; !ok {
				c.words[s] = t
				c.forms = append(c.forms, t)
			}
		}
		c.works = append(c.works, w)
	}
	slices.Sort(c.forms)
	return c, nil
}

// visibility gives 80 % public, 10 % network, 5 % organisation, 5 % draft.
func visibility(p int) library.Visibility {
	switch {
	case p < 80:
		return library.Public
	case p < 90:
		return library.Network
	case p < 95:
		return library.Organisation
	}
	return library.Draft
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// puts returns the works as a PutWorks batch, each with its first revision.
func (c *corpus) puts(now time.Time) []library.Put {
	out := make([]library.Put, len(c.works))
	for i, w := range c.works {
		w.Version, w.CreatedAt, w.UpdatedAt = 1, now, now
		snap, _ := json.Marshal(w)
		out[i] = library.Put{Work: w, Revision: &library.Revision{Version: 1, CreatedAt: now,
			Changed: library.Changed(nil, w), Snapshot: snap}}
	}
	return out
}

// pick returns k query words whose share of documents is within [lo, hi),
// spread over that band, the same every time.
func (c *corpus) pick(k int, lo, hi float64) []string {
	n := float64(len(c.works))
	var band []string
	for _, f := range c.forms {
		s := search.Stem(f)
		if share := float64(c.df[s]) / n; share >= lo && share < hi && c.words[s] == f {
			band = append(band, f)
		}
	}
	slices.SortFunc(band, func(a, b string) int { return c.df[search.Stem(a)] - c.df[search.Stem(b)] })
	if len(band) <= k {
		return band
	}
	out := make([]string, k)
	for i := range out {
		out[i] = band[i*len(band)/k]
	}
	return out
}

// rotation returns k query words drawn in proportion to how many
// documents hold them (performance.md S2: a rotation from corpus
// frequencies, not one fixed term).
func (c *corpus) rotation(k int) []string {
	r := rand.New(rand.NewPCG(40, 40))
	total := 0
	for _, f := range c.forms {
		total += c.df[search.Stem(f)]
	}
	out := make([]string, 0, k)
	for len(out) < k {
		x := r.IntN(total)
		for _, f := range c.forms {
			if x -= c.df[search.Stem(f)]; x < 0 {
				if len([]rune(f)) >= 4 && !slices.Contains(out, f) {
					out = append(out, f)
				}
				break
			}
		}
	}
	return out
}
