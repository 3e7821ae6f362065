package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// fanOutWhere is the condition on follows f of who hears of h (not the
// actor), with its arguments.
func fanOutWhere(h notify.Happening) (string, sqlArgs) {
	var a sqlArgs
	cond := `(f.what = 'kind' AND f.ref = ` + a.add(h.Kind) + `)`
	if h.Thread != "" {
		cond += ` OR (f.what = 'thread' AND f.ref = ` + a.add(h.Thread) + `)`
	}
	if len(h.OrgIDs) > 0 {
		refs := make([]string, len(h.OrgIDs))
		for i, id := range h.OrgIDs {
			refs[i] = a.add(strconv.FormatInt(id, 10))
		}
		cond += ` OR (f.what = 'org' AND f.ref IN (` + strings.Join(refs, ", ") + `))`
	}
	return `(` + cond + `) AND f.user_id <> ` + a.add(h.ActorID), a
}

// fanOutChunk is how many recipients one pair of fan-out statements
// takes (bound parameters stay well under both engines' limits).
const fanOutChunk = 1000

// FanOut inserts a notification for each follower of the happening, one
// per user. It reads who hears once (a snapshot, so a follow made or
// removed meanwhile cannot leave a recipient without its seq or with
// two), then per chunk bumps each recipient's inbox head (locking its
// row until the commit, in user order so two fan-outs cannot deadlock)
// and inserts the rows with those seqs: each inbox's sequence numbers
// have no gaps and follow the commit order.
func (s *Notifications) FanOut(ctx context.Context, h notify.Happening, at time.Time) ([]notify.Notification, error) {
	var out []notify.Notification
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		type recipient struct {
			user   int64
			reason string
		}
		var who []recipient
		if len(h.Users) > 0 {
			// The mentioned: each once, by id, never the actor.
			users := slices.Clone(h.Users)
			slices.Sort(users)
			for _, u := range slices.Compact(users) {
				if u != h.ActorID && u > 0 {
					who = append(who, recipient{u, notify.ReasonMention})
				}
			}
		} else {
			where, a := fanOutWhere(h)
			rows, err := tx.QueryContext(ctx, `SELECT f.user_id, MIN(f.what) FROM follows f WHERE `+where+` GROUP BY f.user_id ORDER BY f.user_id`, a...)
			if who, err = collect("fan out", rows, err, func(r scanner) (*recipient, error) {
				var x recipient
				return &x, r.Scan(&x.user, &x.reason)
			}); err != nil {
				return err
			}
			who = slices.DeleteFunc(who, func(x recipient) bool { return slices.Contains(h.Except, x.user) })
		}
		for len(who) > 0 {
			chunk := who[:min(len(who), fanOutChunk)]
			who = who[len(chunk):]
			var ha sqlArgs
			vals := make([]string, len(chunk))
			for i, x := range chunk {
				vals[i] = `(` + ha.add(x.user) + `, 1)`
			}
			rows, err := tx.QueryContext(ctx, `INSERT INTO notification_heads (user_id, last_seq) VALUES `+strings.Join(vals, ", ")+`
				ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_heads.last_seq + 1 RETURNING user_id, last_seq`, ha...)
			type head struct{ user, seq int64 }
			heads, err := collect("fan out: heads", rows, err, func(r scanner) (*head, error) {
				var x head
				return &x, r.Scan(&x.user, &x.seq)
			})
			if err != nil {
				return err
			}
			seqs := make(map[int64]int64, len(heads))
			for _, x := range heads {
				seqs[x.user] = x.seq
			}
			var na sqlArgs
			kind, ref, atMS := na.add(h.Kind), na.add(h.RefID), na.add(ms(at))
			for i, x := range chunk {
				vals[i] = `(` + na.add(x.user) + `, ` + kind + `, ` + ref + `, ` + na.add(x.reason) + `, ` + atMS + `, ` + na.add(seqs[x.user]) + `)`
			}
			rows, err = tx.QueryContext(ctx, `INSERT INTO notifications (user_id, kind, ref_id, reason, created_at, seq) VALUES `+strings.Join(vals, ", ")+`
				RETURNING id, user_id, kind, ref_id, reason, created_at, read_at, seq`, na...)
			ns, err := collect("fan out", rows, err, scanNotification)
			if err != nil {
				return err
			}
			out = append(out, ns...)
		}
		return nil
	})
	return out, err
}

const notificationSelect = `SELECT id, user_id, kind, ref_id, reason, created_at, read_at, seq FROM notifications`

func scanNotification(r scanner) (*notify.Notification, error) {
	var n notify.Notification
	var c, rd int64
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.RefID, &n.Reason, &c, &rd, &n.Seq)
	n.CreatedAt, n.ReadAt = fromMS(c), fromMS(rd)
	return &n, err
}

