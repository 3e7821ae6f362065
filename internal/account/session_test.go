package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// alive reports whether token still names a session of a signed-in user.
func alive(t *testing.T, svc *account.Service, token string) bool {
	t.Helper()
	a, err := svc.SessionActor(t.Context(), token)
	if err != nil {
		t.Fatalf("SessionActor: %v", err)
	}
	return a != nil
}

func TestService_SessionActor(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		u := MustUser(t, db, "user@example.se", false)
		org := MustOrg(t, db, "org-a", true)
		MustMember(t, db, u, org, account.RoleEditor)

		t.Run("OKNewTokenEachSignIn", func(t *testing.T) {
			seen := map[string]bool{}
			for range 2 {
				token, _ := MustSignIn(t, svc, u.Email)
				if seen[token] || len(token) != 43 {
					t.Fatalf("SignIn token %q: reused or malformed", token)
				}
				seen[token] = true
			}
			for token := range seen {
				if !alive(t, svc, token) {
					t.Error("earlier session ended by a later sign-in")
				}
			}
		})
		t.Run("OK", func(t *testing.T) {
			long := strings.Repeat("Mozilla/5.0 ", 40)
			token, _, err := svc.SignIn(t.Context(), u.Email, testPassword, "client", long)
			if err != nil {
				t.Fatal(err)
			}
			a, err := svc.SessionActor(t.Context(), token)
			if err != nil || a == nil {
				t.Fatalf("SessionActor = %v, %v", a, err)
			}
			if a.UserID() != u.ID || a.SessionHash != account.HashToken(token) || a.ViaToken || a.RoleIn(org.ID) != account.RoleEditor {
				t.Errorf("actor = %+v", a)
			}
			s, err := db.Sessions().Session(t.Context(), a.SessionHash, clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			if !s.CreatedAt.Equal(clk.Now()) || !s.ExpiresAt.Equal(clk.Now().Add(account.SessionAbsoluteTTL)) || len(s.UserAgent) != 200 {
				t.Errorf("session = %+v, want created now, expiring in 30 days, user agent cut to 200", s)
			}
		})
		t.Run("ErrUnknownToken", func(t *testing.T) {
			for _, token := range []string{"", account.NewToken(), "fs_" + account.NewToken()} {
				if alive(t, svc, token) {
					t.Errorf("SessionActor(%q) is somebody", token)
				}
			}
		})
		t.Run("ErrIdleTimeout", func(t *testing.T) {
			token, _ := MustSignIn(t, svc, u.Email)
			clk.Advance(account.SessionIdleTTL - time.Minute)
			if !alive(t, svc, token) {
				t.Fatal("session ended before the idle timeout")
			}
			// That request counted as activity, so the idle time starts again.
			clk.Advance(account.SessionIdleTTL - time.Minute)
			if !alive(t, svc, token) {
				t.Fatal("session ended although it was used within the idle timeout")
			}
			clk.Advance(account.SessionIdleTTL + time.Millisecond)
			if alive(t, svc, token) {
				t.Fatal("session alive after the idle timeout")
			}
			if _, err := db.Sessions().Session(t.Context(), account.HashToken(token), clk.Now()); !errs.Is(err, errs.NotFound) {
				t.Errorf("idle session still stored: %v", err)
			}
		})
		t.Run("ErrAbsoluteExpiry", func(t *testing.T) {
			token, _ := MustSignIn(t, svc, u.Email)
			for day := 6; day < 30; day += 6 {
				clk.Advance(6 * 24 * time.Hour)
				if !alive(t, svc, token) {
					t.Fatalf("active session ended on day %d", day)
				}
			}
			clk.Advance(6*24*time.Hour + time.Millisecond) // day 30 and a bit
			if alive(t, svc, token) {
				t.Fatal("active session alive after the absolute expiry")
			}
		})
		t.Run("OKSignOut", func(t *testing.T) {
			token, _ := MustSignIn(t, svc, u.Email)
			if err := svc.SignOut(t.Context(), token); err != nil {
				t.Fatal(err)
			}
			if alive(t, svc, token) {
				t.Error("session alive after SignOut")
			}
			if err := svc.SignOut(t.Context(), ""); err != nil {
				t.Errorf("SignOut(\"\") = %v", err)
			}
		})
	})
}

