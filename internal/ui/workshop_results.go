package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The results of a workshop: as a page, Markdown, JSON, the cross as SVG,
// snapshots of the board, and publishing them to the library.

// resultsPage is the results of a workshop, for its participants.
type resultsPage struct {
	boardPage
	Orgs      []account.Membership // where the viewer may publish
	Published string
	Snapshot  *workshop.Snapshot // the board as it was at a stage change; nil: now
}

func (wp *workshopPages) resultsPage(r *http.Request) (*resultsPage, error) {
	bp, err := wp.boardPage(r, "workshop.results.title")
	if err != nil {
		return nil, err
	}
	p := &resultsPage{boardPage: *bp}
	if slug := r.URL.Query().Get("publicerad"); slugLike(slug) {
		p.Published = slug
	}
	if p.Facilitator {
		for _, m := range p.Actor.Memberships {
			if library.CanPublish(p.Actor, m.OrganisationID) {
				p.Orgs = append(p.Orgs, m)
			}
		}
	}
	return p, nil
}

func (wp *workshopPages) showResults(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	wp.render(w, r, http.StatusOK, "workshop_results", p)
	return nil
}

func (wp *workshopPages) resultsMarkdown(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.Board.Workshop.ID, 10)+`.md"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(p.Results.Markdown(p.T)))
	return nil
}

func (wp *workshopPages) resultsJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.Board.Workshop.ID, 10)+`.json"`)
	httpx.WriteJSON(w, http.StatusOK, p.Results)
	return nil
}

// publish makes the results a library work of an organisation the
// facilitator publishes for.
func (wp *workshopPages) publish(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	if !p.Facilitator {
		return errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	org, err := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if err != nil || !slices.ContainsFunc(p.Orgs, func(m account.Membership) bool { return m.OrganisationID == org }) {
		return errs.E(errs.Forbidden, "library.forbidden")
	}
	res := p.Results
	work, err := wp.cfg.Library.PublishDocumentation(r.Context(), p.Actor, library.Documentation{OrganisationID: org,
		Title: res.Title, Summary: p.T("workshop.publish.summary", res.Question, strconv.Itoa(res.People)), BodyMD: res.Markdown(p.T),
		HorizonYear: res.Horizon, Method: p.T("workshop.publish.method"), Visibility: library.Visibility(r.PostFormValue("visibility"))})
	if err != nil {
		if errs.KindOf(err) == errs.Invalid {
			wp.redirect(w, r, paths.WorkshopResults(p.Board.Workshop.ID), errs.As(err).Key)
			return nil
		}
		return err
	}
	wp.redirect(w, r, paths.WorkshopResults(p.Board.Workshop.ID)+"?publicerad="+url.QueryEscape(work.Slug), "workshop.published")
	return nil
}

// showSnapshot shows a facilitator the board as it was when everyone was
// moved to a stage, in the form of the results page.
func (wp *workshopPages) showSnapshot(w http.ResponseWriter, r *http.Request) error {
	bp, err := wp.boardPage(r, "workshop.snapshot.title")
	if err != nil {
		return err
	}
	if !bp.Facilitator {
		return errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	seq, err := httpx.ID(r, "seq")
	if err != nil {
		return err
	}
	snaps, err := wp.svc.Snapshots(r.Context(), bp.Me)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(snaps, func(s workshop.Snapshot) bool { return s.Seq == seq })
	if i < 0 {
		return errs.E(errs.NotFound, "error.not_found")
	}
	b, err := wp.svc.BoardAt(r.Context(), bp.Me, seq)
	if err != nil {
		return err
	}
	b.Workshop.ID = bp.Board.Workshop.ID
	bp.Board, bp.Results = b, workshop.ResultsOf(b)
	bp.index()
	p := &resultsPage{boardPage: *bp, Snapshot: &snaps[i]}
	wp.render(w, r, http.StatusOK, "workshop_results", p)
	return nil
}

// Snapshots lists the stage changes, for the facilitator's panel.
func (p *boardPage) Snapshots() []workshop.Snapshot {
	if !p.Facilitator || p.snaps == nil {
		return nil
	}
	return *p.snaps
}

// crossFile is the cross as a standalone SVG file, with its title and
// description for the text alternative.
func (wp *workshopPages) crossFile(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.Board.Workshop.ID, 10)+`-kors.svg"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n"))
	_, _ = w.Write([]byte(crossSVG(p.Results, p.T)))
	return nil
}
