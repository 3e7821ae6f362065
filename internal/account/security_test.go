package account_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestService_AcceptInvitationNeverAuthenticates is issue 18 row 1: the
// link of an invitation to an existing account must not sign anyone in by
// password, so an inviter cannot guess their way into that account.
func TestService_AcceptInvitationNeverAuthenticates(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		org := MustOrg(t, db, "org-a", true)
		adminU := MustUser(t, db, "admin-a@example.se", false)
		MustMember(t, db, adminU, org, account.RoleAdmin)
		victim := MustUser(t, db, "platform@example.se", true)
		token, err := svc.Invite(t.Context(), MustActor(t, db, adminU), victim.Email, org.ID, account.RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		session, err := svc.AcceptInvitation(t.Context(), nil, token, "", testPassword, "test")
		if session != "" || err == nil {
			t.Fatalf("accept by password gave session %q, err %v", session, err)
		}
		if ms, _ := db.Users().Memberships(t.Context(), victim.ID); len(ms) != 0 {
			t.Errorf("accept by password added %+v", ms)
		}
	})
}

// TestService_SetMemberRoleMembersOnly is issue 18 row 3: a role change
// applies to an existing member only; anyone else, known or not, is the
// same NotFound, and no membership appears without an invitation.
func TestService_SetMemberRoleMembersOnly(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		org := MustOrg(t, db, "org-a", true)
		adminU := MustUser(t, db, "admin-a@example.se", false)
		MustMember(t, db, adminU, org, account.RoleAdmin)
		member := MustUser(t, db, "member@example.se", false)
		MustMember(t, db, member, org, account.RoleMember)
		stranger := MustUser(t, db, "stranger@example.se", false)
		admin := MustActor(t, db, adminU)
		tests := []struct {
			name   string
			userID int64
			role   account.Role
			want   errs.Kind // 0: no error
		}{
			{"OKMemberToEditor", member.ID, account.RoleEditor, 0},
			{"ErrStrangerNotAdded", stranger.ID, account.RoleEditor, errs.NotFound},
			{"ErrStrangerRemove", stranger.ID, "", errs.NotFound},
			{"ErrUnknownUser", 999999, account.RoleEditor, errs.NotFound},
			{"ErrUnknownUserRemove", 999999, "", errs.NotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := svc.SetMemberRole(t.Context(), admin, org.ID, tt.userID, tt.role)
				if tt.want == 0 {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantKey(t, err, tt.want, "error.not_found")
			})
		}
		if ms, _ := db.Users().Memberships(t.Context(), stranger.ID); len(ms) != 0 {
			t.Errorf("stranger became a member: %+v", ms)
		}
	})
}

// TestService_ResetRevokesTokens is issue 18 row 9: a password reset ends
// the user's API tokens as it ends their sessions.
func TestService_ResetRevokesTokens(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		u := MustUser(t, db, "reset@example.se", false)
		_, a := MustSignIn(t, svc, u.Email)
		api := mustToken(t, svc, a)
		reset, _, err := svc.RequestPasswordReset(t.Context(), u.Email, "c")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ResetPassword(t.Context(), reset, "ett helt nytt lösenord"); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.TokenActor(t.Context(), api); got != nil || err != nil {
			t.Fatalf("API token works after a reset: %v, %v", got, err)
		}
	})
}

