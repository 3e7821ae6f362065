package demo

import (
	"context"
	"fmt"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
)

// The demo's scenario crosses. No national cross was ever published (the
// network asked for one, seed 003, group 5), so every cross here is an
// example: its axes and scenarios are ours, and its title and source say
// so.

// ExampleCrossTitle is the title of the demo's national example cross.
const ExampleCrossTitle = "Sverige 2050 – nationellt scenariokors (exempel)"

// crossIdea is the network's own wish for a national cross, verbatim.
const crossIdea = `Skulle vi kunna göra ett "Nationellt scenariekors"? Det skulle kunna vara en gemensam utgångspunkt, som man sen gör egna analyser utifrån.`

const exampleSource = "Exempel: inget nationellt scenariekors har publicerats. Axlarna och scenarierna är framsyns egna exempel. Idén kommer från nätverket: "

// exampleCross is one demo cross: an org slug, the cross, and the title
// of the cross it is derived from ("" for the national one).
type exampleCross struct {
	org, parent string
	c           cross.Cross
}

func scenarios(names [4]string, stories [4]string) []cross.Scenario {
	var out []cross.Scenario
	for i := range names {
		out = append(out, cross.Scenario{Quadrant: i + 1, Name: names[i], Story: stories[i]})
	}
	return out
}

// exampleCrosses are the national example cross and crosses derived from
// it for a few regions and one area of activity, parents first.
func exampleCrosses(idea string) []exampleCross {
	national := cross.Cross{Title: ExampleCrossTitle, Question: "Hur ser Sverige ut år 2050? (exempel)", Horizon: 2050,
		Geography: "Sverige", Level: cross.LevelNational, Domain: "samhällsplanering", Status: cross.StatusPublished,
		Visibility: library.Public, Source: exampleSource + "”" + idea + "”",
		X: cross.Axis{Name: "Var vi bor och arbetar (exempel)", Description: "Exempelaxel: hur befolkning och arbete fördelar sig över landet.",
			Low: "Samlat i storstäderna", High: "Spritt över hela landet", Forces: []string{"Distansarbete", "Bostadspriser", "Infrastruktur"}},
		Y: cross.Axis{Name: "Tillit och gemensamma lösningar (exempel)", Description: "Exempelaxel: hur mycket vi litar på varandra och löser saker tillsammans.",
			Low: "Var och en för sig", High: "Starka gemensamma lösningar", Forces: []string{"Förtroende för institutioner", "Polarisering", "Civilsamhällets styrka"}},
		Scenarios: scenarios([4]string{"Hela landet lever", "Starka städer, delat ansvar", "Staden för de få", "Glesa nätverk"},
			[4]string{"*Exempel.* Människor bor och arbetar i hela landet och bygger gemensamma lösningar för vård, skola och resor.",
				"*Exempel.* Storstäderna växer, men regionerna delar ansvar och resurser med landsbygden.",
				"*Exempel.* De flesta bor i storstäderna och klarar sig själva; den som inte har råd får vänta.",
				"*Exempel.* Folk bor utspritt och löser vardagen i små privata nätverk i stället för gemensamt."})}
	welfare := national
	welfare.Title, welfare.Question, welfare.Geography, welfare.Level, welfare.Domain = "Välfärden i Kronoberg 2050 (exempel)",
		"Hur ser välfärden ut i Kronobergs län år 2050? (exempel)", "Kronobergs län", cross.LevelRegional, "välfärd"
	welfare.X = cross.Axis{Name: "Välfärdens arbetskraft (exempel)", Low: "Stor brist på personal", High: "Personal räcker genom nya arbetssätt"}
	welfare.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Replaced, Why: "Exempel: för välfärden avgör tillgången på personal mer än var folk bor."}, {Axis: "y", Change: cross.Kept}}
	welfare.Scenarios = scenarios([4]string{"Omsorg nära alla", "Gemensam kraftsamling", "Vård för den som kan betala", "Familjen tar över"},
		[4]string{"*Exempel.*", "*Exempel.*", "*Exempel.*", "*Exempel.*"})
	elderly := welfare
	elderly.Title, elderly.Question, elderly.Domain = "Äldreomsorgen i Kronoberg 2050 (exempel)", "Hur ser äldreomsorgen ut i Kronobergs län år 2050? (exempel)", "äldreomsorg"
	elderly.Y = cross.Axis{Name: "Vem bär ansvaret (exempel)", Low: "Den enskilde och familjen", High: "Kommun och region tillsammans"}
	elderly.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Renamed, Why: "Exempel: i äldreomsorgen handlar tilliten om vem som tar ansvar."}}
	skills := national
	skills.Title, skills.Question, skills.Geography, skills.Level, skills.Domain = "Kompetensförsörjningen i Värmland 2050 (exempel)",
		"Hur klarar Värmland kompetensförsörjningen år 2050? (exempel)", "Värmlands län", cross.LevelRegional, "kompetensförsörjning"
	skills.Y = cross.Axis{Name: "Samverkan om kompetens (exempel)", Low: "Varje arbetsgivare för sig", High: "Hela regionen samverkar"}
	skills.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Renamed, Why: "Exempel: tillit blir här frågan om arbetsgivare och skolor samverkar."}}
	skills.Scenarios = scenarios([4]string{"Värmland lär tillsammans", "Karlstad drar", "Var och en rekryterar", "Spridda specialister"},
		[4]string{"*Exempel.*", "*Exempel.*", "*Exempel.*", "*Exempel.*"})
	return []exampleCross{
		{org: "framsynsgruppen", c: national},
		{org: "region-kronoberg", parent: national.Title, c: welfare},
		{org: "region-kronoberg", parent: welfare.Title, c: elderly},
		{org: "region-varmland", parent: national.Title, c: skills},
	}
}

