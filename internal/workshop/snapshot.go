package workshop

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Fold replays a workshop's events, from the first, into the board they
// make, as facilitators see it. The event log is the workshop: the board
// at any sequence number – the snapshot at a stage change, say – is the
// fold of the events up to it.
func Fold(evs []*Event) (*Board, error) {
	b := &Board{}
	people, groups, notes, backcast := map[int64]int{}, map[int64]int{}, map[int64]int{}, map[int64]int{}
	axes, scenarios := map[string]int{}, map[int]int{}
	type rkey struct{ note, by int64 }
	type vkey struct {
		by int64
		q  int
	}
	ratings, votes := map[rkey]Rating{}, map[vkey]Vote{}
	var rorder []rkey
	var vorder []vkey
	for _, ev := range evs {
		var d eventData
		if err := json.Unmarshal(ev.Full, &d); err != nil {
			return nil, errs.Wrap(errs.Internal, "error.internal", err)
		}
		if d.Workshop != nil {
			id := b.Workshop.ID
			b.Workshop = *d.Workshop
			if id != 0 {
				b.Workshop.ID = id
			}
		}
		b.Workshop.Seq = ev.Seq
		for _, p := range d.Participants {
			upsert(&b.Participants, people, p.ID, p)
		}
		for _, g := range d.Groups {
			upsert(&b.Groups, groups, g.ID, g)
		}
		for _, n := range d.Notes {
			upsert(&b.Notes, notes, n.ID, n)
		}
		for _, a := range d.Axes {
			upsert(&b.Axes, axes, a.Name, a)
		}
		for _, s := range d.Scenarios {
			upsert(&b.Scenarios, scenarios, s.Quadrant, s)
		}
		for _, it := range d.Backcast {
			upsert(&b.Backcast, backcast, it.ID, it)
		}
		if r := d.Rating; r != nil {
			k := rkey{r.NoteID, r.ParticipantID}
			if _, ok := ratings[k]; !ok {
				rorder = append(rorder, k)
			}
			ratings[k] = *r
		}
		if v := d.Vote; v != nil {
			k := vkey{v.ParticipantID, v.Quadrant}
			if _, ok := votes[k]; !ok {
				vorder = append(vorder, k)
			}
			votes[k] = *v
		}
	}
	b.Ratings, b.Votes = []Rating{}, []Vote{}
	for _, k := range rorder {
		b.Ratings = append(b.Ratings, ratings[k])
	}
	for _, k := range vorder {
		if votes[k].Dots > 0 {
			b.Votes = append(b.Votes, votes[k])
		}
	}
	b.Participants, b.Groups, b.Notes = nonNil(b.Participants), nonNil(b.Groups), nonNil(b.Notes)
	b.Axes, b.Scenarios, b.Backcast = nonNil(b.Axes), nonNil(b.Scenarios), nonNil(b.Backcast)
	slices.SortFunc(b.Scenarios, func(x, y Scenario) int { return cmp.Compare(x.Quadrant, y.Quadrant) })
	slices.SortFunc(b.Axes, func(x, y Axis) int { return cmp.Compare(x.Name, y.Name) })
	b.Template = TemplateOf(b.Workshop.Template)
	return b, nil
}

// upsert replaces the row with key k in rows, or appends it.
func upsert[K comparable, T any](rows *[]T, idx map[K]int, k K, row T) {
	if i, ok := idx[k]; ok {
		(*rows)[i] = row
		return
	}
	idx[k] = len(*rows)
	*rows = append(*rows, row)
}

// Snapshot is the board as it was when the facilitator moved everyone to
// a stage: the fold of the events up to and including that move.
type Snapshot struct {
	Seq   int64     `json:"seq"`
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

// maxFold bounds the events one fold reads (a workshop's whole log is
// far smaller in practice: MaxNotes, MaxBackcast and the rest).
const maxFold = 200000

// Snapshots lists the stage changes of p's workshop, oldest first; for
// facilitators, who see the whole board.
func (s *Service) Snapshots(ctx context.Context, p *Participant) ([]Snapshot, error) {
	if !p.Facilitator() {
		return nil, errFacilitatorOnly
	}
	// The stage changes alone: reading the whole log made every
	// facilitator page as slow as the workshop is long.
	evs, err := s.store.EventsOfKind(ctx, p.WorkshopID, StageSet, maxFold)
	if err != nil {
		return nil, err
	}
	out := []Snapshot{}
	for _, ev := range evs {
		if ev.Kind != StageSet {
			continue
		}
		var d eventData
		if json.Unmarshal(ev.Full, &d) != nil || d.Workshop == nil {
			continue
		}
		out = append(out, Snapshot{Seq: ev.Seq, Stage: TemplateOf(d.Workshop.Template).Stage(d.Workshop.Stage).Key, At: ev.At})
	}
	return out, nil
}

// BoardAt returns the board of p's workshop as it was at sequence seq,
// for a facilitator (NotFound past the log).
func (s *Service) BoardAt(ctx context.Context, p *Participant, seq int64) (*Board, error) {
	if !p.Facilitator() {
		return nil, errFacilitatorOnly
	}
	if seq < 1 {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	evs, err := s.events(ctx, p.WorkshopID, seq)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 || evs[len(evs)-1].Seq != seq {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	b, err := Fold(evs)
	if err != nil {
		return nil, err
	}
	b.Me = p.ID
	b.Stats = aggregate(b.Ratings)
	totals := map[int]int{}
	for _, v := range b.Votes {
		totals[v.Quadrant] += v.Dots
	}
	b.Totals = []VoteTotal{}
	for q := 1; q <= 4; q++ {
		if totals[q] > 0 {
			b.Totals = append(b.Totals, VoteTotal{Quadrant: q, Dots: totals[q]})
		}
	}
	return b, nil
}

// events reads a workshop's log from the start up to seq (0: all).
func (s *Service) events(ctx context.Context, workshopID, upto int64) ([]*Event, error) {
	var out []*Event
	after := int64(0)
	for len(out) < maxFold {
		page, err := s.store.Events(ctx, workshopID, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, ev := range page {
			if upto > 0 && ev.Seq > upto {
				return out, nil
			}
			out = append(out, ev)
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Seq
	}
	return out, nil
}
