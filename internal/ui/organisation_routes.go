package ui

import "github.com/framsyn/framsyn/internal/route"

// Register adds the organisations' pages and their posts to t.
func (s *organisationPages) Register(t *route.Table) {
	P, U, A := route.Public, route.SignedIn, route.Admin
	t.Handle(P, "GET /organisationer", s.h(s.listOrganisations))
	t.Handle(A, "GET /organisationer/ny", s.h(s.showNewOrganisation))
	t.Handle(A, "POST /organisationer", s.h(s.createOrganisation))
	t.Handle(P, "GET /organisationer/{slug}", s.h(s.showOrganisation))
	t.Handle(U, "GET /organisationer/{slug}/redigera", s.h(s.showEditOrganisation))
	t.Handle(U, "POST /organisationer/{slug}", s.h(s.updateOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/logotyp", s.h(s.uploadLogo))
	t.Handle(A, "POST /organisationer/{slug}/ta-bort", s.h(s.deleteOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/kontakter", s.h(s.saveContact))
	t.Handle(U, "POST /organisationer/{slug}/kontakter/{id}", s.h(s.saveContact))
	t.Handle(U, "POST /organisationer/{slug}/kontakter/{id}/ta-bort", s.h(s.deleteContact))
	t.Handle(U, "GET /organisationer/{slug}/medlemmar", s.h(s.showMembers))
	t.Handle(U, "POST /organisationer/{slug}/medlemmar/{user}", s.h(s.setMemberRole))
	t.Handle(U, "POST /organisationer/{slug}/inbjudningar", s.h(s.inviteToOrganisation))
	t.Handle(U, "POST /organisationer/{slug}/poster", s.h(s.createPost))
	t.Handle(U, "POST /organisationer/{slug}/poster/{id}", s.h(s.updatePost))
	t.Handle(U, "POST /organisationer/{slug}/poster/{id}/ta-bort", s.h(s.deletePost))
}
