package ui

import (
	"net/http"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
)

// usersPageSize is how many users a page of the admin's list shows.
const usersPageSize = 50

type usersPage struct {
	base
	Users       []account.User
	PrevURL     string
	NextURL     string
	Invitations []account.Invitation
	Link        string // an invitation or reset link to hand over
	LinkFor     string
}

func (s *accountPages) usersPage(r *http.Request) (*usersPage, error) {
	p := &usersPage{base: s.base(r, "admin.users.title")}
	offset, err := strconv.Atoi(r.URL.Query().Get(qpOffset))
	if err != nil || offset < 0 {
		offset = 0
	}
	if p.Users, err = s.cfg.Accounts.Users(r.Context(), p.Actor, offset, usersPageSize+1); err != nil {
		return nil, err
	}
	if len(p.Users) > usersPageSize {
		p.Users = p.Users[:usersPageSize]
		p.NextURL = "/admin/anvandare?" + qpOffset + "=" + strconv.Itoa(offset+usersPageSize)
	}
	if offset > 0 {
		p.PrevURL = "/admin/anvandare"
		if prev := offset - usersPageSize; prev > 0 {
			p.PrevURL += "?" + qpOffset + "=" + strconv.Itoa(prev)
		}
	}
	if p.Invitations, err = s.cfg.Accounts.Invitations(r.Context(), p.Actor, 0); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *accountPages) showUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "users", p)
	return nil
}

func (s *accountPages) invite(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	email := r.PostFormValue("email")
	token, err := s.cfg.Accounts.Invite(r.Context(), a, email, 0, "")
	p, perr := s.usersPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		return s.formError(w, r, "users", p, err)
	}
	p.Link, p.LinkFor = s.sendInvitation(r, p.Translator.T, email, token)
	s.render(w, r, http.StatusOK, "users", p)
	return nil
}

// sendInvitation mails the link when SMTP is set up; otherwise it returns
// the link so the admin can hand it over.
func (s *Server) sendInvitation(r *http.Request, t func(string, ...any) string, email, token string) (string, string) {
	link := s.cfg.BaseURL + "/inbjudan/" + token
	if s.cfg.Mailer == nil {
		return link, email
	}
	s.deliver(r.Context(), account.NormalizeEmail(email), t("mail.invite.subject"), t("mail.invite.body", link), "invitation", token)
	return "", email
}

func (s *accountPages) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	switch r.PostFormValue("action") {
	case "disable":
		err = s.cfg.Accounts.SetDisabled(r.Context(), a, id, true)
	case "enable":
		err = s.cfg.Accounts.SetDisabled(r.Context(), a, id, false)
	case "make_admin":
		err = s.cfg.Accounts.SetAdmin(r.Context(), a, id, true)
	case "remove_admin":
		err = s.cfg.Accounts.SetAdmin(r.Context(), a, id, false)
	default:
		err = errs.E(errs.Invalid, "error.invalid")
	}
	if err != nil {
		return err
	}
	s.redirect(w, r, "/admin/anvandare", "admin.users.saved")
	return nil
}

func (s *accountPages) makeResetLink(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	u, err := s.cfg.Accounts.User(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	email := u.Email
	token, err := s.cfg.Accounts.ResetToken(r.Context(), id)
	if err != nil {
		return err
	}
	p.Link, p.LinkFor = s.cfg.BaseURL+"/aterstall/"+token, email
	s.render(w, r, http.StatusOK, "users", p)
	return nil
}
