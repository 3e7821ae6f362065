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

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The board page: what the participant sees of the workshop, and the
// helpers its template calls.

// boardPage is the board as server-rendered outline: it reads and works
// without JavaScript, and workshop.js enhances it in place.
type boardPage struct {
	base
	Board       *workshop.Board
	Results     *workshop.Results
	Me          *workshop.Participant
	Facilitator bool // the viewer facilitates the workshop
	Stage       workshop.Stage
	StageNo     int
	Stages      []workshop.Stage
	Look        int64 // the group a facilitator looks into; 0: all
	JoinURL     string
	RejoinURL   string
	STEEP       []string
	Years       []int
	Quadrants   []int

	notes     map[int64]*workshop.Note
	people    map[int64]*workshop.Participant
	groups    map[int64]*workshop.Group
	ratings   map[int64]workshop.Rating
	stats     map[int64]workshop.RatingStats
	votes     map[int]int
	snaps     *[]workshop.Snapshot
	failed    *failure // the form sent without script that the server refused
	ask       string   // ?bedom=: the driver a participant asked to rate
	askPage   string   // ?sida=: the page of notes asked for
	notePage  int      // the page of notes shown (Sections), 1-based
	notePages int

	peopleQuery, peoplePage string      // ?namn=, ?personer=: the facilitator's participant list
	peopleList              *peopleView // made once by PeopleList

	ProjectorLink time.Time // when the workshop's projector link was made (facilitators; zero: none)
}

// failure is a refused form: its kind and key (see commandKey) and why.
type failure struct {
	kind string
	key  int64
	msg  string
}

// Failed returns why the form of kind and key was refused, or "".
func (p *boardPage) Failed(kind string, key any) string {
	if p.failed == nil || p.failed.kind != kind || fmt.Sprint(key) != strconv.FormatInt(p.failed.key, 10) {
		return ""
	}
	return p.failed.msg
}

// Typed returns what was typed into field of the refused form of kind and
// key, so nothing typed is lost; otherwise current.
func (p *boardPage) Typed(kind string, key any, field, current string) string {
	if p.Failed(kind, key) == "" || p.Form == nil {
		return current
	}
	return p.Form.Get(field)
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
	return wp.boardPageOf(r, titleKey, me, b), nil
}

// boardPageOf is the board page of b as me sees it.
func (wp *workshopPages) boardPageOf(r *http.Request, titleKey string, me *workshop.Participant, b *workshop.Board) *boardPage {
	p := &boardPage{base: wp.base(r, titleKey), Board: b, Me: me, Facilitator: me.Facilitator(), StageNo: b.Workshop.Stage,
		Stages: b.Template.Stages, STEEP: workshop.STEEP, Quadrants: []int{1, 2, 3, 4}}
	if p.Title == "" {
		p.Title = b.Workshop.Title
	}
	p.Stage = b.Template.Stage(b.Workshop.Stage)
	p.Results = workshop.ResultsOf(b)
	p.JoinURL = wp.cfg.BaseURL + paths.Join(b.Workshop.Code)
	if me.UserID == 0 && me.ID != 0 {
		if c, err := r.Cookie(workshop.GuestCookieName(me.WorkshopID, wp.cfg.SecureCookies)); err == nil {
			p.RejoinURL = wp.cfg.BaseURL + paths.Join(b.Workshop.Code) + "/igen/" + url.PathEscape(c.Value)
		}
	}
	p.ask, p.askPage = r.URL.Query().Get("bedom"), r.URL.Query().Get("sida")
	p.peopleQuery, p.peoplePage = r.URL.Query().Get("namn"), r.URL.Query().Get("personer")
	if p.Facilitator {
		if g, err := strconv.ParseInt(r.URL.Query().Get("grupp"), 10, 64); err == nil {
			p.Look = g
		}
	}
	now := time.Now().Year()
	for y := b.Workshop.HorizonYear; y >= now && len(p.Years) < 200; y-- {
		p.Years = append(p.Years, y)
	}
	p.index()
	return p
}

