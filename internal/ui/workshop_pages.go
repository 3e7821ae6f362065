package ui

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/paths"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/workshop"
)

// wsListPage is /workshoppar: the signed-in user's workshops, a form for a
// new one, and a join-code box for everyone.
type wsListPage struct {
	base
	Workshops []workshop.Workshop
	Orgs      []account.Membership // organisations a new workshop may belong to
	Year      int
}

func (wp *workshopPages) listWorkshops(w http.ResponseWriter, r *http.Request) error {
	p := &wsListPage{base: wp.base(r, "workshop.list.title"), Year: time.Now().Year()}
	if p.Actor.SignedIn() {
		var err error
		if p.Workshops, err = wp.svc.Workshops(r.Context(), p.Actor); err != nil {
			return err
		}
		p.Orgs = p.Actor.Memberships
	}
	wp.render(w, r, http.StatusOK, "workshops", p)
	return nil
}

func (wp *workshopPages) createWorkshop(w http.ResponseWriter, r *http.Request) error {
	p := &wsListPage{base: wp.base(r, "workshop.list.title"), Year: time.Now().Year()}
	in := workshop.Workshop{Title: r.PostFormValue("title"), FocalQuestion: r.PostFormValue("question"),
		Template: r.PostFormValue("template")}
	f := errs.Fields{}
	if v := strings.TrimSpace(r.PostFormValue("horizon")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f["horizon"] = "workshop.horizon_range"
		}
		in.HorizonYear = n
	} else {
		f["horizon"] = "workshop.horizon_range"
	}
	if v := r.PostFormValue("organisation"); v != "" && v != "0" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f["organisation"] = "error.choose"
		}
		in.OrganisationID = n
	}
	if v := strings.TrimSpace(r.PostFormValue("budget")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f["budget"] = "workshop.budget_range"
		}
		in.DotBudget = n
	}
	ws, err := wp.svc.Create(r.Context(), p.Actor, in)
	if err == nil && len(f) > 0 {
		err = f.Err()
	}
	if err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid {
			for k, v := range e.Fields {
				f[k] = v
			}
			err = f.Err()
		}
		p.Orgs = p.Actor.Memberships
		if p.Workshops, _ = wp.svc.Workshops(r.Context(), p.Actor); p.Workshops == nil {
			p.Workshops = []workshop.Workshop{}
		}
		return wp.formError(w, r, "workshops", p, err)
	}
	wp.redirect(w, r, paths.Workshop(ws.ID), "workshop.created")
	return nil
}

// boardPage is the board as server-rendered outline: it reads and works
// without JavaScript, and workshop.js enhances it in place.
type boardPage struct {
	base
	B         *workshop.Board
	R         *workshop.Results
	Me        *workshop.Participant
	Fac       bool
	Stage     workshop.Stage
	StageNo   int
	Stages    []workshop.Stage
	Look      int64 // the group a facilitator looks into; 0: all
	JoinURL   string
	RejoinURL string
	STEEP     []string
	Years     []int
	Quadrants []int

	notes   map[int64]*workshop.Note
	people  map[int64]*workshop.Participant
	groups  map[int64]*workshop.Group
	ratings map[int64]workshop.Rating
	stats   map[int64]workshop.RatingStats
	votes   map[int]int
	snaps   *[]workshop.Snapshot
}

// CID returns a fresh client id for one form: a resent form (back and
// submit again) is applied once.
func (p *boardPage) CID() string { return newCID() }

func newCID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "f-" + base64.RawURLEncoding.EncodeToString(b)
}

