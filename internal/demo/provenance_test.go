package demo_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// The provenance tests hold every text the demo presents as fact against
// the passage it cites: verbatim after folding white space (and the case
// of the first letter, and a closing full stop), or labelled as an
// example. Dates must be in their passage, and no address may appear that
// the sources do not hold.

// editorialNotes are notes the fixture may add after a name that no
// source says.
var editorialNotes = map[string]bool{"SKL, sedan 2019 SKR": true}

// currentNames are the only names the fixture gives that no source says:
// the names of today of organisations the seeds name as they were (SKL
// became SKR in 2019, the county councils became regions).
var currentNames = map[string]string{
	"Sveriges kommuner och landsting": "Sveriges Kommuner och Regioner",
	"Landstinget Västernorrland":      "Region Västernorrland",
}

// sources holds the seeds' folded text by the fixture's source keys.
type sources struct {
	text   map[string]string
	rowsID map[string][]string // regions_ids.csv by code
}

func mustSources(t *testing.T, n *demo.Network) *sources {
	t.Helper()
	s := &sources{text: map[string]string{}, rowsID: map[string][]string{}}
	for key, src := range n.Sources {
		if src.Title == "" {
			t.Errorf("source %s has no title", key)
		}
		if strings.HasSuffix(src.File, ".csv") {
			f, err := os.Open(filepath.Join("testdata", src.File))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil || len(rows) < 2 {
				t.Fatalf("%s: %v", src.File, err)
			}
			for _, r := range rows[1:] {
				s.rowsID[r[0]] = r
			}
			continue
		}
		s.text[key] = MustSeedText(t, src.File)
	}
	return s
}

// lowerFirst and upperFirst change the case of the first letter.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// verbatim reports whether s is in text after folding.
func verbatim(text, s string) bool {
	s = strings.TrimSuffix(normalise(s), ".")
	if s == "" {
		return false
	}
	return strings.Contains(text, s) || strings.Contains(text, lowerFirst(s)) || strings.Contains(text, upperFirst(s))
}

// example reports whether s says it is an example.
// swedishMonths are the month names as the seeds write them.
var swedishMonths = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

func example(s string) bool { return strings.Contains(strings.ToLower(s), "exempel") }

// factOrExample checks a text presented as fact: in quote, or an example.
func factOrExample(t *testing.T, what, quote, s string) {
	t.Helper()
	if s != "" && !verbatim(normalise(quote), s) && !example(s) {
		t.Errorf("%s %q is neither in its passage %q nor labelled as an example", what, s, quote)
	}
}

// titleFrom checks a title: in quote, or "who: what" with each part in it.
func titleFrom(t *testing.T, quote, title string) {
	t.Helper()
	q := normalise(quote)
	if verbatim(q, title) {
		return
	}
	who, what, ok := strings.Cut(title, ": ")
	if !ok || !verbatim(q, who) || !verbatim(q, what) {
		t.Errorf("title %q is not in its passage %q", title, quote)
	}
}

var months = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// dateIn checks that a News date (YYYY-MM-DD, YYYY-MM, --MM) is in quote.
func dateIn(t *testing.T, what, date, quote string) {
	t.Helper()
	q := strings.ToLower(normalise(quote))
	var want []string
	switch {
	case strings.HasPrefix(date, "--"):
		m, err := strconv.Atoi(date[2:])
		if err != nil || m < 1 || m > 12 {
			t.Fatalf("%s: date %q", what, date)
		}
		want = []string{months[m-1]}
	case len(date) == len("2006-01"):
		d, err := time.Parse("2006-01", date)
		if err != nil {
			t.Fatalf("%s: date %q", what, date)
		}
		want = []string{months[d.Month()-1], strconv.Itoa(d.Year())}
	default:
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			t.Fatalf("%s: date %q", what, date)
		}
		want = []string{strconv.Itoa(d.Day()) + " " + months[d.Month()-1] + " " + strconv.Itoa(d.Year())}
	}
	for _, w := range want {
		if !strings.Contains(q, w) {
			t.Errorf("%s: date %s, but its passage %q does not say %q", what, date, quote, w)
		}
	}
}

