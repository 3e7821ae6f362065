package searchkind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/post"
)

// PostPath is the place of a post: on its organisation's page.
func PostPath(orgSlug string, id int64) string {
	return OrganisationPath(orgSlug) + "#post-" + strconv.FormatInt(id, 10)
}

// Post is the kind of organisations' activity posts: hits link to the
// post on its organisation's page, for the posts a may see.
func Post(posts *post.Service) Kind {
	return Kind{Name: post.Kind, Label: "search.kind.post",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			ps, err := posts.ByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(ps))
			for _, p := range ps {
				out[p.ID] = PostPath(p.OrgSlug, p.ID)
			}
			return out, nil
		},
		Dates: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]Dated, error) {
			ps, err := posts.ByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]Dated, len(ps))
			for _, p := range ps {
				out[p.ID] = Dated{Date: p.Date, Precision: p.DatePrecision}
			}
			return out, nil
		}}
}
