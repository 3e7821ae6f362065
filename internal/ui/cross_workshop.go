package ui

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// Workshops and crosses, both ways.

// startWorkshop makes a new workshop from the cross, beginning at the
// scenario or the backcasting stage with the cross's axes and scenarios.
func (cp *crossPages) startWorkshop(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	c, err := cp.svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	stage, tpl := r.PostFormValue("stage"), workshop.DefaultTemplate
	switch stage {
	case "backcasting":
		tpl = workshop.BackcastingTemplate
	case "scenarios":
	default:
		return errs.E(errs.Invalid, "workshop.stage_unknown")
	}
	var org int64
	if v := r.PostFormValue("organisation"); v != "" && v != "0" {
		if org, err = strconv.ParseInt(v, 10, 64); err != nil {
			return errs.E(errs.Invalid, "error.choose")
		}
	}
	title := cut(c.Title, workshop.MaxTitle)
	ws, err := cp.wp.svc.CreateSeeded(r.Context(), a, workshop.Workshop{Title: title, FocalQuestion: cut(c.Question, workshop.MaxQuestion),
		HorizonYear: c.Horizon, Template: tpl, OrganisationID: org}, cross.SeedOf(c, stage))
	if err != nil {
		return err
	}
	cp.redirect(w, r, paths.Workshop(ws.ID), "cross.workshop_started")
	return nil
}

// cut shortens s to n characters with an ellipsis.
func cut(s string, n int) string { return clip(s, n) }

// publishFromWorkshop makes a finished workshop's results a scenario
// cross of an organisation the facilitator publishes for; the cross links
// back to the workshop and the results page to the cross.
func (cp *crossPages) publishFromWorkshop(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.wp.resultsPage(r)
	if err != nil {
		return err
	}
	if !p.Facilitator {
		return errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	org, err := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if err != nil || !slices.ContainsFunc(p.Orgs, func(m account.Membership) bool { return m.OrganisationID == org }) {
		return errs.E(errs.Forbidden, "cross.forbidden")
	}
	c := cross.FromResults(p.Results, p.Board.Workshop.ID, org, cross.Visibility(r.PostFormValue("visibility")))
	saved, err := cp.svc.Create(r.Context(), p.Actor, c)
	if err != nil {
		if errs.KindOf(err) == errs.Invalid {
			cp.redirect(w, r, paths.WorkshopResults(p.Board.Workshop.ID), "cross.publish_incomplete")
			return nil
		}
		return err
	}
	cp.redirect(w, r, paths.Cross(saved.ID), "cross.published_from_workshop")
	return nil
}
