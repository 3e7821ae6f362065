package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/workshop"
)

// crossPages serve the scenario crosses: the list, a cross with its
// parent and children, editing, deriving, the lineage tree, comparison,
// exports, the strategy stress test, and workshops in both directions.
type crossPages struct {
	*Server
	svc *cross.Service
	wp  *workshopPages // the workshop's results, for publishing a cross from them

	comments *comment.Service // nil: no comments
}

// Crosses returns the pages of scenario crosses over svc; ws runs the
// workshops a cross starts and publishes from.
func (s *Server) Crosses(svc *cross.Service, ws *workshop.Service, comments *comment.Service) route.Area {
	return &crossPages{Server: s, svc: svc, wp: &workshopPages{Server: s, svc: ws, streams: map[string]int{}}, comments: comments}
}

// Register adds the crosses' pages to t. /scenariokors (the spelling of
// the issue) answers with a permanent redirect to /scenariekors.
func (cp *crossPages) Register(t *route.Table) {
	s, P, U := cp.Server, route.Public, route.SignedIn
	t.Handle(P, "GET /scenariekors", s.h(cp.listCrosses))
	t.Handle(P, "GET /scenariokors", cp.redirectSpelling)
	t.Handle(P, "GET /scenariokors/{rest...}", cp.redirectSpelling)
	t.Handle(U, "GET /scenariekors/nytt", s.h(cp.newCross))
	t.Handle(U, "POST /scenariekors", s.h(cp.createCross))
	t.Handle(U, "GET /scenariekors/import", s.h(cp.showCrossImport))
	t.Handle(U, "POST /scenariekors/import", s.h(cp.importCrosses), route.MaxBody(maxCrossImportBytes+1<<20, "multipart/form-data"))
	t.Handle(P, "GET /scenariekors/jamfor", s.h(cp.compareCrosses))
	t.Handle(P, "GET /scenariekors/{id}", s.h(cp.showCross))
	t.Handle(U, "GET /scenariekors/{id}/redigera", s.h(cp.editCross))
	t.Handle(U, "POST /scenariekors/{id}", s.h(cp.updateCross))
	t.Handle(U, "POST /scenariekors/{id}/ta-bort", s.h(cp.deleteCross))
	t.Handle(U, "GET /scenariekors/{id}/anpassa", s.h(cp.deriveForm))
	t.Handle(U, "POST /scenariekors/{id}/anpassa", s.h(cp.deriveCross))
	t.Handle(P, "GET /scenariekors/{id}/slakttrad", s.h(cp.showLineage))
	t.Handle(U, "GET /scenariekors/{id}/versioner", s.h(cp.showRevisions))
	t.Handle(U, "POST /scenariekors/{id}/versioner/{n}/aterstall", s.h(cp.restoreRevision))
	t.Handle(P, "GET /scenariekors/{id}/kors.svg", s.h(cp.crossSVGFile))
	t.Handle(P, "GET /scenariekors/{id}/kors.png", s.h(cp.crossPNGFile))
	t.Handle(P, "GET /scenariekors/{id}/kors.json", s.h(cp.crossJSONFile))
	t.Handle(P, "GET /scenariekors/{id}/utskrift", s.h(cp.printCross))
	t.Handle(U, "POST /scenariekors/{id}/workshop", s.h(cp.startWorkshop))
	t.Handle(P, "GET /scenariekors/{id}/stresstest", s.h(cp.showStress))
	t.Handle(P, "GET /scenariekors/{id}/stresstest/utskrift", s.h(cp.printStress))
	t.Handle(P, "GET /scenariekors/{id}/stresstest.csv", s.h(cp.stressCSV))
	t.Handle(U, "POST /scenariekors/{id}/stresstest/atgarder", s.h(cp.addActions))
	t.Handle(U, "POST /scenariekors/{id}/stresstest/atgarder/{aid}/ta-bort", s.h(cp.removeAction))
	t.Handle(U, "POST /scenariekors/{id}/stresstest/bedomning", s.h(cp.judgeStress))
	t.Handle(U, "POST /workshoppar/{id}/publicera-kors", s.h(cp.publishFromWorkshop))
}

func (cp *crossPages) redirectSpelling(w http.ResponseWriter, r *http.Request) {
	target := paths.Crosses
	if rest := httpx.Path(r, "rest"); rest != "" {
		target += "/" + rest
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, safeReturn(target, paths.Crosses), http.StatusMovedPermanently)
}

// crossListPage is /scenariekors: the crosses the viewer may see, newest
// change first, with filters and a next page.
type crossListPage struct {
	base
	Crosses []cross.Cross
	Levels  []cross.Level
	Domains []string
	Level   string
	Domain  string
	Status  string
	Next    string
	CanNew  bool
}

