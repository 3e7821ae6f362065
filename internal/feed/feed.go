// Package feed writes Atom feeds (RFC 4287). A feed is a list of entries
// gathered from sources (works, organisation posts, later events), merged
// newest first; the package knows nothing about where entries come from.
package feed

import (
	"cmp"
	"encoding/xml"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Entry is one item of a feed.
type Entry struct {
	ID        string    // a permanent IRI; TagURI makes one
	Title     string    // plain text
	Link      string    // absolute URL of the page
	Published time.Time // when it first appeared
	Updated   time.Time // when it last changed meaningfully
	Author    string    // a person or organisation; the feed's author when ""
	Summary   string    // plain text, optional
	Content   string    // HTML, already sanitised by the caller
	Category  []string  // terms, optional
}

// Feed is an Atom feed.
type Feed struct {
	ID       string // a permanent IRI, usually the self URL
	Title    string
	Subtitle string
	Self     string // absolute URL of the feed
	Alt      string // absolute URL of the page the feed follows
	Author   string
	Updated  time.Time // the newest entry's when zero
	Entries  []Entry
}

// MaxEntries is how many entries a feed carries.
const MaxEntries = 50

// Merge joins lists of entries, newest update first, at most limit.
func Merge(limit int, lists ...[]Entry) []Entry {
	var out []Entry
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// TagURI makes a permanent entry id (RFC 4151) from the site's base URL,
// the day the thing was created and a specific name, e.g.
// tag:framsyn.example.se,2026-11-23:work/42. It does not change when a
// title or slug does.
func TagURI(baseURL string, created time.Time, specific string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	day := created.UTC().Format(time.DateOnly)
	if created.IsZero() {
		day = "2026"
	}
	return "tag:" + host + "," + day + ":" + specific
}

// ContentType is the media type of an Atom document.
const ContentType = "application/atom+xml; charset=utf-8"

type xmlText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type xmlLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type xmlPerson struct {
	Name string `xml:"name"`
}

type xmlCategory struct {
	Term string `xml:"term,attr"`
}

type xmlEntry struct {
	ID        string        `xml:"id"`
	Title     xmlText       `xml:"title"`
	Link      []xmlLink     `xml:"link"`
	Published string        `xml:"published,omitempty"`
	Updated   string        `xml:"updated"`
	Author    *xmlPerson    `xml:"author,omitempty"`
	Category  []xmlCategory `xml:"category"`
	Summary   *xmlText      `xml:"summary,omitempty"`
	Content   *xmlText      `xml:"content,omitempty"`
}

type xmlFeed struct {
	XMLName  xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string     `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string     `xml:"id"`
	Title    xmlText    `xml:"title"`
	Subtitle *xmlText   `xml:"subtitle,omitempty"`
	Link     []xmlLink  `xml:"link"`
	Updated  string     `xml:"updated"`
	Author   xmlPerson  `xml:"author"`
	Gen      string     `xml:"generator"`
	Entries  []xmlEntry `xml:"entry"`
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// clean drops characters XML 1.0 does not allow, which encoding/xml would
// otherwise write as U+FFFD or refuse.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			return r
		}
		return -1
	}, s)
}

// Newest is when the feed last changed: Updated, or its newest entry's.
func (f *Feed) Newest() time.Time {
	updated := f.Updated
	for _, e := range f.Entries {
		if e.Updated.After(updated) {
			updated = e.Updated
		}
	}
	return updated
}

// Write writes f as an Atom document in the language lang.
func (f *Feed) Write(w io.Writer, lang string) error {
	updated := f.Newest()
	if updated.IsZero() {
		// An empty feed still needs a date; a fixed one keeps it cacheable.
		updated = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	x := xmlFeed{Lang: lang, ID: f.ID, Title: xmlText{Type: "text", Body: clean(f.Title)},
		Link:    []xmlLink{{Rel: "self", Type: "application/atom+xml", Href: f.Self}, {Rel: "alternate", Type: "text/html", Href: f.Alt}},
		Updated: stamp(updated), Author: xmlPerson{Name: clean(f.Author)}, Gen: "framsyn"}
	if f.Subtitle != "" {
		x.Subtitle = &xmlText{Type: "text", Body: clean(f.Subtitle)}
	}
	for _, e := range f.Entries {
		xe := xmlEntry{ID: e.ID, Title: xmlText{Type: "text", Body: clean(e.Title)},
			Link: []xmlLink{{Rel: "alternate", Type: "text/html", Href: e.Link}}, Updated: stamp(e.Updated)}
		if !e.Published.IsZero() {
			xe.Published = stamp(e.Published)
		}
		if e.Author != "" {
			xe.Author = &xmlPerson{Name: clean(e.Author)}
		}
		for _, c := range e.Category {
			xe.Category = append(xe.Category, xmlCategory{Term: clean(c)})
		}
		if e.Summary != "" {
			xe.Summary = &xmlText{Type: "text", Body: clean(e.Summary)}
		}
		if e.Content != "" {
			xe.Content = &xmlText{Type: "html", Body: clean(e.Content)}
		}
		x.Entries = append(x.Entries, xe)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
