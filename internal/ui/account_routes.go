package ui

import "github.com/framsyn/framsyn/internal/route"

// Register adds signing in, the account page and the platform admin's
// pages to t.
func (s *accountPages) Register(t *route.Table) {
	P, U, A := route.Public, route.SignedIn, route.Admin
	t.Handle(P, "GET /logga-in", s.h(s.showLogin))
	t.Handle(P, "POST /logga-in", s.h(s.login))
	t.Handle(P, "POST /logga-ut", s.h(s.logout))
	t.Handle(P, "GET /glomt-losenord", s.h(s.showForgotPassword))
	t.Handle(P, "POST /glomt-losenord", s.h(s.forgotPassword))
	t.Handle(P, "GET /aterstall/{token}", s.h(s.showResetPassword))
	t.Handle(P, "POST /aterstall/{token}", s.h(s.resetPassword))
	t.Handle(P, "GET /inbjudan/{token}", s.h(s.showInvitation))
	t.Handle(P, "POST /inbjudan/{token}", s.h(s.acceptInvitation))

	t.Handle(U, "GET /konto", s.h(s.showAccount))
	t.Handle(U, "POST /konto/namn", s.h(s.updateName))
	t.Handle(U, "POST /konto/losenord", s.h(s.changePassword))
	t.Handle(U, "POST /konto/nycklar", s.h(s.createToken))
	t.Handle(U, "POST /konto/nycklar/{id}/ta-bort", s.h(s.deleteToken))
	t.Handle(U, "POST /konto/sessioner/{hash}/avsluta", s.h(s.endSession))

	t.Handle(A, "GET /admin/anvandare", s.h(s.showUsers))
	t.Handle(A, "POST /admin/inbjudningar", s.h(s.invite))
	t.Handle(A, "POST /admin/anvandare/{id}", s.h(s.updateUser))
	t.Handle(A, "POST /admin/anvandare/{id}/aterstallning", s.h(s.makeResetLink))
}
