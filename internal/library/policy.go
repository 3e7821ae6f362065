package library

import (
	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// Who may do what with works. Each rule is a plain function of the actor
// and the work, shared by the Service, handlers and tests. The store
// applies the same visibility rule inside its queries (search.Viewer), and
// the visibility tests prove the two agree.

// CanSee: public works for everyone; network works for signed-in users;
// organisation works for members of the owning and co-organisations;
// drafts for editors of the owning organisation; all for platform admins.
func CanSee(a *account.Actor, w *Work) bool {
	return account.ViewerOf(a).CanSee(search.Scope(w.Visibility), w.OrganisationID, w.OrgIDs())
}

// CanPublish: editors and admins of the organisation, and platform admins,
// may publish works owned by it.
func CanPublish(a *account.Actor, orgID int64) bool {
	return orgID > 0 && a.HasRole(orgID, account.RoleEditor)
}

// CanEdit: editors and admins of the owning organisation, and platform
// admins, may edit, restore and delete a work and read its revisions.
func CanEdit(a *account.Actor, w *Work) bool { return CanPublish(a, w.OrganisationID) }

// CanImport: any editor may import, into the organisations they edit for
// (each record is checked with CanPublish and CanEdit).
func CanImport(a *account.Actor) bool {
	if a.IsAdmin() {
		return true
	}
	for _, m := range a.Memberships {
		if m.Role.AtLeast(account.RoleEditor) && a.SignedIn() {
			return true
		}
	}
	return false
}
