package ui

import "github.com/framsyn/framsyn/internal/route"

// Register adds the site search and its synonyms, which platform admins
// keep, to t.
func (s *searchPages) Register(t *route.Table) {
	t.Handle(route.Public, "GET /sok", s.h(s.showSearch))
	t.Handle(route.Admin, "GET /admin/sok", s.h(s.showSynonyms))
	t.Handle(route.Admin, "POST /admin/sok", s.h(s.addSynonyms))
	t.Handle(route.Admin, "POST /admin/sok/{id}/ta-bort", s.h(s.deleteSynonyms))
}
