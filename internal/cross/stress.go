package cross

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// The strategy stress test ("wind tunnelling"): a strategy's goals or
// actions, each judged in each of the cross's four scenarios as robust,
// needing adaptation or failing, by several members; the result shows
// where they agree and which actions hold in all four futures.

// Verdict is how an action fares in one scenario.
type Verdict string

// The verdicts.
const (
	Robust Verdict = "robust"
	Adapt  Verdict = "adapt"
	Fails  Verdict = "fails"
)

// Verdicts lists the verdicts from best to worst.
var Verdicts = []Verdict{Robust, Adapt, Fails}

// Limits of a stress test.
const (
	MaxActions       = 60
	MaxActionLen     = 300
	MaxCommentLen    = 500
	MaxJudgementSize = MaxActions * 4
)

// Action is one goal or action of the strategy under test.
type Action struct {
	ID        int64     `json:"id"`
	CrossID   int64     `json:"-"`
	Position  int       `json:"position"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"-"`
}

// Judgement is one person's verdict on one action in one scenario.
type Judgement struct {
	ActionID  int64     `json:"action_id"`
	Quadrant  int       `json:"quadrant"`
	UserID    int64     `json:"-"`
	UserName  string    `json:"by,omitempty"`
	Verdict   Verdict   `json:"verdict"`
	Comment   string    `json:"comment,omitempty"`
	UpdatedAt time.Time `json:"-"`
}

// StressStore keeps stress tests; each method is one transaction.
type StressStore interface {
	// AddActions appends texts to the cross's actions, skipping those it has.
	AddActions(ctx context.Context, crossID int64, texts []string, at time.Time) error
	// RemoveAction removes an action of the cross with its judgements.
	RemoveAction(ctx context.Context, crossID, actionID int64) error
	// Actions returns the cross's actions in order.
	Actions(ctx context.Context, crossID int64) ([]Action, error)
	// SetJudgements replaces userID's judgements on the cross's actions
	// with js (an empty verdict removes one).
	SetJudgements(ctx context.Context, crossID, userID int64, js []Judgement) error
	// Judgements returns every judgement on the cross's actions.
	Judgements(ctx context.Context, crossID int64) ([]Judgement, error)
}

// StressCell is the judgements of one action in one scenario.
type StressCell struct {
	Quadrant  int
	Counts    map[Verdict]int
	N         int
	Majority  Verdict // the most common verdict ("" with none or a tie)
	Agreement int     // per cent of judges who gave the majority verdict
	Comments  []Judgement
	Mine      Judgement // the viewer's own
}

// StressRow is one action across the four scenarios.
type StressRow struct {
	Action Action
	Cells  [4]StressCell
	Holds  bool // robust by majority in all four scenarios
}

// StressTest is a cross's stress test as one viewer sees it.
type StressTest struct {
	Cross     *Cross
	Rows      []StressRow
	Judges    int  // people who judged anything
	CanEdit   bool // may add and remove actions
	CanJudge  bool // may judge
	ShowNames bool // comments with names: signed-in viewers
}

// Holding returns the actions that hold in all four scenarios.
func (t *StressTest) Holding() []Action {
	var out []Action
	for _, r := range t.Rows {
		if r.Holds {
			out = append(out, r.Action)
		}
	}
	return out
}

// CanJudge: members of the cross's owning and co-organisations, and
// platform admins.
func CanJudge(a *account.Actor, c *Cross) bool {
	if a.IsAdmin() {
		return true
	}
	for _, o := range c.OrgIDs() {
		if a.HasRole(o, account.RoleMember) {
			return true
		}
	}
	return false
}

