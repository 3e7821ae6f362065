package ui

import (
	"context"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/feed"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/paths"
)

// eventEntries is the events' feed source: public events of public
// organisers (an organisation's feed: those it hosts) from a year back,
// as the public sees them. Events have no work type, so a feed of one
// type gets none.
func (s *feedPages) eventEntries(ctx context.Context, tr *i18n.Translator, sc feedScope, limit int) ([]feed.Entry, error) {
	if sc.Type != "" || s.cfg.Events == nil {
		return nil, nil
	}
	q := event.ListQuery{From: time.Now().AddDate(-1, 0, 0), Limit: limit}
	if sc.Org != nil {
		q.OrganisationID = sc.Org.ID
	}
	evs, err := s.cfg.Events.List(ctx, publicActor, q)
	if err != nil {
		return nil, err
	}
	out := make([]feed.Entry, 0, len(evs))
	b := &base{Translator: tr}
	for i := range evs {
		e := &evs[i]
		out = append(out, feed.Entry{
			ID:    feed.TagURI(s.cfg.BaseURL, e.CreatedAt, "event/"+strconv.FormatInt(e.ID, 10)),
			Title: tr.T("event.feed_title", e.Title, eventWhen(b, e)), Link: s.cfg.BaseURL + paths.Event(e.ID),
			Published: e.CreatedAt, Updated: e.UpdatedAt, Author: e.OrgName,
			Content: string(markdown.HTML(e.Description)), Category: []string{tr.T("nav.events")},
		})
	}
	return out, nil
}
