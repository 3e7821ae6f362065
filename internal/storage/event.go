package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/search"
)

var _ event.Store = (*Events)(nil)

// Events keeps the network's events with their hosts, registrations,
// links and search documents (event.Store).
type Events struct{ db *DB }

// Events returns the events' adapter.
func (db *DB) Events() *Events { return &Events{db: db} }

const eventSelect = `SELECT e.id, e.organisation_id, e.title, e.description_md, e.starts_at, e.ends_at, e.all_day, e.date_precision,
	e.place, e.online_url, e.audience, e.capacity, e.registration, e.example, e.source, COALESCE(e.created_by, 0), e.created_at, e.updated_at,
	o.slug, o.name, o.public,
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'),
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waiting')
	FROM events e JOIN organisations o ON o.id = e.organisation_id`

func scanNetworkEvent(row scanner) (*event.Event, error) {
	var e event.Event
	var s, en, c, u int64
	if err := row.Scan(&e.ID, &e.OrganisationID, &e.Title, &e.Description, &s, &en, &e.AllDay, &e.Precision,
		&e.Place, &e.OnlineURL, &e.Audience, &e.Capacity, &e.Registration, &e.Example, &e.Source, &e.CreatedBy, &c, &u,
		&e.OrgSlug, &e.OrgName, &e.OrgPublic, &e.Registered, &e.Waiting); err != nil {
		return nil, err
	}
	e.StartsAt, e.EndsAt, e.CreatedAt, e.UpdatedAt = fromMS(s), fromMS(en), fromMS(c), fromMS(u)
	return &e, nil
}

// CreateEvent inserts an event, its hosts and links, and its document.
func (s *Events) CreateEvent(ctx context.Context, e *event.Event, coHosts []int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO events (organisation_id, title, description_md, starts_at, ends_at, all_day, date_precision,
			place, online_url, audience, capacity, registration, example, source, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			e.OrganisationID, e.Title, e.Description, ms(e.StartsAt), ms(e.EndsAt), e.AllDay, string(e.Precision),
			e.Place, e.OnlineURL, string(e.Audience), e.Capacity, e.Registration, e.Example, e.Source, nullID(e.CreatedBy),
			ms(e.CreatedAt), ms(e.UpdatedAt)).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("create event: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_hosts (event_id, organisation_id, confirmed_at) VALUES ($1, $2, $3)`,
			e.ID, e.OrganisationID, ms(e.CreatedAt)); err != nil {
			return fmt.Errorf("create event: organiser: %w", err)
		}
		for _, id := range coHosts {
			if err := s.invite(ctx, tx, e.ID, id); err != nil {
				return err
			}
		}
		if err := s.saveLinks(ctx, tx, e); err != nil {
			return err
		}
		return s.index(ctx, tx, e.ID)
	})
}

func (s *Events) invite(ctx context.Context, tx *sql.Tx, eventID, orgID int64) error {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, orgID).Scan(&exists); err != nil {
		return fmt.Errorf("invite host: %w", err)
	}
	if exists == 0 {
		return errs.Fields{"cohosts": "event.cohost_invalid"}.Err()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO event_hosts (event_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, eventID, orgID)
	if err != nil {
		return fmt.Errorf("invite host: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "event.already_host")
	}
	return nil
}

func (s *Events) saveLinks(ctx context.Context, tx *sql.Tx, e *event.Event) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_links WHERE event_id = $1`, e.ID); err != nil {
		return fmt.Errorf("event links: %w", err)
	}
	for _, l := range e.Links {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_links (event_id, kind, ref_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			e.ID, l.Kind, l.RefID); err != nil {
			return fmt.Errorf("event links: %w", err)
		}
	}
	return nil
}

// index puts the event's search document inside the caller's transaction.
func (s *Events) index(ctx context.Context, tx queryer, id int64) error {
	e, err := s.load(ctx, tx, id)
	if err != nil {
		return err
	}
	return s.db.putSearchDocs(ctx, tx, []search.Document{e.SearchDocument()})
}

// UpdateEvent saves an event's fields and links with its document.
func (s *Events) UpdateEvent(ctx context.Context, e *event.Event) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE events SET title = $1, description_md = $2, starts_at = $3, ends_at = $4, all_day = $5,
			date_precision = $6, place = $7, online_url = $8, audience = $9, capacity = $10, registration = $11, updated_at = $12 WHERE id = $13`,
			e.Title, e.Description, ms(e.StartsAt), ms(e.EndsAt), e.AllDay, string(e.Precision), e.Place, e.OnlineURL,
			string(e.Audience), e.Capacity, e.Registration, ms(e.UpdatedAt), e.ID)
		if err := mustAffect("update event", res, err); err != nil {
			return err
		}
		if err := s.saveLinks(ctx, tx, e); err != nil {
			return err
		}
		return s.index(ctx, tx, e.ID)
	})
}

