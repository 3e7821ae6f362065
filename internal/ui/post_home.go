package ui

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
)

// How many of each the front page's "Nytt i nätverket" shows.
const (
	homeNewWorks = 6
	homeNewPosts = 6
)

// News is what is new across the network, as the viewer may see it: the
// newest works and posts of every organisation.
type News struct {
	NewWorks   []newsWork
	NewPosts   []post.Post
	NewCrosses []cross.Cross // cross_home.go
	Network                  // network_home.go
}

// newsWork is a work with its owner, when the viewer may see the owner.
type newsWork struct {
	library.Work
	Org post.OrgRef
}

// news loads the front page's news: two list queries and one for the
// names of the works' organisations, each bounded, so the page costs the
// same with ten works or a hundred thousand.
func (s *Server) news(ctx context.Context, a *account.Actor) (News, error) {
	var n News
	works, err := s.cfg.Library.List(ctx, a, library.Filter{Sort: library.SortAdded, Limit: homeNewWorks})
	if err != nil {
		return n, err
	}
	if n.NewPosts, err = s.cfg.Posts.List(ctx, a, 0, homeNewPosts); err != nil {
		return n, err
	}
	ids := make([]int64, 0, len(works.Works))
	for _, w := range works.Works {
		ids = append(ids, w.OrganisationID)
	}
	orgs, err := s.cfg.Posts.OrgRefs(ctx, a, ids)
	if err != nil {
		return n, err
	}
	for _, w := range works.Works {
		n.NewWorks = append(n.NewWorks, newsWork{Work: w, Org: orgs[w.OrganisationID]})
	}
	if n.NewCrosses, err = s.newCrosses(ctx, a); err != nil {
		return n, err
	}
	n.Network, err = s.network(ctx, a, 0, homeNetworkItems)
	return n, err
}