func (wp *workshopPages) boardPage(r *http.Request, titleKey string) (*boardPage, error) {
	me, err := wp.participant(r)
	if err != nil {
		return nil, err
	}
	b, err := wp.svc.Board(r.Context(), me)
	if err != nil {
		return nil, err
	}
	p := &boardPage{base: wp.base(r, titleKey), B: b, Me: me, Fac: me.Facilitator(), StageNo: b.Workshop.Stage,
		Stages: b.Template.Stages, STEEP: workshop.STEEP, Quadrants: []int{1, 2, 3, 4}}
	if p.Title == "" {
		p.Title = b.Workshop.Title
	}
	p.Stage = b.Template.Stage(b.Workshop.Stage)
	p.R = workshop.ResultsOf(b)
	p.JoinURL = wp.cfg.BaseURL + paths.Join(b.Workshop.Code)
	if me.UserID == 0 {
		if c, err := r.Cookie(workshop.GuestCookie(me.WorkshopID)); err == nil {
			p.RejoinURL = wp.cfg.BaseURL + paths.Join(b.Workshop.Code) + "/igen/" + url.PathEscape(c.Value)
		}
	}
	if p.Fac {
		if g, err := strconv.ParseInt(r.URL.Query().Get("grupp"), 10, 64); err == nil {
			p.Look = g
		}
	}
	now := time.Now().Year()
	for y := b.Workshop.HorizonYear; y >= now && len(p.Years) < 200; y-- {
		p.Years = append(p.Years, y)
	}
	p.index()
	return p, nil
}

func (p *boardPage) index() {
	p.notes, p.people, p.groups = map[int64]*workshop.Note{}, map[int64]*workshop.Participant{}, map[int64]*workshop.Group{}
	p.ratings, p.stats, p.votes = map[int64]workshop.Rating{}, map[int64]workshop.RatingStats{}, map[int]int{}
	for i := range p.B.Notes {
		p.notes[p.B.Notes[i].ID] = &p.B.Notes[i]
	}
	for i := range p.B.Participants {
		p.people[p.B.Participants[i].ID] = &p.B.Participants[i]
	}
	for i := range p.B.Groups {
		p.groups[p.B.Groups[i].ID] = &p.B.Groups[i]
	}
	for _, r := range p.B.Ratings {
		p.ratings[r.NoteID] = r
	}
	for _, s := range p.B.Stats {
		p.stats[s.NoteID] = s
	}
	for _, v := range p.B.Votes {
		p.votes[v.Quadrant] = v.Dots
	}
}

// Is reports whether the current stage has key.
func (p *boardPage) Is(key string) bool { return p.Stage.Key == key }

// Can reports whether the viewer may send k now (facilitators always may;
// the server decides either way).
func (p *boardPage) Can(k string) bool {
	if p.B.Workshop.Status == workshop.StatusClosed {
		return false
	}
	if p.Fac {
		return true
	}
	return p.B.Workshop.Status == workshop.StatusOpen && !p.B.Workshop.StageLocked && p.Stage.Allowed(workshop.Kind(k))
}

// Open reports whether the workshop takes input.
func (p *boardPage) Open() bool { return p.B.Workshop.Status == workshop.StatusOpen }

// Closed reports whether the workshop is closed.
func (p *boardPage) Closed() bool { return p.B.Workshop.Status == workshop.StatusClosed }

// Draft reports whether the workshop is still being prepared.
func (p *boardPage) Draft() bool { return p.B.Workshop.Status == workshop.StatusDraft }

// Ends is the stage's countdown end as RFC 3339, or "".
func (p *boardPage) Ends() string {
	if p.B.Workshop.StageEndsAt.IsZero() {
		return ""
	}
	return p.B.Workshop.StageEndsAt.UTC().Format(time.RFC3339)
}

// EndsLocal is the countdown's end as a clock time in Stockholm.
func (p *boardPage) EndsLocal() string {
	if p.B.Workshop.StageEndsAt.IsZero() {
		return ""
	}
	return p.B.Workshop.StageEndsAt.In(stockholm).Format("15:04")
}

// boardSection is the notes of one group (0: the whole room) on the board.
type boardSection struct {
	Group *workshop.Group // nil: plenary
	Notes []noteView
}

// noteView is a note that is not merged into another, with its members.
type noteView struct {
	workshop.Note
	Author  string
	Members []workshop.Note
	Mine    bool
}

