// Package commentkind says, per area, how the comment component finds a
// target as the caller sees it. Each area that takes comments adds one
// function here and one line in internal/app (comments.Register(...)):
// crosses and analyses add theirs the same way.
package commentkind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
)

// Event: comments on events the caller may see, moderated by the hosts.
func Event(svc *event.Service) comment.Kind {
	return comment.Kind{Name: event.Kind, Resolve: func(ctx context.Context, a *account.Actor, id int64) (*comment.Target, error) {
		e, err := svc.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &comment.Target{Path: paths.Event(e.ID), Moderators: e.HostIDs()}, nil
	}}
}

// Board: comments on board posts, moderated by the posting organisation.
func Board(svc *board.Service) comment.Kind {
	return comment.Kind{Name: board.Kind, Resolve: func(ctx context.Context, a *account.Actor, id int64) (*comment.Target, error) {
		p, err := svc.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &comment.Target{Path: "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10), Moderators: []int64{p.OrganisationID}}, nil
	}}
}

// Work: comments on library works, moderated by the owning organisation.
func Work(lib *library.Service) comment.Kind {
	return comment.Kind{Name: library.Kind, Resolve: func(ctx context.Context, a *account.Actor, id int64) (*comment.Target, error) {
		w, err := lib.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &comment.Target{Path: paths.Work(w.Slug), Moderators: []int64{w.OrganisationID}}, nil
	}}
}

// Cross: comments on scenario crosses the caller may see, moderated by
// the owning and co-organisations.
func Cross(svc *cross.Service) comment.Kind {
	return comment.Kind{Name: cross.Kind, Resolve: func(ctx context.Context, a *account.Actor, id int64) (*comment.Target, error) {
		c, err := svc.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &comment.Target{Path: paths.Cross(c.ID), Moderators: c.OrgIDs()}, nil
	}}
}

// Analysis: comments on analyses the caller may see, moderated by the
// publishing organisation.
func Analysis(svc *analysis.Service) comment.Kind {
	return comment.Kind{Name: analysis.KindAnalysis, Resolve: func(ctx context.Context, a *account.Actor, id int64) (*comment.Target, error) {
		an, err := svc.Analysis(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &comment.Target{Path: "/analys/" + strconv.FormatInt(an.ID, 10), Moderators: []int64{an.OrganisationID}}, nil
	}}
}
