package cross

import (
	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
)

// Who may do what with crosses: the library's rules over the cross's
// scope. The store applies the same rule in its queries (search.Viewer).

// CanSee: public crosses for everyone, network for the signed in,
// organisation for members of the owning and co-organisations, drafts
// (by visibility or status) for editors of the owner, all for platform
// admins.
func CanSee(a *account.Actor, c *Cross) bool {
	return account.ViewerOf(a).CanSee(c.Scope(), c.OrganisationID, c.OrgIDs())
}

// CanPublish: editors and admins of the organisation, and platform admins.
func CanPublish(a *account.Actor, orgID int64) bool { return library.CanPublish(a, orgID) }

// CanEdit: those who may publish for the owning organisation.
func CanEdit(a *account.Actor, c *Cross) bool { return CanPublish(a, c.OrganisationID) }
