package workshop

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// A command decided under the workshop's lock waits for the database
// twice while it holds it: once for what the decision reads, once for the
// writes and the commit (on PostgreSQL two round trips, see
// storage.applyPipelined). The service keeps each workshop's last board,
// folding into it every change this instance commits, so it can decide a
// command ahead, against the board at seq n, and save it in one round
// trip that first checks the workshop is still at n (Store.ApplyDecided).
// When it is not (another instance or another command came first), or the
// board is not known, or the decision refuses (a resend must be told
// apart from a refusal under the lock), the command is decided again under
// the lock as before. What a decision reads ahead is what it would read
// under the lock: the board folded from the changes is the board the store
// holds at the same seq (every change to a board is a command's event, and
// its Change is what the store writes), and boardView answers as the
// store's view does (TestBoardView_AsTheStore, the fold check of the
// service tests).

// NewEvent is the event of a change decided at seq (the seq the command
// takes) by participant by; the stores and the service build it alike.
func NewEvent(workshopID, seq int64, kind Kind, by int64, clientID string, at time.Time, ch *Change) (*Event, error) {
	ev := &Event{WorkshopID: workshopID, Seq: seq, Kind: kind, ParticipantID: by, ClientID: clientID, At: at.UTC().Truncate(time.Millisecond)}
	if ch.By != 0 {
		ev.ParticipantID = ch.By
	}
	if err := ch.Encode(ev); err != nil {
		return nil, err
	}
	return ev, nil
}

// BoardView is the View a command decided at b's seq + 1 and at time now
// reads: b (unredacted, as Store.Board returns it) as the store would
// answer it under the lock. b must not change while the view is used.
func BoardView(b *Board, now time.Time) View {
	w := b.Workshop
	w.Seq++
	w.UpdatedAt = msTime(now)
	return &boardView{b: b, w: w} // Workshop hands out copies, never w
}

type boardView struct {
	b *Board
	w Workshop
}

var errViewNotFound = errs.E(errs.NotFound, "error.not_found")

func (v *boardView) Workshop() *Workshop {
	c := v.w
	c.RejectedProposals = slices.Clone(v.w.RejectedProposals)
	return &c
}

// find returns a copy of the first element of xs that ok accepts.
func find[T any](xs []T, ok func(*T) bool) (*T, error) {
	for i := range xs {
		if ok(&xs[i]) {
			c := xs[i]
			return &c, nil
		}
	}
	return nil, errViewNotFound
}

func filter[T any](xs []T, ok func(*T) bool) []T {
	out := []T{}
	for i := range xs {
		if ok(&xs[i]) {
			out = append(out, xs[i])
		}
	}
	return out
}

func (v *boardView) Participant(id int64) (*Participant, error) {
	return find(v.b.Participants, func(p *Participant) bool { return p.ID == id })
}

func (v *boardView) ParticipantByUser(userID int64) (*Participant, error) {
	return find(v.b.Participants, func(p *Participant) bool { return userID != 0 && p.UserID == userID })
}

func (v *boardView) Participants() ([]Participant, error) {
	return filter(v.b.Participants, func(*Participant) bool { return true }), nil
}

func (v *boardView) Group(id int64) (*Group, error) {
	return find(v.b.Groups, func(g *Group) bool { return g.ID == id })
}

func (v *boardView) Groups() ([]Group, error) {
	return filter(v.b.Groups, func(*Group) bool { return true }), nil
}

func (v *boardView) Note(id int64) (*Note, error) {
	return find(v.b.Notes, func(n *Note) bool { return n.ID == id })
}

func (v *boardView) ClusterMembers(id int64) ([]Note, error) {
	return filter(v.b.Notes, func(n *Note) bool { return n.ClusterID == id }), nil
}

func (v *boardView) NoteCounts(by int64) (mine, all int, err error) {
	for i := range v.b.Notes {
		if v.b.Notes[i].ParticipantID == by {
			mine++
		}
	}
	return mine, len(v.b.Notes), nil
}

