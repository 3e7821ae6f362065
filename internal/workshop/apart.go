package workshop

import (
	"context"
	"encoding/json"
)

// Groups work apart from when the facilitator sends people into groups
// (group.assign, groups.random, groups.move, groups.apart) until they
// bring everyone back: a stage change or groups.plenary. While apart, a
// group's notes (and the clusters and ratings of them) and the scenario of
// its quadrant reach only that group and the facilitators; notes written
// in the plenary reach everyone, and so does everything once gathered.

// Viewer is what one participant may see of group work, kept up to date
// from the events a stream sends them.
type Viewer struct {
	me    int64
	fac   bool
	group int64
	apart bool
	quad  map[int64]int   // group id -> quadrant
	notes map[int64]int64 // note id -> group, of group notes
}

// viewer builds the view of p over board b.
func viewer(p *Participant, b *Board) *Viewer {
	v := &Viewer{me: p.ID, fac: p.Facilitator(), group: p.GroupID, quad: map[int64]int{}, notes: map[int64]int64{}}
	v.track(&b.Workshop, b.Participants, b.Groups, b.Notes)
	return v
}

func (v *Viewer) track(w *Workshop, ps []Participant, gs []Group, ns []Note) {
	if w != nil {
		v.apart = w.Apart
	}
	for _, p := range ps {
		if p.ID == v.me {
			v.group, v.fac = p.GroupID, p.Facilitator()
		}
	}
	for _, g := range gs {
		v.quad[g.ID] = g.Quadrant
	}
	for _, n := range ns {
		if n.GroupID != 0 {
			v.notes[n.ID] = n.GroupID
		}
	}
}

func (v *Viewer) open() bool { return v.fac || !v.apart }

// Note reports whether the viewer sees note n.
func (v *Viewer) Note(n *Note) bool {
	return v.open() || n.GroupID == 0 || n.GroupID == v.group
}

// noteID is Note for a note known by id (a rating's, a cluster's).
func (v *Viewer) noteID(id int64) bool {
	g, ok := v.notes[id]
	return v.open() || !ok || g == v.group
}

// Scenario reports whether the viewer sees quadrant q: hidden when another
// group writes it and the viewer's own group does not.
func (v *Viewer) Scenario(q int) bool {
	if v.open() {
		return true
	}
	other := false
	for g, gq := range v.quad {
		if gq != q {
			continue
		}
		if g == v.group {
			return true
		}
		other = true
	}
	return !other
}

// filter drops from b what the viewer may not see.
func (v *Viewer) filter(b *Board) {
	if v.open() {
		return
	}
	b.Notes = keep(b.Notes, func(n *Note) bool { return v.Note(n) })
	b.Stats = keep(b.Stats, func(s *RatingStats) bool { return v.noteID(s.NoteID) })
	b.Ratings = keep(b.Ratings, func(r *Rating) bool { return v.noteID(r.NoteID) })
	b.Scenarios = keep(b.Scenarios, func(s *Scenario) bool { return v.Scenario(s.Quadrant) })
}

func keep[T any](rows []T, ok func(*T) bool) []T {
	out := rows[:0:0]
	for i := range rows {
		if ok(&rows[i]) {
			out = append(out, rows[i])
		}
	}
	return nonNil(out)
}

// Viewer returns what p may see of group work, for following a stream
// that resumes after seq since: the stream sends every event after it,
// which keeps the view up to date from any board that has every event up
// to since (boardSince).
func (s *Service) Viewer(ctx context.Context, p *Participant, since int64) (*Viewer, error) {
	b, err := s.boardSince(ctx, p.WorkshopID, since)
	if err != nil {
		return nil, err
	}
	return viewer(p, b), nil
}

// touch is what an event changes of group work, read once per event.
type touch struct {
	Workshop     *Workshop     `json:"workshop"`
	Participants []Participant `json:"participants"`
	Groups       []Group       `json:"groups"`
	Notes        []Note        `json:"notes"`
	Scenarios    []Scenario    `json:"scenarios"`
	Stats        []RatingStats `json:"stats"`
	Rating       *Rating       `json:"rating"`
}

func (e *Event) touched() *touch {
	e.touchOnce.Do(func() {
		e.touch = &touch{}
		_ = json.Unmarshal(e.Full, e.touch)
	})
	return e.touch
}

// prepare builds the event's frames and what it touches before streams
// send it, on the goroutine that committed or read it rather than on the
// first stream's: encoding/json there grew a stream's stack from 8 to 16
// KiB, which it then kept while it waited (171 of 200 streams after 20 s
// of a room's load; none with prepare).
func (e *Event) prepare() {
	e.JSON(Everyone)
	e.touched()
}

// JSON returns ev as the viewer may see it: the audience's frame, or,
// when it carries group work hidden from the viewer, a frame with that
// work left out (the sequence number stays, so the stream has no gap).
func (v *Viewer) JSON(ev *Event) []byte {
	t := ev.touched()
	v.track(t.Workshop, t.Participants, t.Groups, t.Notes)
	a := AudienceOf(&Participant{ID: v.me, Role: roleOf(v.fac)}, ev.ParticipantID)
	if v.open() || v.sees(t) {
		return ev.JSON(a)
	}
	data := ev.Full
	switch {
	case a == Author && ev.Own != nil:
		data = ev.Own
	case a == Everyone && ev.Public != nil:
		data = ev.Public
	}
	var d eventData
	if json.Unmarshal(data, &d) != nil {
		d = eventData{}
	}
	d.Notes = keep(d.Notes, func(n *Note) bool { return v.Note(n) })
	d.Scenarios = keep(d.Scenarios, func(s *Scenario) bool { return v.Scenario(s.Quadrant) })
	d.Stats = keep(d.Stats, func(s *RatingStats) bool { return v.noteID(s.NoteID) })
	if d.Rating != nil && !v.noteID(d.Rating.NoteID) {
		d.Rating = nil
	}
	red := &Event{WorkshopID: ev.WorkshopID, Seq: ev.Seq, Kind: ev.Kind, ParticipantID: ev.ParticipantID,
		ClientID: ev.ClientID, Anonymous: ev.Anonymous, At: ev.At}
	red.Full, _ = json.Marshal(d)
	return red.encode(a)
}

func (v *Viewer) sees(t *touch) bool {
	for i := range t.Notes {
		if !v.Note(&t.Notes[i]) {
			return false
		}
	}
	for _, s := range t.Scenarios {
		if !v.Scenario(s.Quadrant) {
			return false
		}
	}
	for _, s := range t.Stats {
		if !v.noteID(s.NoteID) {
			return false
		}
	}
	return t.Rating == nil || v.noteID(t.Rating.NoteID)
}

func roleOf(fac bool) Role {
	if fac {
		return RoleFacilitator
	}
	return RoleParticipant
}
