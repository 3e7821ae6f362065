package workshop

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
)

// Seed is what a workshop made from a scenario cross starts with: the
// cross's axes and scenarios, and the stage to begin at, so a region can
// run a cross again with its own people.
type Seed struct {
	Axes      []Axis     // "x" and "y", with Label, Low and High
	Scenarios []Scenario // quadrants 1–4
	Stage     string     // a stage of the template, e.g. "scenarios" or "backcasting"
}

// CreateSeeded makes a workshop as Create does, then loads the seed as
// its facilitator would (one command per axis and scenario) and moves it
// to the seed's stage. Texts longer than the board takes are cut, ending
// in "…", and everything is checked before the workshop is made, so the
// board takes every command; only an outage between them can leave a
// draft workshop with part of the cross.
func (s *Service) CreateSeeded(ctx context.Context, a *account.Actor, in Workshop, seed Seed) (*Workshop, error) {
	tpl, ok := Templates[in.Template]
	if in.Template == "" {
		tpl, ok = ScenarioCross, true
	}
	if !ok {
		return nil, invalid("template", "workshop.template_unknown")
	}
	if tpl.StageIndex(seed.Stage) < 0 {
		return nil, invalid("stage", "workshop.stage_unknown")
	}
	var cmds []Command
	for _, ax := range seed.Axes {
		if ax.Name != "x" && ax.Name != "y" {
			return nil, invalid("axis", "workshop.axis_invalid")
		}
		cmds = append(cmds, Command{Kind: AxisSet, Axis: ax.Name, Text: cut(ax.Label, MaxShort), Low: cut(ax.Low, MaxShort), High: cut(ax.High, MaxShort)})
	}
	for _, sc := range seed.Scenarios {
		if err := quadrant(sc.Quadrant); err != nil {
			return nil, err
		}
		cmds = append(cmds, Command{Kind: ScenarioEdit, Quadrant: sc.Quadrant, Name: cut(sc.Name, MaxShort),
			Story: cut(sc.Story, MaxStory), Life: cut(sc.Life, MaxParagraph), Signs: cut(sc.Signs, MaxParagraph)})
	}
	cmds = append(cmds, Command{Kind: StageSet, Stage: seed.Stage})
	w, err := s.Create(ctx, a, in)
	if err != nil {
		return nil, err
	}
	// The seed goes in through the facilitator's own commands (the board's
	// one path for changes, with its events and streams), so it cannot
	// share the creating transaction: a command that fails takes the new
	// workshop back, and nothing of it is left.
	if err := s.seed(ctx, a, w.ID, cmds); err != nil {
		if derr := s.store.DeleteWorkshop(context.WithoutCancel(ctx), w.ID); derr != nil {
			s.log.Error("workshop: a half-seeded workshop was not taken back", "workshop", w.ID, "err", derr)
		}
		// SQLite may give its id to the next workshop, which must not
		// meet this one's board.
		s.boards.forget(w.ID)
		return nil, err
	}
	return s.store.Workshop(ctx, w.ID)
}

// seed applies cmds as the facilitator a of the new workshop id.
func (s *Service) seed(ctx context.Context, a *account.Actor, id int64, cmds []Command) error {
	host, err := s.store.ParticipantByUser(ctx, id, a.UserID())
	if err != nil {
		return err
	}
	for i, cmd := range cmds {
		cmd.ClientID = "seed-" + strconv.FormatInt(id, 36) + "-" + strconv.Itoa(i)
		if _, err := s.Do(ctx, host, cmd); err != nil {
			return err
		}
	}
	return nil
}

// cut shortens s to at most n characters, ending in "…" when cut.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}
