package event

import (
	"io"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/framsyn/framsyn/internal/search"
)

// TZID is the time zone events carry in iCal.
const TZID = "Europe/Stockholm"

// Calendar is what an iCal file says about its events.
type Calendar struct {
	Name    string // X-WR-CALNAME
	BaseURL string // for each event's URL and UID domain
	Events  []Event
	Stamp   time.Time // DTSTAMP: when the file was made
	Path    func(id int64) string
}

// WriteICal writes c as an RFC 5545 calendar: timed events in
// Europe/Stockholm local time with the zone's VTIMEZONE (the EU rule:
// summer time from the last Sunday of March 02:00 to the last Sunday of
// October 03:00), all-day events as DATE values. Events without a known
// day are left out.
func WriteICal(w io.Writer, c Calendar) error {
	cal := ics.NewCalendarFor("framsyn")
	cal.SetMethod(ics.MethodPublish)
	if c.Name != "" {
		cal.SetXWRCalName(c.Name)
	}
	cal.SetXWRTimezone(TZID)
	cal.AddVTimezone(stockholmZone())
	host := strings.TrimPrefix(strings.TrimPrefix(c.BaseURL, "https://"), "http://")
	if i := strings.IndexAny(host, ":/"); i >= 0 {
		host = host[:i]
	}
	if host == "" {
		host = "framsyn"
	}
	stamp := c.Stamp.UTC()
	for i := range c.Events {
		e := &c.Events[i]
		if !e.Calendarable() {
			continue
		}
		ve := cal.AddEvent("event-" + strconv.FormatInt(e.ID, 10) + "@" + host)
		ve.SetDtStampTime(stamp)
		ve.SetModifiedAt(e.UpdatedAt)
		ve.SetCreatedTime(e.CreatedAt)
		ve.SetSequence(int(e.UpdatedAt.Unix() - e.CreatedAt.Unix()))
		if e.AllDay {
			ve.SetAllDayStartAt(e.StartsAt.In(Stockholm))
			ve.SetAllDayEndAt(e.EndsAt.In(Stockholm))
		} else {
			ve.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(Stockholm).Format(localStamp), ics.WithTZID(TZID))
			ve.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(Stockholm).Format(localStamp), ics.WithTZID(TZID))
		}
		ve.SetSummary(e.Title)
		if d := search.MarkdownText(e.Description); d != "" {
			ve.SetDescription(d)
		}
		loc := e.Place
		if e.OnlineURL != "" {
			if loc != "" {
				loc += ", "
			}
			loc += e.OnlineURL
		}
		if loc != "" {
			ve.SetLocation(loc)
		}
		if c.Path != nil {
			ve.SetURL(c.BaseURL + c.Path(e.ID))
		}
		switch e.Audience {
		case Public:
			ve.SetClass(ics.ClassificationPublic)
		default:
			ve.SetClass(ics.ClassificationPrivate)
		}
		if e.OrgName != "" {
			ve.SetOrganizer("mailto:noreply@"+host, ics.WithCN(e.OrgName))
		}
	}
	// RFC 5545 lines end in CRLF; the library's default is LF.
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

const localStamp = "20060102T150405"

// stockholmZone is Europe/Stockholm's VTIMEZONE since 1996 (the EU rule).
func stockholmZone() *ics.VTimezone {
	tz := ics.NewTimezone(TZID)
	tz.Components = append(tz.Components, zonePart(&ics.Daylight{}, "19810329T020000", "+0100", "+0200", "CEST", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		zonePart(&ics.Standard{}, "19961027T030000", "+0200", "+0100", "CET", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
	return tz
}

type zoneComponent interface {
	ics.Component
	SetProperty(ics.ComponentProperty, string, ...ics.PropertyParameter)
}

func zonePart[T zoneComponent](c T, start, from, to, name, rule string) T {
	c.SetProperty(ics.ComponentPropertyDtStart, start)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), from)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), to)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	c.SetProperty(ics.ComponentPropertyRrule, rule)
	return c
}
