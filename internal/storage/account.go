package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/audit"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Users keeps users, their memberships, invitations and password
// resets (account.Store's user half).
type Users struct{ db *DB }

const userCols = `id, email, name, handle, password_hash, is_admin, disabled, created_at, language`

func scanUser(row interface{ Scan(...any) error }) (*account.User, string, error) {
	var u account.User
	var hash string
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Handle, &hash, &u.IsAdmin, &u.Disabled, &created, &u.Language); err != nil {
		return nil, "", err
	}
	u.CreatedAt, u.HasPassword = fromMS(created), hash != ""
	return &u, hash, nil
}

// CreateUser inserts a user; a taken email is a Conflict. A user without
// a handle gets one from their name (createUser).
func (us *Users) CreateUser(ctx context.Context, u *account.User, hash string) (int64, error) {
	var id int64
	err := us.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = createUser(ctx, tx, u, hash, us.db.nowMS())
		return err
	})
	return id, err
}

// freeHandle is the first of base, base-2, base-3… that no user has.
func freeHandle(ctx context.Context, q queryer, base string) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT handle FROM users WHERE handle = $1 OR handle LIKE $2`, base, base+"-%")
	taken, err := collect("free handle", rows, err, func(r scanner) (*string, error) {
		var h string
		return &h, r.Scan(&h)
	})
	if err != nil {
		return "", err
	}
	set := make(map[string]bool, len(taken))
	for _, h := range taken {
		set[h] = true
	}
	for n := 1; ; n++ {
		if h := account.HandleCandidate(base, n); !set[h] {
			return h, nil
		}
	}
}

func isHandleUnique(err error) bool { return isUnique(err) && strings.Contains(err.Error(), "handle") }

// maxHandleTries bounds how often createUser picks a handle again when
// users of one name are made at once.
const maxHandleTries = 100

// createUser inserts u in the transaction q. Without a handle it takes
// the first free one of the name's; when another transaction took that
// meanwhile (PostgreSQL, users of one name made at once), the insert is
// undone to a savepoint and the next free one tried.
func createUser(ctx context.Context, q queryer, u *account.User, hash string, now int64) (int64, error) {
	if u.Handle != "" && !account.ValidHandle(u.Handle) {
		return 0, errs.Fields{"handle": "account.handle_invalid"}.Err()
	}
	var id int64
	var err error
	for try := 1; ; try++ {
		handle := u.Handle
		if handle == "" {
			if handle, err = freeHandle(ctx, q, account.HandleBase(u.Name)); err != nil {
				return 0, err
			}
		}
		if _, err = q.ExecContext(ctx, `SAVEPOINT create_user`); err != nil {
			return 0, fmt.Errorf("create user: %w", err)
		}
		err = q.QueryRowContext(ctx, `INSERT INTO users (email, name, handle, password_hash, is_admin, disabled, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, u.Email, u.Name, handle, hash, u.IsAdmin, u.Disabled, now).Scan(&id)
		if !isHandleUnique(err) || u.Handle != "" || try == maxHandleTries {
			break
		}
		if _, err := q.ExecContext(ctx, `ROLLBACK TO SAVEPOINT create_user`); err != nil {
			return 0, fmt.Errorf("create user: %w", err)
		}
	}
	if isHandleUnique(err) {
		return 0, errs.Wrap(errs.Conflict, "account.handle_taken", err)
	}
	if isUnique(err) {
		return 0, errs.Wrap(errs.Conflict, "account.email_taken", err)
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return id, nil
}

// UserByID returns a user.
func (us *Users) UserByID(ctx context.Context, id int64) (*account.User, error) {
	u, _, err := scanUser(us.db.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, notFound("user by id", err)
}

// UserByEmail returns a user and their password hash.
func (us *Users) UserByEmail(ctx context.Context, email string) (*account.User, string, error) {
	u, hash, err := scanUser(us.db.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	return u, hash, notFound("user by email", err)
}

// ListUsers returns limit users by name from offset.
func (us *Users) ListUsers(ctx context.Context, offset, limit int) ([]account.User, error) {
	rows, err := us.db.ro.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name, id LIMIT $1 OFFSET $2`, limit, offset)
	return collect("list users", rows, err, func(r scanner) (*account.User, error) {
		u, _, err := scanUser(r)
		return u, err
	})
}

// UpdateUser saves name, handle ("" keeps it) and admin flag; a handle
// another user has is a Conflict.
// SetUserLanguage saves the language a user chose.
func (us *Users) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET language = $1 WHERE id = $2`, lang, userID)
		return mustAffect("set user language", res, err)
	})
}

