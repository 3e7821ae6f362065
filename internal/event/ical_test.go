package event_test

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	eical "github.com/emersion/go-ical"

	"github.com/framsyn/framsyn/internal/event"
)

// icalFixture: a conference across the end of summer time (Saturday
// 24 October 2026 09:00 to Monday 26 October 16:00, the clocks go back on
// the Sunday), a two-day all-day event across the start of summer time,
// an event in summer, and one whose day the source does not give.
func icalFixture(t *testing.T) []event.Event {
	t.Helper()
	at := func(d, c string) time.Time {
		v, ok := event.ParseLocal(d, c)
		if !ok {
			t.Fatalf("parse %s %s", d, c)
		}
		return v.UTC()
	}
	created := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	return []event.Event{
		{ID: 1, Title: "Regional konferens; framsyn, scenarier \\ megatrender", OrganisationID: 1, OrgName: "Region Halland",
			StartsAt: at("2026-10-24", "09:00"), EndsAt: at("2026-10-26", "16:00"), Audience: event.Public,
			Place: "Halmstad, Stadsbiblioteket", Description: "**180** deltagare.\n\nOm megatrender och " + strings.Repeat("långa rader med å, ä och ö ", 8),
			CreatedAt: created, UpdatedAt: created.Add(time.Hour)},
		{ID: 2, Title: "Regiondagar", OrganisationID: 2, AllDay: true, StartsAt: at("2027-03-27", ""), EndsAt: at("2027-03-29", ""),
			Audience: event.Network, CreatedAt: created, UpdatedAt: created},
		{ID: 3, Title: "Masterclass", OrganisationID: 3, StartsAt: at("2026-05-19", "13:00"), EndsAt: at("2026-05-19", "15:30"),
			Audience: event.Public, OnlineURL: "https://meet.example.se/x", CreatedAt: created, UpdatedAt: created},
		{ID: 4, Title: "Regiondagarna i januari", OrganisationID: 2, Precision: event.NoYear, AllDay: true,
			StartsAt: at("2018-01-01", ""), EndsAt: at("2018-02-01", ""), Audience: event.Public, CreatedAt: created, UpdatedAt: created},
	}
}

func writeFixture(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := event.WriteICal(&buf, event.Calendar{Name: "framsyn", BaseURL: "https://framsyn.example.se", Events: icalFixture(t),
		Stamp: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Path: func(id int64) string { return "/evenemang/" + strconv.FormatInt(id, 10) }})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteICal_ParsesBackWithTheLibrary: golang-ical reads its own output
// to the same instants, including across the DST change.
func TestWriteICal_ParsesBackWithTheLibrary(t *testing.T) {
	out := writeFixture(t)
	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3 (the one without a day left out):\n%s", len(evs), out)
	}
	want := icalFixture(t)
	s, _ := evs[0].GetStartAt()
	e, _ := evs[0].GetEndAt()
	if !s.Equal(want[0].StartsAt) || !e.Equal(want[0].EndsAt) {
		t.Errorf("conference %v – %v, want %v – %v", s, e, want[0].StartsAt, want[0].EndsAt)
	}
	// 09:00 CEST is 07:00 UTC, 16:00 CET is 15:00 UTC: 56 hours, where
	// the wall clock says 55.
	if got := e.Sub(s); got != 56*time.Hour {
		t.Errorf("conference lasts %v, want 56h (one hour more than the wall clock across the change)", got)
	}
	ad, err := evs[1].GetAllDayStartAt()
	if err != nil || ad.Format("2006-01-02") != "2027-03-27" {
		t.Errorf("all-day start %v %v", ad, err)
	}
	if p := evs[1].GetProperty(ics.ComponentPropertyDtEnd); p == nil || p.Value != "20270329" {
		t.Errorf("all-day DTEND %+v, want the day after the last (exclusive)", p)
	}
	if got := evs[0].GetProperty(ics.ComponentPropertySummary).Value; got != want[0].Title {
		t.Errorf("summary %q", got)
	}
	if len(cal.Timezones()) != 1 {
		t.Errorf("%d VTIMEZONEs", len(cal.Timezones()))
	}
}

// TestWriteICal_IndependentParsers: emersion/go-ical decodes the file and
// re-encodes it (its encoder checks RFC 5545's required and single
// properties), and a strict line reader here checks the framing and
// resolves the local times with the file's own VTIMEZONE rules rather
// than Go's zone database.
func TestWriteICal_IndependentParsers(t *testing.T) {
	out := writeFixture(t)
	cal, err := eical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if err := eical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Errorf("emersion's encoder refuses the calendar: %v", err)
	}
	want := icalFixture(t)
	evs := cal.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	s, err1 := evs[0].DateTimeStart(nil)
	e, err2 := evs[0].DateTimeEnd(nil)
	if err1 != nil || err2 != nil || !s.Equal(want[0].StartsAt) || !e.Equal(want[0].EndsAt) {
		t.Errorf("emersion: %v – %v (%v %v)", s, e, err1, err2)
	}

	lines := strictLines(t, out)
	zone := zoneRules(t, lines)
	var starts, ends []time.Time
	for _, l := range lines {
		name, params, value := splitLine(t, l)
		if (name == "DTSTART" || name == "DTEND") && params["TZID"] == event.TZID {
			v := zone.resolve(t, value)
			if name == "DTSTART" {
				starts = append(starts, v)
			} else {
				ends = append(ends, v)
			}
		}
	}
	if len(starts) != 2 || len(ends) != 2 {
		t.Fatalf("timed DTSTART/DTEND %v %v", starts, ends)
	}
	for i, w := range []event.Event{want[0], want[2]} {
		if !starts[i].Equal(w.StartsAt) || !ends[i].Equal(w.EndsAt) {
			t.Errorf("event %d by the VTIMEZONE rules: %v – %v, want %v – %v", w.ID, starts[i], ends[i], w.StartsAt, w.EndsAt)
		}
	}
}