// urlRE finds addresses: web, mail, bare domains.
var urlRE = regexp.MustCompile(`(?i)(?:https?://|mailto:|www\.)[^\s)\]"”]+|[a-z0-9.-]+\.(?:se|com|org|nu|eu)\b`)

// noForeignURLs checks that every address in text is in a source.
func noForeignURLs(t *testing.T, what, text string, s *sources) {
	t.Helper()
	for _, u := range urlRE.FindAllString(text, -1) {
		found := false
		for _, src := range s.text {
			found = found || strings.Contains(src, u)
		}
		if !found {
			t.Errorf("%s holds the address %q, which no source holds", what, u)
		}
	}
}

func TestProvenance_Fixture(t *testing.T) {
	n := MustNetwork(t)
	s := mustSources(t, n)
	if !verbatim(s.text["000"], n.Intro) {
		t.Errorf("intro not in seed 000: %q", n.Intro)
	}
	raw, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	noForeignURLs(t, "network.json", string(raw), s)
	experiences := demo.Experiences()
	used := map[string]bool{}
	for _, o := range n.Organisations {
		t.Run(o.Slug, func(t *testing.T) {
			src, ok := s.text[o.Source]
			switch {
			case ok:
				if !verbatim(src, o.Name) {
					t.Errorf("name %q is not in source %s", o.Name, o.Source)
				}
			case o.Source == "regions_ids":
				if r := s.rowsID[o.SourceRow]; len(r) < 4 || r[3] != o.Name || r[0] != o.LanCode {
					t.Errorf("name %q, län %s: not row %q of regions_ids.csv (%q)", o.Name, o.LanCode, o.SourceRow, r)
				}
			default:
				t.Fatalf("unknown source %q", o.Source)
			}
			if o.NameNote != "" && !editorialNotes[o.NameNote] {
				t.Errorf("name note %q is not a known editorial note", o.NameNote)
			}
			if o.CurrentName != "" && currentNames[o.Name] != o.CurrentName {
				t.Errorf("current name %q of %q is not a known one", o.CurrentName, o.Name)
			}
			if o.HomeWork != "" && !verbatim(src, o.HomeWork) {
				t.Errorf("home_work not in source %s: %q", o.Source, o.HomeWork)
			}
			for _, q := range o.DescriptionQuotes {
				if !verbatim(s.text[q.Seed], q.Quote) {
					t.Errorf("description not in seed %s: %q", q.Seed, q.Quote)
				}
			}
			for _, c := range o.Contacts {
				text := s.text[c.Source]
				for what, v := range map[string]string{"name": c.Name, "title": c.Title, "email": c.Email} {
					if v != "" && !verbatim(text, v) {
						t.Errorf("contact %s %q is not in seed %q", what, v, c.Source)
					}
				}
			}
			for _, m := range o.Mentions {
				seed := m.Seed
				if seed == "" {
					seed = o.Source
				}
				if !verbatim(s.text[seed], m.Quote) {
					t.Errorf("%q: passage not in seed %s: %q", m.Title, seed, m.Quote)
				}
				titleFrom(t, m.Quote, m.Title)
				factOrExample(t, "note of "+m.Title, m.Quote, m.Note)
				if m.HorizonYear != 0 && !strings.Contains(m.Title, strconv.Itoa(m.HorizonYear)) {
					t.Errorf("%q: horizon %d is not in its title", m.Title, m.HorizonYear)
				}
				x, ok := experiences[o.Slug+"/"+m.Title]
				if !ok {
					continue
				}
				used[o.Slug+"/"+m.Title] = true
				for _, f := range append([]string{x.Purpose, x.Participants, x.TimeUsed, x.Worked, x.Change}, x.Steps...) {
					factOrExample(t, "experience of "+m.Title, m.Quote, f)
				}
				if x.Count != 0 {
					t.Errorf("%q: a participant count %d, which the seed does not give", m.Title, x.Count)
				}
				if x.AskWhom != "" && !strings.Contains(contactsOf(o), "|"+x.AskWhom+"|") {
					t.Errorf("%q: ask %q, not a contact of %s", m.Title, x.AskWhom, o.Slug)
				}
			}
			for _, item := range o.News {
				seed := item.Seed
				if seed == "" {
					seed = o.Source
				}
				if !verbatim(s.text[seed], item.Quote) {
					t.Errorf("news not in seed %s: %q", seed, item.Quote)
				}
				if item.Date != "" {
					if !verbatim(s.text[seed], item.DateQuote) {
						t.Errorf("news date passage not in seed %s: %q", seed, item.DateQuote)
					}
					dateIn(t, "news of "+o.Slug, item.Date, item.DateQuote)
				}
			}
		})
	}
	for key := range experiences {
		if !used[key] {
			t.Errorf("experience %q belongs to no mention", key)
		}
	}
	for _, ev := range n.Events {
		if !verbatim(s.text[ev.Seed], ev.Quote) || !verbatim(normalise(ev.Quote), ev.Title) {
			t.Errorf("event %q: passage %q not in seed %s, or the title not in it", ev.Title, ev.Quote, ev.Seed)
		}
		dateIn(t, "event "+ev.Title, ev.Date, ev.Quote)
		factOrExample(t, "note of "+ev.Title, s.text[ev.Seed], ev.Note)
		for _, g := range ev.Groups {
			if !verbatim(s.text[ev.Seed], g.Name) || !verbatim(s.text[ev.Seed], g.Quote) {
				t.Errorf("event %q, %s: not in seed %s: %q", ev.Title, g.Name, ev.Seed, g.Quote)
			}
		}
	}
}

