package workshop

import (
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Refusals shared by many commands.
var (
	errNotJoined       = errs.E(errs.Forbidden, "workshop.not_joined")
	errRemoved         = errs.E(errs.Forbidden, "workshop.removed")
	errFacilitatorOnly = errs.E(errs.Forbidden, "workshop.facilitator_only")
	errNotYours        = errs.E(errs.Forbidden, "workshop.not_yours")
	errClosed          = errs.E(errs.Conflict, "workshop.closed")
	errNotOpen         = errs.E(errs.Conflict, "workshop.not_open")
	errWrongStage      = errs.E(errs.Conflict, "workshop.wrong_stage")
	errLocked          = errs.E(errs.Conflict, "workshop.stage_locked")
	errUnknownKind     = errs.E(errs.Invalid, "workshop.kind_unknown")
)

func invalid(field, key string) error {
	return &errs.Error{Kind: errs.Invalid, Key: key, Fields: errs.Fields{field: key}}
}

// decision is one command being decided against a locked view.
type decision struct {
	v     View
	w     *Workshop
	me    *Participant
	cmd   Command
	now   time.Time
	tpl   *Template
	fac   bool
	chg   *Change
	group int64
}

// decide returns the decider of cmd sent by participant by (0 when joining).
func decide(cmd Command, by int64, now time.Time) Decider {
	return func(v View) (*Change, error) {
		// Times are stored to the millisecond: an event must carry the row as
		// the board will read it back.
		d := &decision{v: v, w: v.Workshop(), cmd: cmd, now: now.UTC().Truncate(time.Millisecond), chg: &Change{}}
		d.tpl = TemplateOf(d.w.Template)
		if cmd.Kind == Join {
			return d.join()
		}
		me, err := v.Participant(by)
		if errs.Is(err, errs.NotFound) {
			return nil, errNotJoined
		}
		if err != nil {
			return nil, err
		}
		if me.Removed {
			return nil, errRemoved
		}
		d.me, d.fac = me, me.Facilitator()
		if err := d.allowed(); err != nil {
			return nil, err
		}
		fn, ok := deciders[cmd.Kind]
		if !ok {
			return nil, errUnknownKind
		}
		if err := fn(d); err != nil {
			return nil, err
		}
		return d.chg, nil
	}
}

// readsOf returns what the decision of cmd by participant by reads first:
// the participant, and for the commands a room sends most (notes,
// ratings, votes) what their checks read.
func readsOf(cmd Command, by int64) Reads {
	if cmd.Kind == Join {
		return Reads{}
	}
	r := Reads{Participant: by}
	switch cmd.Kind {
	case NoteAdd:
		r.NoteCounts = true
	case NoteEdit, NoteRemove:
		r.Note = cmd.Note
	case RatingSet:
		r.Note, r.RatingStats = cmd.Note, true
	case VoteAdd, VoteRemove:
		r.Votes, r.VoteTotals = true, true
	}
	return r
}

// allowed checks the workshop's state and the stage against the command.
func (d *decision) allowed() error {
	k := d.cmd.Kind
	if d.w.Status == StatusClosed && !(d.fac && k == WorkshopReopen) {
		return errClosed
	}
	if d.fac {
		return nil
	}
	if facilitatorOnly[k] {
		return errFacilitatorOnly
	}
	if d.w.Status != StatusOpen {
		return errNotOpen
	}
	if !d.tpl.Stage(d.w.Stage).Allowed(k) {
		return errWrongStage
	}
	if d.w.StageLocked {
		return errLocked
	}
	if d.w.FacilitatorsCluster && clustering[k] {
		return errs.E(errs.Forbidden, "workshop.cluster_facilitators")
	}
	return nil
}

// clustering are the commands that shape clusters.
var clustering = map[Kind]bool{ClusterMerge: true, ClusterUnmerge: true, ClusterName: true, ClusterGroup: true}

var deciders map[Kind]func(*decision) error

func init() {
	deciders = map[Kind]func(*decision) error{
		NoteAdd: (*decision).noteAdd, NoteEdit: (*decision).noteEdit, NoteRemove: (*decision).noteRemove,
		NoteRestore: (*decision).noteRestore, ClusterMerge: (*decision).clusterMerge,
		ClusterUnmerge: (*decision).clusterUnmerge, ClusterName: (*decision).clusterName,
		RatingSet: (*decision).ratingSet, AxisSet: (*decision).axisSet, ScenarioEdit: (*decision).scenarioEdit,
		VoteAdd: (*decision).voteAdd, VoteRemove: (*decision).voteRemove,
		MilestoneAdd: (*decision).backcastAdd, ActionAdd: (*decision).backcastAdd,
		BackcastRemove: (*decision).backcastRemove,
		WorkshopEdit:   (*decision).workshopEdit, WorkshopOpen: (*decision).status, WorkshopClose: (*decision).status,
		WorkshopReopen: (*decision).status, StageSet: (*decision).stageSet, StageLock: (*decision).stageLock,
		RevealSet: (*decision).reveal, ParticipantRemove: (*decision).participantRemove,
		ParticipantRestore: (*decision).participantRemove, GroupCreate: (*decision).groupCreate,
		GroupAssign: (*decision).groupAssign, GroupQuadrant: (*decision).groupQuadrant,
		GroupsRandom: (*decision).groupsRandom, GroupsPlenary: (*decision).groupsPlenary,
		GroupsApart: (*decision).groupsApart, CodeNew: (*decision).codeNew,
		FacilitatorAdd: (*decision).facilitatorAdd,
		ClusterGroup:   (*decision).clusterGroup, ClusterWho: (*decision).clusterWho,
		ClusterReject: (*decision).clusterReject,
	}
}

// Known reports whether k is a command a request may send.
func Known(k Kind) bool {
	_, ok := deciders[k]
	return ok && k != FacilitatorAdd
}

func (d *decision) seq() int64 { return d.w.Seq }

// note loads a note of this workshop that is not removed.
func (d *decision) note(id int64) (*Note, error) {
	n, err := d.v.Note(id)
	if err != nil {
		return nil, err
	}
	if n.Removed {
		return nil, errs.E(errs.NotFound, "workshop.note_removed")
	}
	if d.w.Apart && !d.fac && n.GroupID != 0 && n.GroupID != d.me.GroupID {
		// Another group's note: unknown while groups work apart.
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return n, nil
}

func (d *decision) mine(by int64) error {
	if d.fac || by == d.me.ID {
		return nil
	}
	return errNotYours
}
