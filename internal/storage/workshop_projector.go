package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PutProjectorLink makes hash the workshop's projector link, replacing
// any link it had (see workshop.Store).
func (s *Workshops) PutProjectorLink(ctx context.Context, wid int64, hash string, by int64, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO workshop_projector_links (workshop_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (workshop_id) DO UPDATE SET token_hash = excluded.token_hash, created_by = excluded.created_by, created_at = excluded.created_at`,
			wid, hash, by, ms(at))
		if err != nil {
			return fmt.Errorf("put projector link: %w", err)
		}
		return nil
	})
}

// DeleteProjectorLink revokes the workshop's projector link, if any.
func (s *Workshops) DeleteProjectorLink(ctx context.Context, wid int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM workshop_projector_links WHERE workshop_id = $1`, wid); err != nil {
			return fmt.Errorf("delete projector link: %w", err)
		}
		return nil
	})
}

// ProjectorLink returns when the workshop's projector link was made; the
// zero time when it has none.
func (s *Workshops) ProjectorLink(ctx context.Context, wid int64) (time.Time, error) {
	var at int64
	err := s.db.ro.QueryRowContext(ctx, `SELECT created_at FROM workshop_projector_links WHERE workshop_id = $1`, wid).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("projector link: %w", err)
	}
	return fromMS(at), nil
}

// WorkshopByProjectorToken returns the workshop whose projector link has
// the token hash; errs.NotFound when none has.
func (s *Workshops) WorkshopByProjectorToken(ctx context.Context, hash string) (int64, error) {
	var wid int64
	err := s.db.ro.QueryRowContext(ctx, `SELECT workshop_id FROM workshop_projector_links WHERE token_hash = $1`, hash).Scan(&wid)
	return wid, notFound("projector link", err)
}
