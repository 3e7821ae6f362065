package post

import (
	"github.com/framsyn/framsyn/internal/account"
)

// Who may do what with posts. The store applies the same visibility rule
// in its queries (search.Viewer), and the tests prove the two agree.

// CanSee: public posts of public organisations for everyone; network
// posts for signed-in users; posts of a hidden organisation for its
// members; everything for platform admins.
func CanSee(a *account.Actor, p *Post) bool {
	return account.ViewerOf(a).CanSee(p.Scope(), p.OrganisationID, []int64{p.OrganisationID})
}

// CanPost: editors and admins of the organisation, and platform admins.
func CanPost(a *account.Actor, orgID int64) bool {
	return orgID > 0 && a.HasRole(orgID, account.RoleEditor)
}

// CanEdit: those who may post for the post's organisation may edit and
// delete its posts, whoever wrote them.
func CanEdit(a *account.Actor, p *Post) bool { return CanPost(a, p.OrganisationID) }
