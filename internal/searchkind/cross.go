package searchkind

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/paths"
)

// Cross is the kind of scenario crosses: each hit is loaded through the
// service, which checks that a may see it.
func Cross(crosses *cross.Service) Kind {
	return Kind{Name: cross.Kind, Label: "search.kind.cross",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			cs, err := crosses.ByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(cs))
			for _, c := range cs {
				out[c.ID] = paths.Cross(c.ID)
			}
			return out, nil
		}}
}
