package workshop

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Kind names a command and the event it becomes.
type Kind string

// Participant commands (allowed per stage by the template).
const (
	NoteAdd        Kind = "note.add"
	NoteEdit       Kind = "note.edit"
	NoteRemove     Kind = "note.remove"
	ClusterMerge   Kind = "cluster.merge"
	ClusterUnmerge Kind = "cluster.unmerge"
	ClusterName    Kind = "cluster.name"
	ClusterGroup   Kind = "cluster.group" // the selected notes into one cluster
	RatingSet      Kind = "rating.set"
	ScenarioEdit   Kind = "scenario.edit"
	VoteAdd        Kind = "vote.add"
	VoteRemove     Kind = "vote.remove"
	MilestoneAdd   Kind = "milestone.add"
	ActionAdd      Kind = "action.add"
	BackcastRemove Kind = "backcast.remove"
)

// Facilitator commands.
const (
	WorkshopEdit       Kind = "workshop.edit"
	WorkshopOpen       Kind = "workshop.open"
	WorkshopClose      Kind = "workshop.close"
	WorkshopReopen     Kind = "workshop.reopen"
	StageSet           Kind = "stage.set"
	StageLock          Kind = "stage.lock"
	RevealSet          Kind = "reveal.set"
	NoteRestore        Kind = "note.restore"
	AxisSet            Kind = "axis.set"
	ParticipantRemove  Kind = "participant.remove"
	ParticipantRestore Kind = "participant.restore"
	GroupCreate        Kind = "group.create"
	GroupAssign        Kind = "group.assign"
	GroupQuadrant      Kind = "group.quadrant"
	GroupsRandom       Kind = "groups.random"
	GroupsPlenary      Kind = "groups.plenary"
	GroupsApart        Kind = "groups.apart"
	CodeNew            Kind = "code.new"
	ClusterWho         Kind = "cluster.who"    // On: only facilitators cluster
	ClusterReject      Kind = "cluster.reject" // a proposed cluster (Notes) is not proposed again
)

// Commands only the service itself issues (never decoded from a request).
const (
	WorkshopCreate Kind = "workshop.create"
	Join           Kind = "participant.join"
	FacilitatorAdd Kind = "facilitator.add"
)

var facilitatorOnly = map[Kind]bool{
	WorkshopEdit: true, WorkshopOpen: true, WorkshopClose: true, WorkshopReopen: true,
	StageSet: true, StageLock: true, RevealSet: true, NoteRestore: true, AxisSet: true,
	ParticipantRemove: true, ParticipantRestore: true, GroupCreate: true, GroupAssign: true,
	GroupQuadrant: true, GroupsRandom: true, GroupsPlenary: true, GroupsApart: true, CodeNew: true, FacilitatorAdd: true,
	ClusterWho: true, ClusterReject: true,
}

// Command is one action of a participant. ClientID is made by the client
// and makes a resend harmless: the same id returns the first result. The
// other fields are the union of all kinds' arguments; each kind reads the
// ones it needs. The acting participant never comes from the command.
type Command struct {
	ClientID    string `json:"id"`
	Kind        Kind   `json:"kind"`
	Note        int64  `json:"note,omitempty"`
	Into        int64  `json:"into,omitempty"`
	Item        int64  `json:"item,omitempty"`
	Participant int64  `json:"participant,omitempty"` // the target of a facilitator action
	// Participants are the targets of a bulk group.assign (with Participant).
	Participants []int64 `json:"participants,omitempty"`
	// Base is the scenario a scenario.edit started from; with it the edit
	// is merged into the scenario as it is now (Merge3), else it replaces it.
	Base *ScenarioBase `json:"base,omitempty"`
	// Notes are the notes a cluster.group puts together.
	Notes       []int64 `json:"notes,omitempty"`
	Group       int64   `json:"group,omitempty"`
	Quadrant    int     `json:"quadrant,omitempty"`
	Axis        string  `json:"axis,omitempty"`
	Stage       string  `json:"stage,omitempty"`
	Seconds     int     `json:"seconds,omitempty"`
	On          bool    `json:"on,omitempty"`
	Impact      int     `json:"impact,omitempty"`
	Uncertainty int     `json:"uncertainty,omitempty"`
	Year        int     `json:"year,omitempty"`
	Budget      int     `json:"budget,omitempty"`
	STEEP       string  `json:"steep,omitempty"`
	Text        string  `json:"text,omitempty"`
	Name        string  `json:"name,omitempty"`
	Low         string  `json:"low,omitempty"`
	High        string  `json:"high,omitempty"`
	Story       string  `json:"story,omitempty"`
	Life        string  `json:"life,omitempty"`
	Signs       string  `json:"signs,omitempty"`
	Owner       string  `json:"owner,omitempty"`

	user      int64  // FacilitatorAdd, Join: the user, 0 for a guest
	tokenHash string // Join: the guest's token hash
}

