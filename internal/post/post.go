// Package post holds organisations' activity posts ("På gång"): short,
// dated Markdown notes of what an organisation is doing, shown on its page
// and on the network's front page, and found by search.
package post

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of posts.
const Kind = "post"

// Visibility is who may see a post.
type Visibility string

// The visibilities. A post of a hidden organisation is seen only by those
// who may see the organisation, whatever its visibility says.
const (
	Public  Visibility = "public"  // everyone
	Network Visibility = "network" // signed-in users
)

// Visibilities lists the visibilities from widest to narrowest.
var Visibilities = []Visibility{Public, Network}

// MaxBodyLen bounds a post's Markdown, in characters: a post is a short
// note; longer accounts belong in the library.
const MaxBodyLen = 2000

// MaxSourceLen bounds a post's Source, in characters.
const MaxSourceLen = 2000

// titleRunes bounds the excerpt that titles a post in search results.
const titleRunes = 80

// Post is one activity post of an organisation.
type Post struct {
	ID             int64
	OrganisationID int64
	AuthorID       int64 // 0 when the author's account is gone
	Body           string
	Visibility     Visibility
	Source         string // where its facts come from ("Källa"), or ""; kept on edits
	// Date is the post's own date, cut to DatePrecision as a work's is
	// (library.NormalizeDate): a source's "november 2017" stays a month.
	// Zero: unknown. Pages show it; lists order by CreatedAt.
	Date          time.Time
	DatePrecision library.DatePrecision
	CreatedAt     time.Time // when it was added: the order of news and feeds
	UpdatedAt     time.Time

	// Read-only, filled when loaded: for display and for the visibility rule.
	OrgSlug    string
	OrgName    string
	OrgPublic  bool
	AuthorName string
}

// Validate normalises p and reports invalid fields with catalogue keys.
func (p *Post) Validate() error {
	f := errs.Fields{}
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	switch {
	case p.Body == "":
		f["body"] = "post.body_required"
	case utf8.RuneCountInString(p.Body) > MaxBodyLen:
		f["body"] = "post.body_too_long"
	case strings.ContainsRune(p.Body, 0):
		f["body"] = "error.invalid_chars"
	}
	p.Source = strings.TrimSpace(p.Source)
	if utf8.RuneCountInString(p.Source) > MaxSourceLen {
		f["source"] = "error.too_long"
	} else if strings.ContainsRune(p.Source, 0) {
		f["source"] = "error.invalid_chars"
	}
	var key string
	if p.Date, p.DatePrecision, key = library.NormalizeDate(p.Date, p.DatePrecision); key != "" {
		f["date"] = key
	}
	if p.Visibility == "" {
		p.Visibility = Public
	}
	if !slices.Contains(Visibilities, p.Visibility) {
		f["visibility"] = "post.visibility_invalid"
	}
	if p.OrganisationID <= 0 {
		f["organisation"] = "post.organisation_required"
	}
	return f.Err()
}

// Edited reports whether the post was changed after it was published.
func (p *Post) Edited() bool { return p.UpdatedAt.Sub(p.CreatedAt) > time.Minute }

// Scope is who may find the post: its visibility, narrowed to the
// organisation's members when the organisation is hidden.
func (p *Post) Scope() search.Scope {
	if !p.OrgPublic {
		return search.ScopeOrganisation
	}
	return search.Scope(p.Visibility)
}

// Excerpt returns the start of the post's text, one line, for a title.
func (p *Post) Excerpt() string {
	s := strings.Join(strings.Fields(search.MarkdownText(p.Body)), " ")
	if r := []rune(s); len(r) > titleRunes {
		cut := string(r[:titleRunes])
		if i := strings.LastIndexByte(cut, ' '); i > titleRunes/2 {
			cut = cut[:i]
		}
		return strings.TrimRight(cut, " ,.;:–-") + "…"
	}
	return s
}

// SearchDocument returns the post as the search index holds it. The
// organisation's public flag must be loaded (OrgPublic).
func (p *Post) SearchDocument() search.Document {
	return search.Document{
		Kind: Kind, ID: p.ID, Scope: p.Scope(), Owner: p.OrganisationID, Orgs: []int64{p.OrganisationID},
		Title: p.Excerpt(), Body: search.MarkdownText(p.Body), Date: p.Date,
		Tags: []string{search.Tag("visibility", string(p.Visibility))},
	}
}
