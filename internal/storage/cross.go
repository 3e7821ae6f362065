package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

var _ cross.Store = (*Crosses)(nil)

// Crosses keeps scenario crosses, their co-organisations, revisions and
// search documents (cross.Store).
type Crosses struct{ db *DB }

// Crosses returns the crosses' adapter.
func (db *DB) Crosses() *Crosses { return &Crosses{db: db} }

// crossBody is the part of a cross kept as one JSON document.
type crossBody struct {
	X         cross.Axis       `json:"x"`
	Y         cross.Axis       `json:"y"`
	Scenarios []cross.Scenario `json:"scenarios"`
	Authors   []string         `json:"authors,omitempty"`
}

const crossSelect = `SELECT c.id, c.organisation_id, COALESCE(c.parent_id, 0), c.derived_from, c.root_id, c.workshop_id,
	c.title, c.question, c.horizon, c.geography, c.level, c.domain, c.status, c.visibility, c.body, c.changes, c.source,
	c.version, COALESCE(c.created_by, 0), c.created_at, c.updated_at, o.slug, o.name
	FROM crosses c JOIN organisations o ON o.id = c.organisation_id`

func scanCross(row scanner) (*cross.Cross, error) { return scanCrossAs(row, false) }

// scanCrossSummary is scanCross for a list (ListQuery.Summary) read with
// crossSummarySelect: the summary column in place of the body.
func scanCrossSummary(row scanner) (*cross.Cross, error) { return scanCrossAs(row, true) }

func scanCrossAs(row scanner, summary bool) (*cross.Cross, error) {
	var c cross.Cross
	var body, changes string
	var ca, ua int64
	if err := row.Scan(&c.ID, &c.OrganisationID, &c.ParentID, &c.DerivedFrom, &c.RootID, &c.WorkshopID,
		&c.Title, &c.Question, &c.Horizon, &c.Geography, &c.Level, &c.Domain, &c.Status, &c.Visibility, &body, &changes, &c.Source,
		&c.Version, &c.CreatedBy, &ca, &ua, &c.OrgSlug, &c.OrgName); err != nil {
		return nil, err
	}
	if summary {
		b, err := decodeSummary(body)
		if err != nil {
			return nil, fmt.Errorf("cross %d summary: %w", c.ID, err)
		}
		c.X, c.Y = b.X.axis(), b.Y.axis()
		c.Scenarios = make([]cross.Scenario, len(b.Scenarios))
		for i, s := range b.Scenarios {
			c.Scenarios[i] = cross.Scenario{Quadrant: s.Quadrant, Name: s.Name}
		}
	} else {
		var b crossBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, fmt.Errorf("cross %d body: %w", c.ID, err)
		}
		c.X, c.Y, c.Scenarios, c.Authors = b.X, b.Y, b.Scenarios, b.Authors
	}
	var err error
	if c.AxisChanges, err = decodeChanges(changes); err != nil {
		return nil, fmt.Errorf("cross %d: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = fromMS(ca), fromMS(ua)
	return &c, nil
}

func crossJSON(c *cross.Cross) (body, changes string) {
	x, y := c.X, c.Y
	x.DriverIDs, y.DriverIDs = nil, nil // cross_axis_drivers holds them
	b, err := json.Marshal(crossBody{X: x, Y: y, Scenarios: c.Scenarios, Authors: c.Authors})
	if err != nil {
		panic(err) // plain structs always encode
	}
	if len(c.AxisChanges) > 0 {
		ch, _ := json.Marshal(c.AxisChanges)
		changes = string(ch)
	}
	return string(b), changes
}

// CreateCross inserts a cross with its organisations, first revision and
// search document.
func (s *Crosses) CreateCross(ctx context.Context, c *cross.Cross, rev *cross.Revision) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error { return s.createCross(ctx, tx, c, rev) })
}

