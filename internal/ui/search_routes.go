package ui

import "github.com/framsyn/framsyn/internal/route"

// Register adds the site search to t.
func (s *searchPages) Register(t *route.Table) {
	t.Handle(route.Public, "GET /sok", s.h(s.showSearch))
}
