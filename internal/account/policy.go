package account

// Who may do what with accounts and organisations. Each rule is a plain
// function of the actor and the object, so handlers and tests share them.

// CanSeeOrganisation: public profiles for everyone; hidden ones for their
// members and platform admins.
func CanSeeOrganisation(a *Actor, o *Organisation) bool {
	return o.Public || a.HasRole(o.ID, RoleMember)
}

// CanCreateOrganisation: platform admins.
func CanCreateOrganisation(a *Actor) bool { return a.IsAdmin() }

// CanEditOrganisation: the organisation's admins and platform admins.
func CanEditOrganisation(a *Actor, orgID int64) bool { return a.HasRole(orgID, RoleAdmin) }

// CanDeleteOrganisation: platform admins.
func CanDeleteOrganisation(a *Actor) bool { return a.IsAdmin() }

// CanManageContacts: the organisation's editors and admins, and platform admins.
func CanManageContacts(a *Actor, orgID int64) bool { return a.HasRole(orgID, RoleEditor) }

// CanSeeMembers: the organisation's members and platform admins.
func CanSeeMembers(a *Actor, orgID int64) bool { return a.HasRole(orgID, RoleMember) }

// CanInvite: platform admins invite anyone, with or without an organisation;
// an organisation's admins invite into their own organisation.
func CanInvite(a *Actor, orgID int64) bool {
	if orgID == 0 {
		return a.IsAdmin()
	}
	return a.HasRole(orgID, RoleAdmin)
}

// CanManageUsers: platform admins list, disable and promote users.
func CanManageUsers(a *Actor) bool { return a.IsAdmin() }
