package storage

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/framsyn/framsyn/internal/event"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/privacy"
)

var _ privacy.Store = (*Privacy)(nil)

// Privacy reads and deletes a user's personal data (privacy.Store).
type Privacy struct{ db *DB }

// Privacy returns the personal-data adapter.
func (db *DB) Privacy() *Privacy { return &Privacy{db: db} }

// personalQueries are the sections of the export: each selects only the
// user's rows ($1) and only fields about them or their own words; hashes
// of sessions and tokens, and other people's names and words, are left
// out. A column ending in _at is a time.
var personalQueries = []struct{ name, query string }{
	{"account", `SELECT id, email, name, handle, is_admin, disabled, created_at, updated_at FROM users WHERE id = $1`},
	{"audit_events", `SELECT action, target_kind, target_id, summary, created_at FROM audit_events WHERE actor_id = $1 ORDER BY id`},
	{"memberships", `SELECT o.slug AS organisation, m.role FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.slug`},
	{"contact_entries", `SELECT o.slug AS organisation, c.name, c.title, c.email, c.phone, c.created_at FROM contacts c JOIN organisations o ON o.id = c.organisation_id WHERE c.user_id = $1 ORDER BY c.id`},
	{"sessions", `SELECT created_at, last_seen_at, expires_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at`},
	{"api_tokens", `SELECT name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id`},
	{"invitations_received", `SELECT COALESCE(o.slug, '') AS organisation, i.role, i.created_at, i.accepted_at FROM invitations i LEFT JOIN organisations o ON o.id = i.organisation_id
		WHERE LOWER(i.email) = (SELECT LOWER(email) FROM users WHERE id = $1) ORDER BY i.id`},
	{"works_authored", `SELECT id, slug, title, visibility, created_at, updated_at FROM works WHERE author_id = $1 ORDER BY id`},
	{"work_revisions", `SELECT w.slug AS work, r.version, r.changed, r.created_at FROM work_revisions r JOIN works w ON w.id = r.work_id WHERE r.user_id = $1 ORDER BY r.id`},
	{"posts", `SELECT o.slug AS organisation, p.body_md AS body, p.visibility, p.created_at, p.updated_at FROM posts p JOIN organisations o ON o.id = p.organisation_id WHERE p.author_id = $1 ORDER BY p.id`},
	{"workshops_created", `SELECT id, title, focal_question, created_at FROM workshops WHERE created_by = $1 ORDER BY id`},
	{"workshop_participation", `SELECT p.workshop_id, w.title, p.nickname, p.role, p.joined_at FROM workshop_participants p JOIN workshops w ON w.id = p.workshop_id WHERE p.user_id = $1 ORDER BY p.workshop_id`},
	{"workshop_notes", `SELECT n.workshop_id, n.text, n.steep, n.created_at FROM workshop_notes n JOIN workshop_participants p ON p.workshop_id = n.workshop_id AND p.id = n.participant_id
		WHERE p.user_id = $1 ORDER BY n.workshop_id, n.id`},
	{"events_created", `SELECT id, title, starts_at, ends_at, created_at FROM events WHERE created_by = $1 ORDER BY id`},
	{"event_registrations", `SELECT r.event_id, e.title, r.status, r.created_at FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.id`},
	{"facilitator_profile", `SELECT o.slug AS organisation, f.methods, f.languages, f.regions, f.digital_only, f.availability, f.about_md AS about, f.active, f.updated_at
		FROM facilitators f JOIN organisations o ON o.id = f.organisation_id WHERE f.user_id = $1`},
	{"facilitator_requests", `SELECT r.id, CASE WHEN r.facilitator_id = $1 THEN 'facilitator' ELSE 'requester' END AS your_part, r.what, r.wanted_on AS wanted_at,
		r.status, r.created_at FROM facilitator_requests r WHERE r.facilitator_id = $1 OR r.requester_id = $1 ORDER BY r.id`},
	{"facilitator_request_steps", `SELECT request_id, action, note, at AS done_at FROM facilitator_request_steps WHERE actor_id = $1 ORDER BY id`},
	{"board_posts", `SELECT id, title, body_md AS body, kind, topic, status, created_at FROM board_posts WHERE author_id = $1 ORDER BY id`},
	{"board_interests", `SELECT post_id, message, chosen, created_at FROM board_interests WHERE user_id = $1 ORDER BY id`},
	{"comments", `SELECT id, kind, target_id, COALESCE(parent_id, 0) AS parent_id, body_md AS body, deleted, hidden_reason, created_at, edited_at FROM comments WHERE author_id = $1 ORDER BY id`},
}

// PersonalData returns every section about userID, in one read transaction.
func (s *Privacy) PersonalData(ctx context.Context, userID int64) ([]privacy.Section, error) {
	tx, err := s.db.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("personal data: %w", err)
	}
	defer tx.Rollback()
	out := make([]privacy.Section, 0, len(personalQueries))
	for _, q := range personalQueries {
		rows, err := tx.QueryContext(ctx, q.query, userID)
		if err != nil {
			return nil, fmt.Errorf("personal data %s: %w", q.name, err)
		}
		sec, err := readSection(q.name, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, nil
}

func readSection(name string, rows *sql.Rows) (privacy.Section, error) {
	defer rows.Close()
	sec := privacy.Section{Name: name}
	cols, err := rows.Columns()
	if err != nil {
		return sec, err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return sec, fmt.Errorf("personal data %s: %w", name, err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if strings.HasSuffix(c, "_at") {
				if n, ok := v.(int64); ok {
					if n == 0 {
						v = nil
					} else {
						v = time.UnixMilli(n).UTC().Format(time.RFC3339)
					}
				}
			}
			row[c] = v
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec, rows.Err()
}

// DeleteUser deletes the account: sessions, tokens, memberships, the
// facilitator profile and registrations go with it; what the user wrote
// stays with its author unset (shown as a former member). Each confirmed
// registration is cancelled as a cancel is, under its event's lock, so
// the first waiting moves up in the same transaction; it returns who
// moved up, to be told after the commit.
func (s *Privacy) DeleteUser(ctx context.Context, userID int64) ([]event.Registration, error) {
	var promoted []event.Registration
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		// In event order: the row locks are taken in one order everywhere.
		rows, err := tx.QueryContext(ctx, `SELECT event_id FROM event_registrations WHERE user_id = $1 AND status = 'confirmed' ORDER BY event_id`, userID)
		events, err := collect("delete user: registrations", rows, err, func(r scanner) (*int64, error) {
			var id int64
			return &id, r.Scan(&id)
		})
		if err != nil {
			return err
		}
		for _, id := range events {
			up, err := cancelRegistration(ctx, tx, id, userID)
			if err != nil {
				return fmt.Errorf("delete user: %w", err)
			}
			if up != nil {
				promoted = append(promoted, *up)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = 'facilitator' AND ref_id = $1`, userID); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		// Audit events stay; their actor becomes a former member (the
		// foreign key unsets actor_id; the name goes, actor_gone marks it).
		if _, err := tx.ExecContext(ctx, `UPDATE audit_events SET actor_name = '', actor_gone = $2 WHERE actor_id = $1`, userID, true); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, userID)
		return mustAffect("delete user", res, err)
	})
	if err != nil {
		return nil, err
	}
	return promoted, nil
}
