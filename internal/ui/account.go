package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
)

type accountPage struct {
	base
	Sessions  []account.Session
	Tokens    []account.APIToken
	NewToken  string
	TokenDays []int // the lives a token may have, in days
	Now       time.Time
}

func (s *accountPages) accountPage(r *http.Request) (*accountPage, error) {
	p := &accountPage{base: s.base(r, "account.title"), TokenDays: account.TokenDays, Now: time.Now()}
	var err error
	if p.Sessions, err = s.cfg.Accounts.Sessions(r.Context(), p.Actor); err != nil {
		return nil, err
	}
	if p.Tokens, err = s.cfg.Accounts.APITokens(r.Context(), p.Actor); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *accountPages) showAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}

// accountForm runs a change from the account page; an Invalid error shows
// the page again with the messages.
func (s *accountPages) accountForm(w http.ResponseWriter, r *http.Request, flash string, change func(a *account.Actor) error) error {
	if err := change(account.ActorFrom(r.Context())); err != nil {
		if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.TooMany) {
			return err
		}
		p, perr := s.accountPage(r)
		if perr != nil {
			return perr
		}
		if errs.Is(err, errs.TooMany) {
			p.Form, p.Error = r.PostForm, errs.As(err).Key
			s.render(w, r, http.StatusTooManyRequests, "account", p)
			return nil
		}
		return s.formError(w, r, "account", p, err)
	}
	s.redirect(w, r, "/konto", flash)
	return nil
}

func (s *accountPages) updateName(w http.ResponseWriter, r *http.Request) error {
	return s.accountForm(w, r, "account.saved", func(a *account.Actor) error {
		return s.cfg.Accounts.UpdateProfile(r.Context(), a, r.PostFormValue("name"), r.PostFormValue("handle"))
	})
}

func (s *accountPages) changePassword(w http.ResponseWriter, r *http.Request) error {
	return s.accountForm(w, r, "account.password_changed", func(a *account.Actor) error {
		if r.PostFormValue("password") != r.PostFormValue("confirm") {
			return errs.Fields{"confirm": "account.passwords_differ"}.Err()
		}
		return s.cfg.Accounts.ChangePassword(r.Context(), a, r.PostFormValue("current"), r.PostFormValue("password"),
			clientKey(r), r.PostFormValue("revoke_tokens") == "on")
	})
}

func (s *accountPages) createToken(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	days, err := strconv.Atoi(r.PostFormValue("token_days"))
	if err != nil {
		days = 0 // the default
	}
	token, err := s.cfg.Accounts.CreateAPIToken(r.Context(), a, r.PostFormValue("token_name"), days)
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		p, perr := s.accountPage(r)
		if perr != nil {
			return perr
		}
		e := errs.As(err)
		p.Form, p.Errors = r.PostForm, errs.Fields{}
		if k := e.Fields["name"]; k != "" {
			p.Errors["token_name"] = k
		}
		if k := e.Fields["days"]; k != "" {
			p.Errors["token_days"] = k
		}
		s.render(w, r, http.StatusUnprocessableEntity, "account", p)
		return nil
	}
	// The token is shown once, on this response, and never again.
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	p.NewToken = token
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}

func (s *accountPages) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Accounts.DeleteAPIToken(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	s.redirect(w, r, "/konto", "account.token_deleted")
	return nil
}

func (s *accountPages) endSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Accounts.EndSession(r.Context(), account.ActorFrom(r.Context()), httpx.Path(r, "hash")); err != nil {
		return err
	}
	s.redirect(w, r, "/konto", "account.session_ended")
	return nil
}
