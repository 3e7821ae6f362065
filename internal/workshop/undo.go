package workshop

import (
	"context"
	"encoding/json"

	"github.com/framsyn/framsyn/internal/errs"
)

// Undo reverts a facilitator's last action of a reversible kind.
const Undo Kind = "workshop.undo"

// undoable are the facilitator actions an undo reverts.
var undoable = map[Kind]bool{ParticipantRemove: true, ParticipantRestore: true, GroupAssign: true,
	GroupsRandom: true, GroupsPlenary: true, ClusterMerge: true, ClusterUnmerge: true, StageSet: true,
	ClusterGroup: true}

// Undo reverts the last action of p's workshop's facilitators when it is
// of a reversible kind (a removal, a move, a merge, a stage change): the
// rows it changed go back to what they were before it, as a new event;
// history is never deleted. A second undo in a row is a conflict.
func (s *Service) Undo(ctx context.Context, p *Participant, clientID string) (*Event, error) {
	if !p.Facilitator() {
		return nil, errFacilitatorOnly
	}
	if !validClientID(clientID) {
		return nil, errs.E(errs.Invalid, "workshop.client_id_invalid")
	}
	evs, err := s.events(ctx, p.WorkshopID, 0)
	if err != nil {
		return nil, err
	}
	before, err := Fold(evs)
	if err != nil {
		return nil, err
	}
	fac := map[int64]bool{}
	for _, q := range before.Participants {
		fac[q.ID] = q.Role == RoleFacilitator
	}
	last := -1
	for i := len(evs) - 1; i >= 0; i-- {
		if fac[evs[i].ParticipantID] && evs[i].Kind != Join {
			last = i
			break
		}
	}
	if last < 0 || !undoable[evs[last].Kind] {
		return nil, errs.E(errs.Conflict, "workshop.nothing_to_undo")
	}
	if before, err = Fold(evs[:last]); err != nil {
		return nil, err
	}
	var d eventData
	if err := json.Unmarshal(evs[last].Full, &d); err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", err)
	}
	chg := &Change{}
	for _, q := range d.Participants {
		for _, o := range before.Participants {
			if o.ID == q.ID {
				o.WorkshopID = p.WorkshopID
				chg.Participants = append(chg.Participants, o)
			}
		}
	}
	for _, n := range d.Notes {
		for _, o := range before.Notes {
			if o.ID == n.ID {
				chg.Notes = append(chg.Notes, o)
			}
		}
	}
	ev, replayed, err := s.apply(ctx, p.WorkshopID, p.ID, clientID, Undo, Reads{}, func(v View) (*Change, error) {
		w := v.Workshop()
		if w.Seq-1 != evs[len(evs)-1].Seq {
			// Something happened since: decide again on what is there now.
			return nil, errs.E(errs.Conflict, "workshop.undo_moved")
		}
		if d.Workshop != nil {
			ow := *w
			ow.Stage, ow.StageLocked, ow.StageEndsAt, ow.Apart = before.Workshop.Stage, before.Workshop.StageLocked,
				before.Workshop.StageEndsAt, before.Workshop.Apart
			chg.Workshop = &ow
		}
		return chg, nil
	})
	if err != nil {
		return nil, err
	}
	if !replayed {
		s.published(ctx, ev)
	}
	return ev, nil
}