// Sections returns the notes the viewer works with, by group: a
// participant in a group sees their group's notes; a facilitator sees all
// groups (or the one they look into); everyone sees plenary notes.
func (p *boardPage) Sections() []boardSection {
	var ids []int64
	switch {
	case p.Fac && p.Look != 0:
		ids = []int64{p.Look}
	case p.Fac || p.Me.GroupID == 0:
		ids = append(ids, 0)
		for _, g := range p.B.Groups {
			ids = append(ids, g.ID)
		}
	default:
		ids = []int64{p.Me.GroupID}
	}
	members := map[int64][]workshop.Note{}
	for _, n := range p.B.Notes {
		if !n.Removed && n.ClusterID != 0 {
			members[n.ClusterID] = append(members[n.ClusterID], n)
		}
	}
	var out []boardSection
	for _, id := range ids {
		sec := boardSection{Group: p.groups[id]}
		for _, n := range p.B.Notes {
			if n.Removed || n.ClusterID != 0 || n.GroupID != id {
				continue
			}
			sec.Notes = append(sec.Notes, noteView{Note: n, Author: p.Name(n.ParticipantID), Members: members[n.ID],
				Mine: n.ParticipantID == p.Me.ID})
		}
		if sec.Group != nil || len(sec.Notes) > 0 || len(ids) == 1 {
			out = append(out, sec)
		}
	}
	return out
}

// Roots returns every note not merged into another (for choosing a
// merge target, an axis, or rating).
func (p *boardPage) Roots() []workshop.Note {
	var out []workshop.Note
	for _, n := range p.B.Notes {
		if !n.Removed && n.ClusterID == 0 {
			out = append(out, n)
		}
	}
	return out
}

// Removed returns the removed notes, for a facilitator to restore.
func (p *boardPage) Removed() []workshop.Note {
	var out []workshop.Note
	for _, n := range p.B.Notes {
		if n.Removed {
			out = append(out, n)
		}
	}
	return out
}

// NoteName is a note's cluster name or text.
func (p *boardPage) NoteName(id int64) string {
	if n, ok := p.notes[id]; ok {
		return cmp.Or(n.ClusterName, n.Text)
	}
	return ""
}

// Name returns a participant's nickname.
func (p *boardPage) Name(id int64) string {
	if q, ok := p.people[id]; ok {
		return q.Nickname
	}
	return "?"
}

// GroupName returns a group's name, or "" for the plenary.
func (p *boardPage) GroupName(id int64) string {
	if g, ok := p.groups[id]; ok {
		return g.Name
	}
	return ""
}

// MyGroup returns the viewer's group, or nil.
func (p *boardPage) MyGroup() *workshop.Group { return p.groups[p.Me.GroupID] }

// People returns the participants who are not removed.
func (p *boardPage) People() []workshop.Participant {
	var out []workshop.Participant
	for _, q := range p.B.Participants {
		if !q.Removed {
			out = append(out, q)
		}
	}
	return out
}

// RemovedPeople returns the removed participants.
func (p *boardPage) RemovedPeople() []workshop.Participant {
	var out []workshop.Participant
	for _, q := range p.B.Participants {
		if q.Removed {
			out = append(out, q)
		}
	}
	return out
}

// Mine returns the viewer's rating of a note (zero when none).
func (p *boardPage) Mine(note int64) workshop.Rating { return p.ratings[note] }

// Rated returns how many ratings a note has when the viewer may see it, or -1.
func (p *boardPage) Rated(note int64) int {
	if s, ok := p.stats[note]; ok {
		return s.N
	}
	if p.Fac || p.B.Workshop.Revealed {
		return 0
	}
	return -1
}

// SeeAggregates reports whether the viewer sees ratings and votes of all.
func (p *boardPage) SeeAggregates() bool { return p.Fac || p.B.Workshop.Revealed }

// Dots returns the viewer's dots on a quadrant.
func (p *boardPage) Dots(q int) int { return p.votes[q] }

// DotsLeft returns the viewer's unused dots.
func (p *boardPage) DotsLeft() int {
	used := 0
	for _, d := range p.votes {
		used += d
	}
	return p.B.Workshop.DotBudget - used
}

// Scenario returns quadrant q's scenario.
func (p *boardPage) Scenario(q int) workshop.Scenario { return p.R.Scenarios[q-1] }

// QuadrantGroup names the group writing quadrant q, or "".
func (p *boardPage) QuadrantGroup(q int) string {
	for _, g := range p.B.Groups {
		if g.Quadrant == q {
			return g.Name
		}
	}
	return ""
}

// MayWrite reports whether the viewer may write quadrant q: facilitators,
// the group the quadrant is given to, and anyone when no group has it.
func (p *boardPage) MayWrite(q int) bool {
	if p.Fac {
		return true
	}
	for _, g := range p.B.Groups {
		if g.Quadrant == q {
			return g.ID == p.Me.GroupID
		}
	}
	return true
}

