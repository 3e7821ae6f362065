package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/facilitator"
	"github.com/framsyn/framsyn/internal/search"
)

var _ facilitator.Store = (*Facilitators)(nil)

// Facilitators keeps facilitator profiles and requests (facilitator.Store).
type Facilitators struct{ db *DB }

// Facilitators returns the facilitators' adapter.
func (db *DB) Facilitators() *Facilitators { return &Facilitators{db: db} }

// spaced stores a list as " a b c " so LIKE '% b %' matches one item.
func spaced(v []string) string {
	if len(v) == 0 {
		return " "
	}
	return " " + strings.Join(v, " ") + " "
}

func unspaced(s string) []string { return strings.Fields(s) }

const profileSelect = `SELECT f.user_id, f.organisation_id, f.methods, f.languages, f.regions, f.digital_only, f.availability, f.about_md,
	f.active, f.updated_at, u.name, o.slug, o.name
	FROM facilitators f JOIN users u ON u.id = f.user_id JOIN organisations o ON o.id = f.organisation_id`

func scanProfile(row scanner) (*facilitator.Profile, error) {
	var p facilitator.Profile
	var m, l, r string
	var at int64
	if err := row.Scan(&p.UserID, &p.OrganisationID, &m, &l, &r, &p.DigitalOnly, &p.Availability, &p.About, &p.Active, &at,
		&p.Name, &p.OrgSlug, &p.OrgName); err != nil {
		return nil, err
	}
	p.Methods, p.Languages, p.Regions, p.UpdatedAt = unspaced(m), unspaced(l), unspaced(r), fromMS(at)
	return &p, nil
}

// PutProfile creates or replaces a profile with its search document.
func (s *Facilitators) PutProfile(ctx context.Context, p *facilitator.Profile) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO facilitators (user_id, organisation_id, methods, languages, regions, digital_only, availability, about_md, active, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (user_id) DO UPDATE SET organisation_id = excluded.organisation_id, methods = excluded.methods, languages = excluded.languages,
			regions = excluded.regions, digital_only = excluded.digital_only, availability = excluded.availability, about_md = excluded.about_md,
			active = excluded.active, updated_at = excluded.updated_at`,
			p.UserID, p.OrganisationID, spaced(p.Methods), spaced(p.Languages), spaced(p.Regions), p.DigitalOnly, p.Availability, p.About, p.Active, ms(p.UpdatedAt))
		if err != nil {
			return fmt.Errorf("put facilitator: %w", err)
		}
		q, err := scanProfile(tx.QueryRowContext(ctx, profileSelect+` WHERE f.user_id = $1`, p.UserID))
		if err != nil {
			return fmt.Errorf("put facilitator: %w", err)
		}
		if !q.Active {
			return s.db.deleteSearchDocs(ctx, tx, facilitator.Kind, []int64{p.UserID})
		}
		return s.db.putSearchDocs(ctx, tx, []search.Document{q.SearchDocument()})
	})
}

// DeleteProfile removes a profile and its document.
func (s *Facilitators) DeleteProfile(ctx context.Context, userID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.db.deleteSearchDocs(ctx, tx, facilitator.Kind, []int64{userID}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM facilitators WHERE user_id = $1`, userID)
		return mustAffect("delete facilitator", res, err)
	})
}

// Profile returns a profile with the workshops its user led.
func (s *Facilitators) Profile(ctx context.Context, userID int64) (*facilitator.Profile, error) {
	p, err := scanProfile(s.db.ro.QueryRowContext(ctx, profileSelect+` WHERE f.user_id = $1`, userID))
	if err != nil {
		return nil, notFound("facilitator", err)
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT w.id, w.title FROM workshop_participants p JOIN workshops w ON w.id = p.workshop_id
		WHERE p.user_id = $1 AND p.role = 'facilitator' ORDER BY w.created_at DESC, w.id DESC LIMIT 50`, userID)
	p.Workshops, err = collect("facilitator workshops", rows, err, func(r scanner) (*facilitator.WorkshopRef, error) {
		var w facilitator.WorkshopRef
		return &w, r.Scan(&w.ID, &w.Title)
	})
	return p, err
}

// Profiles returns the active profiles matching q, by name.
func (s *Facilitators) Profiles(ctx context.Context, q facilitator.Query) ([]facilitator.Profile, error) {
	var a sqlArgs
	where := []string{`f.active = ` + a.add(true)}
	if q.Method != "" {
		where = append(where, `f.methods LIKE `+a.add("% "+q.Method+" %"))
	}
	if q.Lan != "" {
		where = append(where, `(f.regions LIKE `+a.add("% "+q.Lan+" %")+` OR f.digital_only = `+a.add(true)+`)`)
	}
	if q.OrganisationID != 0 {
		where = append(where, `f.organisation_id = `+a.add(q.OrganisationID))
	}
	order := `u.name, f.user_id`
	if q.Newest {
		order = `f.updated_at DESC, f.user_id DESC`
	}
	rows, err := s.db.ro.QueryContext(ctx, profileSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT `+a.add(max(q.Limit, 1)), a...)
	return collect("facilitators", rows, err, scanProfile)
}

