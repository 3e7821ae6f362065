package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// race runs fn n times at once, on warm connections, and returns how many
// calls succeeded and the errors of the others.
func race(t *testing.T, db *storage.DB, n int, fn func() error) (int, []error) {
	t.Helper()
	if err := storage.Warm(t.Context(), db, n); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var ok int
	var failed []error
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			err := fn()
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else {
				failed = append(failed, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return ok, failed
}

func TestDB_AcceptInvitationOnce(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		org := MustOrg(t, db, "org")
		now := time.Now()
		invite := func(t *testing.T, email string) string {
			t.Helper()
			hash := account.HashToken(account.NewToken())
			_, err := db.Users().CreateInvitation(t.Context(), account.Invitation{Hash: hash, Email: email, OrganisationID: org.ID,
				Role: account.RoleEditor, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return hash
		}
		t.Run("OKExistingUser", func(t *testing.T) {
			u := MustUser(t, db, "finns@example.se")
			hash := invite(t, u.Email)
			ok, failed := race(t, db, 8, func() error {
				_, err := db.Users().AcceptInvitation(context.Background(), hash, &account.User{ID: u.ID}, "", now)
				return err
			})
			if ok != 1 {
				t.Errorf("%d accepts of one invitation succeeded, want 1", ok)
			}
			for _, err := range failed {
				if !errs.Is(err, errs.NotFound) {
					t.Errorf("losing accept: %v, want NotFound", err)
				}
			}
		})
		t.Run("OKNewUser", func(t *testing.T) {
			hash := invite(t, "ny@example.se")
			ok, failed := race(t, db, 8, func() error {
				_, err := db.Users().AcceptInvitation(context.Background(), hash, &account.User{Name: "Ny"}, fakeHash, now)
				return err
			})
			if ok != 1 {
				t.Errorf("%d accepts of one invitation succeeded, want 1", ok)
			}
			for _, err := range failed {
				if k := errs.KindOf(err); k != errs.NotFound && k != errs.Conflict {
					t.Errorf("losing accept: %v, want NotFound or Conflict", err)
				}
			}
			ms, err := db.Users().Members(t.Context(), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range ms {
				if m.UserEmail == "ny@example.se" && m.Role == account.RoleEditor {
					n++
				}
			}
			if n != 1 {
				t.Errorf("memberships of the new user = %d, want 1", n)
			}
		})
		t.Run("ErrAfterAccept", func(t *testing.T) {
			hash := invite(t, "tva@example.se")
			if _, err := db.Users().AcceptInvitation(t.Context(), hash, &account.User{Name: "Två"}, fakeHash, now); err != nil {
				t.Fatal(err)
			}
			_, err := db.Users().AcceptInvitation(t.Context(), hash, &account.User{Name: "Två"}, fakeHash, now)
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("second accept = %v, want NotFound", err)
			}
		})
	})
}

func TestDB_UsePasswordResetOnce(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		u := MustUser(t, db, "glomsk@example.se")
		now := time.Now()
		hash := account.HashToken(account.NewToken())
		if err := db.Users().CreatePasswordReset(t.Context(), hash, u.ID, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var winner string
		ok, failed := race(t, db, 8, func() error {
			pw := account.NewToken()
			id, err := db.Users().UsePasswordReset(context.Background(), hash, pw, now)
			if err == nil {
				if id != u.ID {
					return fmt.Errorf("user %d, want %d", id, u.ID)
				}
				mu.Lock()
				winner = pw
				mu.Unlock()
			}
			return err
		})
		if ok != 1 {
			t.Errorf("%d uses of one reset token succeeded, want 1", ok)
		}
		for _, err := range failed {
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("losing use: %v, want NotFound", err)
			}
		}
		if _, hash, err := db.Users().UserByEmail(t.Context(), u.Email); err != nil || hash != winner {
			t.Errorf("stored hash = %q, %v; want the winner's %q", hash, err, winner)
		}
	})
}

func TestDB_TimesAsUnixMS(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		u := MustUser(t, db, "tid@example.se")
		created := time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.FixedZone("CET", 3600))
		s := account.Session{Hash: "h", UserID: u.ID, CreatedAt: created, LastSeenAt: created, ExpiresAt: created.Add(time.Hour)}
		if err := db.Sessions().CreateSession(t.Context(), s); err != nil {
			t.Fatal(err)
		}
		got, err := db.Sessions().Session(t.Context(), "h", created)
		if err != nil {
			t.Fatal(err)
		}
		want := created.Truncate(time.Millisecond).UTC()
		if got.CreatedAt != want || got.LastSeenAt != want || got.ExpiresAt != want.Add(time.Hour) {
			t.Errorf("session times = %v, %v, %v; want %v in UTC, to the millisecond", got.CreatedAt, got.LastSeenAt, got.ExpiresAt, want)
		}
		driver := "sqlite"
		if db.Engine == storage.Postgres {
			driver = "pgx"
		}
		raw, err := sql.Open(driver, db.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var ms int64
		if err := raw.QueryRowContext(t.Context(), `SELECT created_at FROM sessions WHERE token_hash = 'h'`).Scan(&ms); err != nil {
			t.Fatal(err)
		}
		if ms != created.UnixMilli() {
			t.Errorf("created_at column = %d, want %d", ms, created.UnixMilli())
		}
		t.Run("ErrExpired", func(t *testing.T) {
			_, err := db.Sessions().Session(t.Context(), "h", created.Add(time.Hour))
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("Session at expiry = %v, want NotFound", err)
			}
		})
	})
}
