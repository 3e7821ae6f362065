// Package storage keeps framsyn's data in SQLite (the embedded default) or
// PostgreSQL (for several instances). Both engines share one SQL text where
// they can: $N placeholders, RETURNING, ON CONFLICT and times as Unix ms.
package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite"
)

// Engine names a database engine.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is an open framsyn database.
type DB struct {
	Engine Engine
	DSN    string
	// rw takes writes. On SQLite it is a single connection whose
	// transactions begin IMMEDIATE, so writers queue instead of failing
	// with SQLITE_BUSY when a read transaction tries to upgrade.
	rw *sql.DB
	// ro serves reads; on PostgreSQL it is the same pool as rw.
	ro *sql.DB
	// lazy takes the writes that may be lost in a crash: the rate
	// limits' buckets (a lost one only forgets a few calls) and NOTIFY
	// (a hint, whose loss the periodic check covers). On PostgreSQL it
	// is a small pool whose commits do not wait for the WAL to reach the
	// disk (synchronous_commit off): the wait was most of every workshop
	// command's limit check on a busy disk (7.8 ms a check at load 11,
	// 2.0 without it), and a NOTIFY commits a transaction of its own, so
	// each command flushed the WAL twice. On SQLite it is rw.
	lazy *sql.DB
	now  func() time.Time
	// walkRows is how far a PostgreSQL relevance query may walk
	// (pgWalkRows; tests set it to take either path).
	walkRows     int
	rateLimits   *RateLimits // one per DB: it sweeps once a minute
	checkpointer             // SQLite's (sqlite_checkpoint.go)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL or a SQLite file path.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{DSN: dsn, now: time.Now, walkRows: pgWalkRows}
	db.rateLimits = &RateLimits{db: db}
	if IsPostgres(dsn) {
		db.Engine = Postgres
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("storage: open postgres: %w", err)
		}
		// pgx prepares and caches statements, and after five runs PostgreSQL
		// may switch one to a generic plan that ignores its arguments. Our
		// data is skewed (a word in 1 % or 90 % of the works; a tag on ten
		// works or thousands), and a generic plan chose a bitmap scan over
		// every match for common words: 100+ ms where the custom plan walks
		// the newest rows in 10 (doc/search.md). Planning takes well under a
		// millisecond, so every statement is planned for its arguments.
		if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
			cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		}
		lcfg := cfg.Copy()
		pool := stdlib.OpenDB(*cfg)
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(10)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.rw, db.ro = pool, pool
		lcfg.RuntimeParams["synchronous_commit"] = "off"
		db.lazy = stdlib.OpenDB(*lcfg)
		db.lazy.SetMaxOpenConns(8)
		db.lazy.SetMaxIdleConns(4)
		db.lazy.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		db.Engine = SQLite
		path := strings.TrimPrefix(dsn, "file:")
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("storage: %w", err)
			}
		}
		drv := sqliteDriver()
		db.rw = sql.OpenDB(stmtCacheConnector{drv: drv, dsn: sqliteDSN(path, true), begin: "BEGIN IMMEDIATE"})
		db.rw.SetMaxOpenConns(1)
		db.ro = sql.OpenDB(stmtCacheConnector{drv: drv, dsn: sqliteDSN(path, false), begin: "BEGIN"})
		db.ro.SetMaxOpenConns(max(4, runtime.NumCPU()))
		db.ro.SetConnMaxIdleTime(5 * time.Minute)
		db.lazy = db.rw
	}
	// Opening waits longer than a readiness check: a new SQLite file sets
	// WAL mode on its first connection, which on a busy machine (CI running
	// argon2id in parallel tests) took more than readyz's 3 s.
	if err := db.ping(ctx, 30*time.Second); err != nil {
		db.Close()
		return nil, err
	}
	if db.Engine == SQLite {
		db.checkpoints()
	}
	return db, nil
}

// sqliteDriver is the driver modernc.org/sqlite registers, with whatever
// was registered on it.
func sqliteDriver() driver.Driver {
	db, _ := sql.Open("sqlite", "") // connects to nothing
	defer db.Close()
	return db.Driver()
}

func sqliteDSN(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(5000)")
	// NORMAL in WAL mode keeps every commit across an application crash;
	// only a power loss may roll back the last few (doc/storage.md).
	q.Add("_pragma", "synchronous(NORMAL)")
	if write {
		// Commits never checkpoint: the DB's checkpointer does
		// (sqlite_checkpoint.go).
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Ping checks that the database answers within 3 seconds (readyz).
func (db *DB) Ping(ctx context.Context) error { return db.ping(ctx, 3*time.Second) }

func (db *DB) ping(ctx context.Context, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	if err := db.ro.PingContext(ctx); err != nil {
		return fmt.Errorf("storage: ping: %w", err)
	}
	if db.ro != db.rw {
		if err := db.rw.PingContext(ctx); err != nil {
			return fmt.Errorf("storage: ping: %w", err)
		}
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.stopCheckpoints != nil {
		db.stopCheckpoints()
		db.stopCheckpoints = nil
	}
	var errs []error
	if db.rw != nil {
		errs = append(errs, db.rw.Close())
	}
	if db.ro != nil && db.ro != db.rw {
		errs = append(errs, db.ro.Close())
	}
	if db.lazy != nil && db.lazy != db.rw {
		errs = append(errs, db.lazy.Close())
	}
	return errors.Join(errs...)
}

// SetClock replaces the clock, for tests of expiry.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

func (db *DB) nowMS() int64 { return db.now().UnixMilli() }

// migrationsFS returns the migrations of the engine.
func (db *DB) migrationsFS() fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Engine))
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in one write transaction, committed when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || // SQLite
		strings.Contains(s, "SQLSTATE 23505") // PostgreSQL
}

// isForeignKeyViolation reports whether err is a foreign-key violation.
func isForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || // SQLite
		strings.Contains(s, "SQLSTATE 23503") // PostgreSQL
}