// SeedCrosses makes the example crosses through the service, as admin,
// finding them again by title so that running it again makes none twice.
// It returns how many it made.
func SeedCrosses(ctx context.Context, svc *cross.Service, admin *account.Actor, store Store) (int, error) {
	existing, err := svc.List(ctx, admin, cross.ListQuery{Limit: cross.MaxLimit})
	if err != nil {
		return 0, err
	}
	byTitle := map[string]int64{}
	for _, c := range existing {
		byTitle[c.Title] = c.ID
	}
	made := 0
	for _, ex := range exampleCrosses(crossIdea) {
		if _, ok := byTitle[ex.c.Title]; ok {
			continue
		}
		o, err := store.Accounts.OrganisationBySlug(ctx, ex.org)
		if err != nil {
			return made, fmt.Errorf("demo cross %s: %w", ex.c.Title, err)
		}
		c := ex.c
		c.OrganisationID = o.ID
		var saved *cross.Cross
		if ex.parent == "" {
			saved, err = svc.Create(ctx, admin, &c)
		} else {
			saved, err = svc.Derive(ctx, admin, byTitle[ex.parent], &c)
		}
		if err != nil {
			return made, fmt.Errorf("demo cross %s: %w", ex.c.Title, err)
		}
		byTitle[c.Title] = saved.ID
		made++
	}
	return made, nil
}

// MethodExample is a place the seeds say the network used a method: the
// passage verbatim (Quote, from seed Seed), and the work (by slug) or the
// organisation (by slug) it leads to; Cross names a demo cross by title
// for the guides the seeds say nothing about, labelled as an example.
type MethodExample struct {
	Label, Quote, Seed string
	Work, Org, Cross   string
}

const (
	seedHome       = "000"
	kronobergQuote = "Tidigare har personalen workshopat med backcasting som tema."
	varmlandQuote  = "Region Värmland har haft en scenarioworkshop för sina kollegor. Deltagarna delades in i fyra grupper som sen fick spela upp sitt scenario. Region Vänern var det scenario som slutligen valdes."
	skaneQuote     = "I december arrangerades en workshopdag för hela Regional utveckling med temat ”Svaga signaler”, gäst var Jake Dunagan, Institute for the future."
	kalmarQuote    = "Avdelningen regional utveckling ägnade hela sin personaldag i maj åt framsyn, kopplat till RUS-arbetet. Under dagen skapades bland annat designfiktioner."
	hallandQuote   = "Region Halland hade en stor regional konferens i november, 2017. Outi Kuittinen, Demos Helsinki föreläste om megatrender och 180 personer från olika organisationer i Halland (offentliga, privat och civilsamhället) deltog."
	kronobergMega  = "På programmet stod bland annat introduktion av megatrender och workshop med scenarieövningar."
	tillvaxtQuote  = "Tillväxtverket har startat ett internt arbete med Tillväxtverket 2050. En trend-workshop är på gång i Östersund."
)

// MethodExamples are the guides' "Så här gjorde …", by guide slug.
func MethodExamples() map[string][]MethodExample {
	return map[string][]MethodExample{
		"scenariokors": {
			{Label: "Så här gjorde Region Värmland", Quote: varmlandQuote, Seed: seedHome, Work: account.Slugify("Scenarioworkshop för sina kollegor")},
			{Label: "Nationellt scenariokors (exempel)", Cross: ExampleCrossTitle},
		},
		"backcasting": {
			{Label: "Så här gjorde Region Kronoberg", Quote: kronobergQuote, Seed: seedHome, Work: account.Slugify("Region Kronobergs scenariearbete")},
			{Label: "Välfärden i Kronoberg 2050 (exempel) – att köra med backcasting", Cross: "Välfärden i Kronoberg 2050 (exempel)"},
		},
		"megatrendworkshop": {
			{Label: "Så här gjorde Region Kronoberg", Quote: kronobergMega, Seed: seedHome, Work: account.Slugify("Region Kronobergs scenariearbete")},
			{Label: "Så här gjorde Region Halland", Quote: hallandQuote, Seed: seedHome, Org: "region-halland"},
			{Label: "Tillväxtverket", Quote: tillvaxtQuote, Seed: seedHome, Work: account.Slugify("Tillväxtverket 2050")},
		},
		"designfiktion": {
			{Label: "Så här gjorde Regionförbundet i Kalmar län", Quote: kalmarQuote, Seed: seedHome, Work: account.Slugify("Regionförbundet i Kalmar län: designfiktioner")},
			{Label: "Region Norrbottens designfiktioner", Work: account.Slugify("Region Norrbottens designfiktioner")},
			{Label: "Region Skånes designfiktioner", Work: account.Slugify("Region Skånes designfiktioner")},
			{Label: "Västra Götalandsregionens designfiktioner", Work: account.Slugify("Västra Götalandsregionens designfiktioner")},
		},
		"svaga-signaler": {
			{Label: "Så här gjorde Region Skåne", Quote: skaneQuote, Seed: seedHome, Work: account.Slugify("Region Skåne Process 2050")},
		},
		"framtidshjul": {
			{Label: "Öva på ett scenario i det nationella korset (exempel; källorna nämner ingen region som använt framtidshjulet)", Cross: ExampleCrossTitle},
		},
		"tre-horisonter": {
			{Label: "Öva på kompetensförsörjningskorset (exempel; källorna nämner ingen region som använt tre horisonter)", Cross: "Kompetensförsörjningen i Värmland 2050 (exempel)"},
		},
	}
}
