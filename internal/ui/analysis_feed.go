package ui

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/searchkind"
)

// analysisEntries is the analyses' feed source: public analyses, newest
// first (of the scope's organisation, when it has one). Analyses have no
// work type, so a feed of one type gets none.
func (s *feedPages) analysisEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	if sc.Type != "" || s.analysis == nil {
		return nil, nil
	}
	var orgID int64
	if sc.Org != nil {
		orgID = sc.Org.ID
	}
	list, err := s.analysis.Analyses(ctx, publicActor, orgID, 0, limit)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(list))
	for _, a := range list {
		if !a.OrgPublic {
			continue
		}
		out = append(out, feed.Entry{
			ID:    feed.TagURI(s.cfg.BaseURL, a.CreatedAt, "analysis/"+strconv.FormatInt(a.ID, 10)),
			Title: a.Title, Link: s.cfg.BaseURL + searchkind.AnalysisPath(a.ID),
			Published: a.CreatedAt, Updated: a.UpdatedAt, Author: a.OrgName,
			Content: string(markdown.HTML(a.Body)), Category: []string{tr.T("search.kind.analysis")},
		})
	}
	return out, nil
}
