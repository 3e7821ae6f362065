package ui

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/facilitator"
	"github.com/framsyn/framsyn/internal/i18n"
)

// What the front page and organisation pages read from the network: the
// coming events, the newest board posts and facilitators, each one
// bounded list query as the viewer may see it (nil without the area).

// How many of each the front page and an organisation page show.
const (
	homeNetworkItems = 4
	orgNetworkItems  = 6
)

// Network is the network's part of a page.
type Network struct {
	Events       []event.Event
	BoardPosts   []board.Post
	Facilitators []facilitator.Profile // for the signed in only, as their directory
}

// network reads the lists, of orgID only when it is not 0.
func (s *Server) network(ctx context.Context, a *account.Actor, orgID int64, limit int) (Network, error) {
	var n Network
	var err error
	if s.cfg.Events != nil {
		if n.Events, err = s.cfg.Events.List(ctx, a, event.ListQuery{OrganisationID: orgID, From: time.Now(), Limit: limit}); err != nil {
			return n, err
		}
	}
	if s.cfg.Board != nil {
		if n.BoardPosts, err = s.cfg.Board.List(ctx, a, board.Query{OrganisationID: orgID, Limit: limit}); err != nil {
			return n, err
		}
	}
	if s.cfg.Facilitators != nil && a.SignedIn() {
		if n.Facilitators, err = s.cfg.Facilitators.Search(ctx, a, facilitator.Query{OrganisationID: orgID, Newest: orgID == 0, Limit: limit}); err != nil {
			return n, err
		}
	}
	return n, nil
}

// EventWhen is an event's date and time as the page's language says it,
// as precise as known (for the front page's and organisation pages' lists).
func (b *base) EventWhen(e event.Event) string { return eventWhen(b, &e) }

// EventWhenText is EventWhen for a translator alone: the waiting-list
// mail (event.MailPromoted) writes an event's time as its page does.
func EventWhenText(tr *i18n.Translator, e *event.Event) string {
	return eventWhen(&base{Translator: tr}, e)
}
