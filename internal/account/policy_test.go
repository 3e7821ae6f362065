package account_test

import (
	"testing"

	"github.com/framsyn/framsyn/internal/account"
)

func TestPolicy(t *testing.T) {
	const orgA, orgB = 1, 2
	hiddenA := &account.Organisation{ID: orgA, Slug: "a", Public: false}
	publicA := &account.Organisation{ID: orgA, Slug: "a", Public: true}
	actor := func(id int64, admin bool, ms ...account.Membership) *account.Actor {
		for i := range ms {
			ms[i].UserID = id
		}
		return &account.Actor{User: &account.User{ID: id, IsAdmin: admin}, Memberships: ms}
	}
	in := func(org int64, r account.Role) account.Membership {
		return account.Membership{OrganisationID: org, Role: r}
	}
	// Each row: what the actor may do, all about organisation A.
	type may struct {
		seeHidden, seePublic, edit, contacts, members, invite0, inviteA, users, create, delete bool
	}
	tests := []struct {
		name  string
		actor *account.Actor
		want  may
	}{
		{"MemberOfA", actor(10, false, in(orgA, account.RoleMember)),
			may{seeHidden: true, seePublic: true, members: true}},
		{"EditorOfA", actor(11, false, in(orgA, account.RoleEditor)),
			may{seeHidden: true, seePublic: true, contacts: true, members: true}},
		{"AdminOfA", actor(12, false, in(orgA, account.RoleAdmin)),
			may{seeHidden: true, seePublic: true, edit: true, contacts: true, members: true, inviteA: true}},
		{"EditorOfB", actor(13, false, in(orgB, account.RoleEditor)),
			may{seePublic: true}},
		{"AdminOfBMemberOfA", actor(14, false, in(orgB, account.RoleAdmin), in(orgA, account.RoleMember)),
			may{seeHidden: true, seePublic: true, members: true}},
		{"UnknownRoleInA", actor(15, false, in(orgA, "owner")),
			may{seePublic: true}},
		{"PlatformAdmin", actor(1, true),
			may{true, true, true, true, true, true, true, true, true, true}},
		{"SignedInNoOrg", actor(16, false),
			may{seePublic: true}},
		{"Anonymous", &account.Actor{}, may{seePublic: true}},
		{"AnonymousNil", nil, may{seePublic: true}},
		{"AnonymousWithStaleMemberships", &account.Actor{Memberships: []account.Membership{in(orgA, account.RoleAdmin)}},
			may{seePublic: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.actor
			got := may{
				seeHidden: account.CanSeeOrganisation(a, hiddenA),
				seePublic: account.CanSeeOrganisation(a, publicA),
				edit:      account.CanEditOrganisation(a, orgA),
				contacts:  account.CanManageContacts(a, orgA),
				members:   account.CanSeeMembers(a, orgA),
				invite0:   account.CanInvite(a, 0),
				inviteA:   account.CanInvite(a, orgA),
				users:     account.CanManageUsers(a),
				create:    account.CanCreateOrganisation(a),
				delete:    account.CanDeleteOrganisation(a),
			}
			if got != tt.want {
				t.Errorf("may\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRole_AtLeast(t *testing.T) {
	roles := []account.Role{"", "owner", account.RoleMember, account.RoleEditor, account.RoleAdmin}
	want := map[account.Role]map[account.Role]bool{
		account.RoleMember: {account.RoleMember: true},
		account.RoleEditor: {account.RoleMember: true, account.RoleEditor: true},
		account.RoleAdmin:  {account.RoleMember: true, account.RoleEditor: true, account.RoleAdmin: true},
	}
	for _, r := range roles {
		for _, min := range account.Roles {
			if got := r.AtLeast(min); got != want[r][min] {
				t.Errorf("Role(%q).AtLeast(%q) = %v, want %v", r, min, got, want[r][min])
			}
		}
	}
}
