package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

var _ account.Store = (*DB)(nil)

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// notFound turns sql.ErrNoRows into errs.NotFound and wraps other errors.
func notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, "error.not_found", fmt.Errorf("%s: %w", op, err))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// mustAffect returns NotFound when a write touched no row.
func mustAffect(op string, res sql.Result, err error) error {
	if err != nil {
		if isUnique(err) {
			return errs.Wrap(errs.Conflict, "error.conflict", fmt.Errorf("%s: %w", op, err))
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.Wrap(errs.NotFound, "error.not_found", fmt.Errorf("%s: no row", op))
	}
	return nil
}

const userCols = `id, email, name, password_hash, is_admin, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (*account.User, string, error) {
	var u account.User
	var hash string
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &hash, &u.IsAdmin, &u.Disabled, &created); err != nil {
		return nil, "", err
	}
	u.CreatedAt, u.HasPassword = fromMS(created), hash != ""
	return &u, hash, nil
}

// CreateUser inserts a user; a taken email is a Conflict.
func (db *DB) CreateUser(ctx context.Context, u *account.User, hash string) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = createUser(ctx, tx, u, hash, db.nowMS())
		return err
	})
	return id, err
}

func createUser(ctx context.Context, q queryer, u *account.User, hash string, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, is_admin, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, u.Email, u.Name, hash, u.IsAdmin, u.Disabled, now).Scan(&id)
	if isUnique(err) {
		return 0, errs.Wrap(errs.Conflict, "account.email_taken", err)
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return id, nil
}

// UserByID returns a user.
func (db *DB) UserByID(ctx context.Context, id int64) (*account.User, error) {
	u, _, err := scanUser(db.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, notFound("user by id", err)
}

// UserByEmail returns a user and their password hash.
func (db *DB) UserByEmail(ctx context.Context, email string) (*account.User, string, error) {
	u, hash, err := scanUser(db.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	return u, hash, notFound("user by email", err)
}

// ListUsers returns every user by name.
func (db *DB) ListUsers(ctx context.Context) ([]account.User, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// UpdateUser saves name and admin flag.
func (db *DB) UpdateUser(ctx context.Context, u *account.User) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, is_admin = $2, updated_at = $3 WHERE id = $4`,
			u.Name, u.IsAdmin, db.nowMS(), u.ID)
		return mustAffect("update user", res, err)
	})
}

// SetPassword replaces a password hash and ends the user's other sessions.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash, keepSession string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, db.nowMS(), userID)
		if err := mustAffect("set password", res, err); err != nil {
			return err
		}
		return endSessions(ctx, tx, userID, keepSession)
	})
}

func endSessions(ctx context.Context, tx *sql.Tx, userID int64, keep string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keep); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("end resets: %w", err)
	}
	return nil
}

// SetDisabled disables or enables a user; disabling ends their sessions.
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, db.nowMS(), userID)
		if err := mustAffect("set disabled", res, err); err != nil {
			return err
		}
		if disabled {
			return endSessions(ctx, tx, userID, "")
		}
		return nil
	})
}

const membershipSelect = `SELECT m.organisation_id, o.slug, o.name, m.user_id, u.name, u.email, m.role
	FROM memberships m JOIN organisations o ON o.id = m.organisation_id JOIN users u ON u.id = m.user_id`

func (db *DB) memberships(ctx context.Context, where string, arg int64) ([]account.Membership, error) {
	rows, err := db.ro.QueryContext(ctx, membershipSelect+` WHERE `+where+` ORDER BY o.name, u.name`, arg)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	var out []account.Membership
	for rows.Next() {
		var m account.Membership
		if err := rows.Scan(&m.OrganisationID, &m.OrgSlug, &m.OrgName, &m.UserID, &m.UserName, &m.UserEmail, &m.Role); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Memberships lists a user's organisations and roles.
func (db *DB) Memberships(ctx context.Context, userID int64) ([]account.Membership, error) {
	return db.memberships(ctx, "m.user_id = $1", userID)
}

// Members lists an organisation's members.
func (db *DB) Members(ctx context.Context, orgID int64) ([]account.Membership, error) {
	return db.memberships(ctx, "m.organisation_id = $1", orgID)
}

// SetMembership adds a membership or changes its role.
func (db *DB) SetMembership(ctx context.Context, userID, orgID int64, role account.Role) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		return setMembership(ctx, tx, userID, orgID, role, db.nowMS())
	})
}

func setMembership(ctx context.Context, q queryer, userID, orgID int64, role account.Role, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO memberships (user_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = excluded.role`, userID, orgID, string(role), now)
	if err != nil {
		return fmt.Errorf("set membership: %w", err)
	}
	return nil
}

// RemoveMembership removes a user from an organisation.
func (db *DB) RemoveMembership(ctx context.Context, userID, orgID int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2`, userID, orgID)
		return mustAffect("remove membership", res, err)
	})
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s account.Session) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
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
func (db *DB) Session(ctx context.Context, hash string, now time.Time) (*account.Session, error) {
	s, err := scanSession(db.ro.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE token_hash = $1 AND expires_at > $2`, hash, ms(now)))
	return s, notFound("session", err)
}

// TouchSession records activity on a session.
func (db *DB) TouchSession(ctx context.Context, hash string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, ms(now), hash)
		return err
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
		return err
	})
}

// UserSessions lists a user's live sessions, newest first.
func (db *DB) UserSessions(ctx context.Context, userID int64, now time.Time) ([]account.Session, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`, userID, ms(now))
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	defer rows.Close()
	var out []account.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// DeleteUserSession ends one of a user's sessions.
func (db *DB) DeleteUserSession(ctx context.Context, userID int64, hash string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash = $2`, userID, hash)
		return mustAffect("delete session", res, err)
	})
}

// CreateAPIToken stores a token hash.
func (db *DB) CreateAPIToken(ctx context.Context, t account.APIToken) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.UserID, t.Name, t.Hash, ms(t.CreatedAt)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create api token: %w", err)
	}
	return id, nil
}

// APITokenUserID returns a token's owner and records its use (at most
// once a minute, so reads do not queue behind writes).
func (db *DB) APITokenUserID(ctx context.Context, hash string, now time.Time) (int64, error) {
	var id, userID, last int64
	err := db.ro.QueryRowContext(ctx, `SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1`, hash).Scan(&id, &userID, &last)
	if err != nil {
		return 0, notFound("api token", err)
	}
	if ms(now)-last > 60_000 {
		err = db.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ms(now), id)
			return err
		})
	}
	return userID, err
}

// APITokens lists a user's tokens.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]account.APIToken, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		var t account.APIToken
		var c, l int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &c, &l); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt = fromMS(c), fromMS(l)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a user's token.
func (db *DB) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1 AND id = $2`, userID, id)
		return mustAffect("delete api token", res, err)
	})
}

