// Package event holds the network's events: regional days, workshop days,
// masterclasses and conferences, hosted by one or more organisations, with
// registration, a waiting list that moves up by itself, and iCal output.
package event

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of events.
const Kind = "event"

// Audience is who may see an event and register for it.
type Audience string

// The audiences, widest first. An event of a hidden organisation is seen
// only by its hosts' members, whatever its audience says.
const (
	Public   Audience = "public"   // everyone
	Network  Audience = "network"  // signed-in users
	Internal Audience = "internal" // members of the hosting organisations
)

// Audiences lists the audiences from widest to narrowest.
var Audiences = []Audience{Public, Network, Internal}

// Precision is how much of an event's date is known. Events the sources
// name without a day ("i januari", "i november 2017") keep the date as
// precise as the source gives it: StartsAt is then the first day of the
// month (of an example year for NoYear), shown as "januari" or
// "november 2017", never as a day, and left out of calendars.
type Precision string

// The precisions.
const (
	Exact  Precision = ""        // the day (and, unless all-day, the time) is known
	Month  Precision = "month"   // year and month known
	NoYear Precision = "no_year" // only the month is known; the year shown is not
)

// Precisions lists the known precisions.
var Precisions = []Precision{Exact, Month, NoYear}

// Limits on fields.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxPlaceLen       = 300
	MaxURLLen         = 1000
	MaxSourceLen      = 2000
	MaxCapacity       = 100000
	MaxHosts          = 20
	MaxLinks          = 50
	MaxDuration       = 32 * 24 * time.Hour // a whole month, whatever the clocks do
)

// Stockholm is the time zone events are entered and shown in.
var Stockholm = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// Event is one event.
type Event struct {
	ID             int64
	OrganisationID int64 // the organising host; co-hosts are in Hosts
	Title          string
	Description    string // Markdown
	// StartsAt and EndsAt are UTC. For an all-day event they are the
	// Stockholm midnights that begin the first day and end the last
	// (EndsAt exclusive, as iCal's DTEND;VALUE=DATE).
	StartsAt, EndsAt time.Time
	AllDay           bool
	Precision        Precision
	Place            string
	OnlineURL        string
	Audience         Audience
	Capacity         int  // places for registration; 0: no limit
	Registration     bool // open for registration
	Example          bool // made up for the demo: labelled "exempel"
	Source           string
	CreatedBy        int64
	CreatedAt        time.Time
	UpdatedAt        time.Time

	// Read when loaded.
	OrgSlug, OrgName string
	OrgPublic        bool
	Hosts            []Host // the organiser first, then co-hosts (confirmed or not)
	Links            []Link
	Registered       int // confirmed registrations
	Waiting          int // on the waiting list
}

// Host is an organisation hosting an event. Co-hosts are invited by the
// organiser and host only once one of their editors confirms.
type Host struct {
	OrganisationID int64
	Slug, Name     string
	Public         bool
	Confirmed      bool
}

// Link kinds.
const (
	LinkWork     = "work"
	LinkWorkshop = "workshop"
)

// Link is a work or a workshop that an event produced or used.
type Link struct {
	Kind  string
	RefID int64
}

