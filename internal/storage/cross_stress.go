package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/cross"
)

// The crosses' stress tests: actions and judgements (cross.StressStore).

var _ cross.StressStore = (*Crosses)(nil)

// AddActions appends actions to a cross, skipping texts it has.
func (s *Crosses) AddActions(ctx context.Context, crossID int64, texts []string, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM cross_actions WHERE cross_id = $1`, crossID).Scan(&pos); err != nil {
			return fmt.Errorf("add actions: %w", err)
		}
		for _, t := range texts {
			pos++
			if _, err := tx.ExecContext(ctx, `INSERT INTO cross_actions (cross_id, position, text, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (cross_id, text) DO NOTHING`, crossID, pos, t, ms(at)); err != nil {
				return fmt.Errorf("add actions: %w", err)
			}
		}
		return nil
	})
}

// RemoveAction removes an action of a cross (its judgements go with it).
func (s *Crosses) RemoveAction(ctx context.Context, crossID, actionID int64) error {
	res, err := s.db.rw.ExecContext(ctx, `DELETE FROM cross_actions WHERE id = $1 AND cross_id = $2`, actionID, crossID)
	return mustAffect("remove action", res, err)
}

// Actions returns a cross's actions in order.
func (s *Crosses) Actions(ctx context.Context, crossID int64) ([]cross.Action, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT id, cross_id, position, text, created_at FROM cross_actions WHERE cross_id = $1
		ORDER BY position, id LIMIT $2`, crossID, cross.MaxActions*2)
	return collect("actions", rows, err, func(r scanner) (*cross.Action, error) {
		var a cross.Action
		var at int64
		if err := r.Scan(&a.ID, &a.CrossID, &a.Position, &a.Text, &at); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMS(at)
		return &a, nil
	})
}

// SetJudgements replaces a user's judgements on a cross's actions.
func (s *Crosses) SetJudgements(ctx context.Context, crossID, userID int64, js []cross.Judgement) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cross_judgements WHERE user_id = $1
			AND action_id IN (SELECT id FROM cross_actions WHERE cross_id = $2)`, userID, crossID); err != nil {
			return fmt.Errorf("judgements: %w", err)
		}
		for _, j := range js {
			if j.Verdict == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cross_judgements (action_id, quadrant, user_id, verdict, comment, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, j.ActionID, j.Quadrant, userID, string(j.Verdict), j.Comment, ms(j.UpdatedAt)); err != nil {
				return fmt.Errorf("judgements: %w", err)
			}
		}
		return nil
	})
}

// Judgements returns every judgement on a cross's actions, with names.
func (s *Crosses) Judgements(ctx context.Context, crossID int64) ([]cross.Judgement, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT j.action_id, j.quadrant, j.user_id, u.name, j.verdict, j.comment, j.updated_at
		FROM cross_judgements j JOIN cross_actions a ON a.id = j.action_id JOIN users u ON u.id = j.user_id
		WHERE a.cross_id = $1 ORDER BY a.position, j.quadrant, j.updated_at LIMIT $2`, crossID, cross.MaxActions*4*200)
	return collect("judgements", rows, err, func(r scanner) (*cross.Judgement, error) {
		var j cross.Judgement
		var at int64
		if err := r.Scan(&j.ActionID, &j.Quadrant, &j.UserID, &j.UserName, &j.Verdict, &j.Comment, &at); err != nil {
			return nil, err
		}
		j.UpdatedAt = fromMS(at)
		return &j, nil
	})
}