// CreateInvitation stores an invitation.
func (db *DB) CreateInvitation(ctx context.Context, inv account.Invitation) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO invitations (token_hash, email, organisation_id, role, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, inv.Hash, inv.Email, nullID(inv.OrganisationID), string(inv.Role),
			nullID(inv.InvitedBy), ms(inv.CreatedAt), ms(inv.ExpiresAt)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create invitation: %w", err)
	}
	return id, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const invitationSelect = `SELECT i.id, i.token_hash, i.email, COALESCE(i.organisation_id, 0), COALESCE(o.name, ''), i.role,
	COALESCE(i.invited_by, 0), i.created_at, i.expires_at
	FROM invitations i LEFT JOIN organisations o ON o.id = i.organisation_id`

func scanInvitation(row interface{ Scan(...any) error }) (*account.Invitation, error) {
	var inv account.Invitation
	var c, e int64
	if err := row.Scan(&inv.ID, &inv.Hash, &inv.Email, &inv.OrganisationID, &inv.OrgName, &inv.Role, &inv.InvitedBy, &c, &e); err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.ExpiresAt = fromMS(c), fromMS(e)
	return &inv, nil
}

// Invitation returns an open invitation by token hash.
func (db *DB) Invitation(ctx context.Context, hash string, now time.Time) (*account.Invitation, error) {
	inv, err := scanInvitation(db.ro.QueryRowContext(ctx, invitationSelect+` WHERE i.token_hash = $1 AND i.accepted_at = 0 AND i.expires_at > $2`, hash, ms(now)))
	return inv, notFound("invitation", err)
}

// Invitations lists open invitations, of one organisation or (0) all.
func (db *DB) Invitations(ctx context.Context, orgID int64, now time.Time) ([]account.Invitation, error) {
	rows, err := db.ro.QueryContext(ctx, invitationSelect+` WHERE i.accepted_at = 0 AND i.expires_at > $1
		AND ($2 = 0 OR i.organisation_id = $3) ORDER BY i.created_at DESC`, ms(now), orgID, orgID)
	if err != nil {
		return nil, fmt.Errorf("invitations: %w", err)
	}
	defer rows.Close()
	var out []account.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *inv)
	}
	return out, rows.Err()
}

// AcceptInvitation creates or finds the user, adds the membership and
// closes the invitation in one transaction. A second accept of the same
// invitation finds it closed and is NotFound.
func (db *DB) AcceptInvitation(ctx context.Context, hash string, u *account.User, pwHash string, now time.Time) (int64, error) {
	var userID int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, invitationSelect+` WHERE i.token_hash = $1 AND i.accepted_at = 0 AND i.expires_at > $2`, hash, ms(now)))
		if err != nil {
			return notFound("accept invitation", err)
		}
		// Close the invitation first: a concurrent accept on PostgreSQL waits
		// for this row and then finds it closed.
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at = 0`, ms(now), inv.ID)
		if err := mustAffect("accept invitation", res, err); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, inv.Email).Scan(&userID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			nu := *u
			nu.Email = inv.Email
			if userID, err = createUser(ctx, tx, &nu, pwHash, ms(now)); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("accept invitation: %w", err)
		case pwHash != "":
			// The account exists without a password (made by an admin): set it.
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3 AND password_hash = ''`, pwHash, ms(now), userID); err != nil {
				return err
			}
		}
		if inv.OrganisationID != 0 {
			return setMembership(ctx, tx, userID, inv.OrganisationID, inv.Role, ms(now))
		}
		return nil
	})
	return userID, err
}

// CreatePasswordReset stores a reset token hash.
func (db *DB) CreatePasswordReset(ctx context.Context, hash string, userID int64, created, expires time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hash, userID, ms(created), ms(expires))
		if err != nil {
			return fmt.Errorf("create password reset: %w", err)
		}
		return nil
	})
}

// UsePasswordReset sets a password with a reset token, once.
func (db *DB) UsePasswordReset(ctx context.Context, hash, pwHash string, now time.Time) (int64, error) {
	var userID int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// Mark the token used in the same statement that finds it, so a
		// concurrent use on PostgreSQL waits for this row and then misses it.
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 RETURNING user_id`, hash, ms(now)).Scan(&userID)
		if err != nil {
			return notFound("use password reset", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, pwHash, ms(now), userID); err != nil {
			return err
		}
		// endSessions also deletes every reset token of the user, this one included.
		return endSessions(ctx, tx, userID, "")
	})
	return userID, err
}