// strictLines checks RFC 5545 framing (CRLF, at most 75 octets a line,
// continuation by one space, no control characters) and unfolds.
func strictLines(t *testing.T, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("no CRLF at the end")
	}
	var out []string
	for i, raw := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(raw) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(raw), raw)
		}
		if strings.ContainsAny(raw, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF", i+1)
		}
		for _, r := range raw {
			if r < 0x20 && r != '\t' {
				t.Errorf("line %d holds control character %U", i+1, r)
			}
		}
		if strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t") {
			if len(out) == 0 {
				t.Fatal("continuation first")
			}
			out[len(out)-1] += raw[1:]
			continue
		}
		out = append(out, raw)
	}
	if out[0] != "BEGIN:VCALENDAR" || out[len(out)-1] != "END:VCALENDAR" {
		t.Errorf("not one VCALENDAR: %q … %q", out[0], out[len(out)-1])
	}
	depth := 0
	for _, l := range out {
		switch {
		case strings.HasPrefix(l, "BEGIN:"):
			depth++
		case strings.HasPrefix(l, "END:"):
			depth--
		}
		if depth < 0 {
			t.Fatal("END without BEGIN")
		}
	}
	if depth != 0 {
		t.Error("unbalanced BEGIN/END")
	}
	return out
}

func splitLine(t *testing.T, l string) (string, map[string]string, string) {
	i := strings.IndexByte(l, ':')
	if i < 0 {
		t.Fatalf("no colon: %q", l)
	}
	head, value := l[:i], l[i+1:]
	parts := strings.Split(head, ";")
	params := map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		params[k] = v
	}
	return parts[0], params, value
}

// vzone is a VTIMEZONE of one STANDARD and one DAYLIGHT yearly rule of
// the form FREQ=YEARLY;BYMONTH=m;BYDAY=-1SU.
type vzone struct {
	std, dst struct {
		month, hour, min int
		from, to         int // offsets in seconds
	}
}

func zoneRules(t *testing.T, lines []string) vzone {
	t.Helper()
	var z vzone
	in, tzid := "", ""
	offset := func(s string) int {
		if len(s) != 5 {
			t.Fatalf("offset %q", s)
		}
		h, _ := strconv.Atoi(s[1:3])
		m, _ := strconv.Atoi(s[3:5])
		v := h*3600 + m*60
		if s[0] == '-' {
			v = -v
		}
		return v
	}
	for _, l := range lines {
		name, _, value := splitLine(t, l)
		part := &z.std
		if in == "DAYLIGHT" {
			part = &z.dst
		}
		switch {
		case name == "BEGIN" && (value == "STANDARD" || value == "DAYLIGHT"):
			in = value
		case name == "END" && (value == "STANDARD" || value == "DAYLIGHT"):
			in = ""
		case name == "TZID" && in == "":
			tzid = value
		case in != "" && name == "TZOFFSETFROM":
			part.from = offset(value)
		case in != "" && name == "TZOFFSETTO":
			part.to = offset(value)
		case in != "" && name == "DTSTART":
			part.hour, _ = strconv.Atoi(value[9:11])
			part.min, _ = strconv.Atoi(value[11:13])
		case in != "" && name == "RRULE":
			for _, kv := range strings.Split(value, ";") {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "BYMONTH":
					part.month, _ = strconv.Atoi(v)
				case "BYDAY":
					if v != "-1SU" {
						t.Fatalf("rule %q not understood here", value)
					}
				}
			}
		}
	}
	if tzid != event.TZID || z.std.month == 0 || z.dst.month == 0 || z.dst.to == z.std.to {
		t.Fatalf("VTIMEZONE %q %+v", tzid, z)
	}
	return z
}

// resolve turns a local DATE-TIME into UTC by the zone's rules.
func (z vzone) resolve(t *testing.T, v string) time.Time {
	t.Helper()
	local, err := time.Parse("20060102T150405", v)
	if err != nil {
		t.Fatalf("local time %q: %v", v, err)
	}
	lastSunday := func(year, month, hour, min int) time.Time {
		d := time.Date(year, time.Month(month)+1, 1, hour, min, 0, 0, time.UTC).AddDate(0, 0, -1)
		for d.Weekday() != time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	y := local.Year()
	dstStart := lastSunday(y, z.dst.month, z.dst.hour, z.dst.min) // local wall time, before the change
	dstEnd := lastSunday(y, z.std.month, z.std.hour, z.std.min)
	off := z.std.to
	if !local.Before(dstStart) && local.Before(dstEnd) {
		off = z.dst.to
	}
	return local.Add(-time.Duration(off) * time.Second)
}

func TestWriteICal_Escaping(t *testing.T) {
	out := string(writeFixture(t))
	if !strings.Contains(strings.ReplaceAll(out, "\r\n ", ""), `SUMMARY:Regional konferens\; framsyn\, scenarier \\ megatrender`) {
		t.Errorf("summary not escaped:\n%s", out)
	}
	if strings.Contains(out, "**") {
		t.Error("Markdown left in DESCRIPTION")
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "UID:") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d UIDs", n)
	}
}