// StageName returns the translated name of a stage.
func (p *boardPage) StageName(key string) string { return p.T("workshop.stage." + key) }

// Return is where a form on the board sends the browser back to.
func (p *boardPage) Return() string {
	u := paths.Workshop(p.B.Workshop.ID)
	if p.Look != 0 {
		u += "?grupp=" + strconv.FormatInt(p.Look, 10)
	}
	return u
}

func (wp *workshopPages) showBoard(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.fullBoard(r)
	if err != nil {
		return err
	}
	wp.render(w, r, http.StatusOK, "workshop", p)
	return nil
}

// fullBoard is the board page with what only facilitators see.
func (wp *workshopPages) fullBoard(r *http.Request) (*boardPage, error) {
	p, err := wp.boardPage(r, "")
	if err != nil {
		return nil, err
	}
	if p.Fac {
		snaps, err := wp.svc.Snapshots(r.Context(), p.Me)
		if err != nil {
			return nil, err
		}
		p.snaps = &snaps
	}
	return p, nil
}

// showBoardFragment is /workshoppar/{id}/tavla.html: the board alone (the
// page's #ws element, without the layout), as the board page renders it
// for the same person. workshop.js swaps it in for a change that reshapes
// the board (a new stage, groups, reveal), instead of reloading the page
// and reopening the stream.
func (wp *workshopPages) showBoardFragment(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.fullBoard(r)
	if err != nil {
		return err
	}
	t, ok := wp.tmpl["workshop"]
	if !ok {
		return errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("ui: no template %q", "workshop"))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "board", p); err != nil {
		return errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("ui: render board: %w", err))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// wsJoinPage is /j/CODE: join with a nickname, or as yourself.
