package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/workshop"
)

// write is one statement of a command's change, with what its failure
// means: Apply runs the writes one by one in its transaction on SQLite and
// sends them in one pipeline on PostgreSQL.
type write struct {
	query string
	args  []any
	op    string // names the write in errors
	taken string // the Conflict key of a unique violation; "" when none is expected
}

func (w write) fail(err error) error {
	if w.taken != "" && isUnique(err) {
		return errs.Wrap(errs.Conflict, w.taken, err)
	}
	return fmt.Errorf("%s: %w", w.op, err)
}

// execWrites runs writes in order, stopping at the first that fails.
func execWrites(ctx context.Context, q queryer, writes []write) error {
	for _, w := range writes {
		if _, err := q.ExecContext(ctx, w.query, w.args...); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

// saveChange writes the rows a command changed; each replaces the row
// with its key.
func saveChange(ctx context.Context, q queryer, wid int64, ch *workshop.Change) error {
	return execWrites(ctx, q, changeWrites(wid, ch))
}

// changeWrites returns the statements that save ch.
func changeWrites(wid int64, ch *workshop.Change) []write {
	var ws []write
	if w := ch.Workshop; w != nil {
		ws = append(ws, write{`UPDATE workshops SET title = $2, focal_question = $3, horizon_year = $4, stage = $5,
			stage_locked = $6, stage_ends_at = $7, revealed = $8, dot_budget = $9, status = $10, apart = $11, code = $12,
			cluster_facilitators = $13, rejected_proposals = $14 WHERE id = $1`,
			[]any{wid, w.Title, w.FocalQuestion, w.HorizonYear, w.Stage, b2i(w.StageLocked), ms(w.StageEndsAt), b2i(w.Revealed),
				w.DotBudget, string(w.Status), b2i(w.Apart), w.Code, b2i(w.FacilitatorsCluster), strings.Join(w.RejectedProposals, " ")},
			"save workshop", "workshop.code_taken"})
	}
	for i := range ch.Participants {
		ws = append(ws, participantWrite(wid, &ch.Participants[i]))
	}
	for _, g := range ch.Groups {
		ws = append(ws, write{`INSERT INTO workshop_groups (workshop_id, id, name, quadrant) VALUES ($1, $2, $3, $4)
			ON CONFLICT (workshop_id, id) DO UPDATE SET name = excluded.name, quadrant = excluded.quadrant`,
			[]any{wid, g.ID, g.Name, g.Quadrant}, "save group", ""})
	}
	for _, n := range ch.Notes {
		ws = append(ws, write{`INSERT INTO workshop_notes (workshop_id, id, participant_id, group_id, steep, text,
			cluster_id, cluster_name, removed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (workshop_id, id) DO UPDATE SET group_id = excluded.group_id, steep = excluded.steep, text = excluded.text,
			cluster_id = excluded.cluster_id, cluster_name = excluded.cluster_name, removed = excluded.removed`,
			[]any{wid, n.ID, n.ParticipantID, n.GroupID, n.STEEP, n.Text, n.ClusterID, n.ClusterName, b2i(n.Removed), ms(n.CreatedAt)},
			"save note", ""})
	}
	for _, a := range ch.Axes {
		ws = append(ws, write{`INSERT INTO workshop_axes (workshop_id, axis, note_id, label, low, high) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (workshop_id, axis) DO UPDATE SET note_id = excluded.note_id, label = excluded.label, low = excluded.low, high = excluded.high`,
			[]any{wid, a.Name, a.NoteID, a.Label, a.Low, a.High}, "save axis", ""})
	}
	for _, s := range ch.Scenarios {
		ws = append(ws, write{`INSERT INTO workshop_scenarios (workshop_id, quadrant, name, story, life, signs, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workshop_id, quadrant) DO UPDATE SET name = excluded.name,
			story = excluded.story, life = excluded.life, signs = excluded.signs, updated_by = excluded.updated_by`,
			[]any{wid, s.Quadrant, s.Name, s.Story, s.Life, s.Signs, s.UpdatedBy}, "save scenario", ""})
	}
	for _, b := range ch.Backcast {
		ws = append(ws, write{`INSERT INTO workshop_backcast (workshop_id, id, kind, parent_id, year, text, owner, participant_id, removed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workshop_id, id) DO UPDATE SET text = excluded.text,
			owner = excluded.owner, year = excluded.year, removed = excluded.removed`,
			[]any{wid, b.ID, b.Kind, b.ParentID, b.Year, b.Text, b.Owner, b.ParticipantID, b2i(b.Removed)}, "save backcast", ""})
	}
	if r := ch.Rating; r != nil {
		ws = append(ws, write{`INSERT INTO workshop_ratings (workshop_id, note_id, participant_id, impact, uncertainty)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workshop_id, note_id, participant_id) DO UPDATE SET impact = excluded.impact,
			uncertainty = excluded.uncertainty`, []any{wid, r.NoteID, r.ParticipantID, r.Impact, r.Uncertainty}, "save rating", ""})
	}
	if v := ch.Vote; v != nil {
		if v.Dots <= 0 {
			ws = append(ws, write{`DELETE FROM workshop_votes WHERE workshop_id = $1 AND participant_id = $2 AND quadrant = $3`,
				[]any{wid, v.ParticipantID, v.Quadrant}, "save vote", ""})
		} else {
			ws = append(ws, write{`INSERT INTO workshop_votes (workshop_id, participant_id, quadrant, dots) VALUES ($1, $2, $3, $4)
				ON CONFLICT (workshop_id, participant_id, quadrant) DO UPDATE SET dots = excluded.dots`,
				[]any{wid, v.ParticipantID, v.Quadrant, v.Dots}, "save vote", ""})
		}
	}
	return ws
}

func participantWrite(wid int64, p *workshop.Participant) write {
	token := sql.NullString{String: p.TokenHash, Valid: p.TokenHash != ""}
	return write{`INSERT INTO workshop_participants (workshop_id, id, user_id, nickname, role, group_id, removed, token_hash, joined_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workshop_id, id) DO UPDATE SET nickname = excluded.nickname,
		role = excluded.role, group_id = excluded.group_id, removed = excluded.removed`,
		[]any{wid, p.ID, nullID(p.UserID), p.Nickname, string(p.Role), p.GroupID, b2i(p.Removed), token, ms(p.JoinedAt)},
		"save participant", ""}
}

func putParticipant(ctx context.Context, q queryer, wid int64, p *workshop.Participant) error {
	return execWrites(ctx, q, []write{participantWrite(wid, p)})
}

// txView reads a workshop inside the transaction that applies a command;
// q is the transaction (or, on PostgreSQL, the connection it is open on).
type txView struct {
	ctx context.Context
	q   queryer
	w   *workshop.Workshop
}

// The reads a decision may name ahead (workshop.Reads), shared by txView
// and the pipelined Apply so that both run the same prepared statements.
const (
	participantSQL = `SELECT ` + participantCols + ` FROM workshop_participants WHERE workshop_id = $1 AND id = $2`
	noteSQL        = `SELECT ` + noteCols + ` FROM workshop_notes WHERE workshop_id = $1 AND id = $2`
	noteCountsSQL  = `SELECT coalesce(sum(CASE WHEN participant_id = $2 THEN 1 ELSE 0 END), 0), count(*)
		FROM workshop_notes WHERE workshop_id = $1`
	ratingStatsSQL = `SELECT count(*), coalesce(sum(impact), 0), coalesce(sum(uncertainty), 0) FROM workshop_ratings
		WHERE workshop_id = $1 AND note_id = $2 AND participant_id <> $3`
	votesOfSQL    = `SELECT participant_id, quadrant, dots FROM workshop_votes WHERE workshop_id = $1 AND participant_id = $2 ORDER BY participant_id, quadrant`
	voteTotalsSQL = `SELECT quadrant, sum(dots) FROM workshop_votes WHERE workshop_id = $1 GROUP BY quadrant ORDER BY quadrant`
)

func (v *txView) Workshop() *workshop.Workshop { c := *v.w; return &c }

func (v *txView) Participant(id int64) (*workshop.Participant, error) {
	p, err := scanParticipant(v.q.QueryRowContext(v.ctx, participantSQL, v.w.ID, id))
	return p, notFound("participant", err)
}

func (v *txView) ParticipantByUser(userID int64) (*workshop.Participant, error) {
	p, err := scanParticipant(v.q.QueryRowContext(v.ctx, `SELECT `+participantCols+` FROM workshop_participants
		WHERE workshop_id = $1 AND user_id = $2`, v.w.ID, userID))
	return p, notFound("participant by user", err)
}

func (v *txView) Participants() ([]workshop.Participant, error) {
	return participants(v.ctx, v.q, v.w.ID)
}

func (v *txView) Group(id int64) (*workshop.Group, error) {
	var g workshop.Group
	err := v.q.QueryRowContext(v.ctx, `SELECT id, name, quadrant FROM workshop_groups WHERE workshop_id = $1 AND id = $2`,
		v.w.ID, id).Scan(&g.ID, &g.Name, &g.Quadrant)
	return &g, notFound("group", err)
}

func (v *txView) Groups() ([]workshop.Group, error) { return groups(v.ctx, v.q, v.w.ID) }

func (v *txView) Note(id int64) (*workshop.Note, error) {
	n, err := scanNote(v.q.QueryRowContext(v.ctx, noteSQL, v.w.ID, id))
	return n, notFound("note", err)
}

func (v *txView) ClusterMembers(id int64) ([]workshop.Note, error) {
	return notes(v.ctx, v.q, `WHERE workshop_id = $1 AND cluster_id = $2`, v.w.ID, id)
}

func (v *txView) NoteCounts(by int64) (mine, all int, err error) {
	err = v.q.QueryRowContext(v.ctx, noteCountsSQL, v.w.ID, by).Scan(&mine, &all)
	return mine, all, err
}

func (v *txView) RatingStats(noteID, except int64) (workshop.RatingStats, error) {
	st := workshop.RatingStats{NoteID: noteID}
	err := v.q.QueryRowContext(v.ctx, ratingStatsSQL, v.w.ID, noteID, except).Scan(&st.N, &st.ImpactSum, &st.UncertaintySum)
	return st, err
}

func (v *txView) AllRatingStats() ([]workshop.RatingStats, error) {
	rows, err := v.q.QueryContext(v.ctx, `SELECT note_id, count(*), sum(impact), sum(uncertainty) FROM workshop_ratings
		WHERE workshop_id = $1 GROUP BY note_id ORDER BY note_id`, v.w.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workshop.RatingStats{}
	for rows.Next() {
		var st workshop.RatingStats
		if err := rows.Scan(&st.NoteID, &st.N, &st.ImpactSum, &st.UncertaintySum); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func (v *txView) Votes(by int64) ([]workshop.Vote, error) {
	rows, err := v.q.QueryContext(v.ctx, votesOfSQL, v.w.ID, by)
	out, err := collect("votes", rows, err, scanVote)
	return nonNil(out), err
}

func (v *txView) VoteTotals() ([]workshop.VoteTotal, error) {
	rows, err := v.q.QueryContext(v.ctx, voteTotalsSQL, v.w.ID)
	out, err := collect("vote totals", rows, err, scanVoteTotal)
	return nonNil(out), err
}

func scanVote(r scanner) (*workshop.Vote, error) {
	var v workshop.Vote
	return &v, r.Scan(&v.ParticipantID, &v.Quadrant, &v.Dots)
}

func scanVoteTotal(r scanner) (*workshop.VoteTotal, error) {
	var t workshop.VoteTotal
	return &t, r.Scan(&t.Quadrant, &t.Dots)
}

func (v *txView) Scenario(q int) (*workshop.Scenario, error) {
	var s workshop.Scenario
	err := v.q.QueryRowContext(v.ctx, `SELECT quadrant, name, story, life, signs, updated_by FROM workshop_scenarios
		WHERE workshop_id = $1 AND quadrant = $2`, v.w.ID, q).Scan(&s.Quadrant, &s.Name, &s.Story, &s.Life, &s.Signs, &s.UpdatedBy)
	return &s, notFound("scenario", err)
}

func (v *txView) Backcast(id int64) (*workshop.BackcastItem, error) {
	b, err := scanBackcast(v.q.QueryRowContext(v.ctx, `SELECT `+backcastCols+` FROM workshop_backcast WHERE workshop_id = $1 AND id = $2`, v.w.ID, id))
	return b, notFound("backcast item", err)
}

func (v *txView) BackcastCount() (int, error) {
	var n int
	err := v.q.QueryRowContext(v.ctx, `SELECT count(*) FROM workshop_backcast WHERE workshop_id = $1`, v.w.ID).Scan(&n)
	return n, err
}

func participants(ctx context.Context, q queryer, wid int64) ([]workshop.Participant, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+participantCols+` FROM workshop_participants WHERE workshop_id = $1 ORDER BY id`, wid)
	out, err := collect("participants", rows, err, scanParticipant)
	return nonNil(out), err
}

func groups(ctx context.Context, q queryer, wid int64) ([]workshop.Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, quadrant FROM workshop_groups WHERE workshop_id = $1 ORDER BY id`, wid)
	out, err := collect("groups", rows, err, func(r scanner) (*workshop.Group, error) {
		var g workshop.Group
		return &g, r.Scan(&g.ID, &g.Name, &g.Quadrant)
	})
	return nonNil(out), err
}

const noteCols = `id, participant_id, group_id, steep, text, cluster_id, cluster_name, removed, created_at`

func scanNote(row interface{ Scan(...any) error }) (*workshop.Note, error) {
	var n workshop.Note
	var removed int
	var at int64
	if err := row.Scan(&n.ID, &n.ParticipantID, &n.GroupID, &n.STEEP, &n.Text, &n.ClusterID, &n.ClusterName, &removed, &at); err != nil {
		return nil, err
	}
	n.Removed, n.CreatedAt = removed != 0, fromMS(at)
	return &n, nil
}

func notes(ctx context.Context, q queryer, where string, args ...any) ([]workshop.Note, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+noteCols+` FROM workshop_notes `+where+` ORDER BY id`, args...)
	out, err := collect("notes", rows, err, scanNote)
	return nonNil(out), err
}

func votes(ctx context.Context, q queryer, where string, args ...any) ([]workshop.Vote, error) {
	rows, err := q.QueryContext(ctx, `SELECT participant_id, quadrant, dots FROM workshop_votes `+where+` ORDER BY participant_id, quadrant`, args...)
	out, err := collect("votes", rows, err, scanVote)
	return nonNil(out), err
}

const backcastCols = `id, kind, parent_id, year, text, owner, participant_id, removed`

func scanBackcast(row interface{ Scan(...any) error }) (*workshop.BackcastItem, error) {
	var b workshop.BackcastItem
	var removed int
	if err := row.Scan(&b.ID, &b.Kind, &b.ParentID, &b.Year, &b.Text, &b.Owner, &b.ParticipantID, &removed); err != nil {
		return nil, err
	}
	b.Removed = removed != 0
	return &b, nil
}

// Board reads a workshop's whole state in one snapshot.
func (s *Workshops) Board(ctx context.Context, wid int64) (*workshop.Board, error) {
	var opts *sql.TxOptions
	if s.db.Engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.db.ro.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("board: %w", err)
	}
	defer tx.Rollback()
	w, err := scanWorkshop(tx.QueryRowContext(ctx, `SELECT `+workshopCols+` FROM workshops WHERE id = $1`, wid))
	if err != nil {
		return nil, notFound("workshop", err)
	}
	b := &workshop.Board{Workshop: *w}
	if b.Participants, err = participants(ctx, tx, wid); err != nil {
		return nil, err
	}
	if b.Groups, err = groups(ctx, tx, wid); err != nil {
		return nil, err
	}
	if b.Notes, err = notes(ctx, tx, `WHERE workshop_id = $1`, wid); err != nil {
		return nil, err
	}
	if b.Votes, err = votes(ctx, tx, `WHERE workshop_id = $1`, wid); err != nil {
		return nil, err
	}
	b.Ratings, b.Axes, b.Scenarios, b.Backcast = []workshop.Rating{}, []workshop.Axis{}, []workshop.Scenario{}, []workshop.BackcastItem{}
	rows, err := tx.QueryContext(ctx, `SELECT note_id, participant_id, impact, uncertainty FROM workshop_ratings WHERE workshop_id = $1 ORDER BY note_id, participant_id`, wid)
	if err != nil {
		return nil, fmt.Errorf("board ratings: %w", err)
	}
	for rows.Next() {
		var r workshop.Rating
		if err := rows.Scan(&r.NoteID, &r.ParticipantID, &r.Impact, &r.Uncertainty); err != nil {
			rows.Close()
			return nil, err
		}
		b.Ratings = append(b.Ratings, r)
	}
	rows.Close()
	if rows, err = tx.QueryContext(ctx, `SELECT axis, note_id, label, low, high FROM workshop_axes WHERE workshop_id = $1 ORDER BY axis`, wid); err != nil {
		return nil, fmt.Errorf("board axes: %w", err)
	}
	for rows.Next() {
		var a workshop.Axis
		if err := rows.Scan(&a.Name, &a.NoteID, &a.Label, &a.Low, &a.High); err != nil {
			rows.Close()
			return nil, err
		}
		b.Axes = append(b.Axes, a)
	}
	rows.Close()
	if rows, err = tx.QueryContext(ctx, `SELECT quadrant, name, story, life, signs, updated_by FROM workshop_scenarios WHERE workshop_id = $1 ORDER BY quadrant`, wid); err != nil {
		return nil, fmt.Errorf("board scenarios: %w", err)
	}
	for rows.Next() {
		var s workshop.Scenario
		if err := rows.Scan(&s.Quadrant, &s.Name, &s.Story, &s.Life, &s.Signs, &s.UpdatedBy); err != nil {
			rows.Close()
			return nil, err
		}
		b.Scenarios = append(b.Scenarios, s)
	}
	rows.Close()
	if rows, err = tx.QueryContext(ctx, `SELECT `+backcastCols+` FROM workshop_backcast WHERE workshop_id = $1 ORDER BY year DESC, id`, wid); err != nil {
		return nil, fmt.Errorf("board backcast: %w", err)
	}
	for rows.Next() {
		it, err := scanBackcast(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		b.Backcast = append(b.Backcast, *it)
	}
	rows.Close()
	return b, rows.Err()
}
