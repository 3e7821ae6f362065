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
// Events and other mentions are not works; the events area takes them.
var workTypes = map[string]library.Type{
	"scenario":               library.TypeScenario,
	"scenario_set":           library.TypeScenarioSet,
	"design_fiction":         library.TypeDesignFiction,
	"podcast":                library.TypePodcast,
	"video":                  library.TypeVideo,
	"presentation":           library.TypePresentation,
	"illustration":           library.TypeIllustration,
	"method_handbook":        library.TypeMethodHandbook,
	"process_plan":           library.TypeProcessPlan,
	"report":                 library.TypeReport,
	"workshop_documentation": library.TypeWorkshopDoc,
}

// homeWorkSource names where the works' facts come from, in their body.
const homeWorkSource = "Ur nätverkets sida *Hemarbete* (framsynsprocessen Region 2050):"

// Works returns the works the seed names, each owned by its organisation,
// public, with the organisation's contacts, and without links: the seed
// gives none. The body quotes the seed's paragraph the work comes from.
// orgs maps slugs to stored organisations (for ids).
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
			w := library.Work{
				Slug: account.Slugify(m.Title), Type: t, Title: m.Title, Summary: capitalise(m.Note),
				BodyMD:         homeWorkSource + "\n\n> " + o.HomeWork,
				OrganisationID: stored.ID, Language: "sv", Visibility: library.Public,
			}
			if strings.Contains(m.Title, "2050") {
				w.HorizonYear = 2050 // the title says so
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

// experiences are the accounts of how it was done that the seed gives in
// enough detail to fill an experience report: only what it says.
var experiences = map[string]library.ExperienceReport{
	"region-varmland/Scenarioworkshop för kollegor": {
		Participants: "Kollegor på Region Värmland",
		Steps: []string{
			"Deltagarna delades in i fyra grupper.",
			"Grupperna fick spela upp sitt scenario.",
			"Region Vänern var det scenario som slutligen valdes.",
		},
		AskWhom: "Sara Johansson, Region Värmland",
	},
	"region-kronoberg/Personalens workshop med backcasting": {
		Participants: "Personalen på Region Kronoberg",
		Steps:        []string{"Personalen workshopade med backcasting som tema."},
		AskWhom:      "Cecilia Birgersson, Region Kronoberg",
	},
	"region-vasterbotten/Två workshopdagar där personal från regionförbundets alla avdelningar skapade scenarier": {
		Participants: "Personal från regionförbundets alla avdelningar",
		Steps:        []string{"Personalen skapade scenarier tillsammans."},
		TimeUsed:     "Två workshopdagar",
		AskWhom:      "Niklas Gandal, Region Västerbotten",
	},
	"region-blekinge/Workshopar internt och externt": {
		Participants: "Internt och externt, bland annat näringslivsrepresentanter, en gymnasieskola och biblioteksansvariga i regionen",
		AskWhom:      "Anna Nyström, Region Blekinge",
	},
	"region-jonkoping/Workshopar med kommunerna i länet": {
		Purpose:      "Resultatet blir inspel till den kommande RUSen.",
		Participants: "Kommunerna i länet",
		AskWhom:      "Ola Olsson, Region Jönköping",
	},
	"region-orebro-lan/Workshop i framtagande av sitt scenario": {
		Purpose: "Att ta fram Region Örebro läns scenario.",
		Worked: "Deltagarna såg olika samhälls- och kulturförändringar som avgörande för att framtiden blev som den blev i Senior City. " +
			"Vägkorsen identifierade de som möjliga att påverka i tidiga skeden.",
	},
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
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

// newsItem is a dated piece of news the seeds give, for an organisation's
// "På gång". At is the day the seed names; zero when it names only a
// month, and then the post is dated when the demo is loaded.
type newsItem struct {
	org  string
	at   time.Time
	body string
}

// news is every dated piece of news in the seeds, quoted.
var news = []newsItem{
	{org: "region-dalarna", at: time.Date(2020, 5, 19, 12, 0, 0, 0, time.UTC),
		body: "Från *Extra Masterclass om scenarier* 19 maj 2020:\n\n" + quoteDalarna},
	{org: "region-halland", body: quoteHalland + "\n\n*Ur nätverkets sida Hemarbete.*"},
}

// The seeds' words, verbatim (the tests hold them against the seeds).
const (
	quoteDalarna = "Peter Möller, Region Dalarna, informerade om ett bra arbetssätt som utvecklats inom Analytikernätverket. " +
		"Peter ansvarar för ett gemensamt forum, en teamsgrupp, där alla kan dela analyser, kopplade till corona-pandemin. " +
		"Alla regioner är med. Intresserade analytiker kan ta kontakt med [peter.moller@regiondalarna.se](mailto:peter.moller@regiondalarna.se)"
	quoteHalland = "Region Halland hade en stor regional konferens i november, 2017. Outi Kuittinen, Demos Helsinki föreläste om " +
		"megatrender och 180 personer från olika organisationer i Halland (offentliga, privat och civilsamhället) deltog."
)

// SeedPosts creates the seeds' dated news as posts, as the given actor,
// unless a post of the organisation already says the same.
func SeedPosts(ctx context.Context, posts post.Store, a *account.Actor, store Store) (int, error) {
	for _, item := range news {
		o, err := store.Accounts.OrganisationBySlug(ctx, item.org)
		if err != nil {
			return 0, fmt.Errorf("demo: %s: %w", item.org, err)
		}
		svc := post.NewService(posts)
		if !item.at.IsZero() {
			svc.SetClock(func() time.Time { return item.at })
		}
		p := &post.Post{OrganisationID: o.ID, Body: item.body, Visibility: post.Public}
		if err := p.Validate(); err != nil {
			return 0, fmt.Errorf("demo: post of %s: %w", item.org, err)
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
			return 0, fmt.Errorf("demo: post of %s: %w", item.org, err)
		}
	}
	return len(news), nil
}
