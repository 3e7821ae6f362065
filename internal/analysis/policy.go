package analysis

import (
	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// Who may do what: the rules of works. Datasets, models and analyses
// belong to an organisation; its editors (and platform admins) publish
// and change them; who sees one is its visibility (public, network,
// organisation, draft), the rule the store applies in SQL too.

// CanSee reports whether a may see something of org with visibility v.
func CanSee(a *account.Actor, v Visibility, org int64) bool {
	return account.ViewerOf(a).CanSee(search.Scope(v), org, []int64{org})
}

// CanPublish: editors and admins of the organisation, and platform admins.
func CanPublish(a *account.Actor, org int64) bool {
	return org > 0 && a.HasRole(org, account.RoleEditor)
}

// EditorOrgs are the organisations a may publish for, for a form's choice.
func EditorOrgs(a *account.Actor) []int64 {
	var out []int64
	if !a.SignedIn() {
		return nil
	}
	for _, m := range a.Memberships {
		if m.Role.AtLeast(account.RoleEditor) {
			out = append(out, m.OrganisationID)
		}
	}
	return out
}
