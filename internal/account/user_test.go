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

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"OK", "anna@example.se", "anna@example.se"},
		{"OKTrimmedLowered", "  Anna.Andersson@Example.SE \t", "anna.andersson@example.se"},
		{"OKPlus", "anna+framsyn@example.se", "anna+framsyn@example.se"},
		{"ErrEmpty", "   ", ""},
		{"ErrNoAt", "anna.example.se", ""},
		{"ErrDisplayName", "Anna <anna@example.se>", ""},
		{"ErrNoDotInDomain", "anna@localhost", ""},
		{"ErrTwoAddresses", "a@example.se, b@example.se", ""},
		{"ErrTooLong", strings.Repeat("a", 250) + "@example.se", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := account.NormalizeEmail(tt.in); got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestService_CreateUser(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		MustUser(t, db, "taken@example.se", false)
		tests := []struct {
			name      string
			email     string
			userName  string
			password  string
			wantEmail string
			wantKind  errs.Kind
			wantField string // field of an Invalid error
			wantKey   string
		}{
			{name: "OK", email: "  Anna.Andersson@Example.SE ", userName: " Anna Andersson ", password: testPassword, wantEmail: "anna.andersson@example.se"},
			{name: "ErrEmailTaken", email: "TAKEN@example.se", userName: "Someone", password: testPassword, wantKind: errs.Conflict, wantKey: "account.email_taken"},
			{name: "ErrEmailInvalid", email: "Anna <anna@example.se>", userName: "Anna", password: testPassword, wantKind: errs.Invalid, wantField: "email", wantKey: "error.email_invalid"},
			{name: "ErrNameRequired", email: "b@example.se", userName: "  ", password: testPassword, wantKind: errs.Invalid, wantField: "name", wantKey: "error.required"},
			{name: "ErrNameInvalidChars", email: "b@example.se", userName: "Anna\nAndersson", password: testPassword, wantKind: errs.Invalid, wantField: "name", wantKey: "error.invalid_chars"},
			{name: "ErrPasswordTooShort", email: "b@example.se", userName: "Bo", password: "elva tecken", wantKind: errs.Invalid, wantField: "password", wantKey: "account.password_too_short"},
			{name: "ErrPasswordTooLong", email: "b@example.se", userName: "Bo", password: strings.Repeat("x", account.MaxPasswordLen+1), wantKind: errs.Invalid, wantField: "password", wantKey: "error.too_long"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := svc.CreateUser(t.Context(), tt.email, tt.userName, tt.password, false)
				switch {
				case tt.wantField != "":
					wantField(t, err, tt.wantField, tt.wantKey)
					return
				case tt.wantKey != "":
					wantKey(t, err, tt.wantKind, tt.wantKey)
					return
				case err != nil:
					t.Fatalf("CreateUser: %v", err)
				}
				if u.ID == 0 || u.Email != tt.wantEmail || u.Name != strings.TrimSpace(tt.userName) || !u.HasPassword {
					t.Errorf("CreateUser = %+v", u)
				}
				got, err := svc.UserByEmail(t.Context(), strings.ToUpper(tt.wantEmail))
				if err != nil {
					t.Fatalf("UserByEmail: %v", err)
				}
				if got.ID != u.ID || got.Email != tt.wantEmail || got.CreatedAt.IsZero() || got.IsAdmin || got.Disabled {
					t.Errorf("UserByEmail = %+v, want id %d", got, u.ID)
				}
			})
		}
	})
}

func TestStore_UserNotFound(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		u := MustUser(t, db, "known@example.se", false)
		t.Run("OK", func(t *testing.T) {
			if got, err := db.Users().UserByID(t.Context(), u.ID); err != nil || got.Email != u.Email {
				t.Fatalf("UserByID = %+v, %v", got, err)
			}
			got, hash, err := db.Users().UserByEmail(t.Context(), u.Email)
			if err != nil || got.ID != u.ID || hash != testHash() {
				t.Fatalf("UserByEmail = %+v, %q, %v", got, hash, err)
			}
		})
		t.Run("ErrNotFoundByID", func(t *testing.T) {
			u, err := db.Users().UserByID(t.Context(), u.ID+1000)
			wantKind(t, err, errs.NotFound)
			if u != nil {
				t.Errorf("user = %+v, want nil", u)
			}
		})
		t.Run("ErrNotFoundByEmail", func(t *testing.T) {
			_, err := svc.UserByEmail(t.Context(), "nobody@example.se")
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrNotFoundUpdate", func(t *testing.T) {
			err := db.Users().UpdateUser(t.Context(), &account.User{ID: u.ID + 1000, Name: "X"})
			wantKind(t, err, errs.NotFound)
		})
	})
}

