package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
)

// workTypes maps the kinds of mentions in network.json to library types.
// Events, plans and other mentions are not works: events become posts
// where the seeds date them, and the rest stays in the paragraph.
var workTypes = map[string]library.Type{
	"scenario":               library.TypeScenario,
	"scenario_set":           library.TypeScenarioSet,
	"design_fiction":         library.TypeDesignFiction,
	"podcast":                library.TypePodcast,
	"video":                  library.TypeVideo,
	"presentation":           library.TypePresentation,
	"process_plan":           library.TypeProcessPlan,
	"report":                 library.TypeReport,
	"workshop_documentation": library.TypeWorkshopDoc,
	"other_work":             library.TypeOther,
}

// homeWorkSource names where the works' facts come from, in their body.
const homeWorkSource = "Ur nätverkets sida *Hemarbete* (framsynsprocessen Region 2050):"

// SourceLine is a work's Source: the document and the passage, verbatim.
func (n *Network) SourceLine(seed, quote string) string {
	return n.Sources[seed].Title + ": ”" + quote + "”"
}

// Works returns the works the seed names, each owned by its organisation,
// public, with the organisation's contacts, without links (the seed gives
// none) and without a licence (the seed gives none), with the passage
// they come from as their Source. The body quotes the organisation's
// paragraph. orgs maps slugs to stored organisations (for ids).
func (n *Network) Works(orgs map[string]*account.Organisation) []library.Work {
	var out []library.Work
	for _, o := range n.Organisations {
		stored := orgs[o.Slug]
		if stored == nil {
			continue
		}
		for _, m := range o.Mentions {
			t, ok := workTypes[m.Kind]
			if !ok {
				continue
			}
			seed := m.Seed
			if seed == "" {
				seed = o.Source
			}
			w := library.Work{
				Slug: account.Slugify(m.Title), Type: t, Title: m.Title, Summary: capitalise(m.Note),
				OrganisationID: stored.ID, Language: "sv", Visibility: library.Public,
				HorizonYear: m.HorizonYear, Source: n.SourceLine(seed, m.Quote),
			}
			if o.HomeWork != "" {
				w.BodyMD = homeWorkSource + "\n\n> " + o.HomeWork
			}
			for _, c := range stored.Contacts {
				w.ContactIDs = append(w.ContactIDs, c.ID)
			}
			if x, ok := experiences[o.Slug+"/"+m.Title]; ok {
				w.Experience = &x
			}
			out = append(out, w)
		}
	}
	return out
}

// Experiences are the accounts of how it was done that the seed gives in
// enough detail to fill an experience report, by organisation slug and
// work title: only the seed's words, each from the work's passage (the
// tests hold them against it), and the contact it names.
func Experiences() map[string]library.ExperienceReport { return experiences }

var experiences = map[string]library.ExperienceReport{
	"region-varmland/Scenarioworkshop för sina kollegor": {
		Participants: "Kollegor",
		Steps: []string{
			"Deltagarna delades in i fyra grupper som sen fick spela upp sitt scenario.",
			"Region Vänern var det scenario som slutligen valdes.",
		},
		AskWhom: "Sara Johansson",
	},
	"region-vasterbotten/Två workshopdagar där personal från regionförbundets alla avdelningar skapat scenarier tillsammans": {
		Participants: "Personal från regionförbundets alla avdelningar",
		TimeUsed:     "Två workshopdagar",
		AskWhom:      "Niklas Gandal",
	},
	"region-blekinge/Region Blekinge: flera workshopar, både internt och externt": {
		Participants: "Både internt och externt – bland annat med näringslivsrepresentanter, en gymnasieskola och biblioteksansvariga i regionen",
		AskWhom:      "Anna Nyström",
	},
	"region-jonkoping/Workshopar med kommunerna i länet": {
		Purpose:      "Resultatet blir inspel till den kommande RUSen.",
		Participants: "Kommunerna i länet",
		AskWhom:      "Ola Olsson",
	},
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// retiredWorks are the works, by slug and owner, that earlier demos made
// and this one does not, since the seeds do not say they exist as works
// (Senior City, the planned handbook) or name them otherwise; the
// reportage were the regions' and are now the network's.
var retiredWorks = map[string]string{
	"designfiktioner-fran-personaldagen":       "regionforbundet-i-kalmar-lan",
	"framsynsarbete-i-kalmar":                  "regionforbundet-i-kalmar-lan",
	"framsynsarbete-i-region-blekinge":         "region-blekinge",
	"framsynsarbete-i-vastra-gotlandsregionen": "vastra-gotalandsregionen",
	"kalmars-scenarier":                        "regionforbundet-i-kalmar-lan",
	"metod-handbok-for-framsynsmetodik":        "region-blekinge",
	"personalens-workshop-med-backcasting":     "region-kronoberg",
	"processplan":                              "region-jamtland-harjedalen",
	"projektplan-for-framsynsarbetet":          "region-skane",
	"region-jonkopings-scenarier":              "region-jonkoping",
	"region-skanes-scenarier":                  "region-skane",
	"region-uppsalas-scenarier":                "region-uppsala",
	"scenario-for-regionen-i-form-av-en-film":  "vastra-gotalandsregionen",
	"scenarioworkshop-for-kollegor":            "region-varmland",
	"senior-city":                              "region-orebro-lan",
	"sormlands-scenarier":                      "region-sormland",
	"tillvaxtverkets-scenario":                 "tillvaxtverket",
	"tre-regionala-scenarier":                  "region-blekinge",
	"tva-workshopdagar-dar-personal-fran-regionforbundets-alla-avdelningar-skapade-scenarier": "region-vasterbotten",
	"video-fran-rus-dagen":           "region-gavleborg",
	"workshopar-internt-och-externt": "region-blekinge",
}

// retireWorks deletes the retired works an earlier demo made: those with
// the slug and owner whose body still opens as the demo's did.
func retireWorks(ctx context.Context, lib *library.Service, a *account.Actor, orgs map[string]*account.Organisation) error {
	for slug, owner := range retiredWorks {
		slug = account.Slugify(slug) // as the library cut it
		w, err := lib.GetBySlug(ctx, a, slug)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo: retired work %q: %w", slug, err)
		}
		if o := orgs[owner]; o == nil || w.OrganisationID != o.ID || !strings.HasPrefix(w.BodyMD, homeWorkSource) {
			continue // not the demo's
		}
		if err := lib.Delete(ctx, a, w.ID); err != nil {
			return fmt.Errorf("demo: retired work %q: %w", slug, err)
		}
	}
	return nil
}