func (p *boardPage) index() {
	p.notes, p.people, p.groups = map[int64]*workshop.Note{}, map[int64]*workshop.Participant{}, map[int64]*workshop.Group{}
	p.ratings, p.stats, p.votes = map[int64]workshop.Rating{}, map[int64]workshop.RatingStats{}, map[int]int{}
	for i := range p.Board.Notes {
		p.notes[p.Board.Notes[i].ID] = &p.Board.Notes[i]
	}
	for i := range p.Board.Participants {
		p.people[p.Board.Participants[i].ID] = &p.Board.Participants[i]
	}
	for i := range p.Board.Groups {
		p.groups[p.Board.Groups[i].ID] = &p.Board.Groups[i]
	}
	for _, r := range p.Board.Ratings {
		p.ratings[r.NoteID] = r
	}
	for _, s := range p.Board.Stats {
		p.stats[s.NoteID] = s
	}
	for _, v := range p.Board.Votes {
		p.votes[v.Quadrant] = v.Dots
	}
}

// Is reports whether the current stage has key.
func (p *boardPage) Is(key string) bool { return p.Stage.Key == key }

// Can reports whether the viewer may send k now (facilitators always may;
// the server decides either way).
func (p *boardPage) Can(k string) bool {
	if p.Board.Workshop.Status == workshop.StatusClosed {
		return false
	}
	if p.Facilitator {
		return true
	}
	if p.Board.Workshop.FacilitatorsCluster && strings.HasPrefix(k, "cluster.") {
		return false
	}
	return p.Board.Workshop.Status == workshop.StatusOpen && !p.Board.Workshop.StageLocked && p.Stage.Allowed(workshop.Kind(k))
}

// rateOne is the rating stage on a participant's phone: one driver at a
// time, with where it is in the list and how many are rated.
type rateOne struct {
	Driver *workshop.Driver // nil when all are rated
	Pos    int              // 1-based place of Driver among the drivers
	Total  int
	Rated  int   // drivers the viewer has rated
	Next   int64 // the driver a skip goes to, 0 for none
	First  int64 // the first driver, to go through them again
}

// RateOne picks the driver to rate: the one asked for (?bedom=id), else
// the first the viewer has not rated, among the drivers they see.
func (p *boardPage) RateOne() rateOne {
	var ids []int64
	for _, sec := range p.allSections() {
		for _, n := range sec.Notes {
			ids = append(ids, n.ID)
		}
	}
	slices.Sort(ids)
	out := rateOne{Total: len(ids)}
	at := -1
	for i, id := range ids {
		if p.ratings[id].Impact != 0 {
			out.Rated++
		} else if at < 0 {
			at = i
		}
	}
	if want, err := strconv.ParseInt(p.ask, 10, 64); err == nil {
		if i := slices.Index(ids, want); i >= 0 {
			at = i
		}
	}
	if len(ids) > 0 {
		out.First = ids[0]
	}
	if at < 0 {
		return out
	}
	for i := range p.Results.Drivers {
		if p.Results.Drivers[i].ID == ids[at] {
			out.Driver = &p.Results.Drivers[i]
		}
	}
	out.Pos = at + 1
	if len(ids) > 1 {
		out.Next = ids[(at+1)%len(ids)]
	}
	return out
}

// proposalView is a proposed cluster with its notes' texts.
type proposalView struct {
	workshop.Proposal
	Key   string // the note ids joined by '-' (workshop.ProposalKey)
	Names []string
}

// Proposals returns the clusters framsyn proposes from the notes' text,
// to the facilitator, in the clustering stage, over the notes they see.
func (p *boardPage) Proposals() []proposalView {
	if !p.Facilitator || !p.Is("clustering") {
		return nil
	}
	var notes []workshop.Note
	for _, sec := range p.allSections() {
		for _, n := range sec.Notes {
			notes = append(notes, n.Note)
		}
	}
	var out []proposalView
	for _, pr := range workshop.ProposeClustersExcept(notes, p.Board.Workshop.RejectedProposals) {
		v := proposalView{Proposal: pr, Key: pr.Key()}
		for _, id := range pr.Notes {
			v.Names = append(v.Names, p.NoteName(id))
		}
		out = append(out, v)
	}
	return out
}

