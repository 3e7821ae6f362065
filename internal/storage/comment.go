package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/comment"
)

var _ comment.Store = (*Comments)(nil)

// Comments keeps the comments of every kind (comment.Store).
type Comments struct{ db *DB }

// Comments returns the comments' adapter.
func (db *DB) Comments() *Comments { return &Comments{db: db} }

const commentSelect = `SELECT c.id, c.kind, c.target_id, COALESCE(c.parent_id, 0), COALESCE(c.author_id, 0), COALESCE(u.name, ''),
	c.body_md, c.created_at, c.edited_at, c.deleted, c.hidden_reason, COALESCE(h.name, '')
	FROM comments c LEFT JOIN users u ON u.id = c.author_id LEFT JOIN users h ON h.id = c.hidden_by`

func scanComment(row scanner) (*comment.Comment, error) {
	var c comment.Comment
	var at, ed int64
	if err := row.Scan(&c.ID, &c.Kind, &c.TargetID, &c.ParentID, &c.AuthorID, &c.AuthorName, &c.Body, &at, &ed, &c.Deleted,
		&c.HiddenReason, &c.HiddenBy); err != nil {
		return nil, err
	}
	c.CreatedAt, c.EditedAt = fromMS(at), fromMS(ed)
	return &c, nil
}

// CreateComment inserts a comment.
func (s *Comments) CreateComment(ctx context.Context, c *comment.Comment) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO comments (kind, target_id, parent_id, author_id, body_md, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.Kind, c.TargetID, nullID(c.ParentID), nullID(c.AuthorID), c.Body, ms(c.CreatedAt)).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("create comment: %w", err)
		}
		return nil
	})
}

// Comment returns one comment.
func (s *Comments) Comment(ctx context.Context, id int64) (*comment.Comment, error) {
	c, err := scanComment(s.db.ro.QueryRowContext(ctx, commentSelect+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, notFound("comment", err)
	}
	return c, nil
}

// Thread returns a target's comments, oldest first.
func (s *Comments) Thread(ctx context.Context, kind string, targetID int64, limit int) ([]comment.Comment, error) {
	rows, err := s.db.ro.QueryContext(ctx, commentSelect+` WHERE c.kind = $1 AND c.target_id = $2 ORDER BY c.id LIMIT $3`, kind, targetID, limit)
	return collect("comments", rows, err, scanComment)
}

// UpdateBody saves an edit.
func (s *Comments) UpdateBody(ctx context.Context, id int64, body string, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET body_md = $1, edited_at = $2 WHERE id = $3`, body, ms(at), id)
		return mustAffect("edit comment", res, err)
	})
}

// Delete removes a comment, or empties it into a stub when it has replies.
func (s *Comments) Delete(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("delete comment: %w", err)
		}
		if n > 0 {
			res, err := tx.ExecContext(ctx, `UPDATE comments SET deleted = $1, body_md = '' WHERE id = $2`, true, id)
			return mustAffect("delete comment", res, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE id = $1`, id)
		return mustAffect("delete comment", res, err)
	})
}

// Hide hides a comment with a reason.
func (s *Comments) Hide(ctx context.Context, id, by int64, reason string) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET hidden_reason = $1, hidden_by = $2 WHERE id = $3`, reason, nullID(by), id)
		return mustAffect("hide comment", res, err)
	})
}
