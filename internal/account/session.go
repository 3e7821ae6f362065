package account

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// SignIn checks an email and password and starts a session. key names the
// client for rate limiting (its address). It returns the session token.
func (s *Service) SignIn(ctx context.Context, email, password, key, userAgent string) (string, *User, error) {
	email = NormalizeEmail(email)
	u, hash, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", nil, err
	}
	ok, err := s.checkPassword(ctx, email, u, hash, password, key, "login")
	if err != nil {
		return "", nil, err
	}
	if !ok || u.Disabled {
		if ok {
			s.log.Info("login failed", "user", u.ID, "client", key, "reason", "disabled")
		}
		return "", nil, errs.E(errs.Invalid, "account.bad_credentials")
	}
	token, err := s.startSession(ctx, u.ID, userAgent)
	if err != nil {
		return "", nil, err
	}
	s.log.Info("login", "user", u.ID, "client", key)
	return token, u, nil
}

// checkPassword is every password check of the platform: through the
// login limiter (a refusal is TooMany), timed the same for an unknown
// account (u nil or without a password), and logged when it fails. what
// names the flow in the log.
func (s *Service) checkPassword(ctx context.Context, email string, u *User, hash, password, client, what string) (bool, error) {
	allowed, err := s.limiter.Allow(ctx, client, email)
	if err != nil {
		return false, err
	}
	if !allowed {
		s.log.Warn(what+" rate limited", "email", email, "client", client)
		return false, errs.E(errs.TooMany, "account.too_many_attempts")
	}
	if u == nil || hash == "" {
		_, _ = CheckPassword(dummyHash, password)
		s.log.Info(what+" failed", "email", email, "client", client, "reason", "unknown")
		return false, nil
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return false, err
	}
	if !ok {
		s.log.Info(what+" failed", "user", u.ID, "client", client, "reason", "password")
		return false, nil
	}
	if err := s.limiter.Reset(ctx, client, email); err != nil {
		// The sign-in stands; the pair's bucket refills by time instead.
		s.log.Warn(what+": rate limit reset", "err", err)
	}
	return true, nil
}

func (s *Service) startSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	now := s.now()
	token := NewToken()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	err := s.store.CreateSession(ctx, Session{
		Hash: HashToken(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsoluteTTL), UserAgent: userAgent,
	})
	return token, err
}

// SessionActor returns the actor of a session token, or nil when the token
// is unknown, expired, idle too long or its user is disabled.
func (s *Service) SessionActor(ctx context.Context, token string) (*Actor, error) {
	if token == "" {
		return nil, nil
	}
	now := s.now()
	hash := HashToken(token)
	sess, err := s.store.Session(ctx, hash, now)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) > SessionIdleTTL {
		_ = s.store.DeleteSession(ctx, hash)
		return nil, nil
	}
	// Write the last-seen time at most once a minute, not on every request.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	a, err := s.actor(ctx, sess.UserID)
	if a != nil {
		a.SessionHash = hash
	}
	return a, err
}

func (s *Service) actor(ctx context.Context, userID int64) (*Actor, error) {
	if s.actors != nil {
		return s.actors.actor(ctx, userID, s.readActor)
	}
	return s.readActor(ctx, userID)
}

// readActor reads a user and their memberships; nil for a user who is
// gone or disabled.
func (s *Service) readActor(ctx context.Context, userID int64) (*Actor, error) {
	u, err := s.store.UserByID(ctx, userID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, nil
	}
	ms, err := s.store.Memberships(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &Actor{User: u, Memberships: ms}, nil
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, HashToken(token))
}

// Sessions lists the actor's live sessions.
func (s *Service) Sessions(ctx context.Context, a *Actor) ([]Session, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	now := s.now()
	ss, err := s.store.UserSessions(ctx, a.UserID(), now)
	if err != nil {
		return nil, err
	}
	// The store knows only the absolute expiry; drop sessions idle too long,
	// which SessionActor would refuse.
	live := ss[:0]
	for _, x := range ss {
		if now.Sub(x.LastSeenAt) <= SessionIdleTTL {
			live = append(live, x)
		}
	}
	return live, nil
}

// EndSession ends one of the actor's own sessions.
func (s *Service) EndSession(ctx context.Context, a *Actor, hash string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.DeleteUserSession(ctx, a.UserID(), hash)
}

// ChangePassword changes the actor's password after checking the current
// one; every other session of the user ends, and with revokeTokens their
// API tokens too. client names the caller for rate limiting.
func (s *Service) ChangePassword(ctx context.Context, a *Actor, current, next, client string, revokeTokens bool) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	u, hash, err := s.store.UserByEmail(ctx, a.User.Email)
	if err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, u.Email, u, hash, current, client, "password change")
	if err != nil {
		return err
	}
	f := errs.Fields{}
	if !ok {
		f["current"] = "account.wrong_password"
	}
	validatePassword(f, "password", next)
	if err := f.Err(); err != nil {
		return err
	}
	newHash, err := HashPassword(next)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, a.UserID(), newHash, a.SessionHash, revokeTokens); err != nil {
		return err
	}
	s.log.Info("password changed", "user", a.UserID(), "client", client, "tokens_revoked", revokeTokens)
	return nil
}

// RequestPasswordReset makes a reset token for the address, if it belongs
// to an active user. It returns "" and no error when it does not, so the
// caller can answer the same either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email, key string) (string, *User, error) {
	email = NormalizeEmail(email)
	allowed, err := s.limiter.Allow(ctx, key, "reset:"+email)
	if err != nil {
		return "", nil, err
	}
	if !allowed {
		return "", nil, errs.E(errs.TooMany, "account.too_many_attempts")
	}
	u, _, err := s.store.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Disabled) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	token, err := s.ResetToken(ctx, u.ID)
	return token, u, err
}

// ResetToken makes a password reset token for a user (also used by admins
// and the command line to hand a person a link).
func (s *Service) ResetToken(ctx context.Context, userID int64) (string, error) {
	now := s.now()
	token := NewToken()
	if err := s.store.CreatePasswordReset(ctx, HashToken(token), userID, now, now.Add(ResetTTL)); err != nil {
		return "", err
	}
	return token, nil
}

// ResetPassword sets a new password with a reset token.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (int64, error) {
	f := errs.Fields{}
	validatePassword(f, "password", password)
	if err := f.Err(); err != nil {
		return 0, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return 0, err
	}
	id, err := s.store.UsePasswordReset(ctx, HashToken(token), hash, s.now())
	if errs.Is(err, errs.NotFound) {
		return 0, errs.E(errs.Invalid, "account.reset_invalid")
	}
	return id, err
}
