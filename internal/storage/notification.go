package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/notify"
)

var _ notify.Store = (*Notifications)(nil)

// Notifications keeps follows, inbox entries, e-mail modes and digest
// claims (notify.Store).
type Notifications struct{ db *DB }

// Notifications returns the notifications' adapter.
func (db *DB) Notifications() *Notifications { return &Notifications{db: db} }

// AddFollow adds a follow; Conflict if the user has it.
func (s *Notifications) AddFollow(ctx context.Context, f *notify.Follow) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO follows (user_id, what, ref) VALUES ($1, $2, $3) RETURNING id`, f.UserID, f.What, f.Ref).Scan(&f.ID)
		if isUnique(err) {
			return errs.E(errs.Conflict, "notify.already_following")
		}
		if err != nil {
			return fmt.Errorf("follow: %w", err)
		}
		return nil
	})
}

// DeleteFollow removes one of a user's follows.
func (s *Notifications) DeleteFollow(ctx context.Context, userID, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE id = $1 AND user_id = $2`, id, userID)
		return mustAffect("unfollow", res, err)
	})
}

// Follows lists a user's follows.
func (s *Notifications) Follows(ctx context.Context, userID int64) ([]notify.Follow, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT id, user_id, what, ref FROM follows WHERE user_id = $1 ORDER BY id LIMIT 500`, userID)
	return collect("follows", rows, err, func(r scanner) (*notify.Follow, error) {
		var f notify.Follow
		return &f, r.Scan(&f.ID, &f.UserID, &f.What, &f.Ref)
	})
}

// FanOut inserts a notification for each follower of the happening, one
// per user, in one statement.
func (s *Notifications) FanOut(ctx context.Context, h notify.Happening, at time.Time) ([]int64, error) {
	var users []int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var a sqlArgs
		kind, ref, atMS, actor := a.add(h.Kind), a.add(h.RefID), a.add(ms(at)), a.add(h.ActorID)
		cond := `(f.what = 'kind' AND f.ref = ` + a.add(h.Kind) + `)`
		if h.Thread != "" {
			cond += ` OR (f.what = 'thread' AND f.ref = ` + a.add(h.Thread) + `)`
		}
		if len(h.OrgIDs) > 0 {
			refs := make([]string, len(h.OrgIDs))
			for i, id := range h.OrgIDs {
				refs[i] = a.add(strconv.FormatInt(id, 10))
			}
			in := refs[0]
			for _, r := range refs[1:] {
				in += ", " + r
			}
			cond += ` OR (f.what = 'org' AND f.ref IN (` + in + `))`
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO notifications (user_id, kind, ref_id, reason, created_at)
			SELECT f.user_id, `+kind+`, `+ref+`, MIN(f.what), `+atMS+` FROM follows f WHERE (`+cond+`) AND f.user_id <> `+actor+`
			GROUP BY f.user_id RETURNING user_id`, a...)
		users, err = collect("fan out", rows, err, func(r scanner) (*int64, error) {
			var id int64
			return &id, r.Scan(&id)
		})
		return err
	})
	return users, err
}

const notificationSelect = `SELECT id, user_id, kind, ref_id, reason, created_at, read_at FROM notifications`

func scanNotification(r scanner) (*notify.Notification, error) {
	var n notify.Notification
	var c, rd int64
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.RefID, &n.Reason, &c, &rd)
	n.CreatedAt, n.ReadAt = fromMS(c), fromMS(rd)
	return &n, err
}

// Inbox returns a user's newest notifications.
func (s *Notifications) Inbox(ctx context.Context, userID int64, limit int) ([]notify.Notification, error) {
	rows, err := s.db.ro.QueryContext(ctx, notificationSelect+` WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	return collect("inbox", rows, err, scanNotification)
}

// Since returns a user's notifications in [from, to).
func (s *Notifications) Since(ctx context.Context, userID int64, from, to time.Time, limit int) ([]notify.Notification, error) {
	rows, err := s.db.ro.QueryContext(ctx, notificationSelect+` WHERE user_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id LIMIT $4`,
		userID, ms(from), ms(to), limit)
	return collect("notifications since", rows, err, scanNotification)
}

// MarkRead marks a user's notifications read.
func (s *Notifications) MarkRead(ctx context.Context, userID int64, at time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = 0`, ms(at), userID)
		return err
	})
}

// SetEmailMode sets a user's e-mail mode.
func (s *Notifications) SetEmailMode(ctx context.Context, userID int64, mode string) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_prefs (user_id, email_mode) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET email_mode = excluded.email_mode`, userID, mode)
		if err != nil {
			return fmt.Errorf("email mode: %w", err)
		}
		return nil
	})
}

// EmailMode returns a user's e-mail mode (none until chosen).
func (s *Notifications) EmailMode(ctx context.Context, userID int64) (string, error) {
	var mode string
	err := s.db.ro.QueryRowContext(ctx, `SELECT email_mode FROM notification_prefs WHERE user_id = $1`, userID).Scan(&mode)
	if errors.Is(err, sql.ErrNoRows) {
		return notify.EmailNone, nil
	}
	return mode, err
}

// DigestUsers lists, by id, the users of a mode with notifications since from.
func (s *Notifications) DigestUsers(ctx context.Context, mode string, from time.Time, limit int, afterID int64) ([]int64, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT p.user_id FROM notification_prefs p WHERE p.email_mode = $1 AND p.user_id > $2
		AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = p.user_id AND n.created_at >= $3) ORDER BY p.user_id LIMIT $4`,
		mode, afterID, ms(from), limit)
	return collect("digest users", rows, err, func(r scanner) (*int64, error) {
		var id int64
		return &id, r.Scan(&id)
	})
}

// Claim inserts the (user, period) row; false when it was there.
func (s *Notifications) Claim(ctx context.Context, userID int64, period string, at time.Time) (bool, error) {
	var ok bool
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO digest_claims (user_id, period, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			userID, period, ms(at))
		if err != nil {
			return fmt.Errorf("claim digest: %w", err)
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// Secret returns the unsubscribe secret, made by whichever instance asks first.
func (s *Notifications) Secret(ctx context.Context) ([]byte, error) {
	var v string
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO app_secrets (name, value) VALUES ('unsubscribe', $1) ON CONFLICT DO NOTHING`, hex.EncodeToString(b)); err != nil {
			return fmt.Errorf("secret: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM app_secrets WHERE name = 'unsubscribe'`).Scan(&v)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}
