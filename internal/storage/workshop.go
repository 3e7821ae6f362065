package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/workshop"
)

var _ workshop.Store = (*Workshops)(nil)

// Workshops keeps workshops, their participants and event logs
// (workshop.Store).
type Workshops struct{ db *DB }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const workshopCols = `id, organisation_id, title, focal_question, horizon_year, code, template, stage, stage_locked,
	stage_ends_at, revealed, dot_budget, status, created_by, last_seq, created_at, updated_at, apart, cluster_facilitators, rejected_proposals`

func scanWorkshop(row interface{ Scan(...any) error }) (*workshop.Workshop, error) {
	var w workshop.Workshop
	var org, by sql.NullInt64
	var locked, revealed, apart, clusterFac int
	var ends, c, u int64
	var rejected string
	if err := row.Scan(&w.ID, &org, &w.Title, &w.FocalQuestion, &w.HorizonYear, &w.Code, &w.Template, &w.Stage,
		&locked, &ends, &revealed, &w.DotBudget, &w.Status, &by, &w.Seq, &c, &u, &apart, &clusterFac, &rejected); err != nil {
		return nil, err
	}
	w.OrganisationID, w.CreatedBy = org.Int64, by.Int64
	w.StageLocked, w.Revealed, w.Apart = locked != 0, revealed != 0, apart != 0
	w.FacilitatorsCluster = clusterFac != 0
	w.RejectedProposals = strings.Fields(rejected)
	w.StageEndsAt, w.CreatedAt, w.UpdatedAt = fromMS(ends), fromMS(c), fromMS(u)
	return &w, nil
}

// CreateWorkshop saves a workshop, its first facilitator and event 1.
// DeleteWorkshop removes a workshop; its participants, events and board
// go with it (ON DELETE CASCADE).
func (s *Workshops) DeleteWorkshop(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM workshops WHERE id = $1`, id)
		return mustAffect("delete workshop", res, err)
	})
}

func (s *Workshops) CreateWorkshop(ctx context.Context, w *workshop.Workshop, host *workshop.Participant, ev *workshop.Event) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO workshops (organisation_id, title, focal_question, horizon_year, code, template,
			stage, stage_locked, stage_ends_at, revealed, dot_budget, status, created_by, last_seq, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			nullID(w.OrganisationID), w.Title, w.FocalQuestion, w.HorizonYear, w.Code, w.Template, w.Stage,
			b2i(w.StageLocked), ms(w.StageEndsAt), b2i(w.Revealed), w.DotBudget, string(w.Status), nullID(w.CreatedBy),
			ev.Seq, ms(w.CreatedAt)).Scan(&w.ID)
		if isUnique(err) {
			return errs.Wrap(errs.Conflict, "workshop.code_taken", err)
		}
		if err != nil {
			return fmt.Errorf("create workshop: %w", err)
		}
		host.WorkshopID, ev.WorkshopID = w.ID, w.ID
		if err := putParticipant(ctx, tx, w.ID, host); err != nil {
			return err
		}
		ch := &workshop.Change{Workshop: w, Participants: []workshop.Participant{*host}}
		if err := ch.Encode(ev); err != nil {
			return err
		}
		return insertEvent(ctx, tx, ev)
	})
}

// Workshop returns a workshop by id.
func (s *Workshops) Workshop(ctx context.Context, id int64) (*workshop.Workshop, error) {
	w, err := scanWorkshop(s.db.ro.QueryRowContext(ctx, `SELECT `+workshopCols+` FROM workshops WHERE id = $1`, id))
	return w, notFound("workshop", err)
}

// WorkshopByCode returns a workshop by join code.
func (s *Workshops) WorkshopByCode(ctx context.Context, code string) (*workshop.Workshop, error) {
	w, err := scanWorkshop(s.db.ro.QueryRowContext(ctx, `SELECT `+workshopCols+` FROM workshops WHERE code = $1`, code))
	return w, notFound("workshop by code", err)
}

// WorkshopsOf lists limit of the workshops a user takes part in, newest
// first, from offset.
func (s *Workshops) WorkshopsOf(ctx context.Context, userID int64, offset, limit int) ([]workshop.Workshop, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT `+prefixed("w.", workshopCols)+` FROM workshops w
		JOIN workshop_participants p ON p.workshop_id = w.id
		WHERE p.user_id = $1 AND p.removed = 0 ORDER BY w.created_at DESC, w.id DESC LIMIT $2 OFFSET $3`, userID, limit, offset)
	return collect("workshops of user", rows, err, scanWorkshop)
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

