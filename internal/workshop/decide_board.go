package workshop

import (
	"slices"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"golang.org/x/text/unicode/norm"
)

func (d *decision) noteAdd() error {
	text, err := cleanText("text", d.cmd.Text, MaxNote, true, false)
	if err != nil {
		return err
	}
	if !validSTEEP(d.cmd.STEEP) {
		return invalid("steep", "workshop.steep_invalid")
	}
	if mine, all, err := d.v.NoteCounts(d.me.ID); err != nil {
		return err
	} else if mine >= MaxNotesPerPerson || all >= MaxNotes {
		return errs.E(errs.Conflict, "workshop.too_many_notes")
	}
	d.chg.Notes = []Note{{ID: d.seq(), ParticipantID: d.me.ID, GroupID: d.me.GroupID, STEEP: d.cmd.STEEP,
		Text: text, CreatedAt: d.now}}
	return nil
}

func (d *decision) noteEdit() error {
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	if err := d.mine(n.ParticipantID); err != nil {
		return err
	}
	if n.Text, err = cleanText("text", d.cmd.Text, MaxNote, true, false); err != nil {
		return err
	}
	if !validSTEEP(d.cmd.STEEP) {
		return invalid("steep", "workshop.steep_invalid")
	}
	n.STEEP = d.cmd.STEEP
	d.chg.Notes = []Note{*n}
	return nil
}

// noteRemove hides a note (the author's own, or any for a facilitator);
// notes merged into it leave the cluster. NoteRestore undoes it.
func (d *decision) noteRemove() error {
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	if err := d.mine(n.ParticipantID); err != nil {
		return err
	}
	n.Removed = true
	d.chg.Notes = []Note{*n}
	return nil
}

func (d *decision) noteRestore() error {
	n, err := d.v.Note(d.cmd.Note)
	if err != nil {
		return err
	}
	n.Removed = false
	d.chg.Notes = []Note{*n}
	return nil
}

// clusterMerge puts a note, and any notes merged into it, into the
// cluster of another note.
func (d *decision) clusterMerge() error {
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	into, err := d.note(d.cmd.Into)
	if err != nil {
		return err
	}
	root := into.ID
	if into.ClusterID != 0 {
		root = into.ClusterID
	}
	if n.ID == root || n.ClusterID == root {
		return errs.E(errs.Conflict, "workshop.already_merged")
	}
	members, err := d.v.ClusterMembers(n.ID)
	if err != nil {
		return err
	}
	n.ClusterID, n.ClusterName = root, ""
	d.chg.Notes = append(d.chg.Notes, *n)
	for _, m := range members {
		m.ClusterID = root
		d.chg.Notes = append(d.chg.Notes, m)
	}
	return nil
}

// MaxGroupNotes bounds the notes one cluster.group puts together.
const MaxGroupNotes = 200

// clusterGroup puts the selected notes (and the notes merged into them)
// into one cluster: the first selected cluster, else the first note,
// holds it; a name given names it.
func (d *decision) clusterGroup() error {
	if len(d.cmd.Notes) < 2 {
		return invalid("notes", "workshop.cluster_pick_two")
	}
	if len(d.cmd.Notes) > MaxGroupNotes {
		return invalid("notes", "workshop.cluster_too_many")
	}
	var picked []*Note
	seen := map[int64]bool{}
	for _, id := range d.cmd.Notes {
		n, err := d.note(id)
		if err != nil {
			return err
		}
		if n.ClusterID != 0 {
			// A member stands for its cluster.
			if n, err = d.note(n.ClusterID); err != nil {
				return err
			}
		}
		if !seen[n.ID] {
			seen[n.ID] = true
			picked = append(picked, n)
		}
	}
	if len(picked) < 2 {
		return errs.E(errs.Conflict, "workshop.already_merged")
	}
	root := picked[0]
	for _, n := range picked {
		if n.ClusterName != "" {
			root = n
			break
		}
	}
	name, err := cleanText("name", d.cmd.Name, MaxShort, false, true)
	if err != nil {
		return err
	}
	if name != "" {
		root.ClusterName = name
	}
	d.chg.Notes = append(d.chg.Notes, *root)
	for _, n := range picked {
		if n.ID == root.ID {
			continue
		}
		members, err := d.v.ClusterMembers(n.ID)
		if err != nil {
			return err
		}
		n.ClusterID, n.ClusterName = root.ID, ""
		d.chg.Notes = append(d.chg.Notes, *n)
		for _, m := range members {
			m.ClusterID = root.ID
			d.chg.Notes = append(d.chg.Notes, m)
		}
	}
	return nil
}

// clusterWho keeps clustering to facilitators (On) or opens it to all.
func (d *decision) clusterWho() error {
	if d.w.FacilitatorsCluster == d.cmd.On {
		return nil
	}
	w := *d.w
	w.FacilitatorsCluster = d.cmd.On
	d.chg.Workshop = &w
	return nil
}

