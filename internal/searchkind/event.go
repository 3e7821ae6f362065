package searchkind

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/paths"
)

// Event is the kind of the network's events: hits link to the event's
// page, for the events a may see.
func Event(events *event.Service) Kind {
	return Kind{Name: event.Kind, Label: "search.kind.event",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			evs, err := events.ByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(evs))
			for _, e := range evs {
				out[e.ID] = paths.Event(e.ID)
			}
			return out, nil
		}}
}
