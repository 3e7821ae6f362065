package account_test

import (
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// TestViewerOf checks that an actor's memberships become the viewer the
// index filters by: members see organisation scope, editors drafts.
func TestViewerOf(t *testing.T) {
	editor := &account.Actor{User: &account.User{ID: 1}, Memberships: []account.Membership{
		{OrganisationID: 10, Role: account.RoleEditor}, {OrganisationID: 20, Role: account.RoleMember}}}
	admin := &account.Actor{User: &account.User{ID: 2, IsAdmin: true}}
	tests := []struct {
		name  string
		actor *account.Actor
		scope search.Scope
		owner int64
		orgs  []int64
		want  bool
	}{
		{"PublicForNil", nil, search.ScopePublic, 10, nil, true},
		{"NetworkNotForPublic", &account.Actor{}, search.ScopeNetwork, 10, nil, false},
		{"NetworkForUser", editor, search.ScopeNetwork, 99, nil, true},
		{"OrganisationOwnMember", editor, search.ScopeOrganisation, 20, []int64{20}, true},
		{"OrganisationCoOrg", editor, search.ScopeOrganisation, 99, []int64{99, 20}, true},
		{"OrganisationOther", editor, search.ScopeOrganisation, 99, []int64{99}, false},
		{"DraftEditor", editor, search.ScopeDraft, 10, []int64{10}, true},
		{"DraftMemberOnly", editor, search.ScopeDraft, 20, []int64{20}, false},
		{"DraftCoOrgEditor", editor, search.ScopeDraft, 99, []int64{99, 10}, false},
		{"DraftAdmin", admin, search.ScopeDraft, 99, nil, true},
		{"Unknownsearch.Scope", editor, "secret", 10, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := account.ViewerOf(tt.actor).CanSee(tt.scope, tt.owner, tt.orgs); got != tt.want {
				t.Errorf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}