// Open reports whether the workshop takes input.
func (p *boardPage) Open() bool { return p.Board.Workshop.Status == workshop.StatusOpen }

// Closed reports whether the workshop is closed.
func (p *boardPage) Closed() bool { return p.Board.Workshop.Status == workshop.StatusClosed }

// Draft reports whether the workshop is still being prepared.
func (p *boardPage) Draft() bool { return p.Board.Workshop.Status == workshop.StatusDraft }

// Ends is the stage's countdown end as RFC 3339, or "".
func (p *boardPage) Ends() string {
	if p.Board.Workshop.StageEndsAt.IsZero() {
		return ""
	}
	return p.Board.Workshop.StageEndsAt.UTC().Format(time.RFC3339)
}

// EndsLocal is the countdown's end as a clock time in Stockholm.
func (p *boardPage) EndsLocal() string {
	if p.Board.Workshop.StageEndsAt.IsZero() {
		return ""
	}
	return p.Board.Workshop.StageEndsAt.In(stockholm).Format("15:04")
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
	secs := p.allSections()
	if !(p.Is("drivers") || p.Is("clustering")) {
		return secs
	}
	// A phone, and a facilitator's page, shows a page of notes at a time
	// (what a page renders is bounded by what it shows): in the drivers
	// stage the newest (the last page), in clustering from the first.
	n := 0
	for _, sec := range secs {
		n += len(sec.Notes)
	}
	per := notesPerPage
	if !p.Facilitator {
		per = phoneNotesPerPage
	}
	p.notePages = max(1, (n+per-1)/per)
	p.notePage = p.notePages
	if p.Is("clustering") {
		p.notePage = 1
	}
	if v, err := strconv.Atoi(p.askPage); err == nil && v >= 1 && v <= p.notePages {
		p.notePage = v
	}
	from, to := (p.notePage-1)*per, p.notePage*per
	i := 0
	for k := range secs {
		var keep []noteView
		for _, nv := range secs[k].Notes {
			if i >= from && i < to {
				keep = append(keep, nv)
			}
			i++
		}
		secs[k].Notes = keep
	}
	return secs
}

// notesPerPage is how many notes a facilitator sees at once, and
// phoneNotesPerPage a participant (on a phone: a page of notes is about
// two screens, the task above it stays in reach).
const notesPerPage, phoneNotesPerPage = 50, 12

// pager is the pages of notes on a phone.
type pager struct {
	Page, Pages int
	Prev, Next  string // URLs, "" at the ends
}

// Pager returns the pages of notes after Sections, or nil for one page.
func (p *boardPage) Pager() *pager {
	if p.notePages <= 1 {
		return nil
	}
	u := func(n int) string {
		r := p.Return()
		if strings.Contains(r, "?") {
			return r + "&sida=" + strconv.Itoa(n)
		}
		return r + "?sida=" + strconv.Itoa(n)
	}
	pg := &pager{Page: p.notePage, Pages: p.notePages}
	if p.notePage > 1 {
		pg.Prev = u(p.notePage - 1)
	}
	if p.notePage < p.notePages {
		pg.Next = u(p.notePage + 1)
	}
	return pg
}

// TopDrivers are the drivers the ratings table and scatter show: all to
// facilitators, the 15 most critical on a participant's phone.
func (p *boardPage) TopDrivers() []workshop.Driver {
	n := topDrivers
	if p.Facilitator {
		n = facTopDrivers
	}
	if len(p.Results.Drivers) <= n {
		return p.Results.Drivers
	}
	return p.Results.Drivers[:n]
}

