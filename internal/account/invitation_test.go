package account_test

import (
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestService_Invite(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		orgA, orgB := MustOrg(t, db, "org-a", true), MustOrg(t, db, "org-b", true)
		platform := MustActor(t, db, MustUser(t, db, "platform@example.se", true))
		adminA := MustUser(t, db, "admin-a@example.se", false)
		MustMember(t, db, adminA, orgA, account.RoleAdmin)
		editorA := MustUser(t, db, "editor-a@example.se", false)
		MustMember(t, db, editorA, orgA, account.RoleEditor)
		actors := map[string]*account.Actor{
			"platform": platform,
			"adminA":   MustActor(t, db, adminA),
			"editorA":  MustActor(t, db, editorA),
			"public":   {},
		}
		tests := []struct {
			name     string
			actor    string
			email    string
			org      *account.Organisation
			role     account.Role
			wantKind errs.Kind
			wantErr  bool
			field    string
		}{
			{name: "OKPlatformAdminWithoutOrg", actor: "platform", email: " Ny@Example.SE ", role: account.RoleAdmin},
			{name: "OKPlatformAdminAnyOrg", actor: "platform", email: "ny@example.se", org: orgB, role: account.RoleMember},
			{name: "OKOrgAdminOwnOrg", actor: "adminA", email: "ny@example.se", org: orgA, role: account.RoleEditor},
			{name: "ErrOrgAdminOtherOrg", actor: "adminA", email: "ny@example.se", org: orgB, role: account.RoleMember, wantErr: true, wantKind: errs.Forbidden},
			{name: "ErrOrgAdminWithoutOrg", actor: "adminA", email: "ny@example.se", wantErr: true, wantKind: errs.Forbidden},
			{name: "ErrEditorCannotInvite", actor: "editorA", email: "ny@example.se", org: orgA, role: account.RoleMember, wantErr: true, wantKind: errs.Forbidden},
			{name: "ErrPublicCannotInvite", actor: "public", email: "ny@example.se", org: orgA, role: account.RoleMember, wantErr: true, wantKind: errs.Forbidden},
			{name: "ErrEmailInvalid", actor: "adminA", email: "ny(at)example.se", org: orgA, role: account.RoleMember, wantErr: true, wantKind: errs.Invalid, field: "email"},
			{name: "ErrRoleRequired", actor: "adminA", email: "ny@example.se", org: orgA, role: "owner", wantErr: true, wantKind: errs.Invalid, field: "role"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var orgID int64
				if tt.org != nil {
					orgID = tt.org.ID
				}
				a := actors[tt.actor]
				token, err := svc.Invite(t.Context(), a, tt.email, orgID, tt.role)
				if tt.wantErr {
					wantKind(t, err, tt.wantKind)
					if tt.field != "" && errs.As(err).Fields[tt.field] == "" {
						t.Errorf("err = %v, want a message on %s", err, tt.field)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				inv, err := svc.Invitation(t.Context(), token)
				if err != nil {
					t.Fatal(err)
				}
				wantRole := tt.role
				if orgID == 0 {
					wantRole = "" // an invitation without organisation carries no role
				}
				if inv.Email != "ny@example.se" || inv.OrganisationID != orgID || inv.Role != wantRole || inv.InvitedBy != a.UserID() ||
					inv.Hash != account.HashToken(token) || !inv.ExpiresAt.Equal(inv.CreatedAt.Add(account.InvitationTTL)) {
					t.Errorf("Invitation = %+v", inv)
				}
				if tt.org != nil && inv.OrgName != tt.org.Name {
					t.Errorf("OrgName = %q, want %q", inv.OrgName, tt.org.Name)
				}
			})
		}
		t.Run("OKList", func(t *testing.T) {
			invs, err := svc.Invitations(t.Context(), actors["adminA"], orgA.ID)
			if err != nil || len(invs) != 1 || invs[0].OrganisationID != orgA.ID {
				t.Errorf("Invitations(A) = %+v, %v; want the one into A", invs, err)
			}
			all, err := svc.Invitations(t.Context(), platform, 0)
			if err != nil || len(all) != 3 {
				t.Errorf("Invitations(0) = %d, %v; want 3", len(all), err)
			}
		})
		t.Run("ErrListForbidden", func(t *testing.T) {
			for _, c := range []struct {
				actor string
				org   int64
			}{{"editorA", orgA.ID}, {"adminA", orgB.ID}, {"adminA", 0}, {"public", orgA.ID}} {
				_, err := svc.Invitations(t.Context(), actors[c.actor], c.org)
				wantKind(t, err, errs.Forbidden)
			}
		})
	})
}

