package ui

import (
	"context"
	"html"
	"strconv"

	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/searchkind"
)

// postEntries is the posts' feed source: public posts of public
// organisations, last changed first. Posts have no work type, so a feed
// of one type gets none. Posts keep no history, so <published> is when
// the post was added, public or not yet; its own date, at its precision,
// heads the content.
func (s *feedPages) postEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	if sc.Type != "" {
		return nil, nil
	}
	var orgID int64
	if sc.Org != nil {
		orgID = sc.Org.ID
	}
	posts, err := s.cfg.Posts.Recent(ctx, publicActor, orgID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(posts))
	for _, p := range posts {
		out = append(out, feed.Entry{
			ID:    feed.TagURI(s.cfg.BaseURL, p.CreatedAt, "post/"+strconv.FormatInt(p.ID, 10)),
			Title: tr.T("post.of", p.OrgName) + ": " + p.Excerpt(), Link: s.cfg.BaseURL + searchkind.PostPath(p.OrgSlug, p.ID),
			Published: p.CreatedAt, Updated: p.UpdatedAt, Author: p.OrgName,
			Content: "<p>" + html.EscapeString(tr.T("post.field.date")+": "+dateText(tr, p.Date, p.DatePrecision)) + "</p>\n" +
				string(markdown.HTML(p.Body)), Category: []string{tr.T("post.heading")},
		})
	}
	return out, nil
}
