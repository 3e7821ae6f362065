package ui

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/boombuler/barcode/qr"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The projector view: the workshop on the room's screen, for reading at
// four metres. It has no controls; it follows the facilitator through the
// stream (projector.js fetches projektor.html after each event and swaps
// it in). Only facilitators open it: it is their board as the room may
// see it, so ratings and votes wait for the reveal, and while groups work
// apart only their counts are shown.

// projectorPage is the board as the projector draws it.
type projectorPage struct {
	*boardPage
	StreamURL, FragmentURL string        // where projector.js follows and fetches
	QR                     template.HTML // the join link's QR code, inline SVG
	Raters                 int           // ratings given so far
	Dots                   int           // dots put on the cross so far
	Columns                []projColumn  // the notes wall, by STEEP category
	Groups                 []projGroup   // while groups work apart: how far each has come
}

// projColumn is one category of the notes wall.
type projColumn struct {
	Key   string // STEEP key, "" for none
	Notes []workshop.Driver
	More  int // notes not shown (the wall shows the newest)
}

// projGroup is one group's count while groups work apart.
type projGroup struct {
	Name  string
	Notes int
}

// projWallPerColumn bounds a column of the wall: more cannot be read at
// four metres, and the page stays small with 400 notes.
const projWallPerColumn = 4