func TestService_AcceptInvitation(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		orgA := MustOrg(t, db, "org-a", false)
		adminU := MustUser(t, db, "admin-a@example.se", false)
		MustMember(t, db, adminU, orgA, account.RoleAdmin)
		adminA := MustActor(t, db, adminU)
		platform := MustActor(t, db, MustUser(t, db, "platform@example.se", true))
		const pw = "mitt eget lösenord"
		invite := func(t *testing.T, a *account.Actor, email string, orgID int64, role account.Role) string {
			t.Helper()
			token, err := svc.Invite(t.Context(), a, email, orgID, role)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		memberRole := func(t *testing.T, email string) account.Role {
			t.Helper()
			ms, err := db.Users().Members(t.Context(), orgA.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.UserEmail == email {
					return m.Role
				}
			}
			return ""
		}

		t.Run("OKNewUser", func(t *testing.T) {
			token := invite(t, adminA, "Ny.Person@Example.se", orgA.ID, account.RoleEditor)
			session, err := svc.AcceptInvitation(t.Context(), nil, token, " Ny Person ", pw, "test")
			if err != nil {
				t.Fatal(err)
			}
			a, err := svc.SessionActor(t.Context(), session)
			if err != nil || a == nil {
				t.Fatalf("SessionActor = %v, %v", a, err)
			}
			if a.User.Email != "ny.person@example.se" || a.User.Name != "Ny Person" || a.User.IsAdmin || a.RoleIn(orgA.ID) != account.RoleEditor {
				t.Errorf("actor = %+v %+v", a.User, a.Memberships)
			}
			if invs, _ := svc.Invitations(t.Context(), adminA, orgA.ID); len(invs) != 0 {
				t.Errorf("invitation still open: %+v", invs)
			}
			if _, _, err := svc.SignIn(t.Context(), "ny.person@example.se", pw, "c", "test"); err != nil {
				t.Errorf("sign in with the chosen password: %v", err)
			}
			t.Run("ErrAcceptTwice", func(t *testing.T) {
				_, err := svc.AcceptInvitation(t.Context(), nil, token, "Ny Person", pw, "test")
				wantKey(t, err, errs.NotFound, "account.invitation_invalid")
			})
		})
		t.Run("OKWithoutOrg", func(t *testing.T) {
			token := invite(t, platform, "fri@example.se", 0, "")
			session, err := svc.AcceptInvitation(t.Context(), nil, token, "Fri Person", pw, "test")
			if err != nil {
				t.Fatal(err)
			}
			a, _ := svc.SessionActor(t.Context(), session)
			if a == nil || a.User.Email != "fri@example.se" || len(a.Memberships) != 0 {
				t.Errorf("actor = %+v", a)
			}
		})
		t.Run("ErrExpired", func(t *testing.T) {
			token := invite(t, adminA, "sen@example.se", orgA.ID, account.RoleMember)
			clk.Advance(account.InvitationTTL + time.Millisecond)
			_, err := svc.Invitation(t.Context(), token)
			wantKey(t, err, errs.NotFound, "account.invitation_invalid")
			_, err = svc.AcceptInvitation(t.Context(), nil, token, "Sen Person", pw, "test")
			wantKey(t, err, errs.NotFound, "account.invitation_invalid")
			if _, err := svc.UserByEmail(t.Context(), "sen@example.se"); !errs.Is(err, errs.NotFound) {
				t.Errorf("user created from an expired invitation: %v", err)
			}
		})
		t.Run("ErrUnknownToken", func(t *testing.T) {
			_, err := svc.AcceptInvitation(t.Context(), nil, account.NewToken(), "Någon", pw, "test")
			wantKey(t, err, errs.NotFound, "account.invitation_invalid")
		})
		t.Run("ErrNewUserPasswordTooShort", func(t *testing.T) {
			token := invite(t, adminA, "kort@example.se", orgA.ID, account.RoleMember)
			_, err := svc.AcceptInvitation(t.Context(), nil, token, "Kort", "kort", "test")
			wantField(t, err, "password", "account.password_too_short")
			if _, err := svc.Invitation(t.Context(), token); err != nil {
				t.Errorf("refused accept closed the invitation: %v", err)
			}
			if _, err := svc.UserByEmail(t.Context(), "kort@example.se"); !errs.Is(err, errs.NotFound) {
				t.Errorf("refused accept created the user: %v", err)
			}
		})
		t.Run("OKExistingUser", func(t *testing.T) {
			u := MustUser(t, db, "finns@example.se", false)
			other := MustUser(t, db, "annan@example.se", false)
			token := invite(t, adminA, "FINNS@example.se", orgA.ID, account.RoleMember)
			t.Run("ErrSignedOut", func(t *testing.T) {
				_, err := svc.AcceptInvitation(t.Context(), nil, token, "", testPassword, "test")
				wantKey(t, err, errs.Unauthorized, "invitation.sign_in_first")
				if r := memberRole(t, u.Email); r != "" {
					t.Errorf("membership %q after a refused accept", r)
				}
			})
			t.Run("ErrOtherAccount", func(t *testing.T) {
				_, err := svc.AcceptInvitation(t.Context(), MustActor(t, db, other), token, "", "", "test")
				wantKey(t, err, errs.Forbidden, "invitation.other_account")
				if r := memberRole(t, u.Email); r != "" {
					t.Errorf("membership %q after a refused accept", r)
				}
			})
			session, err := svc.AcceptInvitation(t.Context(), MustActor(t, db, u), token, "", "", "test")
			if err != nil {
				t.Fatal(err)
			}
			if session != "" {
				t.Errorf("accept by a signed-in user made a new session")
			}
			if r := memberRole(t, u.Email); r != account.RoleMember {
				t.Errorf("role = %q, want member", r)
			}
			if _, _, err := svc.SignIn(t.Context(), u.Email, testPassword, "c", "test"); err != nil {
				t.Errorf("password changed by accept: %v", err)
			}
		})
	})
}
