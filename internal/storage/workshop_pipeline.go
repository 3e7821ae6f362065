package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/workshop"
)

// A command holds its workshop's row lock from the UPDATE of last_seq to
// the commit, and every other writer of the workshop waits behind it, so
// each round trip taken under the lock delays all of them. Statement by
// statement that is 6–8 round trips (lock, the resend look-up, each of
// the decision's reads, each write, commit); on PostgreSQL applyPipelined
// takes two, sending each group of statements in one pipeline (pgx
// batches): begin, the lock, the resend look-up and the reads the
// decision names ahead (workshop.Reads); then, once the decision has run
// in Go, its writes, the event and the commit. A read the decision makes
// that was not named ahead is a round trip of its own in the same
// transaction, so naming too little is slower, never wrong.
//
// The command's rate-limit token (workshop.Reads.Spend) goes first in the
// first batch, before the lock, and a savepoint after it: a bucket that
// refuses fails the statement, so PostgreSQL skips the rest of the batch
// and the lock is never taken; a command refused by its decision, or a
// resend, rolls back to the savepoint and commits, so its token stays
// spent as when it was taken by a statement of its own, one round trip
// earlier.

// applyPipelined is Apply on PostgreSQL (see above).
func (s *Workshops) applyPipelined(ctx context.Context, workshopID, by int64, clientID string, kind workshop.Kind, reads workshop.Reads, decide workshop.Decider) (*workshop.Event, bool, error) {
	conn, err := s.db.rw.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("apply: %w", err)
	}
	defer func() {
		rollback(conn) // if a panic left the transaction open: never hand back the lock
		conn.Close()
	}()
	now := s.db.now().UTC()
	v := &preView{txView: txView{ctx: ctx, q: conn}, r: reads}
	var old *workshop.Event
	var oldErr error
	sp := reads.Spend
	err = withPgx(conn, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		queueBegin(b, sp)
		if sp != nil {
			b.Queue("savepoint spent")
		}
		b.Queue(lockWorkshopSQL, workshopID, now.UnixMilli())
		b.Queue(eventByClientSQL, workshopID, clientID)
		v.queue(b, workshopID)
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		if err := readBegin(br, sp); err != nil {
			return err
		}
		if sp != nil {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("storage: savepoint: %w", err)
			}
		}
		var err error
		if v.w, err = scanWorkshop(br.QueryRow()); err != nil {
			return notFound("workshop", err)
		}
		old, oldErr = scanEvent(br.QueryRow())
		if err := v.read(br); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		rollback(conn)
		return s.failed(ctx, workshopID, by, clientID, err)
	}
	// end ends the transaction without the command: keeping the token
	// when one was taken, else rolling back.
	end := func() error {
		if sp == nil {
			rollback(conn)
			return nil
		}
		return keepSpend(ctx, conn)
	}
	switch {
	case oldErr == nil: // a resend: the stored event answers it
		if err := end(); err != nil {
			return nil, false, err
		}
		if by != 0 && old.ParticipantID != by {
			return nil, false, errs.E(errs.Conflict, "workshop.client_id_reused")
		}
		return old, true, nil
	case !errors.Is(oldErr, sql.ErrNoRows):
		rollback(conn)
		return nil, false, fmt.Errorf("apply: %w", oldErr)
	}
	ch, err := decide(v)
	if err != nil {
		// Under the lock no copy of the command was stored: the refusal
		// is the answer.
		if eerr := end(); eerr != nil {
			return nil, false, eerr
		}
		return nil, false, err
	}
	ev, err := workshop.NewEvent(workshopID, v.w.Seq, kind, by, clientID, now, ch)
	if err != nil {
		rollback(conn)
		return nil, false, err
	}
	ws := append(changeWrites(workshopID, ch), eventWrite(ev))
	err = withPgx(conn, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		queueCommit(b, ws)
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		if err := readCommit(br, ws); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		rollback(conn)
		return s.failed(ctx, workshopID, by, clientID, err)
	}
	if sp != nil {
		s.db.rateLimits.sweep(ctx, sp.At)
	}
	return ev, false, nil
}

