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

// Event: a new event, as the recipient may see it.
func Event(svc *event.Service) (string, notify.Resolver) {
	return event.Kind, func(ctx context.Context, a *account.Actor, id int64) (*notify.Item, error) {
		e, err := svc.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &notify.Item{Title: e.OrgName + ": " + e.Title, Path: paths.Event(e.ID)}, nil
	}
}

// Board: a new need or offer.
func Board(svc *board.Service) (string, notify.Resolver) {
	return board.Kind, func(ctx context.Context, a *account.Actor, id int64) (*notify.Item, error) {
		p, err := svc.Get(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &notify.Item{Title: p.OrgName + ": " + p.Title, Path: "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10)}, nil
	}
}

// Comment: a new comment, if the recipient may see its target (and the
// comment is not hidden); the title names who wrote, not what.
func Comment(svc *comment.Service) (string, notify.Resolver) {
	return "comment", func(ctx context.Context, a *account.Actor, id int64) (*notify.Item, error) {
		c, t, err := svc.Visible(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return &notify.Item{CommentBy: c.AuthorName, Comment: true, Path: t.Path + "#comment-" + strconv.FormatInt(c.ID, 10)}, nil
	}
}