// Validate normalises e and reports invalid fields with catalogue keys.
func (e *Event) Validate() error {
	f := errs.Fields{}
	e.Title = strings.Join(strings.Fields(e.Title), " ")
	switch {
	case e.Title == "":
		f["title"] = "event.title_required"
	case utf8.RuneCountInString(e.Title) > MaxTitleLen:
		f["title"] = "error.too_long"
	}
	e.Description = strings.TrimSpace(strings.ReplaceAll(e.Description, "\r\n", "\n"))
	if utf8.RuneCountInString(e.Description) > MaxDescriptionLen {
		f["description"] = "error.too_long"
	}
	e.Place = strings.Join(strings.Fields(e.Place), " ")
	if utf8.RuneCountInString(e.Place) > MaxPlaceLen {
		f["place"] = "error.too_long"
	}
	e.OnlineURL = strings.TrimSpace(e.OnlineURL)
	if e.OnlineURL != "" {
		u, err := url.Parse(e.OnlineURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(e.OnlineURL) > MaxURLLen {
			f["online_url"] = "event.url_invalid"
		}
	}
	e.Source = strings.TrimSpace(e.Source)
	if utf8.RuneCountInString(e.Source) > MaxSourceLen {
		f["source"] = "error.too_long"
	}
	for k, v := range map[string]string{"title": e.Title, "description": e.Description, "place": e.Place, "source": e.Source} {
		if strings.ContainsRune(v, 0) {
			f[k] = "error.invalid_chars"
		}
	}
	if e.Audience == "" {
		e.Audience = Network
	}
	if !slices.Contains(Audiences, e.Audience) {
		f["audience"] = "event.audience_invalid"
	}
	if !slices.Contains(Precisions, e.Precision) {
		f["start"] = "event.precision_invalid"
	}
	switch {
	case e.StartsAt.IsZero():
		f["start"] = "event.start_required"
	case e.EndsAt.IsZero():
		f["end"] = "event.end_required"
	case !e.EndsAt.After(e.StartsAt):
		f["end"] = "event.end_before_start"
	case e.EndsAt.Sub(e.StartsAt) > MaxDuration:
		f["end"] = "event.too_long"
	}
	if e.Capacity < 0 || e.Capacity > MaxCapacity {
		f["capacity"] = "event.capacity_range"
	}
	if e.Registration && e.Precision != Exact {
		f["registration"] = "event.registration_needs_date"
	}
	if e.OrganisationID <= 0 {
		f["organisation"] = "event.organisation_required"
	}
	if len(e.Links) > MaxLinks {
		f["links"] = "event.too_many_links"
	}
	for _, l := range e.Links {
		if (l.Kind != LinkWork && l.Kind != LinkWorkshop) || l.RefID <= 0 {
			f["links"] = "event.link_invalid"
		}
	}
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	return f.Err()
}

// HostIDs returns the confirmed hosts' organisations, the organiser first.
func (e *Event) HostIDs() []int64 {
	ids := []int64{e.OrganisationID}
	for _, h := range e.Hosts {
		if h.Confirmed && h.OrganisationID != e.OrganisationID {
			ids = append(ids, h.OrganisationID)
		}
	}
	return ids
}

// CoHosts returns the hosts other than the organiser.
func (e *Event) CoHosts() []Host {
	var out []Host
	for _, h := range e.Hosts {
		if h.OrganisationID != e.OrganisationID {
			out = append(out, h)
		}
	}
	return out
}

// Scope is who may find the event: its audience, narrowed to the hosts'
// members when it is internal or its organiser is hidden.
func (e *Event) Scope() search.Scope {
	switch {
	case e.Audience == Internal || !e.OrgPublic:
		return search.ScopeOrganisation
	case e.Audience == Network:
		return search.ScopeNetwork
	}
	return search.ScopePublic
}

// Full reports whether every place is taken.
func (e *Event) Full() bool { return e.Capacity > 0 && e.Registered >= e.Capacity }

// Past reports whether the event has ended at now.
func (e *Event) Past(now time.Time) bool { return !e.EndsAt.After(now) }

// LocalStart and LocalEnd are the times in Stockholm. For an all-day
// event LocalEnd is the last day (the exclusive end minus a day).
func (e *Event) LocalStart() time.Time { return e.StartsAt.In(Stockholm) }

// LocalEnd: see LocalStart.
func (e *Event) LocalEnd() time.Time {
	if e.AllDay {
		return e.EndsAt.In(Stockholm).AddDate(0, 0, -1)
	}
	return e.EndsAt.In(Stockholm)
}

// MultiDay reports whether the event ends on another day than it starts.
func (e *Event) MultiDay() bool {
	s, t := e.LocalStart(), e.LocalEnd()
	if !e.AllDay && t.Hour() == 0 && t.Minute() == 0 {
		t = t.Add(-time.Minute) // ends at midnight: still the same day
	}
	return s.YearDay() != t.YearDay() || s.Year() != t.Year()
}

// Calendarable reports whether the event has a day to put in a calendar.
func (e *Event) Calendarable() bool { return e.Precision == Exact }

// SearchDocument returns the event as the search index holds it; the
// organiser's public flag and the hosts must be loaded.
func (e *Event) SearchDocument() search.Document {
	body := search.MarkdownText(e.Description)
	if e.Place != "" {
		body = e.Place + "\n" + body
	}
	return search.Document{
		Kind: Kind, ID: e.ID, Scope: e.Scope(), Owner: e.OrganisationID, Orgs: e.HostIDs(),
		Title: e.Title, Body: body, Date: e.StartsAt,
		Tags: []string{search.Tag("audience", string(e.Audience))},
	}
}

// Stockholm day bounds, for forms and month views.

// ParseLocal reads a date (2006-01-02) and an optional time (15:04) as
// Stockholm time. A time that does not exist (the hour skipped in March)
// moves forward as time.Date does.
func ParseLocal(date, clock string) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(date), Stockholm)
	if err != nil {
		return time.Time{}, false
	}
	clock = strings.TrimSpace(clock)
	if clock == "" {
		return d, true
	}
	c, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, Stockholm), true
}

// DayStart is the Stockholm midnight that begins t's day.
func DayStart(t time.Time) time.Time {
	l := t.In(Stockholm)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, Stockholm)
}

// Cursor is the position of e in a list, for the next page: "ms-id".
func Cursor(e *Event) string {
	return strconv.FormatInt(e.StartsAt.UnixMilli(), 10) + "-" + strconv.FormatInt(e.ID, 10)
}

// ParseCursor reads a Cursor; false for anything else.
func ParseCursor(v string) (time.Time, int64, bool) {
	a, b, ok := strings.Cut(v, "-")
	if !ok {
		return time.Time{}, 0, false
	}
	ms, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, false
	}
	return time.UnixMilli(ms).UTC(), id, true
}