type wsJoinPage struct {
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
	// Someone already in goes straight to the board.
	if _, err := wp.participantIn(r, ws.ID); err == nil {
		http.Redirect(w, r, paths.Workshop(ws.ID), http.StatusSeeOther)
		return nil
	}
	p := &wsJoinPage{base: wp.base(r, "workshop.join.title"), W: ws, Code: ws.Code, CID: newCID()}
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
	}
	cid := r.PostFormValue("id")
	if cid == "" {
		cid = newCID()
	}
	me, token, err := wp.svc.Join(r.Context(), a, ws.Code, r.PostFormValue("nickname"), cid, clientKey(r))
	if err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid || e.Kind == errs.Conflict {
			p := &wsJoinPage{base: wp.base(r, "workshop.join.title"), W: ws, Code: ws.Code, CID: newCID()}
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

// rejoin is a guest's personal link: it sets the guest cookie on another
// device (or after the cookie is gone) and opens the board.
func (wp *workshopPages) rejoin(w http.ResponseWriter, r *http.Request) error {
	ws, err := wp.svc.ByCode(r.Context(), httpx.Path(r, "code"), clientKey(r))
	if err != nil {
		return err
	}
	token := httpx.Path(r, "token")
	if _, err := wp.svc.Participant(r.Context(), nil, ws.ID, token); err != nil {
		return errs.E(errs.NotFound, "workshop.rejoin_unknown")
	}
	wp.setGuestCookie(w, ws.ID, token)
	http.Redirect(w, r, paths.Workshop(ws.ID), http.StatusSeeOther)
	return nil
}

// participantIn is participant for a workshop id known from elsewhere.
func (wp *workshopPages) participantIn(r *http.Request, id int64) (*workshop.Participant, error) {
	var token string
	if c, err := r.Cookie(workshop.GuestCookie(id)); err == nil {
		token = c.Value
	}
	return wp.svc.Participant(r.Context(), account.ActorFrom(r.Context()), id, token)
}

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

// addFacilitator makes the user with an email a co-facilitator.
func (wp *workshopPages) addFacilitator(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.facilitator(r)
	if err != nil {
		return err
	}
	back := paths.Workshop(p.WorkshopID)
	u, err := wp.cfg.Accounts.UserByEmail(r.Context(), r.PostFormValue("email"))
	if errs.Is(err, errs.NotFound) || (err == nil && u.Disabled) {
		wp.redirect(w, r, back, "workshop.facilitator_unknown")
		return nil
	}
	if err != nil {
		return err
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
	if p.Fac {
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
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.B.Workshop.ID, 10)+`.md"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(p.R.Markdown(p.T)))
	return nil
}

func (wp *workshopPages) resultsJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.B.Workshop.ID, 10)+`.json"`)
	httpx.WriteJSON(w, http.StatusOK, p.R)
	return nil
}

// publish makes the results a library work of an organisation the
// facilitator publishes for.
func (wp *workshopPages) publish(w http.ResponseWriter, r *http.Request) error {
	p, err := wp.resultsPage(r)
	if err != nil {
		return err
	}
	if !p.Fac {
		return errs.E(errs.Forbidden, "workshop.facilitator_only")
	}
	org, err := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if err != nil || !slices.ContainsFunc(p.Orgs, func(m account.Membership) bool { return m.OrganisationID == org }) {
		return errs.E(errs.Forbidden, "library.forbidden")
	}
	res := p.R
	work, err := wp.cfg.Library.PublishDocumentation(r.Context(), p.Actor, library.Documentation{OrganisationID: org,
		Title: res.Title, Summary: p.T("workshop.publish.summary", res.Question, strconv.Itoa(res.People)), BodyMD: res.Markdown(p.T),
		HorizonYear: res.Horizon, Method: p.T("workshop.publish.method"), Visibility: library.Visibility(r.PostFormValue("visibility"))})
	if err != nil {
		if errs.KindOf(err) == errs.Invalid {
			wp.redirect(w, r, paths.WorkshopResults(p.B.Workshop.ID), errs.As(err).Key)
			return nil
		}
		return err
	}
	wp.redirect(w, r, paths.WorkshopResults(p.B.Workshop.ID)+"?publicerad="+url.QueryEscape(work.Slug), "workshop.published")
	return nil
}

// Template helpers of the board.

// Inc returns i+1 (stage numbers count from 1).
func (p *boardPage) Inc(i int) int { return i + 1 }

// Dec returns i-1.
func (p *boardPage) Dec(i int) int { return i - 1 }

// Scale is the rating scale.
func (p *boardPage) Scale() []int { return []int{1, 2, 3, 4, 5} }

// AxisNames names the two axes.
func (p *boardPage) AxisNames() []string { return []string{"x", "y"} }

// Minutes are the time boxes a facilitator may give a stage.
func (p *boardPage) Minutes() []int { return []int{1, 3, 5, 10, 15, 20, 30, 45, 60} }

// Sec turns minutes into seconds.
func (p *boardPage) Sec(min int) int { return min * 60 }

// Avg formats an average with a decimal comma, "–" when there are none.
func (p *boardPage) Avg(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
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

// PeopleJSON lists [id, nickname] of everyone, for the script to name the
// authors of live notes (nicknames only: what every participant sees).
func (p *boardPage) PeopleJSON() string {
	out := make([][2]any, 0, len(p.B.Participants))
	for _, q := range p.B.Participants {
		out = append(out, [2]any{q.ID, q.Nickname})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// showSnapshot shows a facilitator the board as it was when everyone was
// moved to a stage, in the form of the results page.
func (wp *workshopPages) showSnapshot(w http.ResponseWriter, r *http.Request) error {
	bp, err := wp.boardPage(r, "workshop.snapshot.title")
	if err != nil {
		return err
	}
	if !bp.Fac {
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
	b.Workshop.ID = bp.B.Workshop.ID
	bp.B, bp.R = b, workshop.ResultsOf(b)
	bp.index()
	p := &resultsPage{boardPage: *bp, Snapshot: &snaps[i]}
	wp.render(w, r, http.StatusOK, "workshop_results", p)
	return nil
}

// Snapshots lists the stage changes, for the facilitator's panel.
func (p *boardPage) Snapshots() []workshop.Snapshot {
	if !p.Fac || p.snaps == nil {
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
	w.Header().Set("Content-Disposition", `attachment; filename="workshop-`+strconv.FormatInt(p.B.Workshop.ID, 10)+`-kors.svg"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n"))
	_, _ = w.Write([]byte(crossSVG(p.R, p.T)))
	return nil
}
