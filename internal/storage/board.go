package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

var _ board.Store = (*Board)(nil)

// Board keeps the collaboration board (board.Store).
type Board struct{ db *DB }

// Board returns the board's adapter.
func (db *DB) Board() *Board { return &Board{db: db} }

const boardSelect = `SELECT b.id, b.organisation_id, COALESCE(b.author_id, 0), b.kind, b.topic, b.title, b.body_md, b.visibility, b.status,
	b.source, b.created_at, b.updated_at, o.slug, o.name, o.public
	FROM board_posts b JOIN organisations o ON o.id = b.organisation_id`

func scanBoardPost(row scanner) (*board.Post, error) {
	var p board.Post
	var c, u int64
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.AuthorID, &p.Kind, &p.Topic, &p.Title, &p.Body, &p.Visibility, &p.Status,
		&p.Source, &c, &u, &p.OrgSlug, &p.OrgName, &p.OrgPublic); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMS(c), fromMS(u)
	return &p, nil
}

func (s *Board) index(ctx context.Context, q queryer, id int64) error {
	p, err := scanBoardPost(q.QueryRowContext(ctx, boardSelect+` WHERE b.id = $1`, id))
	if err != nil {
		return notFound("board post", err)
	}
	return s.db.putSearchDocs(ctx, q, []search.Document{p.SearchDocument()})
}

// CreatePost inserts a post with its document.
func (s *Board) CreatePost(ctx context.Context, p *board.Post) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO board_posts (organisation_id, author_id, kind, topic, title, body_md, visibility, status, source, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, p.OrganisationID, nullID(p.AuthorID), p.Kind, p.Topic, p.Title, p.Body,
			p.Visibility, p.Status, p.Source, ms(p.CreatedAt), ms(p.UpdatedAt)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("create board post: %w", err)
		}
		return s.index(ctx, tx, p.ID)
	})
}

// Post returns a post with its interests.
func (s *Board) Post(ctx context.Context, id int64) (*board.Post, error) {
	p, err := scanBoardPost(s.db.ro.QueryRowContext(ctx, boardSelect+` WHERE b.id = $1`, id))
	if err != nil {
		return nil, notFound("board post", err)
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT i.id, i.post_id, i.organisation_id, COALESCE(i.user_id, 0), i.message, i.chosen, i.created_at,
		o.name, o.slug, COALESCE(u.name, '') FROM board_interests i JOIN organisations o ON o.id = i.organisation_id
		LEFT JOIN users u ON u.id = i.user_id WHERE i.post_id = $1 ORDER BY i.id LIMIT 500`, id)
	p.Interests, err = collect("board interests", rows, err, func(r scanner) (*board.Interest, error) {
		var i board.Interest
		var c int64
		err := r.Scan(&i.ID, &i.PostID, &i.OrganisationID, &i.UserID, &i.Message, &i.Chosen, &c, &i.OrgName, &i.OrgSlug, &i.UserName)
		i.CreatedAt = fromMS(c)
		return &i, err
	})
	return p, err
}

// OrganisationsChanged re-puts the search documents of orgIDs' posts, as
// an OrgHook: a post's scope follows its organisation's public flag, so a
// network post of an organisation made hidden is no longer found by the
// network at large (and found again when it is made public).
func (s *Board) OrganisationsChanged(ctx context.Context, tx *sql.Tx, orgIDs []int64, deleted bool) error {
	var a sqlArgs
	in := a.in(orgIDs)
	if deleted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = `+a.add(board.Kind)+`
			AND ref_id IN (SELECT id FROM board_posts WHERE organisation_id IN (`+in+`))`, a...); err != nil {
			return fmt.Errorf("delete board posts' documents: %w", err)
		}
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM board_posts WHERE organisation_id IN (`+in+`) ORDER BY id`, a...)
	return indexEach(ctx, tx, "board posts of organisations", rows, err, s.index)
}

// PostsByID returns the posts among ids.
func (s *Board) PostsByID(ctx context.Context, ids []int64) ([]board.Post, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	rows, err := s.db.ro.QueryContext(ctx, boardSelect+` WHERE b.id IN (`+a.in(ids)+`)`, a...)
	return collect("board posts", rows, err, scanBoardPost)
}

// ListPosts returns the posts q.Viewer may see, newest first.
func (s *Board) ListPosts(ctx context.Context, q board.Query) ([]board.Post, error) {
	var a sqlArgs
	var where []string
	if v := q.Viewer; !v.All {
		vis := `b.visibility = 'public'`
		if v.SignedIn {
			vis = `b.visibility IN ('public', 'network')`
		}
		cond := `(` + vis + ` AND o.public = ` + a.add(true) + `)`
		if len(v.Members) > 0 {
			cond += ` OR (` + vis + ` AND b.organisation_id IN (` + a.in(v.Members) + `))`
		}
		where = append(where, `(`+cond+`)`)
	}
	for col, v := range map[string]string{"b.kind": q.Kind, "b.topic": q.Topic, "b.status": q.Status} {
		if v != "" {
			where = append(where, col+` = `+a.add(v))
		}
	}
	if q.OrganisationID != 0 {
		where = append(where, `b.organisation_id = `+a.add(q.OrganisationID))
	}
	if q.BeforeID != 0 {
		where = append(where, `b.id < `+a.add(q.BeforeID))
	}
	query := boardSelect
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := s.db.ro.QueryContext(ctx, query+` ORDER BY b.id DESC LIMIT `+a.add(max(q.Limit, 1)), a...)
	return collect("board posts", rows, err, scanBoardPost)
}

// AddInterest inserts an interest; one per organisation and post.
func (s *Board) AddInterest(ctx context.Context, i *board.Interest) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO board_interests (post_id, organisation_id, user_id, message, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (post_id, organisation_id) DO NOTHING`, i.PostID, i.OrganisationID, nullID(i.UserID), i.Message, ms(i.CreatedAt))
		if err != nil {
			return fmt.Errorf("add interest: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "board.already_interested")
		}
		return nil
	})
}

// Choose marks a partner and an open post matched, together.
func (s *Board) Choose(ctx context.Context, postID, interestID int64, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE board_interests SET chosen = $1 WHERE id = $2 AND post_id = $3`, true, interestID, postID)
		if err := mustAffect("choose partner", res, err); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE board_posts SET status = CASE WHEN status = 'open' THEN 'matched' ELSE status END, updated_at = $1 WHERE id = $2`,
			ms(at), postID); err != nil {
			return fmt.Errorf("choose partner: %w", err)
		}
		return s.index(ctx, tx, postID)
	})
}

// SetStatus sets a post's status.
func (s *Board) SetStatus(ctx context.Context, postID int64, status string, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE board_posts SET status = $1, updated_at = $2 WHERE id = $3`, status, ms(at), postID)
		if err := mustAffect("board status", res, err); err != nil {
			return err
		}
		return s.index(ctx, tx, postID)
	})
}
