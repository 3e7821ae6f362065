package account

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/ratelimit"
)

// Service is the account and organisation domain: validation, permissions
// and the flows (invite, sign in, reset) over a Store.
type Service struct {
	store   Store
	now     func() time.Time
	limiter *LoginLimiter
	log     *slog.Logger
	actors  *actorCache // nil: every request reads its user and memberships
}

// NewService returns a Service over store.
func NewService(store Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, now: time.Now, limiter: NewLoginLimiter(nil), log: log}
}

// SetLimiter holds the sign-in limits in lim (the database's, so that
// several instances share them); they are in memory until it is called.
func (s *Service) SetLimiter(lim ratelimit.Limiter) {
	l := NewLoginLimiter(lim)
	l.now = s.limiter.now
	s.limiter = l
}

// SetClock replaces the clock (the login limiter's too), for tests of
// expiry and limits.
func (s *Service) SetClock(now func() time.Time) {
	s.now = now
	s.limiter.SetClock(now)
}

// CreateUser makes an account directly (the command line and the demo).
func (s *Service) CreateUser(ctx context.Context, email, name, password string, admin bool) (*User, error) {
	f := errs.Fields{}
	u := &User{Email: NormalizeEmail(email), IsAdmin: admin}
	if u.Email == "" {
		f["email"] = "error.email_invalid"
	}
	u.Name = validateName(f, "name", name, true)
	validatePassword(f, "password", password)
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	if u.ID, err = s.store.CreateUser(ctx, u, hash); err != nil {
		return nil, err
	}
	// Read back for the handle the store made from the name.
	return s.store.UserByID(ctx, u.ID)
}

// Users lists limit users by name from offset, for platform admins.
func (s *Service) Users(ctx context.Context, a *Actor, offset, limit int) ([]User, error) {
	if !CanManageUsers(a) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.ListUsers(ctx, offset, limit)
}

// User returns a user by id, for platform admins.
func (s *Service) User(ctx context.Context, a *Actor, id int64) (*User, error) {
	if !CanManageUsers(a) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.UserByID(ctx, id)
}

// UserByEmail finds a user, for the command line.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, _, err := s.store.UserByEmail(ctx, NormalizeEmail(email))
	return u, err
}

// SetPasswordByAdmin sets a user's password (the command line); as a
// reset, it ends every session and API token of that user.
func (s *Service) SetPasswordByAdmin(ctx context.Context, userID int64, password string) error {
	f := errs.Fields{}
	validatePassword(f, "password", password)
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, userID, hash, "", true)
}

// SetDisabled disables or enables a user account.
func (s *Service) SetDisabled(ctx context.Context, a *Actor, userID int64, disabled bool) error {
	if !CanManageUsers(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if disabled && userID == a.UserID() {
		return errs.E(errs.Invalid, "account.cannot_disable_self")
	}
	return s.store.SetDisabled(ctx, userID, disabled)
}

// SetAdmin makes a user a platform admin or not.
func (s *Service) SetAdmin(ctx context.Context, a *Actor, userID int64, admin bool) error {
	ctx = WithActor(ctx, a) // the audit log records who (storage writes it in the change's transaction)
	if !CanManageUsers(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if !admin && userID == a.UserID() {
		return errs.E(errs.Invalid, "account.cannot_demote_self")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	u.IsAdmin = admin
	return s.store.UpdateUser(ctx, u)
}

// SetLanguage saves the language the actor chose for the site, which
// their e-mails are then written in; the same language again writes
// nothing. Unauthorized for the public, Invalid for a language the
// catalogues do not have.
func (s *Service) SetLanguage(ctx context.Context, a *Actor, lang string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !i18n.Supported(lang) {
		return errs.E(errs.Invalid, "error.invalid")
	}
	if a.User.Language == lang {
		return nil
	}
	if err := s.store.SetUserLanguage(ctx, a.UserID(), lang); err != nil {
		return err
	}
	a.User.Language = lang
	return nil
}

// UpdateProfile changes the actor's own name and handle (handle ""
// keeps it), both or neither.
func (s *Service) UpdateProfile(ctx context.Context, a *Actor, name, handle string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	f := errs.Fields{}
	name = validateName(f, "name", name, true)
	u := *a.User
	if strings.TrimSpace(handle) != "" {
		h, err := NormalizeHandle(handle)
		if err != nil {
			f["handle"] = "account.handle_invalid"
		}
		u.Handle = h
	}
	if err := f.Err(); err != nil {
		return err
	}
	u.Name = name
	err := s.store.UpdateUser(ctx, &u)
	if errs.Is(err, errs.Conflict) {
		return errs.Fields{"handle": "account.handle_taken"}.Err()
	}
	return err
}