const participantCols = `workshop_id, id, user_id, nickname, role, group_id, removed, token_hash, joined_at`

func scanParticipant(row interface{ Scan(...any) error }) (*workshop.Participant, error) {
	var p workshop.Participant
	var user sql.NullInt64
	var token sql.NullString
	var removed int
	var joined int64
	if err := row.Scan(&p.WorkshopID, &p.ID, &user, &p.Nickname, &p.Role, &p.GroupID, &removed, &token, &joined); err != nil {
		return nil, err
	}
	p.UserID, p.TokenHash, p.Removed, p.JoinedAt = user.Int64, token.String, removed != 0, fromMS(joined)
	return &p, nil
}

// ParticipantsByToken returns the guests holding any of the token hashes,
// in one query: a restart's thousand reconnecting streams look up their
// tokens together (workshop.Service).
func (s *Workshops) ParticipantsByToken(ctx context.Context, hashes []string) ([]*workshop.Participant, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	// One statement for any number of hashes: an array on PostgreSQL, a
	// JSON array on SQLite.
	q := `SELECT ` + participantCols + ` FROM workshop_participants WHERE token_hash = ANY($1)`
	var arg any = hashes
	if s.db.Engine != Postgres {
		q = `SELECT ` + participantCols + ` FROM workshop_participants WHERE token_hash IN (SELECT value FROM json_each($1))`
		b, err := json.Marshal(hashes)
		if err != nil {
			return nil, err
		}
		arg = string(b)
	}
	rows, err := s.db.ro.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("participants by token: %w", err)
	}
	defer rows.Close()
	var out []*workshop.Participant
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, fmt.Errorf("participants by token: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ParticipantByUser returns a user's participant in a workshop.
func (s *Workshops) ParticipantByUser(ctx context.Context, workshopID, userID int64) (*workshop.Participant, error) {
	p, err := scanParticipant(s.db.ro.QueryRowContext(ctx, `SELECT `+participantCols+` FROM workshop_participants
		WHERE workshop_id = $1 AND user_id = $2`, workshopID, userID))
	return p, notFound("participant by user", err)
}

// Participant returns a participant of a workshop.
func (s *Workshops) Participant(ctx context.Context, workshopID, id int64) (*workshop.Participant, error) {
	p, err := scanParticipant(s.db.ro.QueryRowContext(ctx, `SELECT `+participantCols+` FROM workshop_participants
		WHERE workshop_id = $1 AND id = $2`, workshopID, id))
	return p, notFound("participant", err)
}

// Apply decides and stores one command (see workshop.Store).
func (s *Workshops) Apply(ctx context.Context, workshopID, by int64, clientID string, kind workshop.Kind, reads workshop.Reads, decide workshop.Decider) (*workshop.Event, bool, error) {
	if s.db.Engine == Postgres {
		return s.applyPipelined(ctx, workshopID, by, clientID, kind, reads, decide)
	}
	if sp := reads.Spend; sp != nil {
		// SQLite has one writer: the token is a write of its own, as the
		// service's would be (SpendsFor says it brings nothing here).
		if ok, err := s.db.rateLimits.Allow(ctx, sp.At, sp.Rule); err != nil {
			return nil, false, err
		} else if !ok {
			return nil, false, workshop.ErrRateLimited
		}
	}
	// A command already stored (a resend) is not looked for first: its
	// event's insert fails on the unique client id, and the failure is
	// answered with the stored copy (below). A look-up on a read
	// connection cost every command a read transaction of its own, a
	// quarter of its CPU, for the rare resend.
	var ev *workshop.Event
	now := s.db.now().UTC()
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		w, err := scanWorkshop(tx.QueryRowContext(ctx, lockWorkshopSQL, workshopID, now.UnixMilli()))
		if err != nil {
			return notFound("workshop", err)
		}
		ch, err := decide(&txView{ctx: ctx, q: tx, w: w})
		if err != nil {
			return err
		}
		if ev, err = workshop.NewEvent(workshopID, w.Seq, kind, by, clientID, now, ch); err != nil {
			return err
		}
		if err := saveChange(ctx, tx, w.ID, ch); err != nil {
			return err
		}
		return insertEvent(ctx, tx, ev)
	})
	if err != nil {
		// A resend, or the same command sent twice at once: the copy
		// that committed first is the answer to both, whatever this
		// one's decision or its clash with the stored client id said.
		if old, serr := s.stored(ctx, s.db.rw, workshopID, by, clientID); old != nil || serr != nil {
			return old, old != nil, serr
		}
		return nil, false, err
	}
	return ev, false, nil
}