func TestService_UpdateUser(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		admin := MustActor(t, db, MustUser(t, db, "admin@example.se", true))
		user := MustActor(t, db, MustUser(t, db, "user@example.se", false))

		t.Run("OKProfile", func(t *testing.T) {
			if err := svc.UpdateProfile(t.Context(), user, "  Nytt Namn  ", ""); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Users().UserByID(t.Context(), user.UserID())
			if got.Name != "Nytt Namn" || got.Email != "user@example.se" {
				t.Errorf("user = %+v", got)
			}
		})
		t.Run("ErrProfileNameRequired", func(t *testing.T) {
			wantField(t, svc.UpdateProfile(t.Context(), user, " ", ""), "name", "error.required")
		})
		t.Run("ErrProfileSignedOut", func(t *testing.T) {
			wantKind(t, svc.UpdateProfile(t.Context(), &account.Actor{}, "Namn", ""), errs.Unauthorized)
		})
		t.Run("OKSetAdmin", func(t *testing.T) {
			if err := svc.SetAdmin(t.Context(), admin, user.UserID(), true); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Users().UserByID(t.Context(), user.UserID())
			if !got.IsAdmin || got.Name != "Nytt Namn" {
				t.Errorf("after SetAdmin: %+v", got)
			}
			if err := svc.SetAdmin(t.Context(), admin, user.UserID(), false); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrSetAdminForbidden", func(t *testing.T) {
			wantKind(t, svc.SetAdmin(t.Context(), user, user.UserID(), true), errs.Forbidden)
		})
		t.Run("ErrDemoteSelf", func(t *testing.T) {
			wantKey(t, svc.SetAdmin(t.Context(), admin, admin.UserID(), false), errs.Invalid, "account.cannot_demote_self")
		})
		t.Run("ErrSetAdminNotFound", func(t *testing.T) {
			wantKind(t, svc.SetAdmin(t.Context(), admin, 9999, true), errs.NotFound)
		})
		t.Run("OKUsersForAdmin", func(t *testing.T) {
			us, err := svc.Users(t.Context(), admin, 0, 10)
			if err != nil || len(us) != 2 {
				t.Fatalf("Users = %d users, %v", len(us), err)
			}
			// Pages: one user from the second on.
			page, err := svc.Users(t.Context(), admin, 1, 1)
			if err != nil || len(page) != 1 || page[0].ID != us[1].ID {
				t.Fatalf("Users(1, 1) = %+v, %v; want %d", page, err, us[1].ID)
			}
		})
		t.Run("OKUserForAdmin", func(t *testing.T) {
			if u, err := svc.User(t.Context(), admin, user.UserID()); err != nil || u.ID != user.UserID() {
				t.Fatalf("User = %+v, %v", u, err)
			}
			_, err := svc.User(t.Context(), user, admin.UserID())
			wantKind(t, err, errs.Forbidden)
		})
		t.Run("ErrUsersForbidden", func(t *testing.T) {
			_, err := svc.Users(t.Context(), user, 0, 10)
			wantKind(t, err, errs.Forbidden)
		})
	})
}

func TestService_SetDisabled(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		admin := MustActor(t, db, MustUser(t, db, "admin@example.se", true))
		u := MustUser(t, db, "user@example.se", false)
		session, actor := MustSignIn(t, svc, u.Email)
		apiToken, err := svc.CreateAPIToken(t.Context(), actor, "skript", 0)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := svc.TokenActor(t.Context(), apiToken); err != nil || a == nil {
			t.Fatalf("TokenActor before disabling = %v, %v", a, err)
		}

		t.Run("ErrForbidden", func(t *testing.T) {
			wantKind(t, svc.SetDisabled(t.Context(), actor, u.ID, true), errs.Forbidden)
		})
		t.Run("ErrDisableSelf", func(t *testing.T) {
			wantKey(t, svc.SetDisabled(t.Context(), admin, admin.UserID(), true), errs.Invalid, "account.cannot_disable_self")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantKind(t, svc.SetDisabled(t.Context(), admin, 9999, true), errs.NotFound)
		})
		t.Run("OK", func(t *testing.T) {
			if err := svc.SetDisabled(t.Context(), admin, u.ID, true); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Users().UserByID(t.Context(), u.ID)
			if !got.Disabled {
				t.Errorf("user not disabled: %+v", got)
			}
			if ss, err := db.Sessions().UserSessions(t.Context(), u.ID, got.CreatedAt); err != nil || len(ss) != 0 {
				t.Errorf("sessions after disabling = %d, %v; want none", len(ss), err)
			}
		})
		t.Run("OKSessionActorNil", func(t *testing.T) {
			if a, err := svc.SessionActor(t.Context(), session); err != nil || a != nil {
				t.Errorf("SessionActor = %v, %v; want nil, nil", a, err)
			}
		})
		t.Run("OKTokenActorNil", func(t *testing.T) {
			if a, err := svc.TokenActor(t.Context(), apiToken); err != nil || a != nil {
				t.Errorf("TokenActor = %v, %v; want nil, nil", a, err)
			}
		})
		t.Run("ErrSignInRefused", func(t *testing.T) {
			_, _, err := svc.SignIn(t.Context(), u.Email, testPassword, "client", "test")
			wantKey(t, err, errs.Invalid, "account.bad_credentials")
		})
		t.Run("OKEnableKeepsSessionsEnded", func(t *testing.T) {
			if err := svc.SetDisabled(t.Context(), admin, u.ID, false); err != nil {
				t.Fatal(err)
			}
			if a, err := svc.SessionActor(t.Context(), session); err != nil || a != nil {
				t.Errorf("SessionActor after enabling = %v, %v; want nil, nil", a, err)
			}
		})
	})
}

