package storage

import (
	"context"
	"fmt"

	"github.com/framsyn/framsyn/internal/sitepage"
)

var _ sitepage.Store = (*SitePages)(nil)

// SitePages keeps the site's own pages as platform admins edited them
// (sitepage.Store).
type SitePages struct{ db *DB }

// SitePages returns the store of the site's own pages.
func (db *DB) SitePages() *SitePages { return &SitePages{db: db} }

// SitePage returns the stored page of slug in lang, or NotFound.
func (s *SitePages) SitePage(ctx context.Context, slug, lang string) (*sitepage.Page, error) {
	p := &sitepage.Page{Slug: slug, Lang: lang}
	var updated int64
	err := s.db.ro.QueryRowContext(ctx, `SELECT title, body_md, updated_at, updated_by FROM site_pages WHERE slug = $1 AND lang = $2`,
		slug, lang).Scan(&p.Title, &p.Body, &updated, &p.UpdatedBy)
	if err := notFound("site page", err); err != nil {
		return nil, err
	}
	p.UpdatedAt = fromMS(updated)
	return p, nil
}

// PutSitePage stores p, replacing the page of its slug and language.
func (s *SitePages) PutSitePage(ctx context.Context, p sitepage.Page) error {
	_, err := s.db.rw.ExecContext(ctx, `INSERT INTO site_pages (slug, lang, title, body_md, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (slug, lang) DO UPDATE SET title = excluded.title, body_md = excluded.body_md,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		p.Slug, p.Lang, p.Title, p.Body, ms(p.UpdatedAt), p.UpdatedBy)
	if err != nil {
		return fmt.Errorf("put site page: %w", err)
	}
	return nil
}