// MoreDrivers counts the drivers TopDrivers leaves out.
func (p *boardPage) MoreDrivers() int { return len(p.Results.Drivers) - len(p.TopDrivers()) }

const topDrivers = 15

// facTopDrivers bounds the drivers a facilitator's page lists (the rest
// are on the results page).
const facTopDrivers = 50

func (p *boardPage) allSections() []boardSection {
	var ids []int64
	switch {
	case p.Facilitator && p.Look != 0:
		ids = []int64{p.Look}
	case p.Facilitator || p.Me.GroupID == 0:
		ids = append(ids, 0)
		for _, g := range p.Board.Groups {
			ids = append(ids, g.ID)
		}
	default:
		ids = []int64{p.Me.GroupID}
	}
	members := map[int64][]workshop.Note{}
	for _, n := range p.Board.Notes {
		if !n.Removed && n.ClusterID != 0 {
			members[n.ClusterID] = append(members[n.ClusterID], n)
		}
	}
	var out []boardSection
	for _, id := range ids {
		sec := boardSection{Group: p.groups[id]}
		for _, n := range p.Board.Notes {
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
	for _, n := range p.Board.Notes {
		if !n.Removed && n.ClusterID == 0 {
			out = append(out, n)
		}
	}
	return out
}

// Removed returns the removed notes, for a facilitator to restore.
func (p *boardPage) Removed() []workshop.Note {
	var out []workshop.Note
	for _, n := range p.Board.Notes {
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

// peoplePerPage is how many participants the facilitator's list shows.
const peoplePerPage = 50

// peopleOpen: a list this short is open at first, a longer one collapsed.
const peopleOpen = 12

// peopleView is the page of the facilitator's participant list: the
// participants matching the search, a page at a time, and a count by group.
type peopleView struct {
	Rows       []workshop.Participant
	Total      int // not removed
	Matching   int // matching Query
	Query      string
	Open       bool
	Page       int
	Pages      int
	Prev, Next string
	ByGroup    []groupCount
}

type groupCount struct {
	Name string // "" for the plenary
	N    int
}

// PeopleList is the facilitator's participant list: ?namn= searches the
// nicknames, ?personer= is the page.
func (p *boardPage) PeopleList() *peopleView {
	if p.peopleList != nil {
		return p.peopleList
	}
	v := &peopleView{Query: strings.TrimSpace(p.peopleQuery)}
	q := strings.ToLower(v.Query)
	counts := map[int64]int{}
	var match []workshop.Participant
	for _, x := range p.Board.Participants {
		if x.Removed {
			continue
		}
		v.Total++
		counts[x.GroupID]++
		if q == "" || strings.Contains(strings.ToLower(x.Nickname), q) {
			match = append(match, x)
		}
	}
	v.Matching = len(match)
	v.Pages = max(1, (len(match)+peoplePerPage-1)/peoplePerPage)
	v.Page = 1
	if n, err := strconv.Atoi(p.peoplePage); err == nil && n >= 1 && n <= v.Pages {
		v.Page = n
	}
	from, to := (v.Page-1)*peoplePerPage, min(len(match), v.Page*peoplePerPage)
	v.Rows = match[from:to]
	v.Open = v.Total <= peopleOpen || v.Query != "" || p.peoplePage != ""
	u := func(n int) string {
		vals := url.Values{}
		if p.Look != 0 {
			vals.Set("grupp", strconv.FormatInt(p.Look, 10))
		}
		if v.Query != "" {
			vals.Set("namn", v.Query)
		}
		vals.Set("personer", strconv.Itoa(n))
		return paths.Workshop(p.Board.Workshop.ID) + "?" + vals.Encode() + "#ws-people-list"
	}
	if v.Page > 1 {
		v.Prev = u(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.Next = u(v.Page + 1)
	}
	v.ByGroup = append(v.ByGroup, groupCount{N: counts[0]})
	for _, g := range p.Board.Groups {
		v.ByGroup = append(v.ByGroup, groupCount{Name: g.Name, N: counts[g.ID]})
	}
	p.peopleList = v
	return v
}

// RemovedPeople returns the removed participants.
func (p *boardPage) RemovedPeople() []workshop.Participant {
	var out []workshop.Participant
	for _, q := range p.Board.Participants {
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
	if p.Facilitator || p.Board.Workshop.Revealed {
		return 0
	}
	return -1
}

// SeeAggregates reports whether the viewer sees ratings and votes of all.
func (p *boardPage) SeeAggregates() bool { return p.Facilitator || p.Board.Workshop.Revealed }

// Dots returns the viewer's dots on a quadrant.
func (p *boardPage) Dots(q int) int { return p.votes[q] }

// DotsLeft returns the viewer's unused dots.
func (p *boardPage) DotsLeft() int {
	used := 0
	for _, d := range p.votes {
		used += d
	}
	return p.Board.Workshop.DotBudget - used
}

// Scenario returns quadrant q's scenario.
func (p *boardPage) Scenario(q int) workshop.Scenario { return p.Results.Scenarios[q-1] }

// QuadrantGroup names the group writing quadrant q, or "".
func (p *boardPage) QuadrantGroup(q int) string {
	for _, g := range p.Board.Groups {
		if g.Quadrant == q {
			return g.Name
		}
	}
	return ""
}

// MayWrite reports whether the viewer may write quadrant q: facilitators,
// the group the quadrant is given to, and anyone when no group has it.
func (p *boardPage) MayWrite(q int) bool {
	if p.Facilitator {
		return true
	}
	for _, g := range p.Board.Groups {
		if g.Quadrant == q {
			return g.ID == p.Me.GroupID
		}
	}
	return true
}

// NextStage returns the stage after the current one, or nil at the last.
func (p *boardPage) NextStage() *workshop.Stage {
	if p.StageNo+1 >= len(p.Stages) {
		return nil
	}
	return &p.Stages[p.StageNo+1]
}

// StageName returns the translated name of a stage.
// A template other than the scenario cross may name its stages and help
// in its own words (workshop.stage.<template>.<stage>).
func (p *boardPage) StageName(key string) string { return p.stageText("workshop.stage.", key) }

// StageHelp returns the help text of a stage, in the template's words.
func (p *boardPage) StageHelp(key string) string { return p.stageText("workshop.help.", key) }

func (p *boardPage) stageText(prefix, key string) string {
	if own := prefix + p.Board.Workshop.Template + "." + key; p.Board.Workshop.Template != workshop.DefaultTemplate && p.Has(own) {
		return p.T(own)
	}
	return p.T(prefix + key)
}

// Return is where a form on the board sends the browser back to.
func (p *boardPage) Return() string {
	u := paths.Workshop(p.Board.Workshop.ID)
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
	if p.Facilitator {
		snaps, err := wp.svc.Snapshots(r.Context(), p.Me)
		if err != nil {
			return nil, err
		}
		p.snaps = &snaps
		if p.ProjectorLink, err = wp.svc.ProjectorLinkSince(r.Context(), p.Me); err != nil {
			return nil, err
		}
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
	t, err := wp.tmpl.page("workshop")
	if err != nil {
		return errs.Wrap(errs.Internal, "error.internal", err)
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

// Avg formats an average with one decimal, a decimal comma in Swedish,
// "–" when there are none.
func (p *boardPage) Avg(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return numText(p.Lang, v)
}

// PeopleJSON lists [id, nickname] of everyone, for the script to name the
// authors of live notes (nicknames only: what every participant sees).
func (p *boardPage) PeopleJSON() string {
	out := make([][2]any, 0, len(p.Board.Participants))
	for _, q := range p.Board.Participants {
		out = append(out, [2]any{q.ID, q.Nickname})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// OwnQuadrant reports whether quadrant q is the viewer's group's, so a
// phone shows that scenario open and the others folded.
func (p *boardPage) OwnQuadrant(q int) bool {
	g := p.MyGroup()
	return g != nil && g.Quadrant == q
}
