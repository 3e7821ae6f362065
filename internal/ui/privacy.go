package ui

import (
	"bytes"
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/privacy"
	"github.com/framsyn/framsyn/internal/route"
)

// privacyPages serve a user's personal data: the export and deleting the
// account.
type privacyPages struct {
	*Server
	svc *privacy.Service
}

// Privacy returns the personal-data pages over svc.
func (s *Server) Privacy(svc *privacy.Service) route.Area { return &privacyPages{Server: s, svc: svc} }

// Register adds the personal-data pages to t.
func (pp *privacyPages) Register(t *route.Table) {
	s, U := pp.Server, route.SignedIn
	t.Handle(U, "GET /konto/mina-uppgifter", s.h(pp.showPrivacy))
	t.Handle(U, "GET /konto/mina-uppgifter.json", s.h(pp.export))
	t.Handle(U, "POST /konto/radera", s.h(pp.deleteAccount))
}

type privacyPage struct{ base }

func (pp *privacyPages) showPrivacy(w http.ResponseWriter, r *http.Request) error {
	pp.render(w, r, http.StatusOK, "privacy", &privacyPage{pp.base(r, "privacy.title")})
	return nil
}

func (pp *privacyPages) export(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := pp.svc.Export(r.Context(), account.ActorFrom(r.Context()), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="framsyn-mina-uppgifter.json"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

func (pp *privacyPages) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	err := pp.svc.DeleteAccount(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("confirm"))
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return pp.formError(w, r, "privacy", &privacyPage{pp.base(r, "privacy.title")}, err)
		}
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: pp.cfg.SessionCookie, Path: "/", MaxAge: -1, Secure: pp.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	pp.redirect(w, r, "/", "privacy.deleted")
	return nil
}
