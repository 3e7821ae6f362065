package searchkind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
)

// Board is the kind of the collaboration board's posts.
func Board(svc *board.Service) Kind {
	return Kind{Name: board.Kind, Label: "search.kind.board",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			ps, err := svc.ByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(ps))
			for _, p := range ps {
				out[p.ID] = "/natverket/samarbeten/" + strconv.FormatInt(p.ID, 10)
			}
			return out, nil
		}}
}