func (s *Crosses) createCross(ctx context.Context, tx *sql.Tx, c *cross.Cross, rev *cross.Revision) error {
	body, changes := crossJSON(c)
	err := tx.QueryRowContext(ctx, `INSERT INTO crosses (organisation_id, parent_id, derived_from, root_id, workshop_id,
		title, question, horizon, geography, level, domain, status, visibility, scope, body, changes, source, version, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
		c.OrganisationID, nullID(c.ParentID), c.DerivedFrom, c.RootID, c.WorkshopID, c.Title, c.Question, c.Horizon, c.Geography,
		string(c.Level), c.Domain, string(c.Status), string(c.Visibility), string(c.Scope()), body, changes, c.Source, c.Version,
		nullID(c.CreatedBy), ms(c.CreatedAt), ms(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("create cross: %w", err)
	}
	if c.RootID == 0 {
		c.RootID = c.ID
		if _, err := tx.ExecContext(ctx, `UPDATE crosses SET root_id = $1 WHERE id = $1`, c.ID); err != nil {
			return fmt.Errorf("create cross: root: %w", err)
		}
	}
	return s.afterWrite(ctx, tx, c, rev)
}

// afterWrite saves a written cross's organisations, driver links,
// revision and search document.
func (s *Crosses) afterWrite(ctx context.Context, tx *sql.Tx, c *cross.Cross, rev *cross.Revision) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cross_orgs WHERE cross_id = $1`, c.ID); err != nil {
		return fmt.Errorf("cross orgs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM cross_axis_drivers WHERE cross_id = $1`, c.ID); err != nil {
		return fmt.Errorf("cross drivers: %w", err)
	}
	for _, name := range []string{"x", "y"} {
		for i, d := range c.Axis(name).DriverIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cross_axis_drivers (cross_id, axis, workshop_id, driver_id, position) VALUES ($1, $2, $3, $4, $5)`,
				c.ID, name, c.DriverWorkshopID, d, i); err != nil {
				if isForeignKeyViolation(err) {
					return errs.Wrap(errs.Invalid, "cross.driver_unknown", err)
				}
				return fmt.Errorf("cross drivers: %w", err)
			}
		}
	}
	for i, o := range c.OrgIDs() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cross_orgs (cross_id, organisation_id, position) VALUES ($1, $2, $3)`, c.ID, o, i); err != nil {
			return fmt.Errorf("cross orgs: %w", err)
		}
	}
	if rev != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cross_revisions (cross_id, version, user_id, created_at, changed, restored_from, snapshot)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, rev.Version, nullID(rev.UserID), ms(rev.CreatedAt), strings.Join(rev.Changed, ","), rev.RestoredFrom, string(rev.Snapshot)); err != nil {
			return fmt.Errorf("cross revision: %w", err)
		}
	}
	return s.db.putSearchDocs(ctx, tx, []search.Document{c.SearchDocument()})
}

// UpdateCross saves a cross whose version was raised by one, with its
// revision; a cross saved meanwhile is a conflict.
func (s *Crosses) UpdateCross(ctx context.Context, c *cross.Cross, rev *cross.Revision) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		body, changes := crossJSON(c)
		res, err := tx.ExecContext(ctx, `UPDATE crosses SET organisation_id = $1, title = $2, question = $3, horizon = $4, geography = $5,
			level = $6, domain = $7, status = $8, visibility = $9, scope = $10, body = $11, changes = $12, source = $13, version = $14, updated_at = $15
			WHERE id = $16 AND version = $17`,
			c.OrganisationID, c.Title, c.Question, c.Horizon, c.Geography, string(c.Level), c.Domain, string(c.Status), string(c.Visibility),
			string(c.Scope()), body, changes, c.Source, c.Version, ms(c.UpdatedAt), c.ID, c.Version-1)
		if err := mustAffect("update cross", res, err); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.Wrap(errs.Conflict, "cross.changed_meanwhile", err)
			}
			return err
		}
		return s.afterWrite(ctx, tx, c, rev)
	})
}

