package ui

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
)

type loginPage struct {
	base
	Return string
}

func (s *accountPages) showLogin(w http.ResponseWriter, r *http.Request) error {
	if account.ActorFrom(r.Context()).SignedIn() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	p := &loginPage{base: s.base(r, "login.title"), Return: safeReturn(r.URL.Query().Get("return"), "/")}
	s.render(w, r, http.StatusOK, "login", p)
	return nil
}

// clientKey names the client for rate limits: its address as the app
// resolved it (X-Forwarded-For only from trusted proxies, see
// app.Config.TrustedProxies), else the peer's.
func clientKey(r *http.Request) string {
	if c := account.ClientFrom(r.Context()); c != "" {
		return c
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *accountPages) login(w http.ResponseWriter, r *http.Request) error {
	p := &loginPage{base: s.base(r, "login.title"), Return: safeReturn(r.PostFormValue("return"), "/")}
	p.Form = r.PostForm
	token, _, err := s.cfg.Accounts.SignIn(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientKey(r), r.UserAgent())
	if err != nil {
		e := errs.As(err)
		if e.Kind != errs.Invalid && e.Kind != errs.TooMany {
			return err
		}
		p.Error = e.Key
		s.render(w, r, httpx.Status(e.Kind), "login", p)
		return nil
	}
	// A pre-set cookie never survives sign-in: the token is always new.
	s.setSession(w, token)
	s.redirect(w, r, p.Return, "login.welcome")
	return nil
}

func (s *accountPages) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cfg.SessionCookie, Value: token, Path: "/", MaxAge: int(account.SessionAbsoluteTTL.Seconds()),
		Secure: s.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

func (s *accountPages) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(s.cfg.SessionCookie); err == nil {
		if err := s.cfg.Accounts.SignOut(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.cfg.SessionCookie, Path: "/", MaxAge: -1, Secure: s.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.redirect(w, r, "/", "login.goodbye")
	return nil
}

type forgotPage struct {
	base
	Sent bool
}

func (s *accountPages) showForgotPassword(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{base: s.base(r, "forgot.title")})
	return nil
}

func (s *accountPages) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	p := &forgotPage{base: s.base(r, "forgot.title"), Sent: true}
	token, u, err := s.cfg.Accounts.RequestPasswordReset(r.Context(), r.PostFormValue("email"), clientKey(r))
	if errs.Is(err, errs.TooMany) {
		p.Sent, p.Error = false, "account.too_many_attempts"
		s.render(w, r, http.StatusTooManyRequests, "forgot", p)
		return nil
	}
	if err != nil {
		return err
	}
	if u != nil {
		link := s.cfg.BaseURL + "/aterstall/" + token
		s.deliver(r.Context(), u.Email, p.T("mail.reset.subject"), p.T("mail.reset.body", link), "password reset", token)
	}
	// The same answer whether or not the address has an account.
	s.render(w, r, http.StatusOK, "forgot", p)
	return nil
}

// deliver sends a mail holding the link of token. Without SMTP it logs
// only that a link was made, with a short id (the start of the token's
// hash), never the link: a log is read by more people than the account's
// owner. An admin then makes a link on the users page to hand over.
func (s *Server) deliver(ctx context.Context, to, subject, body, what, token string) {
	if s.cfg.Mailer == nil {
		s.log.Warn("no SMTP configured: a "+what+" link was made but not sent", "to", to, "id", account.HashToken(token)[:8])
		return
	}
	// Sent in the background: the answer must not wait for (or, by its
	// timing, reveal) the mail server's work.
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := s.cfg.Mailer.Send(ctx, to, subject, body); err != nil {
			s.log.Error("mail failed", "to", to, "what", what, "err", err)
		}
	}()
}

type resetPage struct {
	base
	Token string
}

func (s *accountPages) showResetPassword(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "reset", &resetPage{base: s.base(r, "reset.title"), Token: httpx.Path(r, "token")})
	return nil
}

func (s *accountPages) resetPassword(w http.ResponseWriter, r *http.Request) error {
	p := &resetPage{base: s.base(r, "reset.title"), Token: httpx.Path(r, "token")}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		p.Errors = errs.Fields{"confirm": "account.passwords_differ"}
		s.render(w, r, http.StatusUnprocessableEntity, "reset", p)
		return nil
	}
	if _, err := s.cfg.Accounts.ResetPassword(r.Context(), p.Token, r.PostFormValue("password")); err != nil {
		return s.formError(w, r, "reset", p, err)
	}
	s.redirect(w, r, "/logga-in", "reset.done")
	return nil
}

// formError shows the form again with the messages of an Invalid error;
// other errors go to the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, name string, p pageData, err error) error {
	e := errs.As(err)
	if e.Kind != errs.Invalid {
		return err
	}
	b := p.page()
	b.Form = r.PostForm
	if len(e.Fields) > 0 {
		b.Errors = errs.Fields(e.Fields)
	} else {
		b.Error = e.Key
	}
	s.render(w, r, http.StatusUnprocessableEntity, name, p)
	return nil
}

type invitationPage struct {
	base
	Token      string
	Invitation *account.Invitation
	Existing   bool // the address has an account: its owner signs in, then accepts
	Mine       bool // the signed-in user is that account
}

func (s *accountPages) invitationPage(r *http.Request) (*invitationPage, error) {
	p := &invitationPage{base: s.base(r, "invitation.title"), Token: httpx.Path(r, "token")}
	inv, err := s.cfg.Accounts.Invitation(r.Context(), p.Token)
	if err != nil {
		return nil, err
	}
	p.Invitation = inv
	u, err := s.cfg.Accounts.UserByEmail(r.Context(), inv.Email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	p.Existing = u != nil
	p.Mine = p.Existing && p.Actor.SignedIn() && p.Actor.UserID() == u.ID
	return p, nil
}

func (s *accountPages) showInvitation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.invitationPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "invitation", p)
	return nil
}

func (s *accountPages) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.invitationPage(r)
	if err != nil {
		return err
	}
	if !p.Existing && r.PostFormValue("password") != r.PostFormValue("confirm") {
		p.Form, p.Errors = r.PostForm, errs.Fields{"confirm": "account.passwords_differ"}
		s.render(w, r, http.StatusUnprocessableEntity, "invitation", p)
		return nil
	}
	token, err := s.cfg.Accounts.AcceptInvitation(r.Context(), p.Actor, p.Token, r.PostFormValue("name"), r.PostFormValue("password"), r.UserAgent())
	if errs.Is(err, errs.Unauthorized) || errs.Is(err, errs.Forbidden) {
		// An existing account signs in first (or as the right account).
		p.Error = errs.As(err).Key
		s.render(w, r, httpx.Status(errs.KindOf(err)), "invitation", p)
		return nil
	}
	if err != nil {
		return s.formError(w, r, "invitation", p, err)
	}
	if token != "" {
		s.setSession(w, token)
	}
	s.redirect(w, r, "/konto", "invitation.accepted")
	return nil
}