// queueBegin queues the transaction's begin and the command's token sp,
// when set; readBegin reads their answers: a bucket that refuses is
// workshop.ErrRateLimited.
func queueBegin(b *pgx.Batch, sp *workshop.Spend) {
	b.Queue("begin")
	if sp != nil {
		r := sp.Rule
		r.Key = rateKey(r.Key)
		b.Queue(spendOrFailSQL, spendArgs(r, sp.At.UnixMilli())...)
	}
}

func readBegin(br pgx.BatchResults, sp *workshop.Spend) error {
	if _, err := br.Exec(); err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	if sp != nil {
		if _, err := br.Exec(); err != nil {
			if pe, ok := errors.AsType[*pgconn.PgError](err); ok && pe.Code == divisionByZero {
				return workshop.ErrRateLimited
			}
			return fmt.Errorf("storage: rate limit: %w", err)
		}
	}
	return nil
}

// queueCommit queues the writes ws and the commit; readCommit reads their
// answers.
func queueCommit(b *pgx.Batch, ws []write) {
	for _, w := range ws {
		b.Queue(w.query, w.args...)
	}
	b.Queue("commit")
}

func readCommit(br pgx.BatchResults, ws []write) error {
	for _, w := range ws {
		if _, err := br.Exec(); err != nil {
			return w.fail(err)
		}
	}
	tag, err := br.Exec()
	if err == nil && tag.String() != "COMMIT" {
		err = fmt.Errorf("ended in %s", tag)
	}
	if err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// spendOrFailSQL is spendSQL failing with division_by_zero when the
// bucket refuses, so that the statements sent after it in the batch do
// not run.
const (
	spendOrFailSQL = `WITH spent AS (` + spendSQL + `) SELECT 1 / count(*) FROM spent`
	divisionByZero = "22012" // its SQLSTATE
)

// keepSpend ends conn's transaction keeping only what came before the
// savepoint "spent": the command's rate-limit token. Like the limits'
// own writes, it need not wait for the WAL's flush.
func keepSpend(ctx context.Context, conn *sql.Conn) error {
	err := withPgx(conn, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		b.Queue("rollback to savepoint spent")
		b.Queue("set local synchronous_commit = off")
		b.Queue("commit")
		return pc.SendBatch(ctx, b).Close()
	})
	if err != nil {
		rollback(conn)
		return fmt.Errorf("storage: keep the rate-limit token: %w", err)
	}
	return nil
}

// failed answers a command whose transaction failed: with the copy of it
// that committed, when one did (a commit whose answer was lost), else
// with err.
func (s *Workshops) failed(ctx context.Context, workshopID, by int64, clientID string, err error) (*workshop.Event, bool, error) {
	if errs.KindOf(err) != errs.Internal {
		return nil, false, err
	}
	if old, serr := s.stored(ctx, s.db.rw, workshopID, by, clientID); old != nil || serr != nil {
		return old, old != nil, serr
	}
	return nil, false, err
}

// withPgx runs fn on conn's pgx connection.
func withPgx(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("storage: %T is not a pgx connection", dc)
		}
		return fn(c.Conn())
	})
}

