package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
)

var _ post.Store = (*Posts)(nil)

// Posts keeps organisations' activity posts with their search documents
// (post.Store).
type Posts struct{ db *DB }

const postSelect = `SELECT p.id, p.organisation_id, COALESCE(p.author_id, 0), p.body_md, p.visibility, p.created_at, p.updated_at,
	o.slug, o.name, o.public, COALESCE(u.name, ''), p.source, p.date_ms, p.date_precision
	FROM posts p JOIN organisations o ON o.id = p.organisation_id LEFT JOIN users u ON u.id = p.author_id`

func scanPost(row interface{ Scan(...any) error }) (*post.Post, error) {
	var p post.Post
	var c, u, d int64
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.AuthorID, &p.Body, &p.Visibility, &c, &u,
		&p.OrgSlug, &p.OrgName, &p.OrgPublic, &p.AuthorName, &p.Source, &d, &p.DatePrecision); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt, p.Date = fromMS(c), fromMS(u), fromMS(d)
	return &p, nil
}

// CreatePost inserts a post with its search document.
func (s *Posts) CreatePost(ctx context.Context, p *post.Post) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO posts (organisation_id, author_id, visibility, created_at, updated_at, body_md, source, date_ms, date_precision)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.OrganisationID, nullID(p.AuthorID), string(p.Visibility), ms(p.CreatedAt), ms(p.UpdatedAt), p.Body, p.Source,
			ms(p.Date), string(postPrecision(p))).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("create post: %w", err)
		}
		return s.indexPosts(ctx, tx, `p.id = $1`, p.ID)
	})
}

// postPrecision is the precision a post is stored with: unknown when it
// has no date.
func postPrecision(p *post.Post) library.DatePrecision {
	if p.Date.IsZero() || p.DatePrecision == "" {
		return library.DateUnknown
	}
	return p.DatePrecision
}

// UpdatePost saves a post's body, visibility and date with its search
// document.
func (s *Posts) UpdatePost(ctx context.Context, p *post.Post) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE posts SET body_md = $1, visibility = $2, updated_at = $3, date_ms = $4, date_precision = $5 WHERE id = $6`,
			p.Body, string(p.Visibility), ms(p.UpdatedAt), ms(p.Date), string(postPrecision(p)), p.ID)
		if err := mustAffect("update post", res, err); err != nil {
			return err
		}
		return s.indexPosts(ctx, tx, `p.id = $1`, p.ID)
	})
}

// DeletePost removes a post and its search document.
func (s *Posts) DeletePost(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.db.deleteSearchDocs(ctx, tx, post.Kind, []int64{id}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE id = $1`, id)
		return mustAffect("delete post", res, err)
	})
}

// indexPosts puts the search documents of the posts matching where,
// inside the caller's transaction: after a post is written, and after its
// organisation's public flag may have changed.
func (s *Posts) indexPosts(ctx context.Context, tx queryer, where string, args ...any) error {
	posts, err := queryPosts(ctx, tx, postSelect+` WHERE `+where, args...)
	if err != nil {
		return err
	}
	if len(posts) == 0 {
		return nil
	}
	docs := make([]search.Document, len(posts))
	for i := range posts {
		docs[i] = posts[i].SearchDocument()
	}
	return s.db.putSearchDocs(ctx, tx, docs)
}

// OrganisationsChanged keeps posts' search documents in step with their
// organisations, as an OrgHook: re-put after a profile change, since a
// post's scope follows its organisation's public flag; removed before the
// organisations go.
func (s *Posts) OrganisationsChanged(ctx context.Context, tx *sql.Tx, orgIDs []int64, deleted bool) error {
	var a sqlArgs
	in := a.in(orgIDs)
	if !deleted {
		return s.indexPosts(ctx, tx, `p.organisation_id IN (`+in+`)`, a...)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = `+a.add(post.Kind)+`
		AND ref_id IN (SELECT id FROM posts WHERE organisation_id IN (`+in+`))`, a...)
	if err != nil {
		return fmt.Errorf("delete posts' documents: %w", err)
	}
	return nil
}

// Post returns a post with its organisation and author.
func (s *Posts) Post(ctx context.Context, id int64) (*post.Post, error) {
	p, err := scanPost(s.db.ro.QueryRowContext(ctx, postSelect+` WHERE p.id = $1`, id))
	if err != nil {
		return nil, notFound("post", err)
	}
	return p, nil
}

// PostsByID returns the posts among ids, in the order of ids.
func (s *Posts) PostsByID(ctx context.Context, ids []int64) ([]post.Post, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	posts, err := queryPosts(ctx, s.db.ro, postSelect+` WHERE p.id IN (`+a.in(ids)+`)`, a...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]post.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	out := make([]post.Post, 0, len(posts))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
			delete(byID, id)
		}
	}
	return out, nil
}

// ListPosts returns the posts q.Viewer may see, newest (or with Recent,
// last changed) first. The rule is post.CanSee: the post's visibility,
// and for a hidden organisation its membership.
func (s *Posts) ListPosts(ctx context.Context, q post.ListQuery) ([]post.Post, error) {
	var a sqlArgs
	where := []string{}
	if q.OrganisationID != 0 {
		where = append(where, `p.organisation_id = `+a.add(q.OrganisationID))
	}
	if v := q.Viewer; !v.All {
		if v.SignedIn {
			where = append(where, `p.visibility IN ('public', 'network')`)
		} else {
			where = append(where, `p.visibility = 'public'`)
		}
		org := `o.public = ` + a.add(true)
		if len(v.Members) > 0 {
			org += ` OR p.organisation_id IN (` + a.in(v.Members) + `)`
		}
		where = append(where, `(`+org+`)`)
	}
	col := `p.created_at`
	if q.Recent {
		col = `p.updated_at` // feeds: a post made public later is news then
	}
	if !q.Before.IsZero() {
		b := a.add(ms(q.Before))
		where = append(where, `(`+col+` < `+b+` OR (`+col+` = `+b+` AND p.id < `+a.add(q.BeforeID)+`))`)
	}
	query := postSelect
	for i, w := range where {
		if i == 0 {
			query += ` WHERE ` + w
		} else {
			query += ` AND ` + w
		}
	}
	query += ` ORDER BY ` + col + ` DESC, p.id DESC LIMIT ` + a.add(max(q.Limit, 1))
	return queryPosts(ctx, s.db.ro, query, a...)
}

func queryPosts(ctx context.Context, q queryer, query string, args ...any) ([]post.Post, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return collect("posts", rows, err, scanPost)
}

// OrgRefs returns the organisations among ids: id, slug, name, public.
func (s *Posts) OrgRefs(ctx context.Context, ids []int64) ([]post.OrgRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	rows, err := s.db.ro.QueryContext(ctx, `SELECT id, slug, name, public FROM organisations WHERE id IN (`+a.in(ids)+`)`, a...)
	return collect("organisation refs", rows, err, func(r scanner) (*post.OrgRef, error) {
		var o post.OrgRef
		return &o, r.Scan(&o.ID, &o.Slug, &o.Name, &o.Public)
	})
}
