package account

// Role is a user's role in one organisation.
type Role string

// The organisation roles, from least to most.
const (
	RoleMember Role = "member"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Roles lists the roles from least to most.
var Roles = []Role{RoleMember, RoleEditor, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Membership is a user's role in an organisation.
type Membership struct {
	OrganisationID int64
	OrgSlug        string
	OrgName        string
	UserID         int64
	UserName       string
	UserEmail      string
	Role           Role
}

// Actor is whoever makes a request: a user with their memberships, or
// nobody (the zero Actor, or nil) for the public.
type Actor struct {
	User        *User
	Memberships []Membership
	SessionHash string // set when authenticated by a session cookie
	ViaToken    bool   // authenticated by an API token
}

// SignedIn reports whether a is a user.
func (a *Actor) SignedIn() bool { return a != nil && a.User != nil }

// IsAdmin reports whether a is a platform admin.
func (a *Actor) IsAdmin() bool { return a.SignedIn() && a.User.IsAdmin }

// UserID returns the user's id, or 0 for the public.
func (a *Actor) UserID() int64 {
	if !a.SignedIn() {
		return 0
	}
	return a.User.ID
}

// RoleIn returns a's role in the organisation, or "" when a is not a member.
func (a *Actor) RoleIn(orgID int64) Role {
	if !a.SignedIn() {
		return ""
	}
	for _, m := range a.Memberships {
		if m.OrganisationID == orgID {
			return m.Role
		}
	}
	return ""
}

// HasRole reports whether a holds at least min in the organisation; a
// platform admin holds every role everywhere.
func (a *Actor) HasRole(orgID int64, min Role) bool {
	return a.IsAdmin() || a.RoleIn(orgID).AtLeast(min)
}

// OrgIDs returns the ids of a's organisations.
func (a *Actor) OrgIDs() []int64 {
	if !a.SignedIn() {
		return nil
	}
	ids := make([]int64, len(a.Memberships))
	for i, m := range a.Memberships {
		ids[i] = m.OrganisationID
	}
	return ids
}
