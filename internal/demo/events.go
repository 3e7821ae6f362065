package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
)

// The seeds' events, as precise as the seeds give their dates: a month
// and year (Halland's conference, "i november, 2017") is an event of
// precision Month, a month alone (Kronoberg's regional days "i januari",
// Skåne's workshop day "I december") of precision NoYear, anchored in
// exampleYear for sorting and shown as "januari (år okänt)"; neither has
// a day, so neither is in a calendar. The masterclass has its day and no
// time: an all-day event. One open example event with registration is
// labelled "exempel".

// seedEvent is one event the seeds name: the organisation, the mention
// (title and passage) and how much of the date the passage gives.
type seedEvent struct {
	Org, Title string
	Date       string // as News.Date: YYYY-MM-DD, YYYY-MM or --MM
}

var seedEvents = []seedEvent{
	{"region-kronoberg", "Regiondagarna i januari", "--01"},
	{"region-halland", "Stor regional konferens i november, 2017", "2017-11"},
	{"region-skane", "Workshopdag: ”Svaga signaler”", "--12"},
}

// ExampleEventTitle is the open example event's title.
const ExampleEventTitle = "Digital scenarioworkshop för regionerna (exempel)"

// SeedEvents creates the seeds' events and the example event as a
// (a platform admin) unless an event of the organisation with the title
// exists; it returns how many it made.
func SeedEvents(ctx context.Context, events *event.Service, a *account.Actor, orgs account.Store) (int, error) {
	n, err := Load()
	if err != nil {
		return 0, err
	}
	bySlug := map[string]*account.Organisation{}
	org := func(slug string) (*account.Organisation, error) {
		if o, ok := bySlug[slug]; ok {
			return o, nil
		}
		o, err := orgs.OrganisationBySlug(ctx, slug)
		if err != nil {
			return nil, fmt.Errorf("demo: events: %s: %w", slug, err)
		}
		bySlug[slug] = o
		return o, nil
	}
	made := 0
	put := func(e *event.Event, coHosts ...int64) error {
		existing, err := events.List(ctx, a, event.ListQuery{OrganisationID: e.OrganisationID, Limit: event.MaxLimit})
		if err != nil {
			return err
		}
		for _, x := range existing {
			if x.Title == e.Title {
				return nil
			}
		}
		got, err := events.Create(ctx, a, e, coHosts)
		if err != nil {
			return fmt.Errorf("demo: event %q: %w", e.Title, err)
		}
		for _, h := range coHosts {
			if err := events.ConfirmHost(ctx, a, got.ID, h); err != nil {
				return err
			}
		}
		made++
		return nil
	}
	for _, se := range seedEvents {
		o, err := org(se.Org)
		if err != nil {
			return made, err
		}
		m, seed, ok := n.mention(se.Org, se.Title)
		if !ok {
			return made, fmt.Errorf("demo: no mention %q of %s", se.Title, se.Org)
		}
		e := &event.Event{OrganisationID: o.ID, Title: se.Title, Description: m.Quote, Audience: event.Public, AllDay: true,
			Source: n.SourceLine(seed, m.Quote)}
		if e.StartsAt, e.EndsAt, e.Precision, err = seedDates(se.Date); err != nil {
			return made, err
		}
		if err := put(e); err != nil {
			return made, err
		}
	}
	for _, ev := range n.Events {
		o, err := org(ev.Org)
		if err != nil {
			return made, err
		}
		start, end, prec, err := seedDates(ev.Date)
		if err != nil || prec != event.Exact {
			return made, fmt.Errorf("demo: event %s: a day is needed, got %q (%v)", ev.Title, ev.Date, err)
		}
		e := &event.Event{OrganisationID: o.ID, Title: ev.Title, Description: "*" + ev.Quote + "*\n\n" + ev.Note, Audience: event.Public,
			AllDay: true, StartsAt: start, EndsAt: end, Source: n.Sources[ev.Seed].Title}
		if err := put(e); err != nil {
			return made, err
		}
	}
	host, err := org(editorOrg)
	if err != nil {
		return made, err
	}
	co, err := org("region-kronoberg")
	if err != nil {
		return made, err
	}
	day := event.DayStart(events.Now().AddDate(0, 1, 0))
	ex := &event.Event{OrganisationID: host.ID, Title: ExampleEventTitle, Example: true, Audience: event.Network,
		Description: "Ett **exempel** på ett evenemang med anmälan och väntelista: en digital scenarioövning i små grupper. " +
			"Inget i det här evenemanget kommer från källorna.",
		StartsAt: day.Add(9 * time.Hour), EndsAt: day.Add(12 * time.Hour), OnlineURL: "https://framsyn.example.se/j/EXEMPEL",
		Capacity: 30, Registration: true}
	return made, put(ex, co.ID)
}

// mention finds an organisation's mention by title.
func (n *Network) mention(slug, title string) (Mention, string, bool) {
	for _, o := range n.Organisations {
		if o.Slug != slug {
			continue
		}
		for _, m := range o.Mentions {
			if m.Title == title {
				seed := m.Seed
				if seed == "" {
					seed = o.Source
				}
				return m, seed, true
			}
		}
	}
	return Mention{}, "", false
}

// exampleYear is the year an event of a month without a year is placed
// in (the one year the home-work page names); its precision, NoYear,
// keeps the year from being shown.
const exampleYear = 2017

// seedDates reads a date as precise as a seed gives it into an all-day
// span in Stockholm: a day, a month of a year, or a month of exampleYear.
func seedDates(d string) (start, end time.Time, p event.Precision, err error) {
	at := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, event.Stockholm) }
	switch {
	case len(d) == len("--01") && d[:2] == "--":
		var t time.Time
		if t, err = time.Parse("01", d[2:]); err == nil {
			start = at(exampleYear, t.Month(), 1)
			return start, start.AddDate(0, 1, 0), event.NoYear, nil
		}
	case len(d) == len("2006-01"):
		var t time.Time
		if t, err = time.Parse("2006-01", d); err == nil {
			start = at(t.Year(), t.Month(), 1)
			return start, start.AddDate(0, 1, 0), event.Month, nil
		}
	default:
		var t time.Time
		if t, err = time.Parse(time.DateOnly, d); err == nil {
			start = at(t.Year(), t.Month(), t.Day())
			return start, start.AddDate(0, 0, 1), event.Exact, nil
		}
	}
	return time.Time{}, time.Time{}, "", fmt.Errorf("demo: date %q: %w", d, err)
}
