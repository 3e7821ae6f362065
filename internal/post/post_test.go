package post_test

import (
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
)

func TestPost_Validate(t *testing.T) {
	tests := []struct {
		name      string
		in        post.Post
		wantField string // "" for valid
	}{
		{"OK", post.Post{OrganisationID: 1, Body: "Hej", Visibility: post.Network}, ""},
		{"OKDefaultsToPublic", post.Post{OrganisationID: 1, Body: "Hej"}, ""},
		{"OKAtTheLimit", post.Post{OrganisationID: 1, Body: strings.Repeat("ö", post.MaxBodyLen)}, ""},
		{"ErrBodyRequired", post.Post{OrganisationID: 1, Body: " \n\t"}, "body"},
		{"ErrBodyTooLong", post.Post{OrganisationID: 1, Body: strings.Repeat("ö", post.MaxBodyLen+1)}, "body"},
		{"ErrNUL", post.Post{OrganisationID: 1, Body: "a\x00b"}, "body"},
		{"ErrVisibility", post.Post{OrganisationID: 1, Body: "Hej", Visibility: "draft"}, "visibility"},
		{"ErrOrganisation", post.Post{Body: "Hej"}, "organisation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.in
			err := p.Validate()
			if tc.wantField == "" {
				if err != nil || p.Visibility == "" {
					t.Fatalf("Validate = %v, visibility %q", err, p.Visibility)
				}
				return
			}
			if e := errs.As(err); e.Kind != errs.Invalid || e.Fields[tc.wantField] == "" {
				t.Errorf("Validate = %v, want an error on %s", err, tc.wantField)
			}
		})
	}
}

func TestPost_ScopeAndExcerpt(t *testing.T) {
	p := post.Post{ID: 7, OrganisationID: 3, OrgPublic: true, Visibility: post.Network,
		Body: "## Rubrik\n\nVi **planerar** en framsynsdag för hela Regional utveckling i vår, med scenarier och backcasting för alla avdelningar."}
	if p.Scope() != search.ScopeNetwork {
		t.Errorf("scope = %s", p.Scope())
	}
	ex := p.Excerpt()
	if strings.Contains(ex, "*") || strings.Contains(ex, "#") || !strings.HasSuffix(ex, "…") || len([]rune(ex)) > 81 {
		t.Errorf("excerpt = %q", ex)
	}
	p.OrgPublic = false
	d := p.SearchDocument()
	if d.Scope != search.ScopeOrganisation || d.Kind != post.Kind || d.Owner != 3 || strings.Contains(d.Body, "**") {
		t.Errorf("document of a hidden organisation's post = %+v", d)
	}
}

func TestPolicy(t *testing.T) {
	member := func(org int64, r account.Role) *account.Actor {
		return &account.Actor{User: &account.User{ID: 9}, Memberships: []account.Membership{{OrganisationID: org, Role: r}}}
	}
	admin := &account.Actor{User: &account.User{ID: 1, IsAdmin: true}}
	signedIn := &account.Actor{User: &account.User{ID: 2}}
	pub := &post.Post{OrganisationID: 1, OrgPublic: true, Visibility: post.Public}
	net := &post.Post{OrganisationID: 1, OrgPublic: true, Visibility: post.Network}
	hidden := &post.Post{OrganisationID: 2, Visibility: post.Public}
	tests := []struct {
		name               string
		a                  *account.Actor
		p                  *post.Post
		see, post, canEdit bool
	}{
		{"PublicSeesPublic", nil, pub, true, false, false},
		{"PublicMissesNetwork", nil, net, false, false, false},
		{"PublicMissesHiddenOrg", nil, hidden, false, false, false},
		{"SignedInSeesNetwork", signedIn, net, true, false, false},
		{"SignedInMissesHiddenOrg", signedIn, hidden, false, false, false},
		{"MemberSeesHiddenOrg", member(2, account.RoleMember), hidden, true, false, false},
		{"MemberCannotPost", member(1, account.RoleMember), pub, true, false, false},
		{"EditorPosts", member(1, account.RoleEditor), pub, true, true, true},
		{"OrgAdminPosts", member(1, account.RoleAdmin), net, true, true, true},
		{"OtherEditorCannot", member(2, account.RoleEditor), pub, true, false, false},
		{"PlatformAdmin", admin, hidden, true, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := post.CanSee(tc.a, tc.p); got != tc.see {
				t.Errorf("CanSee = %v", got)
			}
			if got := post.CanPost(tc.a, tc.p.OrganisationID); got != tc.post {
				t.Errorf("CanPost = %v", got)
			}
			if got := post.CanEdit(tc.a, tc.p); got != tc.canEdit {
				t.Errorf("CanEdit = %v", got)
			}
		})
	}
}
