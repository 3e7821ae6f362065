package workshop

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// join adds a participant: a guest with a nickname and a token hash, or a
// user under their own name (numbered when another has it).
func (d *decision) join() (*Change, error) {
	switch d.w.Status {
	case StatusClosed:
		return nil, errClosed
	case StatusDraft:
		return nil, errNotOpen
	}
	ps, err := d.v.Participants()
	if err != nil {
		return nil, err
	}
	in := 0
	for i := range ps {
		if !ps[i].Removed {
			in++
		}
	}
	if in >= MaxParticipants {
		return nil, errs.E(errs.Conflict, "workshop.full")
	}
	taken := map[string]bool{}
	for i := range ps {
		if d.cmd.user != 0 && ps[i].UserID == d.cmd.user {
			return nil, errs.E(errs.Conflict, "workshop.already_joined")
		}
		taken[ps[i].Key()] = true
	}
	p := Participant{ID: d.seq(), WorkshopID: d.w.ID, UserID: d.cmd.user, Role: RoleParticipant,
		TokenHash: d.cmd.tokenHash, JoinedAt: d.now}
	if d.cmd.user == 0 {
		if p.Nickname, err = CleanNickname(d.cmd.Name); err != nil {
			return nil, err
		}
		if taken[NicknameKey(p.Nickname)] {
			return nil, invalid("nickname", "workshop.nickname_taken")
		}
	} else {
		p.Nickname = uniqueName(d.cmd.Name, taken)
	}
	d.chg.Participants = []Participant{p}
	d.chg.By = p.ID
	return d.chg, nil
}

// uniqueName numbers a user's name when it looks like one already there.
func uniqueName(name string, taken map[string]bool) string {
	if n, err := cleanText("name", name, MaxNickname, false, false); err == nil {
		name = n
	} else {
		name = "?"
	}
	out := name
	for i := 2; taken[NicknameKey(out)] && i < MaxParticipants+2; i++ {
		out = name + " " + strconv.Itoa(i)
	}
	return out
}

// facilitatorAdd makes a user a co-facilitator, joining them if needed.
func (d *decision) facilitatorAdd() error {
	p, err := d.v.ParticipantByUser(d.cmd.user)
	switch {
	case errs.Is(err, errs.NotFound):
		ps, err := d.v.Participants()
		if err != nil {
			return err
		}
		taken := map[string]bool{}
		for i := range ps {
			taken[ps[i].Key()] = true
		}
		p = &Participant{ID: d.seq(), WorkshopID: d.w.ID, UserID: d.cmd.user, JoinedAt: d.now,
			Nickname: uniqueName(d.cmd.Name, taken)}
	case err != nil:
		return err
	}
	p.Role, p.Removed = RoleFacilitator, false
	d.chg.Participants = []Participant{*p}
	return nil
}

func (d *decision) workshopEdit() error {
	w := *d.w
	var err error
	if w.Title, err = cleanText("title", d.cmd.Name, MaxTitle, false, false); err != nil {
		return err
	}
	if w.FocalQuestion, err = cleanText("question", d.cmd.Text, MaxQuestion, true, false); err != nil {
		return err
	}
	if err := horizon(d.cmd.Year, d.now); err != nil {
		return err
	}
	w.HorizonYear = d.cmd.Year
	if d.cmd.Budget < 1 || d.cmd.Budget > MaxDotBudget {
		return invalid("budget", "workshop.budget_range")
	}
	w.DotBudget = d.cmd.Budget
	d.chg.Workshop = &w
	return nil
}

func horizon(year int, now time.Time) error {
	if year <= now.Year() || year > now.Year()+200 {
		return invalid("horizon", "workshop.horizon_range")
	}
	return nil
}

func (d *decision) status() error {
	from, to := StatusDraft, StatusOpen
	switch d.cmd.Kind {
	case WorkshopClose:
		from, to = StatusOpen, StatusClosed
	case WorkshopReopen:
		from = StatusClosed
	}
	if d.w.Status != from && !(d.cmd.Kind == WorkshopClose && d.w.Status == StatusDraft) {
		return errs.E(errs.Conflict, "workshop.status_conflict")
	}
	w := *d.w
	w.Status = to
	d.chg.Workshop = &w
	return nil
}

// stageSet moves everyone to a stage, unlocked, with an optional
// countdown in seconds.
func (d *decision) stageSet() error {
	i := d.tpl.StageIndex(d.cmd.Stage)
	if i < 0 {
		return invalid("stage", "workshop.stage_unknown")
	}
	if d.cmd.Seconds < 0 || d.cmd.Seconds > MaxStageSeconds {
		return invalid("seconds", "workshop.seconds_range")
	}
	w := *d.w
	w.Stage, w.StageLocked, w.StageEndsAt, w.Apart = i, false, time.Time{}, false
	if d.cmd.Seconds > 0 {
		w.StageEndsAt = d.now.Add(time.Duration(d.cmd.Seconds) * time.Second).Truncate(time.Millisecond)
	}
	d.chg.Workshop = &w
	return nil
}

