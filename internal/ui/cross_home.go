package ui

import (
	"context"
	"html"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/paths"
)

// What other pages read from the crosses: the front page's news, an
// organisation's crosses, and the feeds' entries.

// How many crosses the front page and an organisation page show.
const (
	homeNewCrosses = 4
	orgPageCrosses = 6
)

// newCrosses are the front page's newest crosses the viewer may see (one
// bounded list query; nil without the crosses area).
func (s *Server) newCrosses(ctx context.Context, a *account.Actor) ([]cross.Cross, error) {
	if s.cfg.Crosses == nil {
		return nil, nil
	}
	return s.cfg.Crosses.List(ctx, a, cross.ListQuery{Status: cross.StatusPublished, Limit: homeNewCrosses, Summary: true})
}

// orgCrosses are an organisation's crosses (owned or co-owned) the viewer
// may see, last changed first.
func (s *Server) orgCrosses(ctx context.Context, a *account.Actor, orgID int64) ([]cross.Cross, error) {
	if s.cfg.Crosses == nil {
		return nil, nil
	}
	return s.cfg.Crosses.List(ctx, a, cross.ListQuery{OrganisationID: orgID, Limit: orgPageCrosses, Summary: true})
}

// crossEntries is the crosses' feed source: public, published crosses,
// last changed first. A feed of one work type gets none.
func (s *feedPages) crossEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	if sc.Type != "" || s.cfg.Crosses == nil {
		return nil, nil
	}
	q := cross.ListQuery{Status: cross.StatusPublished, Limit: limit, Summary: true}
	if sc.Org != nil {
		q.OrganisationID = sc.Org.ID
	}
	cs, err := s.cfg.Crosses.List(ctx, publicActor, q)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(cs))
	for _, c := range cs {
		out = append(out, feed.Entry{
			ID:    feed.TagURI(s.cfg.BaseURL, c.CreatedAt, "cross/"+strconv.FormatInt(c.ID, 10)),
			Title: tr.T("search.kind.cross") + ": " + c.Title, Link: s.cfg.BaseURL + paths.Cross(c.ID),
			Published: c.CreatedAt, Updated: c.UpdatedAt, Author: c.OrgName,
			Content: "<p>" + html.EscapeString(c.Question) + "</p><p>" + html.EscapeString(c.X.Name+" × "+c.Y.Name) + "</p>", Category: []string{tr.T("search.kind.cross")},
		})
	}
	return out, nil
}