// DeleteEvent removes an event and its document.
func (s *Events) DeleteEvent(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := s.db.deleteSearchDocs(ctx, tx, event.Kind, []int64{id}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = $1`, id)
		return mustAffect("delete event", res, err)
	})
}

// Event returns an event with its hosts, links and counts.
func (s *Events) Event(ctx context.Context, id int64) (*event.Event, error) {
	return s.load(ctx, s.db.ro, id)
}

func (s *Events) load(ctx context.Context, q queryer, id int64) (*event.Event, error) {
	e, err := scanNetworkEvent(q.QueryRowContext(ctx, eventSelect+` WHERE e.id = $1`, id))
	if err != nil {
		return nil, notFound("event", err)
	}
	evs := []event.Event{*e}
	if err := s.fill(ctx, q, evs); err != nil {
		return nil, err
	}
	return &evs[0], nil
}

// fill loads the hosts and links of evs.
func (s *Events) fill(ctx context.Context, q queryer, evs []event.Event) error {
	if len(evs) == 0 {
		return nil
	}
	ids := make([]int64, len(evs))
	at := make(map[int64]int, len(evs))
	for i, e := range evs {
		ids[i], at[e.ID] = e.ID, i
	}
	var a sqlArgs
	rows, err := q.QueryContext(ctx, `SELECT h.event_id, h.organisation_id, o.slug, o.name, o.public, h.confirmed_at IS NOT NULL
		FROM event_hosts h JOIN organisations o ON o.id = h.organisation_id WHERE h.event_id IN (`+a.in(ids)+`)
		ORDER BY h.event_id, h.confirmed_at IS NULL, h.confirmed_at, o.name`, a...)
	type hostRow struct {
		eventID int64
		h       event.Host
	}
	hosts, err := collect("event hosts", rows, err, func(r scanner) (*hostRow, error) {
		var x hostRow
		return &x, r.Scan(&x.eventID, &x.h.OrganisationID, &x.h.Slug, &x.h.Name, &x.h.Public, &x.h.Confirmed)
	})
	if err != nil {
		return err
	}
	for _, x := range hosts {
		e := &evs[at[x.eventID]]
		if x.h.OrganisationID == e.OrganisationID {
			e.Hosts = append([]event.Host{x.h}, e.Hosts...)
		} else {
			e.Hosts = append(e.Hosts, x.h)
		}
	}
	a = nil
	rows, err = q.QueryContext(ctx, `SELECT event_id, kind, ref_id FROM event_links WHERE event_id IN (`+a.in(ids)+`) ORDER BY event_id, kind, ref_id`, a...)
	type linkRow struct {
		eventID int64
		l       event.Link
	}
	links, err := collect("event links", rows, err, func(r scanner) (*linkRow, error) {
		var x linkRow
		return &x, r.Scan(&x.eventID, &x.l.Kind, &x.l.RefID)
	})
	if err != nil {
		return err
	}
	for _, x := range links {
		e := &evs[at[x.eventID]]
		e.Links = append(e.Links, x.l)
	}
	return nil
}

// EventsByID returns the events among ids, in the order of ids.
func (s *Events) EventsByID(ctx context.Context, ids []int64) ([]event.Event, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a sqlArgs
	evs, err := s.query(ctx, eventSelect+` WHERE e.id IN (`+a.in(ids)+`)`, a...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]event.Event, len(evs))
	for _, e := range evs {
		byID[e.ID] = e
	}
	out := make([]event.Event, 0, len(evs))
	for _, id := range ids {
		if e, ok := byID[id]; ok {
			out = append(out, e)
			delete(byID, id)
		}
	}
	return out, nil
}

func (s *Events) query(ctx context.Context, query string, args ...any) ([]event.Event, error) {
	rows, err := s.db.ro.QueryContext(ctx, query, args...)
	evs, err := collect("events", rows, err, scanNetworkEvent)
	if err != nil {
		return nil, err
	}
	return evs, s.fill(ctx, s.db.ro, evs)
}

// ListEvents returns the events q.Viewer may see. The rule is
// event.CanSee: the audience, narrowed to the confirmed hosts' members
// when internal or the organiser is hidden; invited co-hosts' editors.
func (s *Events) ListEvents(ctx context.Context, q event.ListQuery) ([]event.Event, error) {
	var a sqlArgs
	var where []string
	if q.OrganisationID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM event_hosts h WHERE h.event_id = e.id AND h.organisation_id = `+a.add(q.OrganisationID)+
			` AND h.confirmed_at IS NOT NULL)`)
	}
	if v := q.Viewer; !v.All {
		open := `e.audience = 'public'`
		if v.SignedIn {
			open = `e.audience IN ('public', 'network')`
		}
		cond := `(` + open + ` AND o.public = ` + a.add(true) + `)`
		if len(v.Members) > 0 {
			cond += ` OR EXISTS (SELECT 1 FROM event_hosts h WHERE h.event_id = e.id AND h.confirmed_at IS NOT NULL AND h.organisation_id IN (` + a.in(v.Members) + `))`
		}
		if len(v.Editors) > 0 {
			cond += ` OR EXISTS (SELECT 1 FROM event_hosts h WHERE h.event_id = e.id AND h.confirmed_at IS NULL AND h.organisation_id IN (` + a.in(v.Editors) + `))`
		}
		where = append(where, `(`+cond+`)`)
	}
	if !q.From.IsZero() {
		where = append(where, `e.ends_at > `+a.add(ms(q.From)))
	}
	if !q.To.IsZero() {
		where = append(where, `e.starts_at < `+a.add(ms(q.To)))
	}
	if q.Calendar {
		where = append(where, `e.date_precision = ''`)
	}
	order := ` ORDER BY e.starts_at, e.id`
	if !q.AfterStart.IsZero() {
		b := a.add(ms(q.AfterStart))
		if q.Past {
			where = append(where, `(e.starts_at < `+b+` OR (e.starts_at = `+b+` AND e.id < `+a.add(q.AfterID)+`))`)
		} else {
			where = append(where, `(e.starts_at > `+b+` OR (e.starts_at = `+b+` AND e.id > `+a.add(q.AfterID)+`))`)
		}
	}
	if q.Past {
		order = ` ORDER BY e.starts_at DESC, e.id DESC`
	}
	query := eventSelect
	for i, w := range where {
		if i == 0 {
			query += ` WHERE ` + w
		} else {
			query += ` AND ` + w
		}
	}
	query += order + ` LIMIT ` + a.add(max(q.Limit, 1))
	return s.query(ctx, query, a...)
}

