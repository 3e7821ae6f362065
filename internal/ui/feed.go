package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/searchkind"
)

// Atom feeds: everything new, one organisation's, one type of work's.
// Feed readers do not sign in, so every feed is built as the public sees
// the site, whoever asks: a reader that fetched a feed with a member's
// cookie must not carry organisation-only work into a shared reader.

// feedScope is what a feed follows.
type feedScope struct {
	Org  *account.Organisation // nil: every organisation
	Type library.Type          // "": every type
}

// feedSource returns the newest public entries of one area for a scope,
// at most limit, in any order. A source with nothing for the scope (posts
// in a feed of one work type) returns none.
type feedSource func(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error)

// feedSources lists the areas every feed gathers from.
func (s *feedPages) feedSources() []feedSource {
	return []feedSource{s.workEntries, s.postEntries, s.analysisEntries, s.eventEntries, s.crossEntries, s.boardEntries}
}

// publicActor is the public, as feeds see the site.
var publicActor = &account.Actor{}

// publicOrgNames maps the ids of the works' public organisations to their
// names, reading only those.
func (s *feedPages) publicOrgNames(ctx context.Context, works []library.Published) (map[int64]string, error) {
	ids := make([]int64, 0, len(works))
	for _, w := range works {
		ids = append(ids, w.OrganisationID)
	}
	orgs, err := s.cfg.Accounts.Organisations(ctx, publicActor, account.OrgFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o.Name
	}
	return out, nil
}

// workEntries is the library's feed source: public works, last changed
// first. A feed follows what is new to its readers, so neither the order
// nor the selection is by the work's own date (often years back, and
// shown in the content instead): <updated> is the last change, and
// <published> the moment the work first became public, when its
// revisions tell.
func (s *feedPages) workEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	f := library.Filter{Type: sc.Type}
	if sc.Org != nil {
		f.OrganisationID = sc.Org.ID
	}
	works, err := s.cfg.Library.PublicRecent(ctx, f, limit)
	if err != nil {
		return nil, err
	}
	names, err := s.publicOrgNames(ctx, works)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(works))
	for i := range works {
		w := &works[i]
		var content strings.Builder
		if w.Summary != "" {
			content.WriteString("<p>" + html.EscapeString(w.Summary) + "</p>\n")
		}
		// The work's own date, as precisely as its source gives it.
		content.WriteString("<p>" + html.EscapeString(tr.T("library.field.date")+": "+dateText(tr, w.Date, w.DatePrecision)) + "</p>\n")
		content.WriteString(string(markdown.HTML(w.BodyMD)))
		e := feed.Entry{
			// The id keeps the creation day, not a date that edits change.
			ID: feed.TagURI(s.cfg.BaseURL, w.CreatedAt, "work/"+strconv.FormatInt(w.ID, 10)), Title: w.Title,
			Link: s.cfg.BaseURL + searchkind.WorkPath(w.Slug), Published: w.FirstPublic, Updated: w.UpdatedAt,
			Author: names[w.OrganisationID], Summary: w.Summary, Content: content.String(),
			Category: append([]string{tr.T("library.type." + string(w.Type))}, w.Themes...),
		}
		out = append(out, e)
	}
	return out, nil
}

// serveFeed gathers the entries of every source for sc and writes f.
func (s *feedPages) serveFeed(w http.ResponseWriter, r *http.Request, tr *i18n.Translator, f *feed.Feed, sc feedScope) error {
	var lists [][]feed.Entry
	for _, src := range s.feedSources() {
		entries, err := src(r.Context(), tr, sc, feed.MaxEntries)
		if err != nil {
			return err
		}
		lists = append(lists, entries)
	}
	f.Entries = feed.Merge(feed.MaxEntries, lists...)
	var buf bytes.Buffer
	if err := f.Write(&buf, tr.Lang); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", feed.ContentType)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Vary", "Accept-Language, Cookie") // the language of titles and categories
	// Conditional GET by a hash of the document, not by Last-Modified: the
	// newest entry's time stays the same when an entry leaves the feed (a
	// work made organisation-only, a post deleted), and a reader asking
	// If-Modified-Since would then never learn of it.
	sum := sha256.Sum256(buf.Bytes())
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
	return nil
}

func (s *feedPages) feedTranslator(r *http.Request) *i18n.Translator {
	return s.cat.For(i18n.Negotiate(r))
}

func (s *feedPages) showSiteFeed(w http.ResponseWriter, r *http.Request) error {
	tr := s.feedTranslator(r)
	f := &feed.Feed{ID: s.cfg.BaseURL + "/flode.atom", Title: tr.T("feed.site.title"), Subtitle: tr.T("feed.site.subtitle"),
		Self: s.cfg.BaseURL + "/flode.atom", Alt: s.cfg.BaseURL + "/", Author: "framsyn"}
	return s.serveFeed(w, r, tr, f, feedScope{})
}

func (s *feedPages) showOrganisationFeed(w http.ResponseWriter, r *http.Request) error {
	tr := s.feedTranslator(r)
	o, err := s.cfg.Accounts.Organisation(r.Context(), publicActor, httpx.Path(r, "slug"))
	if err != nil {
		return err
	}
	page := s.cfg.BaseURL + searchkind.OrganisationPath(o.Slug)
	f := &feed.Feed{ID: page + "/flode.atom", Title: tr.T("feed.org.title", o.Name), Self: page + "/flode.atom", Alt: page, Author: o.Name}
	return s.serveFeed(w, r, tr, f, feedScope{Org: o})
}

// typeFeedPath is the path of the feed of one type of work.
func typeFeedPath(t library.Type) string { return "/bibliotek/typ/" + string(t) + "/flode.atom" }

func (s *feedPages) showTypeFeed(t library.Type) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		tr := s.feedTranslator(r)
		self := s.cfg.BaseURL + typeFeedPath(t)
		f := &feed.Feed{ID: self, Title: tr.T("feed.type.title", tr.T("library.type."+string(t))), Self: self,
			Alt: s.cfg.BaseURL + "/bibliotek?typ=" + string(t), Author: "framsyn"}
		return s.serveFeed(w, r, tr, f, feedScope{Type: t})
	}
}

// feedLink is a feed a page announces with <link rel="alternate">.
type feedLink struct {
	Href, TitleKey, Arg string
}

// Feeds returns the feeds of the page at b.Path: the site's everywhere,
// and an organisation's on its page.
func (b *base) Feeds() []feedLink {
	out := []feedLink{{Href: "/flode.atom", TitleKey: "feed.site.title"}}
	if rest, ok := strings.CutPrefix(b.Path, "/organisationer/"); ok && rest != "" && rest != "ny" && !strings.Contains(rest, "/") {
		out = append(out, feedLink{Href: paths.OrganisationFeed(rest), TitleKey: "feed.org.title_short"})
	}
	return out
}