// validClientID accepts 8 to 64 characters of [A-Za-z0-9_-].
func validClientID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Change is what a command does: the rows to save (each replaces the row
// with its key) and what the event tells each audience. The store saves
// the rows and the event in one transaction.
type Change struct {
	Workshop     *Workshop
	Participants []Participant
	Groups       []Group
	Notes        []Note
	Axes         []Axis
	Scenarios    []Scenario
	Backcast     []BackcastItem
	Rating       *Rating // private: facilitators and the author see it
	Vote         *Vote   // private: facilitators and the author see it
	// Stats and Totals go to facilitators, and to everyone when Public.
	Stats  []RatingStats
	Totals []VoteTotal
	Public bool
	// Anonymous hides who acted from everyone but facilitators and the author.
	Anonymous bool
	// By is the event's author when it is not the acting participant: the
	// new participant of a join.
	By int64
}

// View reads a workshop's state inside the transaction that applies a
// command, after the workshop row is locked, so what a decision reads
// cannot change before it commits. Missing rows are errs.NotFound.
type View interface {
	// Workshop is the locked workshop; Seq is already the new event's.
	Workshop() *Workshop
	Participant(id int64) (*Participant, error)
	ParticipantByUser(userID int64) (*Participant, error)
	Participants() ([]Participant, error)
	Group(id int64) (*Group, error)
	Groups() ([]Group, error)
	Note(id int64) (*Note, error)
	// ClusterMembers returns the notes merged into the note id.
	ClusterMembers(id int64) ([]Note, error)
	// NoteCounts counts the notes of a participant and all the notes, in
	// one read (a command's reads wait under the workshop's lock).
	NoteCounts(by int64) (mine, all int, err error)
	// RatingStats aggregates one note's ratings, leaving out one participant's.
	RatingStats(noteID, except int64) (RatingStats, error)
	AllRatingStats() ([]RatingStats, error)
	Votes(by int64) ([]Vote, error)
	VoteTotals() ([]VoteTotal, error)
	Scenario(quadrant int) (*Scenario, error)
	Backcast(id int64) (*BackcastItem, error)
	BackcastCount() (int, error)
}

// Decider turns a command into a change, or refuses it.
type Decider func(v View) (*Change, error)

// Event is a stored change, numbered per workshop from 1 without gaps.
type Event struct {
	WorkshopID    int64
	Seq           int64
	Kind          Kind
	ParticipantID int64
	ClientID      string
	Anonymous     bool
	Full          json.RawMessage // the data facilitators see
	Own           json.RawMessage // the data the author sees; nil: Full
	Public        json.RawMessage // the data everyone else sees; nil: Full
	At            time.Time

	once   sync.Once
	frames [3][]byte

	touchOnce sync.Once
	touch     *touch

	// announced: the other instances were woken with the commit
	// (Service.ahead), so publishing it wakes none.
	announced bool
}

// Audience is who reads an event.
type Audience int

// The audiences.
const (
	Everyone Audience = iota
	Author
	Facilitators
)

// AudienceOf returns how p reads events by author.
func AudienceOf(p *Participant, author int64) Audience {
	switch {
	case p.Facilitator():
		return Facilitators
	case p != nil && p.ID == author:
		return Author
	}
	return Everyone
}

// JSON returns the event as the JSON object a stream sends to an
// audience, built once per event and audience however many streams
// send it: {"seq","kind","by","at","cid","data"}; "by" is left out of
// anonymous events and "cid" for everyone but the author and facilitators.
func (e *Event) JSON(a Audience) []byte {
	e.once.Do(func() {
		for i, a := range []Audience{Everyone, Author, Facilitators} {
			e.frames[i] = e.encode(a)
		}
	})
	return e.frames[a]
}

func (e *Event) encode(a Audience) []byte {
	b := make([]byte, 0, 128+len(e.Full))
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, `,"kind":`...)
	b = strconv.AppendQuote(b, string(e.Kind))
	if a != Everyone || !e.Anonymous {
		b = append(b, `,"by":`...)
		b = strconv.AppendInt(b, e.ParticipantID, 10)
	}
	b = append(b, `,"at":`...)
	b = strconv.AppendInt(b, e.At.UnixMilli(), 10)
	if a != Everyone {
		b = append(b, `,"cid":`...)
		b = strconv.AppendQuote(b, e.ClientID)
	}
	data := e.Full
	switch {
	case a == Author && e.Own != nil:
		data = e.Own
	case a == Everyone && e.Public != nil:
		data = e.Public
	}
	if len(data) == 0 {
		data = json.RawMessage(`{}`)
	}
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}

