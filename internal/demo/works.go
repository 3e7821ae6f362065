package demo

import (
	"context"
	"fmt"
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

// exampleYear is the year a post gets when its source names a month but
// no year, or no date at all: the one year the home-work page names. The
// post says the date is an example.
const exampleYear = 2017

// Labels of a post whose source gives less than a day.
const (
	dayExample  = "*Källan anger månaden men inte dagen: dagen här är ett exempel.*"
	yearExample = "*Källan anger månaden men inte året: datumet här är ett exempel.*"
	dateExample = "*Källan anger inget datum: datumet här är ett exempel.*"
)

// NewsPost is a post the demo makes from a source: for org, dated at.
type NewsPost struct {
	Org    string
	At     time.Time
	Body   string
	Source string
	Quote  string // the passage the body quotes, verbatim
	Seed   string
}

// NewsPosts returns the posts of the seeds' news, the organisations' and
// the events' groups', each dated as its source says (see News).
func (n *Network) NewsPosts() ([]NewsPost, error) {
	var out []NewsPost
	for _, o := range n.Organisations {
		for _, item := range o.News {
			seed := item.Seed
			if seed == "" {
				seed = o.Source
			}
			at, label, err := newsDate(item.Date)
			if err != nil {
				return nil, fmt.Errorf("demo: news of %s: %w", o.Slug, err)
			}
			body := item.Quote
			if label != "" {
				body += "\n\n" + label
			}
			out = append(out, NewsPost{Org: o.Slug, At: at, Body: body, Source: n.Sources[seed].Title, Quote: item.Quote, Seed: seed})
		}
	}
	for _, ev := range n.Events {
		at, label, err := newsDate(ev.Date)
		if err != nil || label != "" {
			return nil, fmt.Errorf("demo: event %s: a day is needed, got %q (%v)", ev.Title, ev.Date, err)
		}
		for _, g := range ev.Groups {
			out = append(out, NewsPost{Org: ev.Org, At: at, Body: "*" + ev.Quote + ", " + g.Name + ".*\n\n" + g.Quote,
				Source: n.Sources[ev.Seed].Title, Quote: g.Quote, Seed: ev.Seed})
		}
	}
	return out, nil
}

// newsDate reads a News date: the instant a post gets (noon UTC) and the
// label it carries when the source gives less than a day.
func newsDate(d string) (time.Time, string, error) {
	noon := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 12, 0, 0, 0, time.UTC) }
	switch {
	case d == "":
		return noon(exampleYear, 1, 1), dateExample, nil
	case strings.HasPrefix(d, "--"):
		t, err := time.Parse("01", d[2:])
		return noon(exampleYear, t.Month(), 1), yearExample, err
	case len(d) == len("2006-01"):
		t, err := time.Parse("2006-01", d)
		return noon(t.Year(), t.Month(), 1), dayExample, err
	default:
		t, err := time.Parse(time.DateOnly, d)
		return noon(t.Year(), t.Month(), t.Day()), "", err
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
		svc := post.NewService(posts)
		svc.SetClock(func() time.Time { return item.At })
		p := &post.Post{OrganisationID: o.ID, Body: item.Body, Visibility: post.Public, Source: item.Source}
		if err := p.Validate(); err != nil {
			return 0, fmt.Errorf("demo: post of %s: %w", item.Org, err)
		}
		existing, err := svc.List(ctx, a, o.ID, post.MaxLimit)
		if err != nil {
			return 0, err
		}
		found := false
		for _, e := range existing {
			found = found || e.Body == p.Body
		}
		if found {
			continue
		}
		if _, err := svc.Create(ctx, a, p); err != nil {
			return 0, fmt.Errorf("demo: post of %s: %w", item.Org, err)
		}
	}
	return len(news), nil
}
