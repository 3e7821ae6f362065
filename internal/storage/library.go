package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

var _ library.Store = (*Works)(nil)

// Works keeps the library: works, their revisions and references
// (library.Store).
type Works struct{ db *DB }

// Search searches the index, for library.Store.
func (ws *Works) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return ws.db.Search().Search(ctx, q)
}

const workCols = `w.id, w.slug, w.type, w.title, w.summary, w.organisation_id, w.horizon_year, w.date_ms,
	w.language, w.licence, w.links, w.experience, w.attachments, w.cover_image, w.visibility,
	COALESCE(w.author_id, 0), w.version, w.created_at, w.updated_at, w.body_md, w.source, COALESCE(w.cross_id, 0), w.date_precision`

func scanWork(row interface{ Scan(...any) error }) (*library.Work, error) {
	var w library.Work
	var date, c, u int64
	var links, exp, att string
	if err := row.Scan(&w.ID, &w.Slug, &w.Type, &w.Title, &w.Summary, &w.OrganisationID, &w.HorizonYear, &date,
		&w.Language, &w.Licence, &links, &exp, &att, &w.CoverImage, &w.Visibility,
		&w.AuthorID, &w.Version, &c, &u, &w.BodyMD, &w.Source, &w.CrossID, &w.DatePrecision); err != nil {
		return nil, err
	}
	w.Date, w.CreatedAt, w.UpdatedAt = fromMS(date), fromMS(c), fromMS(u)
	if err := json.Unmarshal([]byte(links), &w.Links); err != nil {
		return nil, fmt.Errorf("work %d links: %w", w.ID, err)
	}
	if err := json.Unmarshal([]byte(att), &w.Attachments); err != nil {
		return nil, fmt.Errorf("work %d attachments: %w", w.ID, err)
	}
	if exp != "" {
		w.Experience = &library.ExperienceReport{}
		if err := json.Unmarshal([]byte(exp), w.Experience); err != nil {
			return nil, fmt.Errorf("work %d experience: %w", w.ID, err)
		}
	}
	return &w, nil
}

// CreateWork inserts a work with its first revision and search document.
func (ws *Works) CreateWork(ctx context.Context, w *library.Work, rev *library.Revision) error {
	return ws.PutWorks(ctx, []library.Put{{Work: w, Revision: rev}})
}

// UpdateWork saves a new version of a work with its revision and search
// document; a stored version other than w.Version-1 is a Conflict.
func (ws *Works) UpdateWork(ctx context.Context, w *library.Work, rev *library.Revision) error {
	if w.ID == 0 {
		return errs.E(errs.NotFound, "error.not_found")
	}
	return ws.PutWorks(ctx, []library.Put{{Work: w, Revision: rev}})
}