// DeleteCross removes a cross and its search document; its children's
// parent_id goes (the foreign key), their derived_from stays.
func (s *Crosses) DeleteCross(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.db.deleteSearchDocs(ctx, tx, cross.Kind, []int64{id}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM crosses WHERE id = $1`, id)
		return mustAffect("delete cross", res, err)
	})
}

// Cross returns a cross with its organisations.
func (s *Crosses) Cross(ctx context.Context, id int64) (*cross.Cross, error) {
	cs, err := s.query(ctx, s.db.ro, crossSelect+` WHERE c.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return &cs[0], nil
}

// CrossesByID returns the crosses among ids, in the order of ids.
func (s *Crosses) CrossesByID(ctx context.Context, ids []int64) ([]cross.Cross, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	cs, err := s.query(ctx, s.db.ro, crossSelect+` WHERE c.id IN (`+a.in(ids)+`)`, a...)
	if err != nil {
		return nil, err
	}
	return inOrder(cs, ids), nil
}

// crossHeadSelect is crossSelect without the body (axes, scenarios,
// authors) and the axis changes: what visibility needs, for a page that
// only checks whether each cross's parent may be seen.
var crossHeadSelect = strings.Replace(crossSelect, "c.body, c.changes,", "'{}', '',", 1)

// CrossHeads returns the crosses among ids without their bodies, in the
// order of ids.
func (s *Crosses) CrossHeads(ctx context.Context, ids []int64) ([]cross.Cross, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	cs, err := s.query(ctx, s.db.ro, crossHeadSelect+` WHERE c.id IN (`+a.in(ids)+`)`, a...)
	if err != nil {
		return nil, err
	}
	return inOrder(cs, ids), nil
}

// inOrder returns the crosses of cs in the order of ids, each once.
func inOrder(cs []cross.Cross, ids []int64) []cross.Cross {
	byID := make(map[int64]cross.Cross, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := make([]cross.Cross, 0, len(cs))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
			delete(byID, id)
		}
	}
	return out
}

// ListCrosses returns the crosses q.Viewer may see, last changed first;
// the rule is cross.CanSee over the stored scope.
func (s *Crosses) ListCrosses(ctx context.Context, q cross.ListQuery) ([]cross.Cross, error) {
	var a sqlArgs
	var where []string
	if f := visibleSQL(q.Viewer, `c.scope`, `c.organisation_id`, &a, orgsExist(&a, `cross_orgs`, `cross_id`, `organisation_id`, `c.id`)); f != "" {
		where = append(where, f)
	}
	if q.OrganisationID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM cross_orgs m WHERE m.cross_id = c.id AND m.organisation_id = `+a.add(q.OrganisationID)+`)`)
	}
	if q.Level != "" {
		where = append(where, `c.level = `+a.add(string(q.Level)))
	}
	if q.Domain != "" {
		where = append(where, `c.domain = `+a.add(q.Domain))
	}
	if q.Status != "" {
		where = append(where, `c.status = `+a.add(string(q.Status)))
	} else {
		where = append(where, `c.status <> 'archived'`)
	}
	if !q.Before.IsZero() {
		b := a.add(ms(q.Before))
		where = append(where, `(c.updated_at < `+b+` OR (c.updated_at = `+b+` AND c.id < `+a.add(q.BeforeID)+`))`)
	}
	query := crossSelect
	if q.Summary {
		query = crossSummarySelect
	}
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY c.updated_at DESC, c.id DESC LIMIT ` + a.add(max(q.Limit, 1))
	return s.read(ctx, s.db.ro, q.Summary, query, a...)
}

// query reads crosses and their co-organisations and driver links.
func (s *Crosses) query(ctx context.Context, q queryer, query string, args ...any) ([]cross.Cross, error) {
	return s.read(ctx, q, false, query, args...)
}

// read is query, or for summary (ListQuery.Summary) the crosses'
// summaries with their co-organisations, without driver links.
func (s *Crosses) read(ctx context.Context, q queryer, summary bool, query string, args ...any) ([]cross.Cross, error) {
	scan := scanCross
	if summary {
		scan = scanCrossSummary
	}
	rows, err := q.QueryContext(ctx, query, args...)
	cs, err := collect("crosses", rows, err, scan)
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	ids := make([]int64, len(cs))
	for i := range cs {
		ids[i] = cs[i].ID
	}
	co, err := s.coOrgs(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		for _, o := range co[cs[i].ID] {
			if o != cs[i].OrganisationID {
				cs[i].CoOrganisationIDs = append(cs[i].CoOrganisationIDs, o)
			}
		}
	}
	if summary {
		return cs, nil
	}
	return cs, s.drivers(ctx, q, cs, ids)
}