func (cp *crossPages) listCrosses(w http.ResponseWriter, r *http.Request) error {
	p := &crossListPage{base: cp.base(r, "cross.list.title"), Levels: cross.Levels}
	q := r.URL.Query()
	lq := cross.ListQuery{Level: cross.Level(q.Get("niva")), Domain: strings.TrimSpace(q.Get("omrade")), Status: cross.Status(q.Get("status"))}
	if !contains(cross.Levels, lq.Level) {
		lq.Level = ""
	}
	if !contains(cross.Statuses, lq.Status) {
		lq.Status = ""
	}
	p.Level, p.Domain, p.Status = string(lq.Level), lq.Domain, string(lq.Status)
	if b, id, ok := cursor(q.Get("fore")); ok {
		lq.Before, lq.BeforeID = b, id
	}
	lq.Limit, lq.Summary = cross.DefaultLimit+1, true
	cs, err := cp.svc.List(r.Context(), p.Actor, lq)
	if err != nil {
		return err
	}
	if len(cs) > cross.DefaultLimit {
		cs = cs[:cross.DefaultLimit]
		last := cs[len(cs)-1]
		v := q
		v.Set("fore", strconv.FormatInt(last.UpdatedAt.UnixMilli(), 10)+"-"+strconv.FormatInt(last.ID, 10))
		p.Next = paths.Crosses + "?" + v.Encode()
	}
	p.Crosses = cs
	if p.Domains, err = cp.svc.Domains(r.Context()); err != nil {
		return err
	}
	p.CanNew = len(cp.editableOrgs(p.Actor)) > 0 || p.Actor.IsAdmin()
	cp.render(w, r, http.StatusOK, "cross_list", p)
	return nil
}

// cursor reads a list position "ms-id".
func cursor(s string) (time.Time, int64, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return time.Time{}, 0, false
	}
	ms, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || ms <= 0 || id <= 0 {
		return time.Time{}, 0, false
	}
	return time.UnixMilli(ms).UTC(), id, true
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// editableOrgs are the organisations a publishes crosses for.
func (cp *crossPages) editableOrgs(a *account.Actor) []account.Membership {
	var out []account.Membership
	for _, m := range a.Memberships {
		if cross.CanPublish(a, m.OrganisationID) {
			out = append(out, m)
		}
	}
	return out
}

// crossPage is one cross: the drawing, its axes and scenarios, its parent
// and children, and what the viewer may do with it.
type crossPage struct {
	base
	Cross   *cross.Cross
	Lineage *cross.Lineage
	CoOrgs  []account.OrgRef
	CanEdit bool
	CanAdd  bool // may derive: publishes for some organisation
	Print   bool
	Drivers *cross.LinkedDrivers // the axes' drivers, nil unless the viewer may see their workshop

	Comments *commentsView // on the cross's page only
}

// CrossSVG draws the cross.
func (p *crossPage) CrossSVG() template.HTML { return drawCross(crossDrawingOf(p.Cross, "cross", p.T)) }

func (cp *crossPages) crossPage(r *http.Request, titleKey string) (*crossPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &crossPage{base: cp.base(r, titleKey)}
	if p.Lineage, err = cp.svc.Family(r.Context(), p.Actor, id); err != nil {
		return nil, err
	}
	p.Cross = p.Lineage.Cross
	if p.Title == "" {
		p.Title = p.Cross.Title
	}
	if p.Drivers, err = cp.svc.Linked(r.Context(), p.Actor, p.Cross); err != nil {
		return nil, err
	}
	p.CanEdit = cross.CanEdit(p.Actor, p.Cross)
	p.CanAdd = len(cp.editableOrgs(p.Actor)) > 0 || p.Actor.IsAdmin()
	if len(p.Cross.CoOrganisationIDs) > 0 {
		refs, err := cp.cfg.Posts.OrgRefs(r.Context(), p.Actor, p.Cross.CoOrganisationIDs)
		if err != nil {
			return nil, err
		}
		for _, id := range p.Cross.CoOrganisationIDs {
			if o, ok := refs[id]; ok {
				p.CoOrgs = append(p.CoOrgs, o)
			}
		}
	}
	return p, nil
}

func (cp *crossPages) showCross(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.crossPage(r, "")
	if err != nil {
		return err
	}
	if p.Comments, err = loadComments(r, cp.comments, &p.base, cross.Kind, p.Cross.ID); err != nil {
		return err
	}
	cp.render(w, r, http.StatusOK, "cross", p)
	return nil
}

func (cp *crossPages) printCross(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.crossPage(r, "")
	if err != nil {
		return err
	}
	p.Print = true
	cp.render(w, r, http.StatusOK, "cross_print", p)
	return nil
}

func (cp *crossPages) deleteCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := cp.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	cp.redirect(w, r, paths.Crosses, "cross.deleted")
	return nil
}

// crossDrawingOf is the drawing of a cross, with its text alternative.
func crossDrawingOf(c *cross.Cross, id string, t func(string, ...any) string) crossDrawing {
	d := crossDrawing{ID: id, Title: c.Title, XName: c.X.Name, XLow: c.X.Low, XHigh: c.X.High, YName: c.Y.Name, YLow: c.Y.Low, YHigh: c.Y.High}
	desc := t("cross.svg_desc", c.X.Name, c.X.Low, c.X.High, c.Y.Name, c.Y.Low, c.Y.High)
	for q := 1; q <= 4; q++ {
		s := c.Scenario(q)
		d.Names[q-1] = s.Name
		desc += " " + t("workshop.quadrant_n", q) + ": " + orDash(s.Name) + " (" + c.QuadrantPoles(q) + ")."
	}
	d.Desc = desc
	return d
}

// AxisNames are the cross's axes in the order pages show them.
func (p *crossPage) AxisNames() []string { return []string{"x", "y"} }

// Parent is the cross's parent as the viewer sees it, or nil.
func (p *crossPage) Parent() *cross.TreeNode {
	if a := p.Lineage.Ancestors; len(a) > 0 && !a[len(a)-1].Hidden {
		return a[len(a)-1]
	}
	return nil
}