// ParseActions splits a pasted list into actions: one per line, list
// marks and numbering removed, empty lines skipped.
func ParseActions(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimLeft(l, "-*•–· \t")
		if i := strings.IndexAny(l, ".)"); i > 0 && i <= 3 && strings.Trim(l[:i], "0123456789") == "" {
			l = strings.TrimSpace(l[i+1:])
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// AddActions adds a pasted list of actions to the cross id, as one who
// may edit it: Invalid for an empty list, an action over MaxActionLen or
// more than MaxActions in all; nothing is added then.
func (s *Service) AddActions(ctx context.Context, a *account.Actor, id int64, list string) error {
	c, err := s.Editable(ctx, a, id)
	if err != nil {
		return err
	}
	texts := ParseActions(list)
	if len(texts) == 0 {
		return errs.Fields{"actions": "cross.stress.actions_required"}.Err()
	}
	for _, t := range texts {
		if utf8.RuneCountInString(t) > MaxActionLen || strings.ContainsRune(t, 0) {
			return errs.Fields{"actions": "cross.stress.action_too_long"}.Err()
		}
	}
	have, err := s.stress.Actions(ctx, c.ID)
	if err != nil {
		return err
	}
	if len(have)+len(texts) > MaxActions {
		return errs.Fields{"actions": "cross.stress.too_many"}.Err()
	}
	return s.stress.AddActions(ctx, c.ID, texts, s.now().UTC())
}

// RemoveAction removes an action from the cross id, as one who may edit it.
func (s *Service) RemoveAction(ctx context.Context, a *account.Actor, id, actionID int64) error {
	if _, err := s.Editable(ctx, a, id); err != nil {
		return err
	}
	return s.stress.RemoveAction(ctx, id, actionID)
}

// Judge saves a's judgements on the cross id: Forbidden for one who may
// not judge, Invalid for an unknown action, quadrant or verdict, or a
// comment too long; nothing is saved then.
func (s *Service) Judge(ctx context.Context, a *account.Actor, id int64, js []Judgement) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return err
	}
	if !CanJudge(a, c) {
		return errs.E(errs.Forbidden, "cross.stress.forbidden")
	}
	actions, err := s.stress.Actions(ctx, id)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, ac := range actions {
		known[ac.ID] = true
	}
	if len(js) > MaxJudgementSize {
		return errs.E(errs.Invalid, "cross.stress.invalid")
	}
	now := s.now().UTC()
	for i := range js {
		j := &js[i]
		j.Comment = strings.TrimSpace(j.Comment)
		switch {
		case !known[j.ActionID] || j.Quadrant < 1 || j.Quadrant > 4:
			return errs.E(errs.Invalid, "cross.stress.invalid")
		case j.Verdict != "" && j.Verdict != Robust && j.Verdict != Adapt && j.Verdict != Fails:
			return errs.E(errs.Invalid, "cross.stress.verdict_invalid")
		case utf8.RuneCountInString(j.Comment) > MaxCommentLen || strings.ContainsRune(j.Comment, 0):
			return errs.E(errs.Invalid, "cross.stress.comment_too_long")
		case j.Verdict == "" && j.Comment != "":
			return errs.E(errs.Invalid, "cross.stress.verdict_required")
		}
		j.UserID, j.UpdatedAt = a.UserID(), now
	}
	return s.stress.SetJudgements(ctx, id, a.UserID(), js)
}

// Stress returns the stress test of the cross id as a sees it.
func (s *Service) Stress(ctx context.Context, a *account.Actor, id int64) (*StressTest, error) {
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	actions, err := s.stress.Actions(ctx, id)
	if err != nil {
		return nil, err
	}
	js, err := s.stress.Judgements(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &StressTest{Cross: c, CanEdit: CanEdit(a, c), CanJudge: CanJudge(a, c), ShowNames: a.SignedIn()}
	row := map[int64]int{}
	for i, ac := range actions {
		row[ac.ID] = i
		r := StressRow{Action: ac}
		for q := range r.Cells {
			r.Cells[q] = StressCell{Quadrant: q + 1, Counts: map[Verdict]int{}}
		}
		t.Rows = append(t.Rows, r)
	}
	judges := map[int64]bool{}
	for _, j := range js {
		i, ok := row[j.ActionID]
		if !ok || j.Quadrant < 1 || j.Quadrant > 4 {
			continue
		}
		judges[j.UserID] = true
		cell := &t.Rows[i].Cells[j.Quadrant-1]
		cell.Counts[j.Verdict]++
		cell.N++
		if j.Comment != "" {
			if !t.ShowNames {
				j.UserName = ""
			}
			cell.Comments = append(cell.Comments, j)
		}
		if j.UserID == a.UserID() && a.SignedIn() {
			cell.Mine = j
		}
	}
	t.Judges = len(judges)
	for i := range t.Rows {
		r := &t.Rows[i]
		r.Holds = len(judges) > 0
		for q := range r.Cells {
			cell := &r.Cells[q]
			best, tie := 0, false
			for _, v := range Verdicts {
				switch n := cell.Counts[v]; {
				case n > best:
					best, cell.Majority, tie = n, v, false
				case n == best && n > 0:
					tie = true
				}
			}
			if tie {
				cell.Majority = ""
			}
			if cell.N > 0 {
				cell.Agreement = 100 * best / cell.N
			}
			if cell.Majority != Robust {
				r.Holds = false
			}
		}
	}
	return t, nil
}