func TestService_ChangePassword(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		u := MustUser(t, db, "user@example.se", false)
		current, actor := MustSignIn(t, svc, u.Email)
		other, _ := MustSignIn(t, svc, u.Email)
		const next = "ett helt nytt lösenord"

		t.Run("ErrWrongCurrent", func(t *testing.T) {
			wantField(t, svc.ChangePassword(t.Context(), actor, "inte mitt lösenord", next, "c", false), "current", "account.wrong_password")
			if !alive(t, svc, other) {
				t.Error("refused change ended a session")
			}
		})
		t.Run("ErrNextTooShort", func(t *testing.T) {
			wantField(t, svc.ChangePassword(t.Context(), actor, testPassword, "kort", "c", false), "password", "account.password_too_short")
		})
		t.Run("ErrSignedOut", func(t *testing.T) {
			wantKind(t, svc.ChangePassword(t.Context(), &account.Actor{}, testPassword, next, "c", false), errs.Unauthorized)
		})
		t.Run("OK", func(t *testing.T) {
			if err := svc.ChangePassword(t.Context(), actor, testPassword, next, "c", false); err != nil {
				t.Fatal(err)
			}
			if !alive(t, svc, current) {
				t.Error("current session ended")
			}
			if alive(t, svc, other) {
				t.Error("other session alive after password change")
			}
			if _, _, err := svc.SignIn(t.Context(), u.Email, testPassword, "c1", "test"); !errs.Is(err, errs.Invalid) {
				t.Errorf("old password: err = %v, want Invalid", err)
			}
			if _, _, err := svc.SignIn(t.Context(), u.Email, next, "c2", "test"); err != nil {
				t.Errorf("new password: %v", err)
			}
		})
	})
}

func TestService_Sessions(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		anna := MustUser(t, db, "anna@example.se", false)
		bo := MustUser(t, db, "bo@example.se", false)
		old, _ := MustSignIn(t, svc, anna.Email)
		clk.Advance(6 * 24 * time.Hour)
		phone, _ := MustSignIn(t, svc, anna.Email)
		clk.Advance(time.Hour)
		laptop, annaActor := MustSignIn(t, svc, anna.Email)
		_, boActor := MustSignIn(t, svc, bo.Email)

		t.Run("OKList", func(t *testing.T) {
			ss, err := svc.Sessions(t.Context(), annaActor)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{account.HashToken(laptop), account.HashToken(phone), account.HashToken(old)}
			if len(ss) != len(want) {
				t.Fatalf("Sessions = %d, want %d", len(ss), len(want))
			}
			for i, s := range ss {
				if s.Hash != want[i] || s.UserID != anna.ID {
					t.Errorf("Sessions[%d] = %+v, want hash %s of user %d, newest first", i, s, want[i], anna.ID)
				}
			}
		})
		t.Run("OKListSkipsIdle", func(t *testing.T) {
			clk.Advance(account.SessionIdleTTL - 6*24*time.Hour + time.Minute) // old is idle now, phone is not
			ss, err := svc.Sessions(t.Context(), annaActor)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				if s.Hash == account.HashToken(old) {
					t.Error("Sessions lists a session past the idle timeout")
				}
			}
			if len(ss) != 2 {
				t.Errorf("Sessions = %d, want 2", len(ss))
			}
		})
		t.Run("ErrEndOthersSession", func(t *testing.T) {
			wantKind(t, svc.EndSession(t.Context(), boActor, account.HashToken(phone)), errs.NotFound)
			if !alive(t, svc, phone) {
				t.Error("another user ended anna's session")
			}
		})
		t.Run("OKEndOwn", func(t *testing.T) {
			if err := svc.EndSession(t.Context(), annaActor, account.HashToken(phone)); err != nil {
				t.Fatal(err)
			}
			if alive(t, svc, phone) {
				t.Error("ended session alive")
			}
			if !alive(t, svc, laptop) {
				t.Error("ending one session ended another")
			}
		})
		t.Run("ErrEndUnknown", func(t *testing.T) {
			wantKind(t, svc.EndSession(t.Context(), annaActor, account.HashToken(phone)), errs.NotFound)
		})
		t.Run("ErrSignedOut", func(t *testing.T) {
			_, err := svc.Sessions(t.Context(), &account.Actor{})
			wantKind(t, err, errs.Unauthorized)
			wantKind(t, svc.EndSession(t.Context(), nil, account.HashToken(laptop)), errs.Unauthorized)
		})
	})
}