// SeedWorks creates or refreshes the seed's works in the library, as the
// given actor (the demo admin). A work is found again by its slug; one
// with the slug that another organisation owns is an error rather than
// overwritten.
func SeedWorks(ctx context.Context, lib *library.Service, a *account.Actor, store Store) (int, error) {
	n, err := Load()
	if err != nil {
		return 0, err
	}
	orgs := map[string]*account.Organisation{}
	for _, o := range n.Organisations {
		stored, err := store.Accounts.OrganisationBySlug(ctx, o.Slug)
		if err != nil {
			return 0, fmt.Errorf("demo: %s: %w", o.Slug, err)
		}
		orgs[o.Slug] = stored
	}
	if err := retireWorks(ctx, lib, a, orgs); err != nil {
		return 0, err
	}
	works := n.Works(orgs)
	for i := range works {
		w := works[i]
		old, err := lib.GetBySlug(ctx, a, w.Slug)
		switch {
		case errs.Is(err, errs.NotFound):
			_, err = lib.Create(ctx, a, &w)
		case err == nil && old.OrganisationID != w.OrganisationID:
			err = fmt.Errorf("the slug %q belongs to another organisation's work", w.Slug)
		case err == nil:
			w.ID, w.Version = old.ID, old.Version
			_, err = lib.Update(ctx, a, &w)
		}
		if err != nil {
			return 0, fmt.Errorf("demo: work %q: %w", w.Title, err)
		}
	}
	return len(works), nil
}

// legacyLabels are the notes earlier demos added to a post whose source
// gives less than a day, when posts had only the day they were added:
// a post now carries its date at the source's precision, so a post that
// still has a note loses it when the demo is loaded again.
var legacyLabels = []string{
	"*Källan anger månaden men inte dagen: dagen här är ett exempel.*",
	"*Källan anger månaden men inte året: datumet här är ett exempel.*",
	"*Källan anger inget datum: datumet här är ett exempel.*",
}

// NewsPost is a post the demo makes from a source: for org, with the
// date the source gives at its precision (zero and unknown when it
// gives none, or a month without a year).
type NewsPost struct {
	Org       string
	Date      time.Time
	Precision library.DatePrecision
	Body      string
	Source    string
	Quote     string // the passage the body quotes, verbatim
	Seed      string
}

// NewsPosts returns the posts of the seeds' news, the organisations' and
// the events' groups', each dated as its source says (see News), oldest
// first (the undated before): the order the demo adds them in, so the
// front page's news, newest added first, reads newest first.
func (n *Network) NewsPosts() ([]NewsPost, error) {
	var out []NewsPost
	for _, o := range n.Organisations {
		for _, item := range o.News {
			seed := item.Seed
			if seed == "" {
				seed = o.Source
			}
			d, p, err := newsDate(item.Date)
			if err != nil {
				return nil, fmt.Errorf("demo: news of %s: %w", o.Slug, err)
			}
			out = append(out, NewsPost{Org: o.Slug, Date: d, Precision: p, Body: item.Quote, Source: n.Sources[seed].Title, Quote: item.Quote, Seed: seed})
		}
	}
	for _, ev := range n.Events {
		d, p, err := newsDate(ev.Date)
		if err != nil || p != library.DateDay {
			return nil, fmt.Errorf("demo: event %s: a day is needed, got %q (%v)", ev.Title, ev.Date, err)
		}
		for _, g := range ev.Groups {
			out = append(out, NewsPost{Org: ev.Org, Date: d, Precision: p, Body: "*" + ev.Quote + ", " + g.Name + ".*\n\n" + g.Quote,
				Source: n.Sources[ev.Seed].Title, Quote: g.Quote, Seed: ev.Seed})
		}
	}
	slices.SortStableFunc(out, func(a, b NewsPost) int { return a.Date.Compare(b.Date) })
	return out, nil
}

