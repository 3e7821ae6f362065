package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/framsyn/framsyn/internal/audit"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// PutWorks creates (ID 0) and updates works with their revisions and
// search documents in one transaction: all or nothing. A taken slug is a
// Conflict, and so is an update whose Version is not the stored one + 1.
func (ws *Works) PutWorks(ctx context.Context, puts []library.Put) error {
	if len(puts) == 0 {
		return nil
	}
	return ws.db.tx(ctx, func(tx *sql.Tx) error { return ws.putWorks(ctx, tx, puts) })
}

const workInsertCols = `slug, type, title, sort_key, summary, organisation_id, horizon_year, date_ms, language, licence,
	links, experience, attachments, cover_image, visibility, author_id, version, created_at, updated_at, body_md, source, cross_id, date_precision`

// workRow returns the values of workInsertCols.
func workRow(w *library.Work) []any {
	links, _ := json.Marshal(nonNil(w.Links))
	att, _ := json.Marshal(nonNil(w.Attachments))
	exp := ""
	if w.Experience != nil {
		b, _ := json.Marshal(w.Experience)
		exp = string(b)
	}
	return []any{w.Slug, string(w.Type), w.Title, library.TitleKey(w.Title), w.Summary, w.OrganisationID, w.HorizonYear,
		ms(w.Date), w.Language, w.Licence, string(links), exp, string(att), w.CoverImage, string(w.Visibility),
		nullID(w.AuthorID), w.Version, ms(w.CreatedAt), ms(w.UpdatedAt), w.BodyMD, w.Source, nullID(w.CrossID), string(w.DatePrecision)}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (ws *Works) putWorks(ctx context.Context, tx *sql.Tx, puts []library.Put) error {
	var inserts [][]any
	var updated []int64
	bySlug := map[string]*library.Work{}
	for _, p := range puts {
		w := p.Work
		if w.ID != 0 {
			if err := updateWorkRow(ctx, tx, w); err != nil {
				return err
			}
			updated = append(updated, w.ID)
			continue
		}
		bySlug[w.Slug] = w
		inserts = append(inserts, workRow(w))
	}
	err := ws.db.insertMany(ctx, tx, `INSERT INTO works (`+workInsertCols+`)`,
		`($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`, inserts,
		` RETURNING id, slug`, func(rs *sql.Rows) error {
			var id int64
			var slug string
			if err := rs.Scan(&id, &slug); err != nil {
				return err
			}
			bySlug[slug].ID = id
			return nil
		})
	if isUnique(err) {
		return errs.Wrap(errs.Conflict, "library.slug_taken", err)
	}
	if err != nil {
		return fmt.Errorf("put works: %w", err)
	}
	for _, del := range []string{`DELETE FROM work_orgs WHERE work_id IN (IDS)`,
		`DELETE FROM work_contacts WHERE work_id IN (IDS)`, `DELETE FROM work_tags WHERE work_id IN (IDS)`} {
		if err := ws.db.execIn(ctx, tx, del, updated); err != nil {
			return fmt.Errorf("put works: %w", err)
		}
	}
	var orgs, contacts, tags, revs [][]any
	docs := make([]search.Document, 0, len(puts))
	for _, p := range puts {
		w := p.Work
		for i, o := range w.OrgIDs() {
			orgs = append(orgs, []any{w.ID, o, i == 0, i})
		}
		for i, c := range w.ContactIDs {
			contacts = append(contacts, []any{w.ID, c, i})
		}
		for i, m := range w.Methods {
			tags = append(tags, []any{w.ID, "method", m, tagNorm(m), i})
		}
		for i, t := range w.Themes {
			tags = append(tags, []any{w.ID, "theme", t, tagNorm(t), i})
		}
		if r := p.Revision; r != nil {
			r.WorkID = w.ID
			revs = append(revs, []any{w.ID, r.Version, nullID(r.UserID), ms(r.CreatedAt),
				strings.Join(r.Changed, ","), r.RestoredFrom, string(r.Snapshot)})
		}
		docs = append(docs, w.SearchDocument())
	}
	steps := []struct {
		head, tmpl string
		rows       [][]any
	}{
		{`INSERT INTO work_orgs (work_id, organisation_id, owner, position)`, `($1, $2, $3, $4)`, orgs},
		{`INSERT INTO work_contacts (work_id, contact_id, position)`, `($1, $2, $3)`, contacts},
		{`INSERT INTO work_tags (work_id, kind, value, norm, position)`, `($1, $2, $3, $4, $5)`, tags},
		{`INSERT INTO work_revisions (work_id, version, user_id, created_at, changed, restored_from, snapshot)`,
			`($1, $2, $3, $4, $5, $6, $7)`, revs},
	}
	for _, s := range steps {
		if err := ws.db.insertMany(ctx, tx, s.head, s.tmpl, s.rows, ``, nil); err != nil {
			if isUnique(err) {
				return errs.Wrap(errs.Conflict, "library.edited_meanwhile", err)
			}
			return fmt.Errorf("put works: %w", err)
		}
	}
	return ws.db.putSearchDocs(ctx, tx, docs)
}

// updateWorkRow saves a work's row if its stored version is w.Version-1.
func updateWorkRow(ctx context.Context, tx *sql.Tx, w *library.Work) error {
	v := workRow(w)
	var was string
	if err := tx.QueryRowContext(ctx, `SELECT visibility FROM works WHERE id = $1`, w.ID).Scan(&was); err != nil {
		return notFound("update work", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE works SET slug = $1, type = $2, title = $3, sort_key = $4, summary = $5,
		organisation_id = $6, horizon_year = $7, date_ms = $8, language = $9, licence = $10, links = $11,
		experience = $12, attachments = $13, cover_image = $14, visibility = $15, author_id = $16, version = $17,
		updated_at = $18, body_md = $19, source = $20, cross_id = $21, date_precision = $22 WHERE id = $23 AND version = $24`,
		append(append(v[:17:17], v[18:]...), w.ID, w.Version-1)...)
	if isUnique(err) {
		return errs.Wrap(errs.Conflict, "library.slug_taken", err)
	}
	if err != nil {
		return fmt.Errorf("update work: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if was == string(w.Visibility) {
			return nil
		}
		return writeAudit(ctx, tx, ms(w.UpdatedAt), "work.visibility", audit.KindWork, w.ID,
			fmt.Sprintf("visibility: %s→%s", was, w.Visibility))
	}
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM works WHERE id = $1`, w.ID).Scan(&one); err != nil {
		return notFound("update work", err)
	}
	return errs.E(errs.Conflict, "library.edited_meanwhile")
}

// yearMS returns the start of a year in Unix ms.
func yearMS(year int) int64 {
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
}
