// Package notifykind says, per area, how a notification's thing reads for
// its recipient: through the area's own service as the recipient, so the
// inbox and the digests show only what they may see. An area adds one
// function here and one line in internal/app.
package notifykind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/paths"
)

// Event: new events, as the recipient may see them (one query for all).
func Event(svc *event.Service) (string, notify.Resolver) {
	return event.Kind, func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*notify.Item, error) {
		evs, err := svc.ByID(ctx, a, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*notify.Item, len(evs))
		for _, e := range evs {
			out[e.ID] = &notify.Item{Title: e.OrgName + ": " + e.Title, Path: paths.Event(e.ID)}
		}
		return out, nil
	}
}

// Board: new needs and offers.
func Board(svc *board.Service) (string, notify.Resolver) {
	return board.Kind, func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*notify.Item, error) {
		ps, err := svc.ByID(ctx, a, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*notify.Item, len(ps))
		for _, p := range ps {
			out[p.ID] = &notify.Item{Title: p.OrgName + ": " + p.Title, Path: "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10)}
		}
		return out, nil
	}
}

// Comment: new comments whose target the recipient may see (and that are
// neither hidden nor deleted); the title names who wrote, not what.
func Comment(svc *comment.Service) (string, notify.Resolver) {
	return "comment", func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]*notify.Item, error) {
		out := make(map[int64]*notify.Item, len(ids))
		for _, id := range ids {
			c, t, err := svc.Visible(ctx, a, id)
			if err != nil {
				continue
			}
			out[id] = &notify.Item{CommentBy: c.AuthorName, Comment: true, Path: t.Path + "#comment-" + strconv.FormatInt(c.ID, 10)}
		}
		return out, nil
	}
}
