package ui

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// Joining a workshop by its code, and coming back to it.

// joinPage is /j/CODE: join with a nickname, or as yourself.
type joinPage struct {
	base
	W    *workshop.Workshop
	Code string
	CID  string
}

func (wp *workshopPages) showJoin(w http.ResponseWriter, r *http.Request) error {
	ws, err := wp.svc.ByCode(r.Context(), httpx.Path(r, "code"), clientKey(r))
	if err != nil {
		return err
	}
	// Someone already in goes straight to the board; someone removed
	// stays out, whatever the code.
	if _, err := wp.participantIn(r, ws.ID); err == nil {
		http.Redirect(w, r, paths.Workshop(ws.ID), http.StatusSeeOther)
		return nil
	} else if errs.As(err).Key == "workshop.removed" {
		return err
	}
	p := &joinPage{base: wp.base(r, "workshop.join.title"), W: ws, Code: ws.Code, CID: newCID()}
	wp.render(w, r, http.StatusOK, "workshop_join", p)
	return nil
}

func (wp *workshopPages) join(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	ws, err := wp.svc.ByCode(r.Context(), httpx.Path(r, "code"), clientKey(r))
	if err != nil {
		return err
	}
	if _, err := wp.participantIn(r, ws.ID); err == nil {
		wp.redirect(w, r, paths.Workshop(ws.ID), "")
		return nil
	} else if errs.As(err).Key == "workshop.removed" {
		return err
	}
	cid := r.PostFormValue("id")
	if cid == "" {
		cid = newCID()
	}
	me, token, err := wp.svc.Join(r.Context(), a, ws.Code, r.PostFormValue("nickname"), cid, clientKey(r))
	if err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid || e.Kind == errs.Conflict {
			p := &joinPage{base: wp.base(r, "workshop.join.title"), W: ws, Code: ws.Code, CID: newCID()}
			if len(e.Fields) == 0 {
				e = &errs.Error{Kind: errs.Invalid, Key: e.Key, Fields: errs.Fields{"nickname": e.Key}}
			}
			return wp.formError(w, r, "workshop_join", p, e)
		}
		return err
	}
	if token != "" {
		wp.setGuestCookie(w, me.WorkshopID, token)
	}
	wp.redirect(w, r, paths.Workshop(me.WorkshopID), "workshop.joined")
	return nil
}

// rejoinPage is a guest's personal link: "Fortsätt som X?", confirmed
// by a POST, and asked again when this browser is already someone else.
type rejoinPage struct {
	base
	W        *workshop.Workshop
	Code     string
	Token    string
	Nickname string // who the link is
	Other    string // who this browser is in the workshop now, when another
}

// rejoinPageOf reads the link's participant and the browser's own.
func (wp *workshopPages) rejoinPageOf(r *http.Request) (*rejoinPage, *workshop.Participant, error) {
	ws, err := wp.svc.ByCode(r.Context(), httpx.Path(r, "code"), clientKey(r))
	if err != nil {
		return nil, nil, err
	}
	token := httpx.Path(r, "token")
	p, err := wp.svc.Participant(r.Context(), nil, ws.ID, token)
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "workshop.rejoin_unknown")
	}
	rp := &rejoinPage{base: wp.base(r, "workshop.rejoin.page"), W: ws, Code: ws.Code, Token: token, Nickname: p.Nickname}
	if now, err := wp.participantIn(r, ws.ID); err == nil && now.ID != p.ID {
		rp.Other = now.Nickname
	}
	return rp, p, nil
}

// showRejoin asks "Fortsätt som X?"; a GET never changes the cookie.
func (wp *workshopPages) showRejoin(w http.ResponseWriter, r *http.Request) error {
	rp, _, err := wp.rejoinPageOf(r)
	if err != nil {
		return err
	}
	wp.render(w, r, http.StatusOK, "workshop_rejoin", rp)
	return nil
}

// rejoin sets the guest cookie on another device (or after the cookie is
// gone) and opens the board; it replaces another participant's valid
// cookie only when the form says so (confirm), after asking.
func (wp *workshopPages) rejoin(w http.ResponseWriter, r *http.Request) error {
	rp, p, err := wp.rejoinPageOf(r)
	if err != nil {
		return err
	}
	if rp.Other != "" && r.PostFormValue("confirm") != "1" {
		wp.render(w, r, http.StatusConflict, "workshop_rejoin", rp)
		return nil
	}
	wp.setGuestCookie(w, p.WorkshopID, rp.Token)
	http.Redirect(w, r, paths.Workshop(p.WorkshopID), http.StatusSeeOther)
	return nil
}

// participantIn is participant for a workshop id known from elsewhere.
func (wp *workshopPages) participantIn(r *http.Request, id int64) (*workshop.Participant, error) {
	return wp.svc.ParticipantOf(r.Context(), account.ActorFrom(r.Context()), id, httpx.Cookies(r), wp.cfg.SecureCookies)
}

// codeForm sends the join-code box of /workshoppar to /j/CODE.
func (wp *workshopPages) codeForm(w http.ResponseWriter, r *http.Request) error {
	c := workshop.NormalizeCode(r.URL.Query().Get("kod"))
	if c == "" {
		// Counted like an unknown code.
		_, err := wp.svc.ByCode(r.Context(), "", clientKey(r))
		return err
	}
	http.Redirect(w, r, paths.Join(c), http.StatusSeeOther)
	return nil
}

func slugLike(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