func (d *decision) clusterUnmerge() error {
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	if n.ClusterID == 0 {
		return errs.E(errs.Conflict, "workshop.not_merged")
	}
	n.ClusterID = 0
	d.chg.Notes = []Note{*n}
	return nil
}

func (d *decision) clusterName() error {
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	if n.ClusterID != 0 {
		if n, err = d.note(n.ClusterID); err != nil {
			return err
		}
	}
	if n.ClusterName, err = cleanText("name", d.cmd.Name, MaxShort, false, true); err != nil {
		return err
	}
	d.chg.Notes = []Note{*n}
	return nil
}

func scale(field string, v int) error {
	if v < 1 || v > 5 {
		return invalid(field, "workshop.rating_range")
	}
	return nil
}

// ratingSet records a participant's impact and uncertainty for a note (a
// second rating replaces the first). Others learn only that someone
// rated, and the aggregate when ratings are revealed.
func (d *decision) ratingSet() error {
	if err := scale("impact", d.cmd.Impact); err != nil {
		return err
	}
	if err := scale("uncertainty", d.cmd.Uncertainty); err != nil {
		return err
	}
	n, err := d.note(d.cmd.Note)
	if err != nil {
		return err
	}
	if n.ClusterID != 0 {
		return errs.E(errs.Conflict, "workshop.rate_cluster")
	}
	st, err := d.v.RatingStats(n.ID, d.me.ID)
	if err != nil {
		return err
	}
	st.NoteID = n.ID
	st.N++
	st.ImpactSum += d.cmd.Impact
	st.UncertaintySum += d.cmd.Uncertainty
	d.chg.Rating = &Rating{NoteID: n.ID, ParticipantID: d.me.ID, Impact: d.cmd.Impact, Uncertainty: d.cmd.Uncertainty}
	d.chg.Stats, d.chg.Public, d.chg.Anonymous = []RatingStats{st}, d.w.Revealed, true
	return nil
}

func (d *decision) axisSet() error {
	if d.cmd.Axis != "x" && d.cmd.Axis != "y" {
		return invalid("axis", "workshop.axis_invalid")
	}
	a := Axis{Name: d.cmd.Axis}
	if d.cmd.Note != 0 {
		n, err := d.note(d.cmd.Note)
		if err != nil {
			return err
		}
		a.NoteID = n.ID
	}
	var err error
	if a.Label, err = cleanText("text", d.cmd.Text, MaxShort, false, true); err != nil {
		return err
	}
	if a.Low, err = cleanText("low", d.cmd.Low, MaxShort, false, true); err != nil {
		return err
	}
	if a.High, err = cleanText("high", d.cmd.High, MaxShort, false, true); err != nil {
		return err
	}
	d.chg.Axes = []Axis{a}
	return nil
}

func quadrant(q int) error {
	if q < 1 || q > 4 {
		return invalid("quadrant", "workshop.quadrant_invalid")
	}
	return nil
}

// scenarioEdit saves one quadrant's texts. A quadrant given to a group is
// written by that group (and facilitators) only.
func (d *decision) scenarioEdit() error {
	q := d.cmd.Quadrant
	if err := quadrant(q); err != nil {
		return err
	}
	if !d.fac {
		groups, err := d.v.Groups()
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.Quadrant == q && g.ID != d.me.GroupID {
				return errs.E(errs.Forbidden, "workshop.other_group")
			}
		}
	}
	s := Scenario{Quadrant: q, UpdatedBy: d.me.ID}
	if b := d.cmd.Base; b != nil {
		// Concurrent writing: merge the edit into the text as it is now.
		cur, err := d.v.Scenario(q)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		if cur == nil || err != nil {
			cur = &Scenario{}
		}
		for _, f := range []struct {
			field               string
			base, edit, current string
			dst                 *string
		}{{"name", b.Name, d.cmd.Name, cur.Name, &d.cmd.Name}, {"story", b.Story, d.cmd.Story, cur.Story, &d.cmd.Story},
			{"life", b.Life, d.cmd.Life, cur.Life, &d.cmd.Life}, {"signs", b.Signs, d.cmd.Signs, cur.Signs, &d.cmd.Signs}} {
			// A form sends its lines with CR LF; the texts are kept with LF.
			merged, ok := Merge3(lf(f.base), lf(f.edit), f.current)
			if !ok {
				return &errs.Error{Kind: errs.Conflict, Key: "workshop.merge_conflict", Fields: errs.Fields{f.field: "workshop.merge_conflict"}}
			}
			*f.dst = merged
		}
	}
	var err error
	if s.Name, err = cleanText("name", d.cmd.Name, MaxShort, false, true); err != nil {
		return err
	}
	if s.Story, err = cleanText("story", d.cmd.Story, MaxStory, true, true); err != nil {
		return err
	}
	if s.Life, err = cleanText("life", d.cmd.Life, MaxParagraph, true, true); err != nil {
		return err
	}
	if s.Signs, err = cleanText("signs", d.cmd.Signs, MaxParagraph, true, true); err != nil {
		return err
	}
	d.chg.Scenarios = []Scenario{s}
	return nil
}

