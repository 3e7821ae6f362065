package library

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/account"
)

// SortUpdated orders works by their last change, newest first. Only
// PublicRecent uses it: List and the API accept the orders above.
const SortUpdated Sort = "updated"

// Published is a public work with when it first became public.
type Published struct {
	Work
	// FirstPublic is when the work first became public, from its
	// revisions; zero when they do not tell (a work stored without them).
	FirstPublic time.Time
}

// PublicRecent returns the public works that match f's Type and
// OrganisationID, last changed first, at most limit of them: what a feed
// carries. The work's own date does not order them: a work added today
// with a date years back is news today. Becoming public is a change too,
// so a draft made public comes first.
func (s *Service) PublicRecent(ctx context.Context, f Filter, limit int) ([]Published, error) {
	public := &account.Actor{}
	q := ListQuery{Filter: Filter{Type: f.Type, OrganisationID: f.OrganisationID, Sort: SortUpdated, Limit: limit},
		Viewer: account.ViewerOf(public)}
	works, err := s.store.ListWorks(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(works))
	for i := range works {
		ids = append(ids, works[i].ID)
	}
	revs, err := s.store.VisibilityRevisions(ctx, ids)
	if err != nil {
		return nil, err
	}
	first := map[int64]time.Time{}
	for _, r := range revs {
		if _, ok := first[r.WorkID]; ok {
			continue
		}
		var snap struct {
			Visibility Visibility `json:"visibility"`
		}
		if err := json.Unmarshal(r.Snapshot, &snap); err != nil {
			return nil, fmt.Errorf("work %d version %d: %w", r.WorkID, r.Version, err)
		}
		if snap.Visibility == Public {
			first[r.WorkID] = r.CreatedAt
		}
	}
	out := make([]Published, 0, len(works))
	for _, w := range works {
		// The store filtered by visibility already; checking again keeps
		// a mistake there from reaching a public feed.
		if CanSee(public, &w) {
			out = append(out, Published{Work: w, FirstPublic: first[w.ID]})
		}
	}
	return out, nil
}