// Inbox returns a user's newest notifications.
func (s *Notifications) Inbox(ctx context.Context, userID int64, limit int) ([]notify.Notification, error) {
	rows, err := s.db.ro.QueryContext(ctx, notificationSelect+` WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	return collect("inbox", rows, err, scanNotification)
}

// InboxLog returns up to limit of a user's notifications after seq, in
// sequence order: the inbox's event log (notifications_user_seq).
func (s *Notifications) InboxLog(ctx context.Context, userID, after int64, limit int) ([]notify.Notification, error) {
	rows, err := s.db.ro.QueryContext(ctx, notificationSelect+` WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, userID, after, limit)
	return collect("inbox log", rows, err, scanNotification)
}

// LastSeq returns the sequence number of a user's last notification.
func (s *Notifications) LastSeq(ctx context.Context, userID int64) (int64, error) {
	var seq int64
	err := s.db.ro.QueryRowContext(ctx, `SELECT last_seq FROM notification_heads WHERE user_id = $1`, userID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// LastSeqs returns the heads of the inboxes of ids that have one (the
// live.Notifier's periodic check).
func (s *Notifications) LastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		var a sqlArgs
		rows, err := s.db.ro.QueryContext(ctx, `SELECT user_id, last_seq FROM notification_heads WHERE user_id IN (`+a.in(chunk)+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("inbox heads: %w", err)
		}
		for rows.Next() {
			var id, seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = seq
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Since returns the notifications in [from, to) of each of users, at
// most limit each, by user and id: one query for a batch of digests
// (notifications_user_created).
func (s *Notifications) Since(ctx context.Context, users []int64, from, to time.Time, limit int) ([]notify.Notification, error) {
	if len(users) == 0 {
		return nil, nil
	}
	var a sqlArgs
	in := a.in(users)
	rows, err := s.db.ro.QueryContext(ctx, `SELECT id, user_id, kind, ref_id, reason, created_at, read_at, seq FROM (
		SELECT n.id, n.user_id, n.kind, n.ref_id, n.reason, n.created_at, n.read_at, n.seq,
			ROW_NUMBER() OVER (PARTITION BY n.user_id ORDER BY n.id) AS rn
		FROM notifications n WHERE n.user_id IN (`+in+`) AND n.created_at >= `+a.add(ms(from))+` AND n.created_at < `+a.add(ms(to))+`) x
		WHERE rn <= `+a.add(limit)+` ORDER BY user_id, id`, a...)
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

// ClaimDigests inserts the (user, period) rows of users in one
// statement and returns the users whose row it inserted: another run (or
// instance) that got there first has the others.
func (s *Notifications) ClaimDigests(ctx context.Context, users []int64, period string, at time.Time) ([]int64, error) {
	if len(users) == 0 {
		return nil, nil
	}
	var out []int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var a sqlArgs
		p, t := a.add(period), a.add(ms(at))
		vals := make([]string, len(users))
		for i, u := range users {
			vals[i] = `(` + a.add(u) + `, ` + p + `, ` + t + `)`
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO digest_claims (user_id, period, claimed_at) VALUES `+strings.Join(vals, ", ")+`
			ON CONFLICT DO NOTHING RETURNING user_id`, a...)
		out, err = collect("claim digests", rows, err, func(r scanner) (*int64, error) {
			var id int64
			return &id, r.Scan(&id)
		})
		return err
	})
	slices.Sort(out)
	return out, err
}

// ClaimMail marks a notification's immediate e-mail as being sent; false
// when another instance (or run) has.
func (s *Notifications) ClaimMail(ctx context.Context, id int64, at time.Time) (bool, error) {
	var ok bool
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET mailed_at = $1 WHERE id = $2 AND mailed_at = 0`, ms(at), id)
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// Unmailed returns immediate-mode users' notifications in [from, to)
// whose mail nobody claimed, from the users' side (few choose it) by
// notifications_user_created.
func (s *Notifications) Unmailed(ctx context.Context, from, to time.Time, limit int) ([]notify.Notification, error) {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT n.id, n.user_id, n.kind, n.ref_id, n.reason, n.created_at, n.read_at, n.seq
		FROM notification_prefs p JOIN notifications n ON n.user_id = p.user_id
		WHERE p.email_mode = 'immediate' AND n.created_at >= $1 AND n.created_at < $2 AND n.mailed_at = 0 ORDER BY n.id LIMIT $3`,
		ms(from), ms(to), limit)
	return collect("unmailed", rows, err, scanNotification)
}

// EmailModes returns the e-mail modes of those of users who chose one.
func (s *Notifications) EmailModes(ctx context.Context, users []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for len(users) > 0 {
		chunk := users[:min(len(users), 500)]
		users = users[len(chunk):]
		var a sqlArgs
		rows, err := s.db.ro.QueryContext(ctx, `SELECT user_id, email_mode FROM notification_prefs WHERE user_id IN (`+a.in(chunk)+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("email modes: %w", err)
		}
		for rows.Next() {
			var id int64
			var mode string
			if err := rows.Scan(&id, &mode); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = mode
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