func (us *Users) UpdateUser(ctx context.Context, u *account.User) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		var wasAdmin bool
		if err := tx.QueryRowContext(ctx, `SELECT is_admin FROM users WHERE id = $1`, u.ID).Scan(&wasAdmin); err != nil {
			return notFound("update user", err)
		}
		now := us.db.nowMS()
		if u.Handle != "" && !account.ValidHandle(u.Handle) {
			return errs.Fields{"handle": "account.handle_invalid"}.Err()
		}
		// The check first: on PostgreSQL a failed UPDATE would abort the
		// transaction; the unique index still decides a race.
		if u.Handle != "" {
			var other int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE handle = $1 AND id <> $2`, u.Handle, u.ID).Scan(&other)
			if err == nil {
				return errs.E(errs.Conflict, "account.handle_taken")
			} else if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("update user: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, is_admin = $2, handle = CASE WHEN $3 = '' THEN handle ELSE $3 END, updated_at = $4 WHERE id = $5`,
			u.Name, u.IsAdmin, u.Handle, now, u.ID)
		if isHandleUnique(err) {
			return errs.Wrap(errs.Conflict, "account.handle_taken", err)
		}
		if err := mustAffect("update user", res, err); err != nil || wasAdmin == u.IsAdmin {
			return err
		}
		return writeAudit(ctx, tx, now, "user.admin", audit.KindUser, u.ID, fmt.Sprintf("admin: %t→%t", wasAdmin, u.IsAdmin))
	})
}

// SetPassword replaces a password hash and ends the user's other sessions
// (and, with revokeTokens, their API tokens).
func (us *Users) SetPassword(ctx context.Context, userID int64, hash, keepSession string, revokeTokens bool) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, us.db.nowMS(), userID)
		if err := mustAffect("set password", res, err); err != nil {
			return err
		}
		if revokeTokens {
			if err := revokeAPITokens(ctx, tx, userID); err != nil {
				return err
			}
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

func revokeAPITokens(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("revoke api tokens: %w", err)
	}
	return nil
}

// SetDisabled disables or enables a user; disabling ends their sessions.
func (us *Users) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, us.db.nowMS(), userID)
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

func (us *Users) memberships(ctx context.Context, where string, arg int64) ([]account.Membership, error) {
	rows, err := us.db.ro.QueryContext(ctx, membershipSelect+` WHERE `+where+` ORDER BY o.name, u.name`, arg)
	return collect("memberships", rows, err, func(r scanner) (*account.Membership, error) {
		var m account.Membership
		return &m, r.Scan(&m.OrganisationID, &m.OrgSlug, &m.OrgName, &m.UserID, &m.UserName, &m.UserEmail, &m.Role)
	})
}

// Memberships lists a user's organisations and roles.
func (us *Users) Memberships(ctx context.Context, userID int64) ([]account.Membership, error) {
	return us.memberships(ctx, "m.user_id = $1", userID)
}

// Members lists an organisation's members.
func (us *Users) Members(ctx context.Context, orgID int64) ([]account.Membership, error) {
	return us.memberships(ctx, "m.organisation_id = $1", orgID)
}

// SetMembership adds a membership or changes its role.
func (us *Users) SetMembership(ctx context.Context, userID, orgID int64, role account.Role) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		return setMembership(ctx, tx, userID, orgID, role, us.db.nowMS())
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

// ChangeRole changes the role of an existing membership.
func (us *Users) ChangeRole(ctx context.Context, userID, orgID int64, role account.Role) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		var was string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE user_id = $1 AND organisation_id = $2`, userID, orgID).Scan(&was); err != nil {
			return notFound("change role", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET role = $1 WHERE user_id = $2 AND organisation_id = $3`, string(role), userID, orgID)
		if err := mustAffect("change role", res, err); err != nil || was == string(role) {
			return err
		}
		return writeAudit(ctx, tx, us.db.nowMS(), "membership.role", audit.KindMembership, userID,
			fmt.Sprintf("organisation %d: %s→%s", orgID, was, role))
	})
}

