package searchkind

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/method"
	"github.com/framsyn/framsyn/internal/paths"
)

// Method is the kind of method guides: public, each linking to its page.
func Method() Kind {
	return Kind{Name: method.Kind, Label: "search.kind.method",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			out := make(map[int64]string, len(ids))
			for _, id := range ids {
				if g, ok := method.ByID(id); ok {
					out[id] = paths.Method(g.Slug)
				}
			}
			return out, nil
		}}
}