// DeleteWork removes a work with its revisions and search document.
func (ws *Works) DeleteWork(ctx context.Context, id int64) error {
	return ws.db.tx(ctx, func(tx *sql.Tx) error {
		if err := ws.db.deleteSearchDocs(ctx, tx, library.Kind, []int64{id}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM works WHERE id = $1`, id)
		return mustAffect("delete work", res, err)
	})
}

// Work returns a work with its organisations, contacts and tags.
func (ws *Works) Work(ctx context.Context, id int64) (*library.Work, error) {
	return ws.oneWork(ctx, `w.id = $1`, id)
}

// WorkBySlug returns a work by slug.
func (ws *Works) WorkBySlug(ctx context.Context, slug string) (*library.Work, error) {
	return ws.oneWork(ctx, `w.slug = $1`, slug)
}

func (ws *Works) oneWork(ctx context.Context, where string, arg any) (*library.Work, error) {
	w, err := scanWork(ws.db.ro.QueryRowContext(ctx, `SELECT `+workCols+` FROM works w WHERE `+where, arg))
	if err != nil {
		return nil, notFound("work", err)
	}
	out := []library.Work{*w}
	if err := ws.attachWorkRels(ctx, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// WorksByID returns the works among ids, in the order of ids.
func (ws *Works) WorksByID(ctx context.Context, ids []int64) ([]library.Work, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	works, err := ws.queryWorks(ctx, `SELECT `+workCols+` FROM works w WHERE w.id IN (`+a.in(ids)+`)`, a)
	if err != nil {
		return nil, err
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]library.Work, 0, len(works))
	slot := make([]*library.Work, len(ids))
	for i := range works {
		slot[pos[works[i].ID]] = &works[i]
	}
	for _, w := range slot {
		if w != nil {
			out = append(out, *w)
		}
	}
	return out, nil
}

// WorksBySlug returns the works among slugs.
func (ws *Works) WorksBySlug(ctx context.Context, slugs []string) ([]library.Work, error) {
	var out []library.Work
	for start := 0; start < len(slugs); start += 500 {
		var a sqlArgs
		chunk := slugs[start:min(len(slugs), start+500)]
		ph := make([]string, len(chunk))
		for i, s := range chunk {
			ph[i] = a.add(s)
		}
		works, err := ws.queryWorks(ctx, `SELECT `+workCols+` FROM works w WHERE w.slug IN (`+strings.Join(ph, ", ")+`)`, a)
		if err != nil {
			return nil, err
		}
		out = append(out, works...)
	}
	return out, nil
}

// ListWorks returns a page of works as library.ListQuery describes.
func (ws *Works) ListWorks(ctx context.Context, q library.ListQuery) ([]library.Work, error) {
	var a sqlArgs
	var where []string
	if f := visibleSQL(q.Viewer, `w.visibility`, `w.organisation_id`, &a, orgsExist(&a, `work_orgs`, `work_id`, `organisation_id`, `w.id`)); f != "" {
		where = append(where, f)
	}
	if q.Type != "" {
		where = append(where, `w.type = `+a.add(string(q.Type)))
	}
	if q.OrganisationID != 0 {
		where = append(where, `w.id IN (SELECT work_id FROM work_orgs WHERE organisation_id = `+a.add(q.OrganisationID)+`)`)
	}
	byDate := false // SQLite: walk works by date and check the filters per row
	for _, t := range [][2]string{{"method", q.Method}, {"theme", q.Theme}} {
		if t[1] == "" {
			continue
		}
		norm := tagNorm(t[1])
		common, err := ws.commonTag(ctx, t[0], norm)
		if err != nil {
			return nil, err
		}
		if common {
			byDate = true
			where = append(where, `EXISTS (SELECT 1 FROM work_tags t WHERE t.work_id = w.id AND t.kind = '`+t[0]+`' AND t.norm = `+a.add(norm)+`)`)
		} else {
			where = append(where, `w.id IN (SELECT work_id FROM work_tags WHERE kind = '`+t[0]+`' AND norm = `+a.add(norm)+`)`)
		}
	}
	if len(q.Owners) > 0 {
		col := `w.organisation_id`
		if byDate {
			col = `+w.organisation_id` // unary plus: not by the organisation index, so the date order drives
		}
		where = append(where, col+` IN (`+a.in(q.Owners)+`)`)
	}
	if q.HorizonYear != 0 {
		where = append(where, `w.horizon_year = `+a.add(q.HorizonYear))
	}
	if q.Year != 0 {
		from := yearMS(q.Year)
		where = append(where, `w.date_ms >= `+a.add(from)+` AND w.date_ms < `+a.add(yearMS(q.Year+1)))
	}
	if q.HasExperience {
		where = append(where, `w.experience <> ''`)
	}
	if q.NoContent {
		where = append(where, `w.links = '[]' AND w.attachments = '[]'`)
	}
	order := `w.date_ms DESC, w.id DESC`
	switch q.Sort {
	case library.SortTitle:
		order = `w.sort_key, w.id`
	case library.SortUpdated:
		// The feeds: works_updated (00007) serves this order.
		order = `w.updated_at DESC, w.id DESC`
	case library.SortAdded:
		order = `w.created_at DESC, w.id DESC` // works_created (00023)
	}
	if c := q.After; c != nil {
		if q.Sort == library.SortTitle {
			where = append(where, `(w.sort_key, w.id) > (`+a.add(c.Key)+`, `+a.add(c.ID)+`)`)
		} else {
			key, _ := strconv.ParseInt(c.Key, 10, 64)
			where = append(where, `(w.date_ms, w.id) < (`+a.add(key)+`, `+a.add(c.ID)+`)`)
		}
	}
	query := `SELECT ` + workCols + ` FROM works w`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY ` + order + ` LIMIT ` + a.add(q.Limit) + ` OFFSET ` + a.add(q.Offset)
	return ws.queryWorks(ctx, query, a)
}

// commonTagRows is where a tag stops being rare. SQLite plans a tag filter
// one way whatever its frequency: a rare tag is best read from the tag
// index and its few works sorted, while a common one (a theme on a third
// of the works) is best checked per work while walking the date index,
// which stops after a page (360 ms against 3 ms at 100,000 works, theme
// and year; doc/search.md). Counting the tag's rows on its covering index
// decides. PostgreSQL's planner weighs this itself.
const commonTagRows = 2000

// commonTag reports whether more than commonTagRows works carry the tag;
// always false on PostgreSQL.
func (ws *Works) commonTag(ctx context.Context, kind, norm string) (bool, error) {
	if ws.db.Engine != SQLite {
		return false, nil
	}
	var n int
	err := ws.db.ro.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM work_tags WHERE kind = ? AND norm = ? LIMIT ?)`,
		kind, norm, commonTagRows+1).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("list works: %w", err)
	}
	return n > commonTagRows, nil
}

func (ws *Works) queryWorks(ctx context.Context, query string, args []any) ([]library.Work, error) {
	rows, err := ws.db.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list works: %w", err)
	}
	defer rows.Close()
	var out []library.Work
	for rows.Next() {
		w, err := scanWork(rows)
		if err != nil {
			return nil, fmt.Errorf("list works: %w", err)
		}
		out = append(out, *w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list works: %w", err)
	}
	return out, ws.attachWorkRels(ctx, out)
}

// attachWorkRels loads the co-organisations, contacts, methods and themes
// of a page of works, one query each.
func (ws *Works) attachWorkRels(ctx context.Context, works []library.Work) error {
	if len(works) == 0 {
		return nil
	}
	idx := make(map[int64]*library.Work, len(works))
	ids := make([]int64, len(works))
	for i := range works {
		idx[works[i].ID], ids[i] = &works[i], works[i].ID
	}
	each := func(query string, scan func(rows *sql.Rows) error) error {
		var a sqlArgs
		rows, err := ws.db.ro.QueryContext(ctx, strings.Replace(query, "(IDS)", "("+a.in(ids)+")", 1), a...)
		if err != nil {
			return fmt.Errorf("work relations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("work relations: %w", err)
			}
		}
		return rows.Err()
	}
	var wid, id int64
	err := each(`SELECT work_id, organisation_id FROM work_orgs WHERE work_id IN (IDS) AND owner = `+ws.db.boolSQL(false)+` ORDER BY work_id, position`,
		func(rows *sql.Rows) error {
			if err := rows.Scan(&wid, &id); err != nil {
				return err
			}
			w := idx[wid]
			w.CoOrganisationIDs = append(w.CoOrganisationIDs, id)
			return nil
		})
	if err != nil {
		return err
	}
	err = each(`SELECT work_id, contact_id FROM work_contacts WHERE work_id IN (IDS) ORDER BY work_id, position`,
		func(rows *sql.Rows) error {
			if err := rows.Scan(&wid, &id); err != nil {
				return err
			}
			w := idx[wid]
			w.ContactIDs = append(w.ContactIDs, id)
			return nil
		})
	if err != nil {
		return err
	}
	return each(`SELECT work_id, kind, value FROM work_tags WHERE work_id IN (IDS) ORDER BY work_id, kind, position`,
		func(rows *sql.Rows) error {
			var kind, value string
			if err := rows.Scan(&wid, &kind, &value); err != nil {
				return err
			}
			w := idx[wid]
			if kind == "method" {
				w.Methods = append(w.Methods, value)
			} else {
				w.Themes = append(w.Themes, value)
			}
			return nil
		})
}

// boolSQL is a boolean literal of the engine.
func (db *DB) boolSQL(b bool) string {
	switch {
	case db.Engine == Postgres && b:
		return "TRUE"
	case db.Engine == Postgres:
		return "FALSE"
	case b:
		return "1"
	}
	return "0"
}

func tagNorm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Revisions returns a work's revisions, newest first, without snapshots.
func (ws *Works) Revisions(ctx context.Context, workID int64) ([]library.Revision, error) {
	rows, err := ws.db.ro.QueryContext(ctx, `SELECT id, work_id, version, COALESCE(user_id, 0), created_at, changed, restored_from
		FROM work_revisions WHERE work_id = $1 ORDER BY version DESC`, workID)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	var out []library.Revision
	for rows.Next() {
		var r library.Revision
		var created int64
		var changed string
		if err := rows.Scan(&r.ID, &r.WorkID, &r.Version, &r.UserID, &created, &changed, &r.RestoredFrom); err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
		r.CreatedAt, r.Changed = fromMS(created), splitList(changed)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns one revision of a work with its snapshot.
func (ws *Works) Revision(ctx context.Context, workID int64, version int) (*library.Revision, error) {
	var r library.Revision
	var created int64
	var changed, snap string
	err := ws.db.ro.QueryRowContext(ctx, `SELECT id, work_id, version, COALESCE(user_id, 0), created_at, changed, restored_from, snapshot
		FROM work_revisions WHERE work_id = $1 AND version = $2`, workID, version).
		Scan(&r.ID, &r.WorkID, &r.Version, &r.UserID, &created, &changed, &r.RestoredFrom, &snap)
	if err != nil {
		return nil, notFound("revision", err)
	}
	r.CreatedAt, r.Changed, r.Snapshot = fromMS(created), splitList(changed), json.RawMessage(snap)
	return &r, nil
}

// VisibilityRevisions returns, with snapshots, the revisions of the works
// among ids that set their visibility, by work and then oldest first.
// Version 1 lists every field it sets, visibility included, and later
// versions the fields they change, so these are the only revisions where
// a work can have become public.
func (ws *Works) VisibilityRevisions(ctx context.Context, ids []int64) ([]library.Revision, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	rows, err := ws.db.ro.QueryContext(ctx, `SELECT id, work_id, version, COALESCE(user_id, 0), created_at, changed, restored_from, snapshot
		FROM work_revisions WHERE work_id IN (`+a.in(ids)+`) AND (version = 1 OR changed LIKE '%visibility%')
		ORDER BY work_id, version`, a...)
	if err != nil {
		return nil, fmt.Errorf("visibility revisions: %w", err)
	}
	defer rows.Close()
	var out []library.Revision
	for rows.Next() {
		var r library.Revision
		var created int64
		var changed, snap string
		if err := rows.Scan(&r.ID, &r.WorkID, &r.Version, &r.UserID, &created, &changed, &r.RestoredFrom, &snap); err != nil {
			return nil, fmt.Errorf("visibility revisions: %w", err)
		}
		r.CreatedAt, r.Changed, r.Snapshot = fromMS(created), splitList(changed), json.RawMessage(snap)
		out = append(out, r)
	}
	return out, rows.Err()
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Refs returns every organisation and contact person.
func (ws *Works) Refs(ctx context.Context) (*library.Refs, error) {
	refs := &library.Refs{}
	rows, err := ws.db.ro.QueryContext(ctx, `SELECT id, slug, name, level FROM organisations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("refs: %w", err)
	}
	for rows.Next() {
		var o library.OrgRef
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Level); err != nil {
			rows.Close()
			return nil, fmt.Errorf("refs: %w", err)
		}
		refs.Orgs = append(refs.Orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("refs: %w", err)
	}
	rows, err = ws.db.ro.QueryContext(ctx, `SELECT id, organisation_id, name FROM contacts ORDER BY organisation_id, position, id`)
	if err != nil {
		return nil, fmt.Errorf("refs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c library.ContactRef
		if err := rows.Scan(&c.ID, &c.OrganisationID, &c.Name); err != nil {
			return nil, fmt.Errorf("refs: %w", err)
		}
		refs.Contacts = append(refs.Contacts, c)
	}
	return refs, rows.Err()
}

// PopularTags returns the values of a tag kind that most public works
// carry, most used first (then alphabetically), written as the first of
// the works' spellings in byte order, so "Backcasting" before
// "backcasting".
func (ws *Works) PopularTags(ctx context.Context, kind string, limit int) ([]string, error) {
	var out []string
	err := eachString(ctx, ws.db.ro, `SELECT min(t.value) FROM work_tags t JOIN works w ON w.id = t.work_id
		WHERE t.kind = $1 AND w.visibility = 'public' GROUP BY t.norm ORDER BY count(*) DESC, t.norm LIMIT $2`,
		[]any{kind, limit}, func(v string) { out = append(out, v) })
	if err != nil {
		return nil, fmt.Errorf("library: popular tags: %w", err)
	}
	return out, nil
}