func (d *decision) stageLock() error {
	w := *d.w
	w.StageLocked = d.cmd.On
	d.chg.Workshop = &w
	return nil
}

// reveal shows (or hides again) the ratings' and votes' aggregates; the
// event carries them so every board updates at once.
func (d *decision) reveal() error {
	w := *d.w
	w.Revealed = d.cmd.On
	d.chg.Workshop = &w
	if !w.Revealed {
		return nil
	}
	var err error
	if d.chg.Stats, err = d.v.AllRatingStats(); err != nil {
		return err
	}
	if d.chg.Totals, err = d.v.VoteTotals(); err != nil {
		return err
	}
	d.chg.Public = true
	return nil
}

// participantRemove removes a participant (their token stops working and
// their streams close) or restores one; what they wrote stays.
func (d *decision) participantRemove() error {
	p, err := d.v.Participant(d.cmd.Participant)
	if err != nil {
		return err
	}
	if p.ID == d.me.ID {
		return errs.E(errs.Conflict, "workshop.remove_self")
	}
	p.Removed = d.cmd.Kind == ParticipantRemove
	d.chg.Participants = []Participant{*p}
	return nil
}

func (d *decision) groupCreate() error {
	gs, err := d.v.Groups()
	if err != nil {
		return err
	}
	if len(gs) >= MaxGroups {
		return errs.E(errs.Conflict, "workshop.too_many_groups")
	}
	g := Group{ID: d.seq()}
	if g.Name, err = cleanText("name", d.cmd.Name, MaxGroupName, false, false); err != nil {
		return err
	}
	if d.cmd.Quadrant != 0 {
		if err := quadrant(d.cmd.Quadrant); err != nil {
			return err
		}
		g.Quadrant = d.cmd.Quadrant
	}
	d.chg.Groups = []Group{g}
	return nil
}

// groupAssign moves participants (Participant, and any of Participants)
// into a group, or to the plenary (0), in one event.
func (d *decision) groupAssign() error {
	ids := d.cmd.Participants
	if d.cmd.Participant != 0 {
		ids = append([]int64{d.cmd.Participant}, ids...)
	}
	if len(ids) == 0 || len(ids) > MaxParticipants {
		return invalid("participant", "workshop.participants_invalid")
	}
	if d.cmd.Group != 0 {
		if _, err := d.v.Group(d.cmd.Group); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := d.v.Participant(id)
		if err != nil {
			return err
		}
		p.GroupID = d.cmd.Group
		d.chg.Participants = append(d.chg.Participants, *p)
	}
	d.setApart(true)
	return nil
}

// codeNew gives the workshop a new join code; the old one stops working.
func (d *decision) codeNew() error {
	w := *d.w
	w.Code = NewCode()
	d.chg.Workshop = &w
	return nil
}

// setApart starts or ends groups working apart.
func (d *decision) setApart(on bool) {
	if d.w.Apart == on {
		return
	}
	w := *d.w
	w.Apart = on
	d.chg.Workshop = &w
}

// groupsApart sends the groups to work apart again (On) or gathers them.
func (d *decision) groupsApart() error {
	d.setApart(d.cmd.On)
	return nil
}

func (d *decision) groupQuadrant() error {
	g, err := d.v.Group(d.cmd.Group)
	if err != nil {
		return err
	}
	if d.cmd.Quadrant != 0 {
		if err := quadrant(d.cmd.Quadrant); err != nil {
			return err
		}
	}
	g.Quadrant = d.cmd.Quadrant
	d.chg.Groups = []Group{*g}
	return nil
}

// groupsRandom shares the participants (not facilitators) out over the
// existing groups at random, as evenly as they go.
func (d *decision) groupsRandom() error {
	gs, err := d.v.Groups()
	if err != nil {
		return err
	}
	if len(gs) == 0 {
		return errs.E(errs.Conflict, "workshop.no_groups")
	}
	ps, err := d.v.Participants()
	if err != nil {
		return err
	}
	var people []Participant
	for _, p := range ps {
		if !p.Removed && p.Role == RoleParticipant {
			people = append(people, p)
		}
	}
	rand.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	for i := range people {
		people[i].GroupID = gs[i%len(gs)].ID
	}
	d.chg.Participants = people
	d.setApart(true)
	return nil
}

// groupsPlenary brings everyone back to the whole room.
func (d *decision) groupsPlenary() error {
	ps, err := d.v.Participants()
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.GroupID != 0 {
			p.GroupID = 0
			d.chg.Participants = append(d.chg.Participants, p)
		}
	}
	d.setApart(false)
	return nil
}
