package account

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Service is the account and organisation domain: validation, permissions
// and the flows (invite, sign in, reset) over a Store.
type Service struct {
	store   Store
	now     func() time.Time
	limiter *LoginLimiter
	log     *slog.Logger
}

// NewService returns a Service over store.
func NewService(store Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, now: time.Now, limiter: NewLoginLimiter(), log: log}
}

// SetClock replaces the clock, for tests of expiry.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

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
	u.HasPassword = true
	return u, nil
}

// Users lists all users, for platform admins.
func (s *Service) Users(ctx context.Context, a *Actor) ([]User, error) {
	if !CanManageUsers(a) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.ListUsers(ctx)
}

// UserByEmail finds a user, for the command line.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, _, err := s.store.UserByEmail(ctx, NormalizeEmail(email))
	return u, err
}

// SetPasswordByAdmin sets a user's password (the command line); it ends
// every session of that user.
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
	return s.store.SetPassword(ctx, userID, hash, "")
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

// UpdateProfile changes the actor's own name.
func (s *Service) UpdateProfile(ctx context.Context, a *Actor, name string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	f := errs.Fields{}
	name = validateName(f, "name", name, true)
	if err := f.Err(); err != nil {
		return err
	}
	u := *a.User
	u.Name = name
	return s.store.UpdateUser(ctx, &u)
}