// voteAdd puts one dot on a scenario, within the dot budget. Votes are
// anonymous; totals go to everyone only when revealed.
func (d *decision) voteAdd() error    { return d.vote(+1) }
func (d *decision) voteRemove() error { return d.vote(-1) }

func (d *decision) vote(delta int) error {
	q := d.cmd.Quadrant
	if err := quadrant(q); err != nil {
		return err
	}
	votes, err := d.v.Votes(d.me.ID)
	if err != nil {
		return err
	}
	used, here := 0, 0
	for _, v := range votes {
		used += v.Dots
		if v.Quadrant == q {
			here = v.Dots
		}
	}
	if delta > 0 && used >= d.w.DotBudget {
		return errs.E(errs.Conflict, "workshop.vote_budget")
	}
	if delta < 0 && here == 0 {
		return errs.E(errs.Conflict, "workshop.no_vote")
	}
	totals, err := d.v.VoteTotals()
	if err != nil {
		return err
	}
	total := VoteTotal{Quadrant: q, Dots: delta}
	for _, t := range totals {
		if t.Quadrant == q {
			total.Dots += t.Dots
		}
	}
	d.chg.Vote = &Vote{ParticipantID: d.me.ID, Quadrant: q, Dots: here + delta}
	d.chg.Totals, d.chg.Public, d.chg.Anonymous = []VoteTotal{total}, d.w.Revealed, true
	return nil
}

// backcastAdd adds a milestone (a year between now and the horizon) or an
// action under a milestone.
func (d *decision) backcastAdd() error {
	item := BackcastItem{ID: d.seq(), ParticipantID: d.me.ID, Kind: Milestone}
	var err error
	if item.Text, err = cleanText("text", d.cmd.Text, MaxNote, true, false); err != nil {
		return err
	}
	if item.Owner, err = cleanText("owner", d.cmd.Owner, MaxShort, false, true); err != nil {
		return err
	}
	if d.cmd.Kind == ActionAdd {
		parent, err := d.v.Backcast(d.cmd.Item)
		if err != nil {
			return err
		}
		if parent.Removed || parent.Kind != Milestone {
			return errs.E(errs.NotFound, "workshop.milestone_missing")
		}
		item.Kind, item.ParentID, item.Year = Action, parent.ID, parent.Year
	} else {
		if d.cmd.Year < d.now.Year() || d.cmd.Year > d.w.HorizonYear {
			return invalid("year", "workshop.year_range")
		}
		item.Year = d.cmd.Year
	}
	if n, err := d.v.BackcastCount(); err != nil {
		return err
	} else if n >= MaxBackcast {
		return errs.E(errs.Conflict, "workshop.too_many_items")
	}
	d.chg.Backcast = []BackcastItem{item}
	return nil
}

func (d *decision) backcastRemove() error {
	item, err := d.v.Backcast(d.cmd.Item)
	if err != nil {
		return err
	}
	if item.Removed {
		return errs.E(errs.NotFound, "error.not_found")
	}
	if err := d.mine(item.ParticipantID); err != nil {
		return err
	}
	item.Removed = true
	d.chg.Backcast = []BackcastItem{*item}
	return nil
}

// lf turns CR LF line breaks into LF and the text into NFC, as the
// stored texts are (cleanText).
func lf(s string) string {
	return norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
}

// maxRejected bounds the rejected proposals a workshop keeps (the oldest
// go first).
const maxRejected = 200

// clusterReject keeps a proposed cluster (the notes of cmd.Notes) from
// being proposed again, on every device and after a reload.
func (d *decision) clusterReject() error {
	if len(d.cmd.Notes) < 2 {
		return invalid("notes", "workshop.cluster_pick_two")
	}
	if len(d.cmd.Notes) > MaxGroupNotes {
		return invalid("notes", "workshop.cluster_too_many")
	}
	for _, id := range d.cmd.Notes {
		if _, err := d.note(id); err != nil {
			return err
		}
	}
	key := ProposalKey(d.cmd.Notes)
	if slices.Contains(d.w.RejectedProposals, key) {
		return nil
	}
	w := *d.w
	w.RejectedProposals = append(slices.Clone(d.w.RejectedProposals), key)
	if n := len(w.RejectedProposals); n > maxRejected {
		w.RejectedProposals = w.RejectedProposals[n-maxRejected:]
	}
	d.chg.Workshop = &w
	return nil
}