const requestSelect = `SELECT r.id, COALESCE(r.facilitator_id, 0), r.facilitator_org, COALESCE(r.requester_id, 0), r.requester_org, r.what,
	r.wanted_on, r.proposed_on, r.for_whom, r.participants, r.status, COALESCE(r.workshop_id, 0), COALESCE(r.report_work_id, 0),
	r.created_at, r.updated_at, COALESCE(fu.name, ''), fo.name, COALESCE(ru.name, ''), ro.name
	FROM facilitator_requests r JOIN organisations fo ON fo.id = r.facilitator_org JOIN organisations ro ON ro.id = r.requester_org
	LEFT JOIN users fu ON fu.id = r.facilitator_id LEFT JOIN users ru ON ru.id = r.requester_id`

func scanRequest(row scanner) (*facilitator.Request, error) {
	var r facilitator.Request
	var w, p, c, u int64
	if err := row.Scan(&r.ID, &r.FacilitatorID, &r.FacilitatorOrg, &r.RequesterID, &r.RequesterOrg, &r.What, &w, &p, &r.ForWhom,
		&r.Participants, &r.Status, &r.WorkshopID, &r.ReportWorkID, &c, &u, &r.FacilitatorName, &r.FacilitatorOrgName,
		&r.RequesterName, &r.RequesterOrgName); err != nil {
		return nil, err
	}
	r.When, r.ProposedWhen, r.CreatedAt, r.UpdatedAt = fromMS(w), fromMS(p), fromMS(c), fromMS(u)
	return &r, nil
}

func addStep(ctx context.Context, tx *sql.Tx, id, actor int64, action, note string, at int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO facilitator_request_steps (request_id, actor_id, action, note, at) VALUES ($1, $2, $3, $4, $5)`,
		id, nullID(actor), action, note, at)
	if err != nil {
		return fmt.Errorf("request step: %w", err)
	}
	return nil
}

// CreateRequest inserts a request with its first step.
func (s *Facilitators) CreateRequest(ctx context.Context, r *facilitator.Request, actorID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO facilitator_requests (facilitator_id, facilitator_org, requester_id, requester_org, what, wanted_on,
			for_whom, participants, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			nullID(r.FacilitatorID), r.FacilitatorOrg, nullID(r.RequesterID), r.RequesterOrg, r.What, ms(r.When), r.ForWhom, r.Participants,
			string(r.Status), ms(r.CreatedAt), ms(r.UpdatedAt)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("create request: %w", err)
		}
		return addStep(ctx, tx, r.ID, actorID, "created", "", ms(r.CreatedAt))
	})
}

// Request returns a request with its history.
func (s *Facilitators) Request(ctx context.Context, id int64) (*facilitator.Request, error) {
	r, err := scanRequest(s.db.ro.QueryRowContext(ctx, requestSelect+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, notFound("request", err)
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT COALESCE(u.name, ''), s.action, s.note, s.at FROM facilitator_request_steps s
		LEFT JOIN users u ON u.id = s.actor_id WHERE s.request_id = $1 ORDER BY s.id LIMIT 500`, id)
	r.History, err = collect("request steps", rows, err, func(row scanner) (*facilitator.Step, error) {
		var st facilitator.Step
		var at int64
		err := row.Scan(&st.ActorName, &st.Action, &st.Note, &at)
		st.At = fromMS(at)
		return &st, err
	})
	return r, err
}

// Requests lists the requests of a user or their organisations.
func (s *Facilitators) Requests(ctx context.Context, userID int64, orgIDs []int64, limit int) ([]facilitator.Request, error) {
	var a sqlArgs
	u := a.add(userID)
	cond := `r.facilitator_id = ` + u + ` OR r.requester_id = ` + u
	if len(orgIDs) > 0 {
		in := a.in(orgIDs)
		cond += ` OR r.facilitator_org IN (` + in + `) OR r.requester_org IN (` + in + `)`
	}
	rows, err := s.db.ro.QueryContext(ctx, requestSelect+` WHERE `+cond+` ORDER BY r.updated_at DESC, r.id DESC LIMIT `+a.add(limit), a...)
	return collect("requests", rows, err, scanRequest)
}

// Step moves a request on, if it is still where the caller saw it.
func (s *Facilitators) Step(ctx context.Context, r *facilitator.Request, from facilitator.Status, actorID int64, action, note string) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		for _, ref := range []struct {
			id           int64
			table, field string
		}{{r.WorkshopID, "workshops", "workshop"}, {r.ReportWorkID, "works", "report"}} {
			if ref.id == 0 {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+ref.table+` WHERE id = $1`, ref.id).Scan(&n); err != nil {
				return fmt.Errorf("request step: %w", err)
			}
			if n == 0 {
				return errs.Fields{ref.field: "facilitator.link_unknown"}.Err()
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE facilitator_requests SET status = $1, wanted_on = $2, proposed_on = $3, workshop_id = $4,
			report_work_id = $5, updated_at = $6 WHERE id = $7 AND status = $8`,
			string(r.Status), ms(r.When), ms(r.ProposedWhen), nullID(r.WorkshopID), nullID(r.ReportWorkID), ms(r.UpdatedAt), r.ID, string(from))
		if err != nil {
			return fmt.Errorf("request step: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "facilitator.moved_meanwhile")
		}
		return addStep(ctx, tx, r.ID, actorID, action, note, ms(r.UpdatedAt))
	})
}
