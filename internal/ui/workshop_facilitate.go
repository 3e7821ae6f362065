package ui

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// What only a workshop's facilitators do outside the board's commands.

func (wp *workshopPages) facilitator(r *http.Request) (*workshop.Participant, error) {
	p, err := wp.participant(r)
	if err != nil {
		return nil, err
	}
	if !p.Facilitator() {
		return nil, errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	return p, nil
}

func (wp *workshopPages) copyWorkshop(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	ws, err := wp.svc.Copy(r.Context(), account.ActorFrom(r.Context()), p)
	if err != nil {
		return err
	}
	wp.redirect(w, r, paths.Workshop(ws.ID), "workshop.copied")
	return nil
}

// addFacilitator makes a participant who joined signed in with the
// e-mail address a co-facilitator, under the name they joined with.
// Joining is their consent; anyone else (no account, a disabled one, one
// that has not joined) gets one answer, so the form tells nobody which
// addresses have accounts.
func (wp *workshopPages) addFacilitator(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	back := paths.Workshop(p.WorkshopID)
	u, err := wp.cfg.Accounts.UserByEmail(r.Context(), r.PostFormValue("email"))
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	var joined *workshop.Participant
	if err == nil && !u.Disabled {
		joined, err = wp.svc.Participant(r.Context(), &account.Actor{User: u}, p.WorkshopID, "")
		if err != nil && errs.KindOf(err) == errs.Internal {
			return err
		}
	}
	if joined == nil {
		wp.redirect(w, r, back, "workshop.facilitator_join_first")
		return nil
	}
	if _, err := wp.svc.AddFacilitator(r.Context(), p, newCID(), u); err != nil {
		return err
	}
	wp.redirect(w, r, back, "workshop.facilitator_added")
	return nil
}

// groupsByQuadrant makes one group per quadrant (those missing) and
// shares the participants out over them at random.
func (wp *workshopPages) groupsByQuadrant(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	b, err := wp.svc.Board(r.Context(), p)
	if err != nil {
		return err
	}
	tr := wp.tr(r)
	have := map[int]bool{}
	for _, g := range b.Groups {
		have[g.Quadrant] = true
	}
	for q := 1; q <= 4; q++ {
		if have[q] {
			continue
		}
		cmd := workshop.Command{ClientID: newCID(), Kind: workshop.GroupCreate, Quadrant: q,
			Name: tr.T("workshop.group.quadrant_name", q)}
		if _, err := wp.svc.Do(r.Context(), p, cmd); err != nil {
			return err
		}
	}
	if _, err := wp.svc.Do(r.Context(), p, workshop.Command{ClientID: newCID(), Kind: workshop.GroupsRandom}); err != nil {
		return err
	}
	wp.redirect(w, r, paths.Workshop(p.WorkshopID), "workshop.saved")
	return nil
}