// RemoveMembership removes a user from an organisation.
func (us *Users) RemoveMembership(ctx context.Context, userID, orgID int64) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2`, userID, orgID)
		if err := mustAffect("remove membership", res, err); err != nil {
			return err
		}
		return writeAudit(ctx, tx, us.db.nowMS(), "membership.remove", audit.KindMembership, userID,
			fmt.Sprintf("organisation %d: member→none", orgID))
	})
}

// CreateInvitation stores an invitation.
func (us *Users) CreateInvitation(ctx context.Context, inv account.Invitation) (int64, error) {
	var id int64
	err := us.db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO invitations (token_hash, email, organisation_id, role, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, inv.Hash, inv.Email, nullID(inv.OrganisationID), string(inv.Role),
			nullID(inv.InvitedBy), ms(inv.CreatedAt), ms(inv.ExpiresAt)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create invitation: %w", err)
	}
	return id, nil
}

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
func (us *Users) Invitation(ctx context.Context, hash string, now time.Time) (*account.Invitation, error) {
	inv, err := scanInvitation(us.db.ro.QueryRowContext(ctx, invitationSelect+` WHERE i.token_hash = $1 AND i.accepted_at = 0 AND i.expires_at > $2`, hash, ms(now)))
	return inv, notFound("invitation", err)
}

// Invitations lists open invitations, of one organisation or (0) all.
func (us *Users) Invitations(ctx context.Context, orgID int64, now time.Time) ([]account.Invitation, error) {
	rows, err := us.db.ro.QueryContext(ctx, invitationSelect+` WHERE i.accepted_at = 0 AND i.expires_at > $1
		AND ($2 = 0 OR i.organisation_id = $3) ORDER BY i.created_at DESC`, ms(now), orgID, orgID)
	return collect("invitations", rows, err, scanInvitation)
}

// AcceptInvitation creates the user (or checks that u is the account of
// the address), adds the membership and closes the invitation in one
// transaction. A second accept of the same
// invitation finds it closed and is NotFound.
func (us *Users) AcceptInvitation(ctx context.Context, hash string, u *account.User, pwHash string, now time.Time) (int64, error) {
	var userID int64
	err := us.db.tx(ctx, func(tx *sql.Tx) error {
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
		case userID != u.ID:
			// Only the signed-in owner of an existing account takes up its
			// invitation; its password is never set here.
			return errs.E(errs.Forbidden, "invitation.other_account")
		}
		if inv.OrganisationID != 0 {
			return setMembership(ctx, tx, userID, inv.OrganisationID, inv.Role, ms(now))
		}
		return nil
	})
	return userID, err
}

// CreatePasswordReset stores a reset token hash.
func (us *Users) CreatePasswordReset(ctx context.Context, hash string, userID int64, created, expires time.Time) error {
	return us.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hash, userID, ms(created), ms(expires))
		if err != nil {
			return fmt.Errorf("create password reset: %w", err)
		}
		return nil
	})
}

// UsePasswordReset sets a password with a reset token, once.
func (us *Users) UsePasswordReset(ctx context.Context, hash, pwHash string, now time.Time) (int64, error) {
	var userID int64
	err := us.db.tx(ctx, func(tx *sql.Tx) error {
		// Mark the token used in the same statement that finds it, so a
		// concurrent use on PostgreSQL waits for this row and then misses it.
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 RETURNING user_id`, hash, ms(now)).Scan(&userID)
		if err != nil {
			return notFound("use password reset", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, pwHash, ms(now), userID); err != nil {
			return err
		}
		// A reset is for a password someone else may know: their API
		// tokens go with the sessions. endSessions also deletes every reset
		// token of the user, this one included.
		if err := revokeAPITokens(ctx, tx, userID); err != nil {
			return err
		}
		return endSessions(ctx, tx, userID, "")
	})
	return userID, err
}

// UsersByHandles returns the users of those handles that exist, by
// handle (the @mentions of comments).
func (us *Users) UsersByHandles(ctx context.Context, handles []string) (map[string]account.User, error) {
	out := map[string]account.User{}
	if len(handles) == 0 {
		return out, nil
	}
	var a sqlArgs
	ps := make([]string, len(handles))
	for i, h := range handles {
		ps[i] = a.add(h)
	}
	rows, err := us.db.ro.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE handle IN (`+strings.Join(ps, ", ")+`)`, a...)
	list, err := collect("users by handles", rows, err, func(r scanner) (*account.User, error) {
		u, _, err := scanUser(r)
		return u, err
	})
	for _, u := range list {
		out[u.Handle] = u
	}
	return out, err
}

// fillHandles gives every user without a handle (those made before
// 00042) one from their name, oldest first, so the first "Anna
// Andersson" keeps anna-andersson and the next is anna-andersson-2.
func (db *DB) fillHandles(ctx context.Context) error {
	for {
		rows, err := db.rw.QueryContext(ctx, `SELECT id, name FROM users WHERE handle = '' ORDER BY id LIMIT 500`)
		type row struct {
			id   int64
			name string
		}
		list, err := collect("fill handles", rows, err, func(r scanner) (*row, error) {
			var x row
			return &x, r.Scan(&x.id, &x.name)
		})
		if err != nil || len(list) == 0 {
			return err
		}
		if err := db.tx(ctx, func(tx *sql.Tx) error {
			for _, x := range list {
				h, err := freeHandle(ctx, tx, account.HandleBase(x.name))
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE users SET handle = $1 WHERE id = $2`, h, x.id); err != nil {
					return fmt.Errorf("fill handles: %w", err)
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}