func contactsOf(o demo.Organisation) string {
	b := "|"
	for _, c := range o.Contacts {
		b += c.Name + "|"
	}
	return b
}

// TestProvenance_Catalogue: the network page's words on Region 2050 are
// the seed's, but for the note on SKL's later name.
func TestProvenance_Catalogue(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "i18n", "sv.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sv map[string]string
	if err := json.Unmarshal(b, &sv); err != nil {
		t.Fatal(err)
	}
	home := MustSeedText(t, "000_194c15885c69e1c5.txt")
	for _, key := range []string{"network.process.participants", "network.process.purpose"} {
		text := strings.ReplaceAll(sv[key], " (sedan 2019 SKR)", "")
		if !verbatim(home, text) {
			t.Errorf("%s = %q is not in seed 000", key, sv[key])
		}
	}
	if !verbatim(home, "bättre beredskap för oväntade händelser") || !strings.Contains(sv["network.process.purpose"], "bättre beredskap för oväntade händelser") {
		t.Errorf("the purpose is not shown: %q", sv["network.process.purpose"])
	}
}

// TestProvenance_Seeded holds what the demo stores against the sources:
// each work and post has a source whose passage is in the seed, carries
// no licence and no link, and says nothing else as fact; each post is
// dated as its source says.
func TestProvenance_Seeded(t *testing.T) {
	t.Parallel()
	n := MustNetwork(t)
	s := mustSources(t, n)
	all := s.text["000"] + " " + s.text["003"]
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		svc := account.NewService(db.Accounts(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if _, err := demo.Seed(ctx, svc, demoStore(db)); err != nil {
			t.Fatal(err)
		}
		lib := library.NewService(db.Works())
		page, err := lib.List(ctx, nil, library.Filter{Limit: library.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Works) < 30 {
			t.Errorf("works = %d, want 30 or more", len(page.Works))
		}
		for _, w := range page.Works {
			title, quote, ok := strings.Cut(w.Source, ": \u201d")
			quote = strings.TrimSuffix(quote, "\u201d")
			if !ok || !verbatim(all, quote) {
				t.Errorf("%q: source %q does not quote a seed", w.Title, w.Source)
				continue
			}
			known := false
			for _, src := range n.Sources {
				known = known || src.Title == title
			}
			if !known {
				t.Errorf("%q: source %q names no known document", w.Title, title)
			}
			titleFrom(t, quote, w.Title)
			factOrExample(t, "summary of "+w.Title, quote, w.Summary)
			if w.Licence != "" || len(w.Links) != 0 || !w.Date.IsZero() {
				t.Errorf("%q: licence %q, links %v, date %v; the seeds give none", w.Title, w.Licence, w.Links, w.Date)
			}
			if w.BodyMD != "" {
				body := strings.TrimPrefix(w.BodyMD, "Ur nätverkets sida *Hemarbete* (framsynsprocessen Region 2050):\n\n> ")
				if !verbatim(s.text["000"], body) {
					t.Errorf("%q: body is not the seed's paragraph: %q", w.Title, w.BodyMD)
				}
			}
			noForeignURLs(t, w.Title, w.BodyMD+" "+w.Summary+" "+w.Source, s)
		}
		posts, err := post.NewService(db.Posts()).List(ctx, nil, 0, post.MaxLimit)
		if err != nil {
			t.Fatal(err)
		}
		news, err := n.NewsPosts()
		if err != nil || len(posts) != len(news) {
			t.Fatalf("posts = %d, want %d (%v)", len(posts), len(news), err)
		}
		for _, p := range posts {
			known := false
			for _, src := range n.Sources {
				known = known || src.Title == p.Source
			}
			if !known {
				t.Errorf("post of %s: source %q names no known document", p.OrgSlug, p.Source)
			}
			if strings.Contains(p.Body, "Källan anger") {
				t.Errorf("post of %s still notes an example date: %q", p.OrgSlug, p.Body)
			}
			body := p.Body
			// A group's answers open with the event and the group, each the seed's.
			if head, rest, ok := strings.Cut(body, ".*\n\n"); ok && strings.HasPrefix(head, "*") {
				for _, part := range strings.Split(strings.TrimPrefix(head, "*"), ", ") {
					if !verbatim(all, part) {
						t.Errorf("post of %s opens with %q, which is not in a seed", p.OrgSlug, part)
					}
				}
				body = rest
			}
			if !verbatim(all, body) {
				t.Errorf("post of %s is not in a seed: %q", p.OrgSlug, p.Body)
			}
			found := false
			for _, item := range news {
				found = found || (item.Org == p.OrgSlug && item.Body == p.Body && item.Date.Equal(p.Date) && item.Precision == p.DatePrecision)
			}
			if !found {
				t.Errorf("post of %s dated %v (%s) is not one of the fixture's news as dated", p.OrgSlug, p.Date, p.DatePrecision)
			}
			// The date says no more than the seed: its text as the seed
			// writes it, or unknown (a month without a year names no date).
			switch p.DatePrecision {
			case library.DateDay:
				if d := strconv.Itoa(p.Date.Day()) + " " + swedishMonths[p.Date.Month()-1] + " " + strconv.Itoa(p.Date.Year()); !verbatim(all, d) {
					t.Errorf("post of %s: day %q is in no seed", p.OrgSlug, d)
				}
			case library.DateMonth:
				if m := swedishMonths[p.Date.Month()-1]; !verbatim(all, m+" "+strconv.Itoa(p.Date.Year())) && !verbatim(all, m+", "+strconv.Itoa(p.Date.Year())) {
					t.Errorf("post of %s: month %s %d is in no seed", p.OrgSlug, m, p.Date.Year())
				}
			case library.DateUnknown:
				if !p.Date.IsZero() {
					t.Errorf("post of %s: unknown date with a day %v", p.OrgSlug, p.Date)
				}
			default:
				t.Errorf("post of %s: precision %q, which no seed gives", p.OrgSlug, p.DatePrecision)
			}
			noForeignURLs(t, "post of "+p.OrgSlug, p.Body, s)
		}
	})
}