// drivers reads the driver links of the crosses cs (whose ids are ids).
func (s *Crosses) drivers(ctx context.Context, q queryer, cs []cross.Cross, ids []int64) error {
	var a sqlArgs
	rows, err := q.QueryContext(ctx, `SELECT cross_id, axis, workshop_id, driver_id FROM cross_axis_drivers
		WHERE cross_id IN (`+a.in(ids)+`) ORDER BY cross_id, axis, position`, a...)
	type link struct {
		cross, workshop, driver int64
		axis                    string
	}
	links, err := collect("cross drivers", rows, err, func(r scanner) (*link, error) {
		var l link
		return &l, r.Scan(&l.cross, &l.axis, &l.workshop, &l.driver)
	})
	if err != nil || len(links) == 0 {
		return err
	}
	at := make(map[int64]int, len(cs))
	for i := range cs {
		at[cs[i].ID] = i
	}
	for _, l := range links {
		c := &cs[at[l.cross]]
		c.DriverWorkshopID = l.workshop
		ax := c.Axis(l.axis)
		ax.DriverIDs = append(ax.DriverIDs, l.driver)
	}
	return nil
}

func (s *Crosses) coOrgs(ctx context.Context, q queryer, ids []int64) (map[int64][]int64, error) {
	var a sqlArgs
	rows, err := q.QueryContext(ctx, `SELECT cross_id, organisation_id FROM cross_orgs WHERE cross_id IN (`+a.in(ids)+`) ORDER BY cross_id, position`, a...)
	return coOrgRows(rows, err)
}

