package account

import (
	"context"
	"time"
)

// Store keeps accounts and organisations. Methods return an errs.NotFound
// error for a missing object and errs.Conflict for a duplicate; each
// method is one transaction.
type Store interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) (int64, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	// UserByEmail returns the user and the stored password hash.
	UserByEmail(ctx context.Context, email string) (*User, string, error)
	// ListUsers returns limit users by name from offset.
	ListUsers(ctx context.Context, offset, limit int) ([]User, error)
	UpdateUser(ctx context.Context, u *User) error
	// SetUserLanguage saves the language a user chose (i18n.Languages).
	SetUserLanguage(ctx context.Context, userID int64, lang string) error
	// UsersByHandles returns the users of those handles that exist.
	UsersByHandles(ctx context.Context, handles []string) (map[string]User, error)
	// SetPassword replaces the hash and ends every session of the user but
	// keepSession (a token hash, or ""); revokeTokens deletes their API
	// tokens too.
	SetPassword(ctx context.Context, userID int64, hash, keepSession string, revokeTokens bool) error
	// SetDisabled disables or enables a user; disabling ends their sessions
	// and API tokens stop working.
	SetDisabled(ctx context.Context, userID int64, disabled bool) error

	Memberships(ctx context.Context, userID int64) ([]Membership, error)
	Members(ctx context.Context, orgID int64) ([]Membership, error)
	// SetMembership adds a membership or changes its role, for seeding
	// (the demo); the Service never calls it, as members are added only
	// by an accepted invitation.
	SetMembership(ctx context.Context, userID, orgID int64, role Role) error
	// ChangeRole changes an existing membership's role; NotFound when the
	// user is no member (memberships begin only by an accepted invitation).
	ChangeRole(ctx context.Context, userID, orgID int64, role Role) error
	RemoveMembership(ctx context.Context, userID, orgID int64) error

	CreateSession(ctx context.Context, s Session) error
	// Session returns a live session by token hash.
	Session(ctx context.Context, hash string, now time.Time) (*Session, error)
	TouchSession(ctx context.Context, hash string, now time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error)
	DeleteUserSession(ctx context.Context, userID int64, hash string) error

	CreateAPIToken(ctx context.Context, t APIToken) (int64, error)
	// APITokenUserID returns the owner of an unexpired token hash and
	// marks it used.
	APITokenUserID(ctx context.Context, hash string, now time.Time) (int64, error)
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, userID, id int64) error

	CreateInvitation(ctx context.Context, inv Invitation) (int64, error)
	Invitation(ctx context.Context, hash string, now time.Time) (*Invitation, error)
	Invitations(ctx context.Context, orgID int64, now time.Time) ([]Invitation, error)
	// AcceptInvitation creates the user u with passwordHash, or, when an
	// account has the invitation's address, requires u.ID to be that
	// account (else Forbidden) and leaves its password alone; then it adds
	// the membership and marks the invitation used, all or nothing.
	AcceptInvitation(ctx context.Context, hash string, u *User, passwordHash string, now time.Time) (int64, error)

	CreatePasswordReset(ctx context.Context, hash string, userID int64, created, expires time.Time) error
	// UsePasswordReset sets the new hash, marks the token used and ends the
	// user's sessions and API tokens, all or nothing.
	UsePasswordReset(ctx context.Context, hash, passwordHash string, now time.Time) (int64, error)

	CreateOrganisation(ctx context.Context, o *Organisation) (int64, error)
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	DeleteOrganisation(ctx context.Context, id int64) error
	OrganisationBySlug(ctx context.Context, slug string) (*Organisation, error)
	ListOrganisations(ctx context.Context, f OrgFilter) ([]Organisation, error)
	// OrganisationsByLogo lists the organisations whose logo is hash.
	OrganisationsByLogo(ctx context.Context, hash string) ([]Organisation, error)
	// CountOrganisations counts what the filter allows (Limit and
	// AfterSlug aside), in all and by kind.
	CountOrganisations(ctx context.Context, f OrgFilter) (map[OrgKind]int, error)
	// PutOrganisations creates or updates organisations by slug and
	// replaces their contacts, all or nothing.
	PutOrganisations(ctx context.Context, orgs []Organisation) error

	CreateContact(ctx context.Context, c *Contact) (int64, error)
	UpdateContact(ctx context.Context, c *Contact) error
	DeleteContact(ctx context.Context, orgID, id int64) error
}

// OrgFilter selects organisations for a list.
type OrgFilter struct {
	MemberOf  []int64 // members see their hidden organisations: the viewer's, by id
	All       bool    // platform admins see all
	Kind      OrgKind
	Level     Level
	LanCode   string // in this län (two digits)
	Query     string // words beginning so, folded (å ä ö as a o)
	AfterSlug string // keyset pagination (slug order only)
	AfterKey  []byte // keyset pagination in OrderName: after this sort key
	AfterID   int64  // and, with the same key, after this id
	Limit     int    // 0: no limit
	Offset    int    // rows to skip (pages of the directory)
	Recent    bool   // newest change first instead of by slug
	Order     OrgOrder
	IDs       []int64 // only these, when not nil (search hits)
	// NoContacts leaves Contacts empty, for lists that do not show them.
	NoContacts bool
	// OnePerLan lists one organisation per län code (the first saved) and
	// none without a code: a choice of län. Limit and Offset do not apply.
	OnePerLan bool
}

// OrgOrder is the order of a list of organisations.
type OrgOrder int

// The orders: by slug; by name in Swedish order (å ä ö after z); by
// level (national, regional, local), then name.
const (
	OrderSlug OrgOrder = iota
	OrderName
	OrderDirectory
)

// Session is a signed-in browser.
type Session struct {
	Hash       string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

// APIToken is a personal token for the JSON API; only its hash is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
}

// Expired reports whether the token no longer works at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// Invitation lets someone create an account, optionally into an organisation.
type Invitation struct {
	ID             int64
	Hash           string
	Email          string
	OrganisationID int64
	OrgName        string
	Role           Role
	InvitedBy      int64
	CreatedAt      time.Time
	ExpiresAt      time.Time
}