// InviteHost adds an unconfirmed co-host.
func (s *Events) InviteHost(ctx context.Context, eventID, orgID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error { return s.invite(ctx, tx, eventID, orgID) })
}

// ConfirmHost confirms an invited co-host; its members now see an
// internal event, so the document is put again.
func (s *Events) ConfirmHost(ctx context.Context, eventID, orgID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE event_hosts SET confirmed_at = $1 WHERE event_id = $2 AND organisation_id = $3 AND confirmed_at IS NULL`,
			s.db.nowMS(), eventID, orgID)
		if err := mustAffect("confirm host", res, err); err != nil {
			return err
		}
		return s.index(ctx, tx, eventID)
	})
}

// RemoveHost removes a co-host, never the organiser.
func (s *Events) RemoveHost(ctx context.Context, eventID, orgID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM event_hosts WHERE event_id = $1 AND organisation_id = $2
			AND organisation_id <> (SELECT organisation_id FROM events WHERE id = $1)`, eventID, orgID)
		if err := mustAffect("remove host", res, err); err != nil {
			return err
		}
		return s.index(ctx, tx, eventID)
	})
}

// lockEvent takes the event's row lock for the rest of the transaction
// (a no-op write: PostgreSQL locks the row, SQLite's writer is already
// alone), so counting places and taking one cannot interleave.
func lockEvent(ctx context.Context, tx *sql.Tx, eventID int64) (capacity int, err error) {
	res, err := tx.ExecContext(ctx, `UPDATE events SET capacity = capacity WHERE id = $1`, eventID)
	if err := mustAffect("lock event", res, err); err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `SELECT capacity FROM events WHERE id = $1`, eventID).Scan(&capacity)
	return capacity, err
}

