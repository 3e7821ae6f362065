package ui

import (
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/route"
)

// Register adds the Atom feeds to t.
func (s *feedPages) Register(t *route.Table) {
	P := route.Public
	t.Handle(P, "GET /flode.atom", s.h(s.showSiteFeed))
	t.Handle(P, "GET /organisationer/{slug}/flode.atom", s.h(s.showOrganisationFeed))
	for _, typ := range library.Types {
		// One literal route per type: a {type} wildcard would overlap the
		// wildcard routes under /bibliotek/{slug}/.
		t.Handle(P, "GET "+typeFeedPath(typ), s.h(s.showTypeFeed(typ)))
	}
}