// eventData is the JSON of an event's data: the rows it changed, by
// collection, so a client applies any event by replacing rows by key.
type eventData struct {
	Workshop     *Workshop      `json:"workshop,omitempty"`
	Participants []Participant  `json:"participants,omitempty"`
	Groups       []Group        `json:"groups,omitempty"`
	Notes        []Note         `json:"notes,omitempty"`
	Axes         []Axis         `json:"axes,omitempty"`
	Scenarios    []Scenario     `json:"scenarios,omitempty"`
	Backcast     []BackcastItem `json:"backcast,omitempty"`
	Rating       *Rating        `json:"rating,omitempty"`
	Vote         *Vote          `json:"vote,omitempty"`
	Stats        []RatingStats  `json:"stats,omitempty"`
	Totals       []VoteTotal    `json:"totals,omitempty"`
}

// Encode fills the event's three views of the change (the store calls it
// with the event it is about to save).
func (c *Change) Encode(e *Event) error {
	d := eventData{Workshop: c.Workshop, Participants: c.Participants, Groups: c.Groups, Notes: c.Notes,
		Axes: c.Axes, Scenarios: c.Scenarios, Backcast: c.Backcast, Rating: c.Rating, Vote: c.Vote,
		Stats: c.Stats, Totals: c.Totals}
	full, err := json.Marshal(d)
	if err != nil {
		return errs.Wrap(errs.Internal, "error.internal", err)
	}
	e.Full, e.Own, e.Public = full, nil, nil
	e.Anonymous = c.Anonymous
	private := c.Rating != nil || c.Vote != nil
	if !private && (c.Public || (c.Stats == nil && c.Totals == nil)) {
		return nil
	}
	pub := d
	pub.Rating, pub.Vote = nil, nil
	if !c.Public {
		pub.Stats, pub.Totals = nil, nil
	}
	if e.Public, err = json.Marshal(pub); err != nil {
		return errs.Wrap(errs.Internal, "error.internal", err)
	}
	if private {
		own := pub
		own.Rating, own.Vote = c.Rating, c.Vote
		if e.Own, err = json.Marshal(own); err != nil {
			return errs.Wrap(errs.Internal, "error.internal", err)
		}
	}
	return nil
}
