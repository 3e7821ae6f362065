package ui

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/markdown"
)

// boardEntries is the collaboration board's feed source: the newest posts
// the public may see (an organisation's feed: its own). Posts have no
// work type, so a feed of one type gets none. Facilitators are in no
// feed: their profiles are for signed-in members only.
func (s *feedPages) boardEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	if sc.Type != "" || s.cfg.Board == nil {
		return nil, nil
	}
	q := board.Query{Limit: limit}
	if sc.Org != nil {
		q.OrganisationID = sc.Org.ID
	}
	ps, err := s.cfg.Board.List(ctx, publicActor, q)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		out = append(out, feed.Entry{
			ID:    feed.TagURI(s.cfg.BaseURL, p.CreatedAt, "board/"+strconv.FormatInt(p.ID, 10)),
			Title: tr.T("board.feed_title", tr.T("board.kind."+p.Kind), p.Title), Link: s.cfg.BaseURL + "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10),
			Published: p.CreatedAt, Updated: p.UpdatedAt, Author: p.OrgName,
			Content: string(markdown.HTML(p.Body)), Category: []string{tr.T("board.title")},
		})
	}
	return out, nil
}