// rollback ends conn's transaction if one is open. A connection it cannot
// end is thrown away rather than handed back to the pool holding the lock.
func rollback(conn *sql.Conn) {
	_ = withPgx(conn, func(pc *pgx.Conn) error {
		if pc.IsClosed() || pc.PgConn().TxStatus() == 'I' {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := pc.Exec(ctx, "rollback"); err != nil {
			return driver.ErrBadConn
		}
		return nil
	})
}

// preView answers the reads named ahead from the lock's round trip, and
// any other read as txView does, in the same transaction.
type preView struct {
	txView
	r         workshop.Reads
	me        *workshop.Participant
	meErr     error
	note      *workshop.Note
	noteErr   error
	mine, all int
	countErr  error
	stats     workshop.RatingStats
	statsErr  error
	votes     []workshop.Vote
	votesErr  error
	totals    []workshop.VoteTotal
	totalsErr error
}

// queue adds the named reads to b, in the order read takes them.
func (v *preView) queue(b *pgx.Batch, wid int64) {
	r := v.r
	if r.Participant != 0 {
		b.Queue(participantSQL, wid, r.Participant)
	}
	if r.Note != 0 {
		b.Queue(noteSQL, wid, r.Note)
	}
	if r.NoteCounts {
		b.Queue(noteCountsSQL, wid, r.Participant)
	}
	if r.RatingStats {
		b.Queue(ratingStatsSQL, wid, r.Note, r.Participant)
	}
	if r.Votes {
		b.Queue(votesOfSQL, wid, r.Participant)
	}
	if r.VoteTotals {
		b.Queue(voteTotalsSQL, wid)
	}
}

// read takes the answers of the reads queue sent. An error of one read is
// the answer to it; only a broken batch fails the whole.
func (v *preView) read(br pgx.BatchResults) error {
	r := v.r
	if r.Participant != 0 {
		p, err := scanParticipant(br.QueryRow())
		v.me, v.meErr = p, notFound("participant", err)
	}
	if r.Note != 0 {
		n, err := scanNote(br.QueryRow())
		v.note, v.noteErr = n, notFound("note", err)
	}
	if r.NoteCounts {
		v.countErr = br.QueryRow().Scan(&v.mine, &v.all)
	}
	if r.RatingStats {
		v.stats = workshop.RatingStats{NoteID: r.Note}
		v.statsErr = br.QueryRow().Scan(&v.stats.N, &v.stats.ImpactSum, &v.stats.UncertaintySum)
	}
	if r.Votes {
		rows, err := br.Query()
		v.votes, v.votesErr = collectRows("votes", rows, err, scanVote)
	}
	if r.VoteTotals {
		rows, err := br.Query()
		v.totals, v.totalsErr = collectRows("vote totals", rows, err, scanVoteTotal)
	}
	return nil
}

func (v *preView) Participant(id int64) (*workshop.Participant, error) {
	if id != 0 && id == v.r.Participant {
		return copied(v.me, v.meErr)
	}
	return v.txView.Participant(id)
}

func (v *preView) Note(id int64) (*workshop.Note, error) {
	if id != 0 && id == v.r.Note {
		return copied(v.note, v.noteErr)
	}
	return v.txView.Note(id)
}

func (v *preView) NoteCounts(by int64) (mine, all int, err error) {
	if v.r.NoteCounts && by == v.r.Participant {
		return v.mine, v.all, v.countErr
	}
	return v.txView.NoteCounts(by)
}

func (v *preView) RatingStats(noteID, except int64) (workshop.RatingStats, error) {
	if v.r.RatingStats && noteID == v.r.Note && except == v.r.Participant {
		return v.stats, v.statsErr
	}
	return v.txView.RatingStats(noteID, except)
}

func (v *preView) Votes(by int64) ([]workshop.Vote, error) {
	if v.r.Votes && by == v.r.Participant {
		return slices.Clone(v.votes), v.votesErr
	}
	return v.txView.Votes(by)
}

func (v *preView) VoteTotals() ([]workshop.VoteTotal, error) {
	if v.r.VoteTotals {
		return slices.Clone(v.totals), v.totalsErr
	}
	return v.txView.VoteTotals()
}

func copied[T any](p *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	c := *p
	return &c, nil
}

// collectRows is collect for the rows of a pgx batch: every row read with
// scan, never nil.
func collectRows[T any](op string, rows pgx.Rows, err error, scan func(scanner) (*T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	out, err := readRows(op, rows, scan)
	return nonNil(out), err
}