// Register registers a user, confirmed while places remain.
func (s *Events) Register(ctx context.Context, eventID, userID int64, now time.Time) (*event.Registration, error) {
	var r *event.Registration
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		capacity, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'`, eventID).Scan(&taken); err != nil {
			return fmt.Errorf("register: %w", err)
		}
		status := event.Confirmed
		if capacity > 0 && taken >= capacity {
			status = event.Waiting
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (event_id, user_id) DO NOTHING`, eventID, userID, string(status), ms(now))
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "event.already_registered")
		}
		r, err = registration(ctx, tx, eventID, userID)
		return err
	})
	return r, err
}

// Cancel removes a registration and moves the first waiting up when a
// confirmed place was freed, in one transaction.
func (s *Events) Cancel(ctx context.Context, eventID, userID int64) (*event.Registration, error) {
	var up *event.Registration
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		up, err = cancelRegistration(ctx, tx, eventID, userID)
		return err
	})
	return up, err
}

// cancelRegistration deletes a registration under the event's row lock
// and moves the first waiting up if that frees a place; it returns who
// moved up (nil: nobody). Cancelling and deleting an account share it.
func cancelRegistration(ctx context.Context, tx *sql.Tx, eventID, userID int64) (*event.Registration, error) {
	capacity, err := lockEvent(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM event_registrations WHERE event_id = $1 AND user_id = $2`, eventID, userID)
	if err := mustAffect("cancel registration", res, err); err != nil {
		return nil, err
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'`, eventID).Scan(&taken); err != nil {
		return nil, fmt.Errorf("cancel: %w", err)
	}
	if capacity > 0 && taken >= capacity {
		return nil, nil
	}
	var next int64
	err = tx.QueryRowContext(ctx, `SELECT user_id FROM event_registrations WHERE event_id = $1 AND status = 'waiting'
		ORDER BY created_at, id LIMIT 1`, eventID).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cancel: next: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE event_registrations SET status = 'confirmed' WHERE event_id = $1 AND user_id = $2`, eventID, next); err != nil {
		return nil, fmt.Errorf("cancel: move up: %w", err)
	}
	return registration(ctx, tx, eventID, next)
}

const registrationSelect = `SELECT r.event_id, r.user_id, u.name, u.email, r.status, r.created_at,
	CASE WHEN r.status = 'waiting' THEN (SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = r.event_id AND w.status = 'waiting'
		AND (w.created_at < r.created_at OR (w.created_at = r.created_at AND w.id <= r.id))) ELSE 0 END, u.language
	FROM event_registrations r JOIN users u ON u.id = r.user_id`

func scanRegistration(row scanner) (*event.Registration, error) {
	var r event.Registration
	var c int64
	if err := row.Scan(&r.EventID, &r.UserID, &r.UserName, &r.UserEmail, &r.Status, &c, &r.Position, &r.UserLanguage); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMS(c)
	return &r, nil
}

func registration(ctx context.Context, q queryer, eventID, userID int64) (*event.Registration, error) {
	r, err := scanRegistration(q.QueryRowContext(ctx, registrationSelect+` WHERE r.event_id = $1 AND r.user_id = $2`, eventID, userID))
	if err != nil {
		return nil, notFound("registration", err)
	}
	return r, nil
}

// Registration returns one user's registration.
func (s *Events) Registration(ctx context.Context, eventID, userID int64) (*event.Registration, error) {
	return registration(ctx, s.db.ro, eventID, userID)
}

// Registrations lists an event's registrations, confirmed first.
func (s *Events) Registrations(ctx context.Context, eventID int64, limit int) ([]event.Registration, error) {
	rows, err := s.db.ro.QueryContext(ctx, registrationSelect+` WHERE r.event_id = $1
		ORDER BY CASE WHEN r.status = 'confirmed' THEN 0 ELSE 1 END, r.created_at, r.id LIMIT $2`, eventID, limit)
	return collect("registrations", rows, err, scanRegistration)
}

// OrganisationsChanged re-puts the documents of events hosted by orgIDs,
// as an OrgHook: an event's scope follows its organiser's public flag.
func (s *Events) OrganisationsChanged(ctx context.Context, tx *sql.Tx, orgIDs []int64, deleted bool) error {
	var a sqlArgs
	in := a.in(orgIDs)
	if deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = `+a.add(event.Kind)+`
			AND ref_id IN (SELECT id FROM events WHERE organisation_id IN (`+in+`))`, a...)
		if err != nil {
			return fmt.Errorf("delete events' documents: %w", err)
		}
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT event_id FROM event_hosts WHERE organisation_id IN (`+in+`)`, a...)
	return indexEach(ctx, tx, "events of organisations", rows, err, s.index)
}
