package account_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// rawCells returns every cell of a table as text, read past the storage
// package through a separate connection.
func rawCells(t *testing.T, db *storage.DB, table string) []string {
	t.Helper()
	driver := "sqlite"
	if db.Engine == storage.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(t.Context(), `SELECT * FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			out = append(out, fmt.Sprint(v))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTokensAtRest(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		org := MustOrg(t, db, "org", true)
		admin := MustActor(t, db, MustUser(t, db, "admin@example.se", true))
		u := MustUser(t, db, "user@example.se", false)
		session, actor := MustSignIn(t, svc, u.Email)
		apiToken, err := svc.CreateAPIToken(t.Context(), actor, "skript", 0)
		if err != nil {
			t.Fatal(err)
		}
		invitation, err := svc.Invite(t.Context(), admin, "ny@example.se", org.ID, account.RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		reset, _, err := svc.RequestPasswordReset(t.Context(), u.Email, "client")
		if err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{"session": session, "api": apiToken, "invitation": invitation, "reset": reset}
		stored := map[string]string{"session": "sessions", "api": "api_tokens", "invitation": "invitations", "reset": "password_resets"}
		cells := map[string][]string{}
		for _, table := range stored {
			cells[table] = rawCells(t, db, table)
		}
		for kind, token := range tokens {
			t.Run("OKHashStored/"+kind, func(t *testing.T) {
				hash := account.HashToken(token)
				found := false
				for _, c := range cells[stored[kind]] {
					found = found || c == hash
				}
				if !found {
					t.Errorf("%s: hash not in %s, so this test reads the wrong rows", kind, stored[kind])
				}
			})
			t.Run("OKNoRawToken/"+kind, func(t *testing.T) {
				secret := strings.TrimPrefix(token, "fs_")
				for table, cs := range cells {
					for _, c := range cs {
						if strings.Contains(c, secret) {
							t.Errorf("%s token found in %s: %q", kind, table, c)
						}
					}
				}
			})
		}
	})
}
