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

// Event: new events, as each recipient may see them (one read for all
// recipients of a batch).
func Event(svc *event.Service) (string, notify.Loader) {
	return event.Kind, func(ctx context.Context, ids []int64) (notify.Check, error) {
		get, err := svc.ByIDFor(ctx, ids)
		if err != nil {
			return nil, err
		}
		return func(a *account.Actor, id int64) *notify.Item {
			e := get(a, id)
			if e == nil {
				return nil
			}
			return &notify.Item{Title: e.OrgName + ": " + e.Title, Path: paths.Event(e.ID)}
		}, nil
	}
}

// Board: new needs and offers.
func Board(svc *board.Service) (string, notify.Loader) {
	return board.Kind, func(ctx context.Context, ids []int64) (notify.Check, error) {
		get, err := svc.ByIDFor(ctx, ids)
		if err != nil {
			return nil, err
		}
		return func(a *account.Actor, id int64) *notify.Item {
			p := get(a, id)
			if p == nil {
				return nil
			}
			return &notify.Item{Title: p.OrgName + ": " + p.Title, Path: "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10)}
		}, nil
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