func coOrgRows(rows *sql.Rows, err error) (map[int64][]int64, error) {
	pairs, err := collect("cross orgs", rows, err, func(r scanner) (*[2]int64, error) {
		var p [2]int64
		return &p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, err
	}
	out := map[int64][]int64{}
	for _, p := range pairs {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, nil
}

// Tree returns the nodes of one lineage, oldest first, without their
// bodies: two queries whatever its size, the first answered from the
// crosses_tree index alone in SQLite.
func (s *Crosses) Tree(ctx context.Context, rootID int64, limit int) ([]cross.Node, error) {
	return s.nodes(ctx, `c.root_id = $1 ORDER BY c.id LIMIT $2`, `c.root_id = $1`, rootID, limit)
}

// Family returns the node of the cross parentID (when it exists) and the
// nodes of the crosses whose parent is id: what a cross's own page names.
func (s *Crosses) Family(ctx context.Context, id, parentID int64) ([]cross.Node, error) {
	return s.nodes(ctx, `c.id = $2 OR c.parent_id = $1 ORDER BY c.id LIMIT $3`, `(c.id = $2 OR c.parent_id = $1)`, id, parentID, cross.MaxTree)
}

// nodes reads the nodes that where selects (its arguments args), with
// their co-organisations, in one statement: a second query over the same
// crosses cost a parse and a join of its own for a tree where few crosses
// have co-organisations. coWhere is kept for the callers' shape.
func (s *Crosses) nodes(ctx context.Context, where, _ string, args ...any) ([]cross.Node, error) {
	co := `(SELECT group_concat(m.organisation_id) FROM cross_orgs m WHERE m.cross_id = c.id AND m.organisation_id <> c.organisation_id)`
	if s.db.Engine == Postgres {
		co = `(SELECT string_agg(m.organisation_id::text, ',') FROM cross_orgs m WHERE m.cross_id = c.id AND m.organisation_id <> c.organisation_id)`
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT c.id, COALESCE(c.parent_id, 0), c.derived_from, c.organisation_id, c.title, o.name,
		c.domain, c.level, c.status, c.visibility, c.changes, COALESCE(`+co+`, '')
		FROM crosses c JOIN organisations o ON o.id = c.organisation_id WHERE `+where, args...)
	return collect("cross nodes", rows, err, func(r scanner) (*cross.Node, error) {
		var n cross.Node
		var changes, coOrgs string
		if err := r.Scan(&n.ID, &n.ParentID, &n.DerivedFrom, &n.OrganisationID, &n.Title, &n.OrgName, &n.Domain,
			&n.Level, &n.Status, &n.Visibility, &changes, &coOrgs); err != nil {
			return nil, err
		}
		for coOrgs != "" {
			var id string
			id, coOrgs, _ = strings.Cut(coOrgs, ",")
			o, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("cross %d co-organisations: %w", n.ID, err)
			}
			n.CoOrganisationIDs = append(n.CoOrganisationIDs, o)
		}
		var err error
		n.Changes, err = decodeChanges(changes)
		return &n, err
	})
}

// decodeChanges reads a cross's axis changes as crossJSON wrote them. A
// tree decodes one per cross, and encoding/json was 40% of reading 500,
// so the form json.Marshal writes without escapes ([{"axis":"x",
// "change":"kept"},…], "why" last when set) is read directly; anything
// else (an escape, another order) goes to encoding/json.
func decodeChanges(s string) ([]cross.AxisChange, error) {
	if s == "" {
		return nil, nil
	}
	if out, ok := scanChanges(s); ok {
		return out, nil
	}
	var out []cross.AxisChange
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("axis changes: %w", err)
	}
	return out, nil
}

// scanChanges is decodeChanges' direct reading; ok is false when s is not
// in the plain form.
func scanChanges(s string) (out []cross.AxisChange, ok bool) {
	if strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	// field reads `"name":"value"` at the start of s.
	field := func(name string) (string, bool) {
		p := `"` + name + `":"`
		if !strings.HasPrefix(s, p) {
			return "", false
		}
		v, rest, found := strings.Cut(s[len(p):], `"`)
		s = rest
		return v, found
	}
	if !strings.HasPrefix(s, "[") {
		return nil, false
	}
	s = s[1:]
	for len(s) > 0 && s[0] != ']' {
		if s[0] != '{' {
			return nil, false
		}
		s = s[1:]
		var ch cross.AxisChange
		var found bool
		if ch.Axis, found = field("axis"); !found || !strings.HasPrefix(s, ",") {
			return nil, false
		}
		s = s[1:]
		var change string
		if change, found = field("change"); !found {
			return nil, false
		}
		ch.Change = cross.Change(change)
		if strings.HasPrefix(s, ",") {
			s = s[1:]
			if ch.Why, found = field("why"); !found {
				return nil, false
			}
		}
		if !strings.HasPrefix(s, "}") {
			return nil, false
		}
		s = s[1:]
		out = append(out, ch)
		if strings.HasPrefix(s, ",") {
			if s = s[1:]; !strings.HasPrefix(s, "{") {
				return nil, false
			}
		}
	}
	return out, s == "]"
}

// Revisions returns a cross's revisions, newest first.
func (s *Crosses) Revisions(ctx context.Context, crossID int64) ([]cross.Revision, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT r.id, r.cross_id, r.version, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.created_at, r.changed, r.restored_from, r.snapshot
		FROM cross_revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.cross_id = $1 ORDER BY r.version DESC LIMIT 1000`, crossID)
	return collect("cross revisions", rows, err, func(r scanner) (*cross.Revision, error) {
		var v cross.Revision
		var at int64
		var changed, snap string
		if err := r.Scan(&v.ID, &v.CrossID, &v.Version, &v.UserID, &v.UserName, &at, &changed, &v.RestoredFrom, &snap); err != nil {
			return nil, err
		}
		v.CreatedAt, v.Snapshot = fromMS(at), []byte(snap)
		if changed != "" {
			v.Changed = strings.Split(changed, ",")
		}
		return &v, nil
	})
}

// CreateCrosses inserts an import in one transaction, parents first: a
// cross whose parent ref is another of cs gets that one's id and root.
func (s *Crosses) CreateCrosses(ctx context.Context, cs []cross.Cross, parentRefs []int, revs []cross.Revision) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		done := make([]bool, len(cs))
		for n := 0; n < len(cs); {
			progress := false
			for i := range cs {
				if done[i] || (parentRefs[i] >= 0 && !done[parentRefs[i]]) {
					continue
				}
				if p := parentRefs[i]; p >= 0 {
					cs[i].ParentID, cs[i].DerivedFrom, cs[i].RootID = cs[p].ID, cs[p].ID, cs[p].RootID
				}
				if err := s.createCross(ctx, tx, &cs[i], &revs[i]); err != nil {
					return err
				}
				done[i], progress = true, true
				n++
			}
			if !progress {
				return errs.E(errs.Invalid, "cross.cycle")
			}
		}
		return nil
	})
}

// Domains returns the domains of public crosses, most used first.
func (s *Crosses) Domains(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT domain FROM crosses WHERE domain <> '' AND scope = 'public'
		GROUP BY domain ORDER BY count(*) DESC, domain LIMIT $1`, limit)
	return collect("cross domains", rows, err, func(r scanner) (*string, error) {
		var d string
		return &d, r.Scan(&d)
	})
}