// TestService_TokenExpiry is issue 18 row 9: a token works until the
// expiry its owner chose (90 days unless told), records its last use,
// and a password change revokes tokens only when asked.
func TestService_TokenExpiry(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		u := MustUser(t, db, "token@example.se", false)
		_, a := MustSignIn(t, svc, u.Email)
		works := func(t *testing.T, token string) bool {
			t.Helper()
			got, err := svc.TokenActor(t.Context(), token)
			if err != nil {
				t.Fatal(err)
			}
			return got != nil
		}
		week, err := svc.CreateAPIToken(t.Context(), a, "en vecka", 7)
		if err != nil {
			t.Fatal(err)
		}
		def := mustToken(t, svc, a)
		if _, err := svc.CreateAPIToken(t.Context(), a, "för länge", account.MaxTokenDays+1); err == nil {
			t.Error("a token for more than a year was made")
		}
		ts, err := svc.APITokens(t.Context(), a)
		if err != nil || len(ts) != 2 {
			t.Fatalf("APITokens = %v, %v", ts, err)
		}
		for _, tk := range ts {
			days := map[string]int{"en vecka": 7, "skript": account.DefaultTokenDays}[tk.Name]
			if want := tk.CreatedAt.AddDate(0, 0, days); !tk.ExpiresAt.Equal(want) {
				t.Errorf("%s expires %v, want %v", tk.Name, tk.ExpiresAt, want)
			}
		}
		if !works(t, week) || !works(t, def) {
			t.Fatal("a new token does not work")
		}
		ts, _ = svc.APITokens(t.Context(), a)
		if ts[0].LastUsedAt.IsZero() {
			t.Error("last use not recorded")
		}
		clk.Advance(8 * 24 * time.Hour)
		if works(t, week) || !works(t, def) {
			t.Errorf("after 8 days: week token works %v, default works %v", works(t, week), works(t, def))
		}
		clk.Advance(83 * 24 * time.Hour)
		if works(t, def) {
			t.Error("the default token works after 91 days")
		}

		keep := mustToken(t, svc, a)
		if err := svc.ChangePassword(t.Context(), a, testPassword, "ett helt nytt lösenord", "c", false); err != nil {
			t.Fatal(err)
		}
		if !works(t, keep) {
			t.Error("a change without revoking ended the token")
		}
		if err := svc.ChangePassword(t.Context(), a, "ett helt nytt lösenord", "ett tredje nytt lösenord", "c", true); err != nil {
			t.Fatal(err)
		}
		if works(t, keep) {
			t.Error("a change with revoking kept the token")
		}
	})
}

// TestService_ChangePasswordThrottled is issue 18 row 8: the current
// password check of a change goes through the login limiter, so a stolen
// session cannot guess the password at full speed.
func TestService_ChangePasswordThrottled(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		u := MustUser(t, db, "change@example.se", false)
		_, a := MustSignIn(t, svc, u.Email)
		var last error
		for i := 0; i < 12; i++ {
			last = svc.ChangePassword(t.Context(), a, "gissning nummer "+string(rune('a'+i)), "ett helt nytt lösenord", "thief", false)
		}
		wantKey(t, last, errs.TooMany, "account.too_many_attempts")
		err := svc.ChangePassword(t.Context(), a, testPassword, "ett helt nytt lösenord", "thief", false)
		wantKey(t, err, errs.TooMany, "account.too_many_attempts")
	})
}

// TestService_CommonPasswordsRefused is issue 18 row 7: common passwords
// and their easy variations are refused whatever their length (ASVS
// 6.2.4), with one message; long, unusual ones pass.
func TestService_CommonPasswordsRefused(t *testing.T) {
	t.Parallel()
	db := storagetest.MustOpen(t, t.TempDir()+"/framsyn.db")
	svc, _ := MustService(t, db)
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"ErrRepeatedWord", "passwordpassword", false},
		{"ErrRepeatedDigit", "111111111111", false},
		{"ErrRepeatedShortUnit", "abcabcabcabc", false},
		{"ErrListed", "qwerty123456", false},
		{"ErrListedUpperCase", "QWERTY123456", false},
		{"ErrCommonWithDigits", "password1234", false},
		{"ErrCommonWithYear", "Sommar2024!!", false},
		{"ErrSwedishCommon", "lösenord1234", false},
		{"ErrSequence", "123456789012", false},
		{"ErrLetterSequence", "abcdefghijkl", false},
		{"ErrReverseSequence", "987654321098", false},
		{"ErrKeyboardRow", "qwertyuiopas", false},
		{"OKSentence", "rätt häst batteri", true},
		{"OKLongRandom", "Vx7-tq9#Lm2p", true},
		{"OKLongRepeatedUnit", "en mening som räcker en mening som räcker", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.CreateUser(t.Context(), fmt.Sprintf("u%d@example.se", i), "Namn", tt.password, false)
			if tt.ok {
				if err != nil {
					t.Fatalf("CreateUser(%q): %v", tt.password, err)
				}
				return
			}
			wantField(t, err, "password", "account.password_common")
		})
	}
}
