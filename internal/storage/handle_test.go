package storage_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestUsers_Handles: a new user's handle comes from their name, folded,
// with a numbered suffix on collision; users made before 00042 get theirs
// when Migrate runs, oldest first; a handle another user has is a
// Conflict, an invalid one refused, and nothing else changes then.
func TestUsers_Handles(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		us := db.Users()
		names := []string{"Åsa Öberg", "Asa  Oberg", "ÅSA ÖBERG!", "!!", "Lars-Erik Nyström_2", "Ängel"}
		want := []string{"asa-oberg", "asa-oberg-2", "asa-oberg-3", "user", "lars-erik-nystrom_2", "angel"}
		var ids []int64
		for i, n := range names {
			id, err := us.CreateUser(ctx, &account.User{Email: string(rune('a'+i)) + "@h.se", Name: n}, "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		check := func(when string) {
			t.Helper()
			for i, id := range ids {
				u, err := us.UserByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if u.Handle != want[i] {
					t.Errorf("%s: %q has handle %q, want %q", when, names[i], u.Handle, want[i])
				}
			}
		}
		check("on creation")

		// Back before 00042 and up again: the backfill gives the same.
		if err := db.MigrateDownTo(ctx, 41); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		check("after the backfill")

		got, err := us.UsersByHandles(ctx, []string{"asa-oberg-2", "angel", "ingen"})
		if err != nil || len(got) != 2 || got["angel"].ID != ids[5] {
			t.Errorf("UsersByHandles: %v, %v", got, err)
		}

		u, _ := us.UserByID(ctx, ids[0])
		u.Name, u.Handle = "Nytt namn", "angel"
		if err := us.UpdateUser(ctx, u); !errs.Is(err, errs.Conflict) {
			t.Errorf("taken handle: %v, want Conflict", err)
		}
		u.Handle = "Ogiltig!"
		if err := us.UpdateUser(ctx, u); !errs.Is(err, errs.Invalid) {
			t.Errorf("invalid handle: %v, want Invalid", err)
		}
		if after, _ := us.UserByID(ctx, ids[0]); after.Name != "Åsa Öberg" || after.Handle != "asa-oberg" {
			t.Errorf("a refused change saved something: %+v", after)
		}
		u.Handle = "asa_o"
		if err := us.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if after, _ := us.UserByID(ctx, ids[0]); after.Handle != "asa_o" {
			t.Errorf("handle after change: %q", after.Handle)
		}
		// The freed handle goes to the next of that name.
		id, err := us.CreateUser(ctx, &account.User{Email: "ny@h.se", Name: "Åsa Öberg"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := us.UserByID(ctx, id); n.Handle != "asa-oberg" {
			t.Errorf("next Åsa Öberg: %q", n.Handle)
		}
	})
}

// TestUsers_HandlesAtOnce: users of one name made at once each get
// their own handle (on PostgreSQL the later insert picks the next).
func TestUsers_HandlesAtOnce(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		var n atomic.Int64
		ok, failed := race(t, db, 12, func() error {
			_, err := db.Users().CreateUser(t.Context(), &account.User{Email: fmt.Sprintf("s%d@h.se", n.Add(1)), Name: "Samma Namn"}, "")
			return err
		})
		if ok != 12 {
			t.Fatalf("%d made, errors %v", ok, failed)
		}
		list, err := db.Users().ListUsers(t.Context(), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, u := range list {
			if seen[u.Handle] || !account.ValidHandle(u.Handle) {
				t.Errorf("handle %q twice or invalid", u.Handle)
			}
			seen[u.Handle] = true
		}
		if !seen["samma-namn"] || !seen["samma-namn-12"] {
			t.Errorf("handles: %v", seen)
		}
	})
}
