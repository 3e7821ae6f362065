package searchkind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/facilitator"
)

// Facilitator is the kind of facilitator profiles, for signed-in users:
// hits link to the profile.
func Facilitator(svc *facilitator.Service) Kind {
	return Kind{Name: facilitator.Kind, Label: "search.kind.facilitator",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			out := map[int64]string{}
			if !a.SignedIn() {
				return out, nil
			}
			for _, id := range ids {
				if p, err := svc.Profile(ctx, a, id); err == nil {
					out[p.UserID] = "/natverket/processledare/" + strconv.FormatInt(p.UserID, 10)
				}
			}
			return out, nil
		}}
}
