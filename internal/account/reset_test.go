package account_test

import (
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestService_PasswordReset(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		const next = "ett helt nytt lösenord"
		request := func(t *testing.T, email string) string {
			t.Helper()
			token, u, err := svc.RequestPasswordReset(t.Context(), email, "client-"+email)
			if err != nil || token == "" || u == nil {
				t.Fatalf("RequestPasswordReset(%s) = %q, %v, %v", email, token, u, err)
			}
			return token
		}

		t.Run("OK", func(t *testing.T) {
			u := MustUser(t, db, "ok@example.se", false)
			s1, _ := MustSignIn(t, svc, u.Email)
			s2, _ := MustSignIn(t, svc, u.Email)
			token := request(t, "  OK@Example.se")
			id, err := svc.ResetPassword(t.Context(), token, next)
			if err != nil || id != u.ID {
				t.Fatalf("ResetPassword = %d, %v; want %d", id, err, u.ID)
			}
			if alive(t, svc, s1) || alive(t, svc, s2) {
				t.Error("a session survived the reset")
			}
			if _, _, err := svc.SignIn(t.Context(), u.Email, next, "c", "test"); err != nil {
				t.Errorf("sign in with the new password: %v", err)
			}
			t.Run("ErrUsedTwice", func(t *testing.T) {
				_, err := svc.ResetPassword(t.Context(), token, "ett tredje lösenord")
				wantKey(t, err, errs.Invalid, "account.reset_invalid")
			})
		})
		t.Run("OKJustBeforeExpiry", func(t *testing.T) {
			u := MustUser(t, db, "early@example.se", false)
			token := request(t, u.Email)
			clk.Advance(account.ResetTTL - time.Minute)
			if _, err := svc.ResetPassword(t.Context(), token, next); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrExpired", func(t *testing.T) {
			u := MustUser(t, db, "late@example.se", false)
			token := request(t, u.Email)
			clk.Advance(account.ResetTTL)
			_, err := svc.ResetPassword(t.Context(), token, next)
			wantKey(t, err, errs.Invalid, "account.reset_invalid")
		})
		t.Run("ErrOtherTokensEnded", func(t *testing.T) {
			u := MustUser(t, db, "twice@example.se", false)
			first, second := request(t, u.Email), request(t, u.Email)
			if _, err := svc.ResetPassword(t.Context(), second, next); err != nil {
				t.Fatal(err)
			}
			_, err := svc.ResetPassword(t.Context(), first, "ett tredje lösenord")
			wantKey(t, err, errs.Invalid, "account.reset_invalid")
		})
		t.Run("ErrUnknownToken", func(t *testing.T) {
			u := MustUser(t, db, "session@example.se", false)
			session, _ := MustSignIn(t, svc, u.Email)
			_, err := svc.ResetPassword(t.Context(), session, next)
			wantKey(t, err, errs.Invalid, "account.reset_invalid")
			if !alive(t, svc, session) {
				t.Error("a refused reset ended the session")
			}
		})
		t.Run("ErrPasswordTooShort", func(t *testing.T) {
			_, err := svc.ResetPassword(t.Context(), account.NewToken(), "kort")
			wantField(t, err, "password", "account.password_too_short")
		})
		t.Run("OKUnknownEmail", func(t *testing.T) {
			token, u, err := svc.RequestPasswordReset(t.Context(), "nobody@example.se", "c")
			if token != "" || u != nil || err != nil {
				t.Errorf("RequestPasswordReset = %q, %v, %v; want \"\", nil, nil", token, u, err)
			}
		})
		t.Run("OKDisabledUser", func(t *testing.T) {
			u := MustUser(t, db, "off@example.se", false)
			if err := db.Users().SetDisabled(t.Context(), u.ID, true); err != nil {
				t.Fatal(err)
			}
			token, got, err := svc.RequestPasswordReset(t.Context(), u.Email, "c")
			if token != "" || got != nil || err != nil {
				t.Errorf("RequestPasswordReset = %q, %v, %v; want \"\", nil, nil", token, got, err)
			}
		})
	})
}
