package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/account"
)

// Sessions keeps signed-in browsers and API tokens (account.Store's
// session half).
type Sessions struct{ db *DB }

// CreateSession stores a session.
func (ss *Sessions) CreateSession(ctx context.Context, s account.Session) error {
	return ss.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)
			VALUES ($1, $2, $3, $4, $5, $6)`, s.Hash, s.UserID, ms(s.CreatedAt), ms(s.LastSeenAt), ms(s.ExpiresAt), s.UserAgent)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		// Expired sessions go when new ones come, so the table stays small.
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, ms(s.CreatedAt))
		return err
	})
}

const sessionCols = `token_hash, user_id, created_at, last_seen_at, expires_at, user_agent`

func scanSession(row interface{ Scan(...any) error }) (*account.Session, error) {
	var s account.Session
	var c, l, e int64
	if err := row.Scan(&s.Hash, &s.UserID, &c, &l, &e, &s.UserAgent); err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMS(c), fromMS(l), fromMS(e)
	return &s, nil
}

// Session returns an unexpired session.
func (ss *Sessions) Session(ctx context.Context, hash string, now time.Time) (*account.Session, error) {
	s, err := scanSession(ss.db.ro.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE token_hash = $1 AND expires_at > $2`, hash, ms(now)))
	return s, notFound("session", err)
}

// TouchSession records activity on a session.
func (ss *Sessions) TouchSession(ctx context.Context, hash string, now time.Time) error {
	return ss.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, ms(now), hash)
		return err
	})
}

// DeleteSession ends a session.
func (ss *Sessions) DeleteSession(ctx context.Context, hash string) error {
	return ss.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
		return err
	})
}

// UserSessions lists a user's live sessions, newest first.
func (ss *Sessions) UserSessions(ctx context.Context, userID int64, now time.Time) ([]account.Session, error) {
	rows, err := ss.db.ro.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`, userID, ms(now))
	return collect("user sessions", rows, err, scanSession)
}

// DeleteUserSession ends one of a user's sessions.
func (ss *Sessions) DeleteUserSession(ctx context.Context, userID int64, hash string) error {
	return ss.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash = $2`, userID, hash)
		return mustAffect("delete session", res, err)
	})
}

// CreateAPIToken stores a token hash.
func (ss *Sessions) CreateAPIToken(ctx context.Context, t account.APIToken) (int64, error) {
	var id int64
	err := ss.db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			t.UserID, t.Name, t.Hash, ms(t.CreatedAt), ms(t.ExpiresAt)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create api token: %w", err)
	}
	return id, nil
}

// APITokenUserID returns an unexpired token's owner and records its use
// (at most once a minute, so reads do not queue behind writes).
func (ss *Sessions) APITokenUserID(ctx context.Context, hash string, now time.Time) (int64, error) {
	var id, userID, last int64
	err := ss.db.ro.QueryRowContext(ctx, `SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND expires_at > $2`, hash, ms(now)).Scan(&id, &userID, &last)
	if err != nil {
		return 0, notFound("api token", err)
	}
	if ms(now)-last > 60_000 {
		err = ss.db.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ms(now), id)
			return err
		})
	}
	return userID, err
}

// APITokens lists a user's tokens.
func (ss *Sessions) APITokens(ctx context.Context, userID int64) ([]account.APIToken, error) {
	rows, err := ss.db.ro.QueryContext(ctx, `SELECT id, user_id, name, created_at, expires_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		var t account.APIToken
		var c, e, l int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &c, &e, &l); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromMS(c), fromMS(e), fromMS(l)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a user's token.
func (ss *Sessions) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return ss.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1 AND id = $2`, userID, id)
		return mustAffect("delete api token", res, err)
	})
}
