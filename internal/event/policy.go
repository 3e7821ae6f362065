package event

import (
	"slices"

	"github.com/framsyn/framsyn/internal/account"
)

// Who may do what with events. The store applies the same visibility rule
// in its queries (search.Viewer), and the tests prove the two agree.

// CanSee: by audience (public, network, the hosts' members), narrowed to
// the hosts' members when the organiser is hidden; editors of an invited
// co-host see it too, to confirm; platform admins see everything.
func CanSee(a *account.Actor, e *Event) bool {
	if account.ViewerOf(a).CanSee(e.Scope(), e.OrganisationID, e.HostIDs()) {
		return true
	}
	for _, h := range e.Hosts {
		if !h.Confirmed && a.HasRole(h.OrganisationID, account.RoleEditor) {
			return true
		}
	}
	return false
}

// CanCreate: editors and admins of the organisation, and platform admins.
func CanCreate(a *account.Actor, orgID int64) bool {
	return orgID > 0 && a.HasRole(orgID, account.RoleEditor)
}

// CanEdit: editors of the organiser and of confirmed co-hosts.
func CanEdit(a *account.Actor, e *Event) bool {
	return slices.ContainsFunc(e.HostIDs(), func(id int64) bool { return a.HasRole(id, account.RoleEditor) })
}

// CanInvite: only the organiser's editors invite or remove co-hosts.
func CanInvite(a *account.Actor, e *Event) bool { return CanCreate(a, e.OrganisationID) }

// CanConfirm: an editor of the invited organisation confirms for it.
func CanConfirm(a *account.Actor, orgID int64) bool { return CanCreate(a, orgID) }
