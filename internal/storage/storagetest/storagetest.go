// Package storagetest runs a test against every database engine: a fresh
// SQLite file always, and a fresh PostgreSQL database when
// FRAMSYN_TEST_POSTGRES holds a server URL. Each PostgreSQL database is
// created for one test and dropped after it.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/framsyn/framsyn/internal/storage"
)

// EnvPostgres names the variable holding the PostgreSQL server URL.
const EnvPostgres = "FRAMSYN_TEST_POSTGRES"

// EnvPostgresRequired names the variable that, set to 1 (as CI does), makes
// a missing PostgreSQL fail the tests instead of leaving them to SQLite, so
// the PostgreSQL half of the suite cannot vanish from a green run.
const EnvPostgresRequired = "FRAMSYN_TEST_POSTGRES_REQUIRED"

// PostgresURL returns the PostgreSQL server URL from EnvPostgres, or ""
// when it is unset; unset while EnvPostgresRequired is 1 fails t.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" && os.Getenv(EnvPostgresRequired) == "1" {
		t.Fatalf("storagetest: %s=1 but %s is empty", EnvPostgresRequired, EnvPostgres)
	}
	return base
}

// RequirePostgres returns the PostgreSQL server URL, skipping t when there
// is none (and failing it when PostgreSQL is required).
func RequirePostgres(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("needs " + EnvPostgres)
	}
	return base
}

// DSNs returns one fresh, empty database per engine, named by engine.
func DSNs(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "framsyn.db")}
	if base := PostgresURL(t); base != "" {
		out["postgres"] = PostgresDSN(t, base)
	}
	return out
}

// PostgresDSN creates a database on the server at base for this test and
// drops it when the test ends.
func PostgresDSN(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storagetest: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "framsyn_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("storagetest: create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("storagetest: drop database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storagetest: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Run runs fn as a subtest per engine, each with a migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	for engine, dsn := range DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			fn(t, MustOpen(t, dsn))
		})
	}
}

// MustOpen opens and migrates a database, closed when the test ends.
func MustOpen(t testing.TB, dsn string) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storagetest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storagetest: migrate: %v", err)
	}
	return db
}