func (wp *workshopPages) projectorPage(r *http.Request) (*projectorPage, error) {
	bp, err := wp.boardPage(r, "workshop.projector.title")
	if err != nil {
		return nil, err
	}
	if !bp.Facilitator {
		return nil, errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	id := strconv.FormatInt(bp.Board.Workshop.ID, 10)
	return projectorOf(bp, "/workshoppar/"+id+"/strom", "/workshoppar/"+id+"/projektor.html"), nil
}

// linkedProjectorPage is the projector view opened by a projector link
// (/projektor/{token}): the same view, following the link's own stream.
func (wp *workshopPages) linkedProjectorPage(r *http.Request) (*projectorPage, error) {
	token := r.PathValue("token")
	pr, err := wp.svc.ProjectorByToken(r.Context(), token)
	if err != nil {
		return nil, err
	}
	b, me, err := wp.svc.ProjectorBoard(r.Context(), pr)
	if err != nil {
		return nil, err
	}
	bp := wp.boardPageOf(r, "workshop.projector.title", me, b)
	base := "/projektor/" + url.PathEscape(token)
	return projectorOf(bp, base+"/strom", base+"/projektor.html"), nil
}

func projectorOf(bp *boardPage, stream, fragment string) *projectorPage {
	p := &projectorPage{boardPage: bp, StreamURL: stream, FragmentURL: fragment}
	b := bp.Board
	for _, st := range b.Stats {
		p.Raters += st.N
	}
	for _, t := range b.Totals {
		p.Dots += t.Dots
	}
	if !b.Workshop.Revealed {
		// The room sees ratings and votes once the facilitator reveals them.
		hidden := *b
		hidden.Stats, hidden.Totals = nil, nil
		bp.Results = workshop.ResultsOf(&hidden)
	}
	if code, err := qr.Encode(bp.JoinURL, qr.M, qr.Auto); err == nil {
		var buf bytes.Buffer
		writeQRSVG(&buf, code, ` class="proj-qr" aria-labelledby="proj-qr-t"`)
		// The title goes inside the svg element, as its text alternative.
		s := buf.String()
		i := bytes.IndexByte(buf.Bytes(), '>') + 1
		s = s[:i] + `<title id="proj-qr-t">` + template.HTMLEscapeString(bp.T("workshop.facil.qr_alt", bp.JoinURL)) + `</title>` + s[i:]
		p.QR = template.HTML(s)
	}
	if b.Workshop.Apart && len(b.Groups) > 0 {
		n := map[int64]int{}
		for _, note := range b.Notes {
			if !note.Removed {
				n[note.GroupID]++
			}
		}
		for _, g := range b.Groups {
			p.Groups = append(p.Groups, projGroup{Name: g.Name, Notes: n[g.ID]})
		}
		return p
	}
	cols := map[string]*projColumn{}
	for _, k := range append(slices.Clone(workshop.STEEP), "") {
		cols[k] = &projColumn{Key: k}
	}
	// Newest first: the note just posted is the one the room looks for.
	drivers := slices.Clone(bp.Results.Drivers)
	slices.SortFunc(drivers, func(a, b workshop.Driver) int { return cmp.Compare(b.ID, a.ID) })
	for _, d := range drivers {
		c, ok := cols[d.STEEP]
		if !ok {
			c = cols[""]
		}
		if len(c.Notes) < projWallPerColumn {
			c.Notes = append(c.Notes, d)
		} else {
			c.More++
		}
	}
	for _, k := range append(slices.Clone(workshop.STEEP), "") {
		if c := cols[k]; len(c.Notes) > 0 {
			p.Columns = append(p.Columns, *c)
		}
	}
	return p
}

// ScatterSVG draws the 15 most critical drivers large: more cannot be
// read at four metres. A dot whose name finds no room carries its rank,
// which ScatterDrivers (the list beside the chart) names.
func (p *projectorPage) ScatterSVG() template.HTML {
	r := *p.Results
	r.Drivers = p.ScatterDrivers()
	return scatterSVG(&r, p.T, projectorScatter)
}

// ScatterDrivers are the rated drivers the projector's scatter draws,
// most critical first, numbered as on the chart.
func (p *projectorPage) ScatterDrivers() []workshop.Driver {
	var out []workshop.Driver
	for _, d := range p.Results.Drivers {
		if d.Ratings > 0 && len(out) < topDrivers {
			out = append(out, d)
		}
	}
	return out
}

// Clusters are the drivers with notes merged into them, biggest first,
// then the notes on their own, as many as one screen holds
// (projClusters); ClustersMore counts the rest.
func (p *projectorPage) Clusters() []workshop.Driver {
	out := slices.Clone(p.Results.Drivers)
	slices.SortStableFunc(out, func(a, b workshop.Driver) int {
		if c := cmp.Compare(len(b.Merged), len(a.Merged)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out[:min(len(out), projClusters)]
}

// ClustersMore counts the clusters and notes Clusters leaves out.
func (p *projectorPage) ClustersMore() int { return max(0, len(p.Results.Drivers)-projClusters) }

// projClusters is how many clusters and notes the projector lists: three
// columns of eight at four metres.
const projClusters = 24

// Notes counts the notes on the board (not removed).
func (p *projectorPage) Notes() int {
	n := 0
	for _, note := range p.Board.Notes {
		if !note.Removed {
			n++
		}
	}
	return n
}

// Joined counts the participants who are not facilitators (nor removed).
func (p *projectorPage) Joined() int {
	n := 0
	for _, q := range p.Board.Participants {
		if !q.Removed && q.Role == workshop.RoleParticipant {
			n++
		}
	}
	return n
}

// Revealed reports whether ratings and votes are shown to the room.
func (p *projectorPage) Revealed() bool { return p.Board.Workshop.Revealed }

// SteepName names a category of the wall.
func (p *projectorPage) SteepName(key string) string {
	if key == "" {
		return p.T("workshop.projector.no_steep")
	}
	return p.T("workshop.steep." + key)
}

func (wp *workshopPages) showProjector(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.projectorPage(r)
	if err != nil {
		return err
	}
	wp.render(w, r, http.StatusOK, "workshop_projector", p)
	return nil
}

// showLinkedProjector is /projektor/{token}: the projector view by link.
func (wp *workshopPages) showLinkedProjector(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.linkedProjectorPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	wp.render(w, r, http.StatusOK, "workshop_projector", p)
	return nil
}

// showProjectorFragment is projektor.html: the projector's content alone,
// for projector.js to swap in after an event.
func (wp *workshopPages) showProjectorFragment(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.projectorPage(r)
	if err != nil {
		return err
	}
	return wp.writeProjectorFragment(w, p)
}

// showLinkedProjectorFragment is the fragment by projector link.
func (wp *workshopPages) showLinkedProjectorFragment(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.linkedProjectorPage(r)
	if err != nil {
		return err
	}
	return wp.writeProjectorFragment(w, p)
}

func (wp *workshopPages) writeProjectorFragment(w http.ResponseWriter, p *projectorPage) error {
	t, err := wp.tmpl.page("workshop_projector")
	if err != nil {
		return errs.Wrap(errs.Internal, "error.internal", err)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "projector", p); err != nil {
		return errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("ui: render projector: %w", err))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}
