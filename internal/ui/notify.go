package ui

import (
	"net/http"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/route"
)

// notifyPages serve the inbox, follows, the e-mail choice and the
// one-click unsubscribe.
type notifyPages struct {
	*Server
	svc *notify.Service
}

// Notifications returns the inbox pages over svc.
func (s *Server) Notifications(svc *notify.Service) route.Area {
	return &notifyPages{Server: s, svc: svc}
}

// Register adds the inbox pages to t; unsubscribing needs no sign-in (the
// signed token is the proof).
func (np *notifyPages) Register(t *route.Table) {
	s, P, U := np.Server, route.Public, route.SignedIn
	t.Handle(U, "GET /notiser", s.h(np.showInbox))
	t.Handle(U, "POST /notiser/las", s.h(np.markRead))
	t.Handle(U, "POST /notiser/folj", s.h(np.follow))
	t.Handle(U, "POST /notiser/folj/{id}/ta-bort", s.h(np.unfollow))
	t.Handle(U, "POST /notiser/epost", s.h(np.setMode))
	t.Handle(P, "GET /avregistrera/{user}/{token}", s.h(np.showUnsubscribe))
	t.Handle(P, "POST /avregistrera/{user}/{token}", s.h(np.unsubscribe))
}

type inboxPage struct {
	base
	Items   []notify.Notification
	Follows []notify.Follow
	Mode    string
	Modes   []string
}

// Text is an item's title in the page's language.
func (p *inboxPage) Text(n notify.Notification) string { return n.Item.Text(p.Translator) }

func (np *notifyPages) showInbox(w http.ResponseWriter, r *http.Request) error {
	p := &inboxPage{base: np.base(r, "notify.title"), Modes: notify.EmailModes}
	var err error
	if p.Items, err = np.svc.Inbox(r.Context(), p.Actor); err != nil {
		return err
	}
	if p.Follows, err = np.svc.Follows(r.Context(), p.Actor); err != nil {
		return err
	}
	if p.Mode, err = np.svc.EmailMode(r.Context(), p.Actor); err != nil {
		return err
	}
	np.render(w, r, http.StatusOK, "inbox", p)
	return nil
}

func (np *notifyPages) markRead(w http.ResponseWriter, r *http.Request) error {
	if err := np.svc.MarkRead(r.Context(), account.ActorFrom(r.Context())); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.read")
	return nil
}

func (np *notifyPages) follow(w http.ResponseWriter, r *http.Request) error {
	if _, err := np.svc.Follow(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("what"), r.PostFormValue("ref")); err != nil {
		return err
	}
	np.redirect(w, r, safeReturn(r.PostFormValue("return"), "/notiser"), "notify.following")
	return nil
}

func (np *notifyPages) unfollow(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := np.svc.Unfollow(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.unfollowed")
	return nil
}

func (np *notifyPages) setMode(w http.ResponseWriter, r *http.Request) error {
	if err := np.svc.SetEmailMode(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("mode")); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.mode_saved")
	return nil
}

type unsubscribePage struct {
	base
	Action string
}

func (np *notifyPages) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	p := &unsubscribePage{base: np.base(r, "notify.unsubscribe_title"),
		Action: "/avregistrera/" + httpx.Path(r, "user") + "/" + httpx.Path(r, "token")}
	np.render(w, r, http.StatusOK, "unsubscribe", p)
	return nil
}

// unsubscribe is RFC 8058's one-click POST (List-Unsubscribe=One-Click),
// and the form's; a forged token is 404 and changes nothing.
func (np *notifyPages) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	user, err := httpx.ID(r, "user")
	if err != nil {
		return err
	}
	if err := np.svc.Unsubscribe(r.Context(), user, strings.TrimSpace(httpx.Path(r, "token"))); err != nil {
		return err
	}
	p := &unsubscribePage{base: np.base(r, "notify.unsubscribe_title")}
	p.Flash = "notify.unsubscribed"
	np.render(w, r, http.StatusOK, "unsubscribe", p)
	return nil
}
