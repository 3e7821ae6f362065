package storage

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/framsyn/framsyn/internal/workshop"
)

// moveSQL is the lock's update of the workshop row (lockWorkshopSQL) for
// a command decided ahead at seq $2 - 1: it touches no row when the
// workshop has moved on.
const moveSQL = `UPDATE workshops SET last_seq = $2, updated_at = $3 WHERE id = $1 AND last_seq = $2 - 1`

// moveOrFailSQL is moveSQL failing with division_by_zero when it touches
// no row, so that PostgreSQL skips the writes sent after it.
const moveOrFailSQL = `WITH moved AS (` + moveSQL + ` RETURNING 1) SELECT 1 / count(*) FROM moved`

// ApplyDecided saves a command decided ahead (workshop.Store). On
// PostgreSQL that is one round trip: begin, the token, the conditional
// update of the workshop row, the writes, the event, the announcement and
// the commit, in one pgx batch; a statement that fails skips the rest, and
// the transaction is rolled back.
func (s *Workshops) ApplyDecided(ctx context.Context, ev *workshop.Event, ch *workshop.Change, sp *workshop.Spend, an *workshop.Announcement) (bool, error) {
	ws := append(changeWrites(ev.WorkshopID, ch), eventWrite(ev))
	if s.db.Engine != Postgres {
		if an != nil {
			return false, errors.New("storage: SQLite sends no notifications")
		}
		if sp != nil {
			// A token is a write of its own here (see Apply), which a
			// transaction that then fails could not take back: Apply
			// takes it.
			return false, nil
		}
		err := s.db.tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, moveSQL, ev.WorkshopID, ev.Seq, ms(ev.At))
			if err := mustAffect("move workshop", res, err); err != nil {
				return err
			}
			return execWrites(ctx, tx, ws)
		})
		return err == nil, nil
	}
	if an != nil {
		// Delivered at the commit, and not at all if the batch fails.
		ws = append(ws, write{query: `SELECT pg_notify($1, $2)`, args: []any{an.Channel, an.Payload}, op: "announce"})
	}
	conn, err := s.db.rw.Conn(ctx)
	if err != nil {
		return false, nil
	}
	defer func() {
		rollback(conn)
		conn.Close()
	}()
	err = withPgx(conn, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		queueBegin(b, sp)
		b.Queue(moveOrFailSQL, ev.WorkshopID, ev.Seq, ms(ev.At))
		queueCommit(b, ws)
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		if err := readBegin(br, sp); err != nil {
			return err
		}
		if _, err := br.Exec(); err != nil {
			return err // moved on: division by zero
		}
		if err := readCommit(br, ws); err != nil {
			return err
		}
		return br.Close()
	})
	switch {
	case errors.Is(err, workshop.ErrRateLimited):
		return false, err
	case err != nil:
		return false, nil
	}
	if sp != nil {
		s.db.rateLimits.sweep(ctx, sp.At)
	}
	return true, nil
}