// SpendsFor reports whether a command's token of lim is best taken in
// Apply (workshop.Reads.Spend): on PostgreSQL, when lim is this database's,
// the token goes in the lock's round trip instead of one of its own.
func (s *Workshops) SpendsFor(lim ratelimit.Limiter) bool {
	rl, ok := lim.(*RateLimits)
	return ok && rl.db == s.db && s.db.Engine == Postgres
}

const (
	// lockWorkshopSQL takes the workshop's row lock and the next sequence
	// number: every command's first statement.
	lockWorkshopSQL  = `UPDATE workshops SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING ` + workshopCols
	eventByClientSQL = `SELECT ` + eventCols + ` FROM workshop_events WHERE workshop_id = $1 AND client_id = $2`
)

// stored returns the workshop's event of the client id, nil when there is
// none; by, when set, must be its author (a client id is its author's).
func (s *Workshops) stored(ctx context.Context, q queryer, workshopID, by int64, clientID string) (*workshop.Event, error) {
	old, err := scanEvent(q.QueryRowContext(ctx, eventByClientSQL, workshopID, clientID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("apply: %w", err)
	case by != 0 && old.ParticipantID != by:
		return nil, errs.E(errs.Conflict, "workshop.client_id_reused")
	}
	return old, nil
}

const eventCols = `workshop_id, seq, kind, participant_id, client_id, anonymous, data_full, data_own, data_public, created_at`

func scanEvent(row interface{ Scan(...any) error }) (*workshop.Event, error) {
	var e workshop.Event
	var anon int
	var full, own, pub string
	var at int64
	if err := row.Scan(&e.WorkshopID, &e.Seq, &e.Kind, &e.ParticipantID, &e.ClientID, &anon, &full, &own, &pub, &at); err != nil {
		return nil, err
	}
	e.Anonymous, e.At = anon != 0, fromMS(at)
	e.Full = []byte(full)
	if own != "" {
		e.Own = []byte(own)
	}
	if pub != "" {
		e.Public = []byte(pub)
	}
	return &e, nil
}

func insertEvent(ctx context.Context, q queryer, e *workshop.Event) error {
	return execWrites(ctx, q, []write{eventWrite(e)})
}

func eventWrite(e *workshop.Event) write {
	return write{`INSERT INTO workshop_events (` + eventCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		[]any{e.WorkshopID, e.Seq, string(e.Kind), e.ParticipantID, e.ClientID, b2i(e.Anonymous),
			string(e.Full), string(e.Own), string(e.Public), ms(e.At)},
		"insert event", "workshop.client_id_reused"}
}

// Events returns up to limit events after seq, in order.
func (s *Workshops) Events(ctx context.Context, workshopID, after int64, limit int) ([]*workshop.Event, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT `+eventCols+` FROM workshop_events
		WHERE workshop_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, workshopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []*workshop.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventsOfKind returns up to limit events of one kind, in order (the
// facilitator's list of snapshots reads the stage changes alone).
func (s *Workshops) EventsOfKind(ctx context.Context, workshopID int64, kind workshop.Kind, limit int) ([]*workshop.Event, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT `+eventCols+` FROM workshop_events
		WHERE workshop_id = $1 AND kind = $2 ORDER BY seq LIMIT $3`, workshopID, string(kind), limit)
	if err != nil {
		return nil, fmt.Errorf("events of kind: %w", err)
	}
	defer rows.Close()
	var out []*workshop.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events of kind: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastSeq returns the workshop's last sequence number.
func (s *Workshops) LastSeq(ctx context.Context, workshopID int64) (int64, error) {
	var seq int64
	err := s.db.ro.QueryRowContext(ctx, `SELECT last_seq FROM workshops WHERE id = $1`, workshopID).Scan(&seq)
	return seq, notFound("workshop seq", err)
}

// LastSeqs returns the last sequence number of each workshop in ids that
// exists, for the PostgreSQL broker's periodic check.
func (s *Workshops) LastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = id
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT id, last_seq FROM workshops WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("last seqs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, rows.Err()
}