// newsDate reads a News date as a post's date and precision: a day, a
// month of a year, or nothing known, also for a month without a year
// ("--12"), which the post's text names.
func newsDate(d string) (time.Time, library.DatePrecision, error) {
	switch {
	case d == "":
		return time.Time{}, library.DateUnknown, nil
	case strings.HasPrefix(d, "--"):
		_, err := time.Parse("01", d[2:])
		return time.Time{}, library.DateUnknown, err
	case len(d) == len("2006-01"):
		t, err := time.Parse("2006-01", d)
		return t, library.DateMonth, err
	default:
		t, err := time.Parse(time.DateOnly, d)
		return t, library.DateDay, err
	}
}

// retiredPosts are the posts, by organisation and body, that earlier
// demos made and this one does not: Halland's was dated the day it was
// loaded, Dalarna's is now one of the masterclass posts.
var retiredPosts = map[string]string{
	"region-halland": "Region Halland hade en stor regional konferens i november, 2017. Outi Kuittinen, Demos Helsinki föreläste om " +
		"megatrender och 180 personer från olika organisationer i Halland (offentliga, privat och civilsamhället) deltog." +
		"\n\n*Ur nätverkets sida Hemarbete.*",
	"region-dalarna": "Från *Extra Masterclass om scenarier* 19 maj 2020:\n\n" +
		"Peter Möller, Region Dalarna, informerade om ett bra arbetssätt som utvecklats inom Analytikernätverket. " +
		"Peter ansvarar för ett gemensamt forum, en teamsgrupp, där alla kan dela analyser, kopplade till corona-pandemin. " +
		"Alla regioner är med. Intresserade analytiker kan ta kontakt med [peter.moller@regiondalarna.se](mailto:peter.moller@regiondalarna.se)",
}

// SeedPosts creates the seeds' news as posts, as the given actor, unless
// a post of the organisation already says the same, and deletes the
// retired posts.
func SeedPosts(ctx context.Context, posts post.Store, a *account.Actor, store Store) (int, error) {
	n, err := Load()
	if err != nil {
		return 0, err
	}
	news, err := n.NewsPosts()
	if err != nil {
		return 0, err
	}
	svc := post.NewService(posts)
	for slug, body := range retiredPosts {
		o, err := store.Accounts.OrganisationBySlug(ctx, slug)
		if err != nil {
			return 0, fmt.Errorf("demo: %s: %w", slug, err)
		}
		existing, err := svc.List(ctx, a, o.ID, post.MaxLimit)
		if err != nil {
			return 0, err
		}
		for _, e := range existing {
			if e.Body == body {
				if err := svc.Delete(ctx, a, o.ID, e.ID); err != nil {
					return 0, fmt.Errorf("demo: retired post of %s: %w", slug, err)
				}
			}
		}
	}
	for _, item := range news {
		o, err := store.Accounts.OrganisationBySlug(ctx, item.Org)
		if err != nil {
			return 0, fmt.Errorf("demo: %s: %w", item.Org, err)
		}
		p := &post.Post{OrganisationID: o.ID, Body: item.Body, Visibility: post.Public, Source: item.Source,
			Date: item.Date, DatePrecision: item.Precision}
		if err := p.Validate(); err != nil {
			return 0, fmt.Errorf("demo: post of %s: %w", item.Org, err)
		}
		existing, err := svc.List(ctx, a, o.ID, post.MaxLimit)
		if err != nil {
			return 0, err
		}
		var found *post.Post
		for i, e := range existing {
			if e.Body == p.Body || slices.ContainsFunc(legacyLabels, func(l string) bool { return e.Body == p.Body+"\n\n"+l }) {
				found = &existing[i]
				break
			}
		}
		switch {
		case found == nil:
			_, err = svc.Create(ctx, a, p)
		case found.Body != p.Body || !found.Date.Equal(p.Date) || found.DatePrecision != p.DatePrecision:
			// Loaded by an earlier demo: the date as the source gives it, the note gone.
			p.ID = found.ID
			_, err = svc.Update(ctx, a, p)
		}
		if err != nil {
			return 0, fmt.Errorf("demo: post of %s: %w", item.Org, err)
		}
	}
	return len(news), nil
}