func (v *boardView) RatingStats(noteID, except int64) (RatingStats, error) {
	st := RatingStats{NoteID: noteID}
	for _, r := range v.b.Ratings {
		if r.NoteID == noteID && r.ParticipantID != except {
			st.N++
			st.ImpactSum += r.Impact
			st.UncertaintySum += r.Uncertainty
		}
	}
	return st, nil
}

func (v *boardView) AllRatingStats() ([]RatingStats, error) { return aggregate(v.b.Ratings), nil }

func (v *boardView) Votes(by int64) ([]Vote, error) {
	return filter(v.b.Votes, func(x *Vote) bool { return x.ParticipantID == by }), nil
}

func (v *boardView) VoteTotals() ([]VoteTotal, error) { return voteTotals(v.b.Votes), nil }

func (v *boardView) Scenario(q int) (*Scenario, error) {
	return find(v.b.Scenarios, func(s *Scenario) bool { return s.Quadrant == q })
}

func (v *boardView) Backcast(id int64) (*BackcastItem, error) {
	return find(v.b.Backcast, func(it *BackcastItem) bool { return it.ID == id })
}

func (v *boardView) BackcastCount() (int, error) { return len(v.b.Backcast), nil }

// voteTotals sums the dots per quadrant, in quadrant order, leaving out
// quadrants without dots (the board's totals, and the store's view).
func voteTotals(vs []Vote) []VoteTotal {
	var sum [5]int
	for _, v := range vs {
		if v.Quadrant >= 1 && v.Quadrant <= 4 {
			sum[v.Quadrant] += v.Dots
		}
	}
	out := []VoteTotal{}
	for q := 1; q <= 4; q++ {
		if sum[q] > 0 {
			out = append(out, VoteTotal{Quadrant: q, Dots: sum[q]})
		}
	}
	return out
}