func TestService_APIToken(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		owner := MustActor(t, db, MustUser(t, db, "owner@example.se", false))
		other := MustActor(t, db, MustUser(t, db, "other@example.se", false))

		token, err := svc.CreateAPIToken(t.Context(), owner, "  rapportskript  ", 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("OK", func(t *testing.T) {
			if !strings.HasPrefix(token, "fs_") || len(token) < 40 {
				t.Errorf("token = %q", token)
			}
			clk.Advance(5 * time.Minute)
			a, err := svc.TokenActor(t.Context(), token)
			if err != nil || a == nil || a.UserID() != owner.UserID() || !a.ViaToken || a.SessionHash != "" {
				t.Fatalf("TokenActor = %+v, %v", a, err)
			}
			ts, err := svc.APITokens(t.Context(), owner)
			if err != nil || len(ts) != 1 {
				t.Fatalf("APITokens = %v, %v", ts, err)
			}
			if ts[0].Name != "rapportskript" || ts[0].Hash != "" || !ts[0].LastUsedAt.Equal(clk.Now()) {
				t.Errorf("APITokens[0] = %+v, want name trimmed, no hash, last used %v", ts[0], clk.Now())
			}
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			for _, tok := range []string{"fs_" + account.NewToken(), account.NewToken(), "", strings.TrimPrefix(token, "fs_")} {
				if a, err := svc.TokenActor(t.Context(), tok); a != nil || err != nil {
					t.Errorf("TokenActor(%q) = %v, %v; want nil, nil", tok, a, err)
				}
			}
		})
		t.Run("ErrViaTokenCannotMint", func(t *testing.T) {
			a, _ := svc.TokenActor(t.Context(), token)
			_, err := svc.CreateAPIToken(t.Context(), a, "mer", 0)
			wantKind(t, err, errs.Forbidden)
		})
		t.Run("ErrNameRequired", func(t *testing.T) {
			_, err := svc.CreateAPIToken(t.Context(), owner, " ", 0)
			wantField(t, err, "name", "error.required")
		})
		t.Run("ErrNameTooLong", func(t *testing.T) {
			_, err := svc.CreateAPIToken(t.Context(), owner, strings.Repeat("n", account.MaxTokenNameLen+1), 0)
			wantField(t, err, "name", "error.too_long")
		})
		t.Run("ErrSignedOut", func(t *testing.T) {
			_, err := svc.CreateAPIToken(t.Context(), &account.Actor{}, "x", 0)
			wantKind(t, err, errs.Forbidden)
		})
		t.Run("ErrDeleteOthersToken", func(t *testing.T) {
			ts, _ := svc.APITokens(t.Context(), owner)
			wantKind(t, svc.DeleteAPIToken(t.Context(), other, ts[0].ID), errs.NotFound)
			if a, _ := svc.TokenActor(t.Context(), token); a == nil {
				t.Error("token stopped working after another user's delete")
			}
		})
		t.Run("OKDelete", func(t *testing.T) {
			ts, _ := svc.APITokens(t.Context(), owner)
			if err := svc.DeleteAPIToken(t.Context(), owner, ts[0].ID); err != nil {
				t.Fatal(err)
			}
			if a, err := svc.TokenActor(t.Context(), token); a != nil || err != nil {
				t.Errorf("TokenActor after delete = %v, %v", a, err)
			}
		})
	})
}

// TestService_ProfileHandle: a taken or invalid handle is a field error
// in the form and nothing is saved; a valid one is normalised and saved.
func TestService_ProfileHandle(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		user := MustActor(t, db, MustUser(t, db, "user@example.se", false))
		other := MustUser(t, db, "other@example.se", false)
		o, _ := db.Users().UserByID(t.Context(), other.ID)
		// Taken, invalid: a field error each, and the name is not saved.
		wantField(t, svc.UpdateProfile(t.Context(), user, "Annat Namn", o.Handle), "handle", "account.handle_taken")
		wantField(t, svc.UpdateProfile(t.Context(), user, "Annat Namn", "x y"), "handle", "account.handle_invalid")
		wantField(t, svc.UpdateProfile(t.Context(), user, "Annat Namn", "ab"), "handle", "account.handle_invalid")
		if got, _ := db.Users().UserByID(t.Context(), user.UserID()); got.Name == "Annat Namn" {
			t.Errorf("a refused handle saved the name: %+v", got)
		}
		if err := svc.UpdateProfile(t.Context(), user, "Nytt Namn", " @Mitt_Namn "); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Users().UserByID(t.Context(), user.UserID()); got.Handle != "mitt_namn" {
			t.Errorf("handle = %q", got.Handle)
		}
	})
}