// SignIn checks an email and password and starts a session. key names the
// client for rate limiting (its address). It returns the session token.
func (s *Service) SignIn(ctx context.Context, email, password, key, userAgent string) (string, *User, error) {
	email = NormalizeEmail(email)
	if !s.limiter.Allow(key, email) {
		s.log.Warn("login rate limited", "email", email, "client", key)
		return "", nil, errs.E(errs.TooMany, "account.too_many_attempts")
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", nil, err
	}
	if u == nil || hash == "" {
		_, _ = CheckPassword(dummyHash, password)
		s.log.Info("login failed", "email", email, "client", key, "reason", "unknown")
		return "", nil, errs.E(errs.Invalid, "account.bad_credentials")
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return "", nil, err
	}
	if !ok || u.Disabled {
		s.log.Info("login failed", "user", u.ID, "client", key, "disabled", u.Disabled)
		return "", nil, errs.E(errs.Invalid, "account.bad_credentials")
	}
	s.limiter.Reset(key, email)
	token, err := s.startSession(ctx, u.ID, userAgent)
	if err != nil {
		return "", nil, err
	}
	s.log.Info("login", "user", u.ID, "client", key)
	return token, u, nil
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
// one; every other session of the user ends.
func (s *Service) ChangePassword(ctx context.Context, a *Actor, current, next string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	_, hash, err := s.store.UserByEmail(ctx, a.User.Email)
	if err != nil {
		return err
	}
	f := errs.Fields{}
	if ok, _ := CheckPassword(hash, current); !ok {
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
	return s.store.SetPassword(ctx, a.UserID(), newHash, a.SessionHash)
}

// RequestPasswordReset makes a reset token for the address, if it belongs
// to an active user. It returns "" and no error when it does not, so the
// caller can answer the same either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email, key string) (string, *User, error) {
	email = NormalizeEmail(email)
	if !s.limiter.Allow(key, "reset:"+email) {
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

// Invite makes an invitation for email, into orgID with role when orgID is
// not 0. It returns the token for the link.
func (s *Service) Invite(ctx context.Context, a *Actor, email string, orgID int64, role Role) (string, error) {
	if !CanInvite(a, orgID) {
		return "", errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	inv := Invitation{Email: NormalizeEmail(email), OrganisationID: orgID, Role: role, InvitedBy: a.UserID()}
	if inv.Email == "" {
		f["email"] = "error.email_invalid"
	}
	if orgID != 0 && !role.Valid() {
		f["role"] = "error.choose"
	}
	if orgID == 0 {
		inv.Role = ""
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	token := NewToken()
	now := s.now()
	inv.Hash, inv.CreatedAt, inv.ExpiresAt = HashToken(token), now, now.Add(InvitationTTL)
	if _, err := s.store.CreateInvitation(ctx, inv); err != nil {
		return "", err
	}
	s.log.Info("invitation", "by", a.UserID(), "org", orgID, "role", role)
	return token, nil
}

// Invitation returns a live invitation by its token.
func (s *Service) Invitation(ctx context.Context, token string) (*Invitation, error) {
	inv, err := s.store.Invitation(ctx, HashToken(token), s.now())
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "account.invitation_invalid")
	}
	return inv, err
}

// Invitations lists the open invitations of an organisation (0: all).
func (s *Service) Invitations(ctx context.Context, a *Actor, orgID int64) ([]Invitation, error) {
	if !CanInvite(a, orgID) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.Invitations(ctx, orgID, s.now())
}

// AcceptInvitation creates the invited account (or, for an existing user,
// adds the membership) and signs the person in. It returns a session token.
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password, userAgent string) (string, error) {
	inv, err := s.Invitation(ctx, token)
	if err != nil {
		return "", err
	}
	existing, hash, err := s.store.UserByEmail(ctx, inv.Email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", err
	}
	f := errs.Fields{}
	u := &User{Email: inv.Email}
	var pwHash string
	if existing != nil && hash != "" {
		// An existing account proves itself with its password.
		if ok, _ := CheckPassword(hash, password); !ok {
			f["password"] = "account.wrong_password"
		}
	} else {
		u.Name = validateName(f, "name", name, true)
		validatePassword(f, "password", password)
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if existing == nil || hash == "" {
		if pwHash, err = HashPassword(password); err != nil {
			return "", err
		}
	}
	userID, err := s.store.AcceptInvitation(ctx, inv.Hash, u, pwHash, s.now())
	if err != nil {
		return "", err
	}
	return s.startSession(ctx, userID, userAgent)
}

// CreateAPIToken makes a personal API token; the token is shown once.
func (s *Service) CreateAPIToken(ctx context.Context, a *Actor, name string) (string, error) {
	if !a.SignedIn() || a.ViaToken {
		return "", errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	name = strings.TrimSpace(name)
	if name == "" {
		f["name"] = "error.required"
	} else if len(name) > MaxTokenNameLen {
		f["name"] = "error.too_long"
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	token := "fs_" + NewToken()
	_, err := s.store.CreateAPIToken(ctx, APIToken{UserID: a.UserID(), Name: name, Hash: HashToken(token), CreatedAt: s.now()})
	return token, err
}

// APITokens lists the actor's tokens.
func (s *Service) APITokens(ctx context.Context, a *Actor) ([]APIToken, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.APITokens(ctx, a.UserID())
}

// DeleteAPIToken revokes one of the actor's tokens.
func (s *Service) DeleteAPIToken(ctx context.Context, a *Actor, id int64) error {
	if !a.SignedIn() || a.ViaToken {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteAPIToken(ctx, a.UserID(), id)
}

// TokenActor returns the actor of an API token, or nil when it is unknown.
func (s *Service) TokenActor(ctx context.Context, token string) (*Actor, error) {
	if !strings.HasPrefix(token, "fs_") {
		return nil, nil
	}
	id, err := s.store.APITokenUserID(ctx, HashToken(token), s.now())
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, err := s.actor(ctx, id)
	if a != nil {
		a.ViaToken = true
	}
	return a, err
}

// Members lists an organisation's members.
func (s *Service) Members(ctx context.Context, a *Actor, orgID int64) ([]Membership, error) {
	if !CanSeeMembers(a, orgID) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.Members(ctx, orgID)
}

// SetMemberRole changes or removes (role "") a member's role.
func (s *Service) SetMemberRole(ctx context.Context, a *Actor, orgID, userID int64, role Role) error {
	if !CanEditOrganisation(a, orgID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if userID == a.UserID() && !a.IsAdmin() {
		return errs.E(errs.Invalid, "account.cannot_change_own_role")
	}
	if role == "" {
		return s.store.RemoveMembership(ctx, userID, orgID)
	}
	if !role.Valid() {
		return errs.Fields{"role": "error.choose"}.Err()
	}
	return s.store.SetMembership(ctx, userID, orgID, role)
}

// Organisations lists the organisations a may see.
func (s *Service) Organisations(ctx context.Context, a *Actor, f OrgFilter) ([]Organisation, error) {
	f.UserID, f.All = a.UserID(), a.IsAdmin()
	return s.store.ListOrganisations(ctx, f)
}

// CountOrganisations counts the organisations a may see, by kind.
func (s *Service) CountOrganisations(ctx context.Context, a *Actor) (map[OrgKind]int, error) {
	return s.store.CountOrganisations(ctx, OrgFilter{UserID: a.UserID(), All: a.IsAdmin()})
}

// Organisation returns an organisation by slug, as NotFound when a may not see it.
func (s *Service) Organisation(ctx context.Context, a *Actor, slug string) (*Organisation, error) {
	o, err := s.store.OrganisationBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !CanSeeOrganisation(a, o) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return o, nil
}

// CreateOrganisation adds an organisation.
func (s *Service) CreateOrganisation(ctx context.Context, a *Actor, o *Organisation) error {
	if !CanCreateOrganisation(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	id, err := s.store.CreateOrganisation(ctx, o)
	if errs.Is(err, errs.Conflict) {
		return errs.Fields{"slug": "org.slug_taken"}.Err()
	}
	o.ID = id
	return err
}

// UpdateOrganisation saves changes to an organisation's profile.
func (s *Service) UpdateOrganisation(ctx context.Context, a *Actor, o *Organisation) error {
	if !CanEditOrganisation(a, o.ID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	err := s.store.UpdateOrganisation(ctx, o)
	if errs.Is(err, errs.Conflict) {
		return errs.Fields{"slug": "org.slug_taken"}.Err()
	}
	return err
}

// DeleteOrganisation removes an organisation with its contacts and memberships.
func (s *Service) DeleteOrganisation(ctx context.Context, a *Actor, id int64) error {
	if !CanDeleteOrganisation(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteOrganisation(ctx, id)
}

// SaveContact creates (ID 0) or updates a contact person.
func (s *Service) SaveContact(ctx context.Context, a *Actor, c *Contact) error {
	if !CanManageContacts(a, c.OrganisationID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.UserID != 0 {
		// A contact may be linked to an account, but only to a member's.
		members, err := s.store.Members(ctx, c.OrganisationID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(members, func(m Membership) bool { return m.UserID == c.UserID }) {
			return errs.Fields{"user": "contact.user_not_member"}.Err()
		}
	}
	if c.ID == 0 {
		id, err := s.store.CreateContact(ctx, c)
		c.ID = id
		return err
	}
	return s.store.UpdateContact(ctx, c)
}

// DeleteContact removes a contact person.
func (s *Service) DeleteContact(ctx context.Context, a *Actor, orgID, id int64) error {
	if !CanManageContacts(a, orgID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteContact(ctx, orgID, id)
}

// PutOrganisations validates and stores a whole set of organisations with
// their contacts (the demo network, imports): all or nothing.
func (s *Service) PutOrganisations(ctx context.Context, orgs []Organisation) error {
	for i := range orgs {
		if err := orgs[i].Validate(); err != nil {
			return fmt.Errorf("organisation %d (%s): %w", i+1, orgs[i].Name, err)
		}
		for j := range orgs[i].Contacts {
			if err := orgs[i].Contacts[j].Validate(); err != nil {
				return fmt.Errorf("organisation %s, contact %d: %w", orgs[i].Slug, j+1, err)
			}
		}
	}
	return s.store.PutOrganisations(ctx, orgs)
}