// msTime is t as the store keeps it: to the millisecond, in UTC, the zero
// time for none.
func msTime(t time.Time) time.Time {
	if t.IsZero() || t.UnixMilli() == 0 {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// folded returns b with the change of ev applied as the store writes it
// (storage.changeWrites and the lock's update of the workshop row): rows
// upserted by key, keeping on update the columns the store keeps, and in
// the order the store's Board reads them. b is not changed: the new board
// shares the rows the change does not touch, and copies the others.
func folded(b *Board, ev *Event, ch *Change) *Board {
	c := *b
	n := &c
	n.Stats, n.Totals = nil, nil
	if len(ch.Participants) > 0 {
		n.Participants = slices.Clone(n.Participants)
	}
	if len(ch.Groups) > 0 {
		n.Groups = slices.Clone(n.Groups)
	}
	if len(ch.Notes) > 0 {
		n.Notes = slices.Clone(n.Notes)
	}
	if len(ch.Axes) > 0 {
		n.Axes = slices.Clone(n.Axes)
	}
	if len(ch.Scenarios) > 0 {
		n.Scenarios = slices.Clone(n.Scenarios)
	}
	if len(ch.Backcast) > 0 {
		n.Backcast = slices.Clone(n.Backcast)
	}
	if ch.Rating != nil {
		n.Ratings = slices.Clone(n.Ratings)
	}
	if ch.Vote != nil {
		n.Votes = slices.Clone(n.Votes)
	}
	if w := ch.Workshop; w != nil {
		o := &n.Workshop
		o.Title, o.FocalQuestion, o.HorizonYear, o.Stage = w.Title, w.FocalQuestion, w.HorizonYear, w.Stage
		o.StageLocked, o.StageEndsAt, o.Revealed, o.DotBudget = w.StageLocked, msTime(w.StageEndsAt), w.Revealed, w.DotBudget
		o.Status, o.Apart, o.Code, o.FacilitatorsCluster = w.Status, w.Apart, w.Code, w.FacilitatorsCluster
		o.RejectedProposals = strings.Fields(strings.Join(w.RejectedProposals, " "))
	}
	n.Workshop.Seq, n.Workshop.UpdatedAt = ev.Seq, msTime(ev.At)
	for _, p := range ch.Participants {
		p.WorkshopID = b.Workshop.ID
		p.JoinedAt = msTime(p.JoinedAt)
		n.Participants = upsertKept(n.Participants, p, func(x *Participant) bool { return x.ID == p.ID }, func(old *Participant) {
			old.Nickname, old.Role, old.GroupID, old.Removed = p.Nickname, p.Role, p.GroupID, p.Removed
		}, func(a, b Participant) int { return cmp.Compare(a.ID, b.ID) })
	}
	for _, g := range ch.Groups {
		n.Groups = upsertKept(n.Groups, g, func(x *Group) bool { return x.ID == g.ID }, func(old *Group) {
			old.Name, old.Quadrant = g.Name, g.Quadrant
		}, func(a, b Group) int { return cmp.Compare(a.ID, b.ID) })
	}
	for _, x := range ch.Notes {
		x.CreatedAt = msTime(x.CreatedAt)
		n.Notes = upsertKept(n.Notes, x, func(o *Note) bool { return o.ID == x.ID }, func(old *Note) {
			old.GroupID, old.STEEP, old.Text, old.ClusterID, old.ClusterName, old.Removed = x.GroupID, x.STEEP, x.Text, x.ClusterID, x.ClusterName, x.Removed
		}, func(a, b Note) int { return cmp.Compare(a.ID, b.ID) })
	}
	for _, a := range ch.Axes {
		n.Axes = upsertKept(n.Axes, a, func(o *Axis) bool { return o.Name == a.Name }, func(old *Axis) {
			old.NoteID, old.Label, old.Low, old.High = a.NoteID, a.Label, a.Low, a.High
		}, func(a, b Axis) int { return cmp.Compare(a.Name, b.Name) })
	}
	for _, s := range ch.Scenarios {
		n.Scenarios = upsertKept(n.Scenarios, s, func(o *Scenario) bool { return o.Quadrant == s.Quadrant }, func(old *Scenario) {
			old.Name, old.Story, old.Life, old.Signs, old.UpdatedBy = s.Name, s.Story, s.Life, s.Signs, s.UpdatedBy
		}, func(a, b Scenario) int { return cmp.Compare(a.Quadrant, b.Quadrant) })
	}
	for _, it := range ch.Backcast {
		n.Backcast = upsertKept(n.Backcast, it, func(o *BackcastItem) bool { return o.ID == it.ID }, func(old *BackcastItem) {
			old.Text, old.Owner, old.Year, old.Removed = it.Text, it.Owner, it.Year, it.Removed
		}, func(a, b BackcastItem) int { return cmp.Or(cmp.Compare(b.Year, a.Year), cmp.Compare(a.ID, b.ID)) })
	}
	if r := ch.Rating; r != nil {
		n.Ratings = upsertKept(n.Ratings, *r, func(o *Rating) bool { return o.NoteID == r.NoteID && o.ParticipantID == r.ParticipantID },
			func(old *Rating) { old.Impact, old.Uncertainty = r.Impact, r.Uncertainty },
			func(a, b Rating) int {
				return cmp.Or(cmp.Compare(a.NoteID, b.NoteID), cmp.Compare(a.ParticipantID, b.ParticipantID))
			})
	}
	if v := ch.Vote; v != nil {
		same := func(o *Vote) bool { return o.ParticipantID == v.ParticipantID && o.Quadrant == v.Quadrant }
		if v.Dots <= 0 {
			n.Votes = slices.DeleteFunc(n.Votes, func(o Vote) bool { return same(&o) })
		} else {
			n.Votes = upsertKept(n.Votes, *v, same, func(old *Vote) { old.Dots = v.Dots },
				func(a, b Vote) int {
					return cmp.Or(cmp.Compare(a.ParticipantID, b.ParticipantID), cmp.Compare(a.Quadrant, b.Quadrant))
				})
		}
	}
	return n
}

// upsertKept updates the element of xs that is x's (same), or adds x in the
// order by sorts; xs is the fold's own copy.
func upsertKept[T any](xs []T, x T, same func(*T) bool, update func(*T), by func(a, b T) int) []T {
	for i := range xs {
		if same(&xs[i]) {
			update(&xs[i])
			slices.SortStableFunc(xs, by) // an update may move it (a backcast item's year)
			return xs
		}
	}
	xs = append(xs, x)
	slices.SortStableFunc(xs, by)
	return xs
}
