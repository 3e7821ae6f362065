package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
)

// The content version (migration 38) is a number that every committed
// write to the content a page shows makes larger, on every instance: the
// page cache (app.pageCache) keeps a page under the version it read before
// rendering it and serves it only while the version is unchanged.
//
// It is kept by triggers, so no write path can forget it: every table but
// the few in contentVersionIgnores gets one. Migrate puts the triggers on
// tables that lack them, so a later migration's new table is covered at
// the next start without a line here.
//
// PostgreSQL: the triggers are deferred constraint triggers, so the bump
// runs at commit, after the transaction's own row locks, and holds the
// version row only while the commit finishes (a bump at the first write
// would hold it for the whole transaction and could deadlock with row
// locks taken later); a transaction-local setting makes it one bump per
// transaction however many rows it writes. The version is spread over
// contentShards rows chosen by backend, so concurrent commits seldom wait
// for one another; it is their sum. SQLite has one writer: one row,
// bumped per row written.
const contentVersionNumber = 38

// contentShards is how many rows hold PostgreSQL's content version.
const contentShards = 8

// contentVersionIgnores are the tables whose writes change no page the
// caches keep: sign-in and rate-limit bookkeeping, a workshop's live state
// (its participants' notes and votes come many a second, and only its
// participants see them), one's notifications, the audit log, secrets,
// and the version itself. One exception among them: a signed-in user's
// joining or leaving a workshop bumps the version (migration 45), for
// their list of workshops in the viewer cache (app.viewerCache).
var contentVersionIgnores = []string{
	"content_versions", "goose_db_version", "sqlite_sequence",
	"sessions", "api_tokens", "password_resets", "rate_limits", "app_secrets", "audit_events",
	"workshop_participants", "workshop_groups", "workshop_notes", "workshop_ratings", "workshop_votes",
	"workshop_axes", "workshop_scenarios", "workshop_backcast", "workshop_events", "workshop_projector_links",
	"follows", "notifications", "notification_heads", "notification_prefs", "digest_claims",
}

func (db *DB) contentVersionMigration() *goose.Migration {
	up := func(ctx context.Context, tx *sql.Tx) error {
		stmts := []string{`CREATE TABLE content_versions (shard INTEGER PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0)`}
		shards := 1
		if db.Engine == Postgres {
			shards = contentShards
			stmts = append(stmts, `CREATE FUNCTION content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('framsyn.content_bumped', true) IS DISTINCT FROM 'y' THEN
		PERFORM set_config('framsyn.content_bumped', 'y', true);
		UPDATE content_versions SET n = n + 1 WHERE shard = pg_backend_pid() % `+fmt.Sprint(contentShards)+`;
	END IF;
	RETURN NULL;
END $$`)
		}
		for i := range shards {
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO content_versions (shard, n) VALUES (%d, 0)`, i))
		}
		if err := execAll(ctx, tx, stmts...); err != nil {
			return err
		}
		return db.ensureContentTriggers(ctx, tx)
	}
	down := func(ctx context.Context, tx *sql.Tx) error {
		if db.Engine == Postgres {
			// The triggers depend on the function.
			return execAll(ctx, tx, `DROP FUNCTION content_changed() CASCADE`, `DROP TABLE content_versions`)
		}
		names, err := queryNames(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'content_changed_%'`)
		if err != nil {
			return err
		}
		var stmts []string
		for _, n := range names {
			stmts = append(stmts, `DROP TRIGGER "`+n+`"`)
		}
		return execAll(ctx, tx, append(stmts, `DROP TABLE content_versions`)...)
	}
	return goose.NewGoMigration(contentVersionNumber, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

type execQueryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ensureContentTriggers puts the content version's trigger on every table
// that lacks one and is not in contentVersionIgnores. Without the version
// table (migrated below 38) it does nothing.
func (db *DB) ensureContentTriggers(ctx context.Context, q execQueryer) error {
	var tablesQ, haveQ string
	if db.Engine == Postgres {
		tablesQ = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
		haveQ = `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE t.tgname = 'content_changed' AND s.nspname = current_schema()`
	} else {
		// Not FTS5 tables (no triggers on virtual tables) nor their shadow
		// tables, which change with search_docs.
		tablesQ = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
			AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'search_fts_%'`
		haveQ = `SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'content_changed_%_ins'`
	}
	tables, err := queryNames(ctx, q, tablesQ)
	if err != nil {
		return fmt.Errorf("content triggers: %w", err)
	}
	if !slices.Contains(tables, "content_versions") {
		return nil
	}
	have, err := queryNames(ctx, q, haveQ)
	if err != nil {
		return fmt.Errorf("content triggers: %w", err)
	}
	for _, t := range tables {
		if slices.Contains(contentVersionIgnores, t) || slices.Contains(have, t) {
			continue
		}
		var stmts []string
		if db.Engine == Postgres {
			stmts = []string{`CREATE CONSTRAINT TRIGGER content_changed AFTER INSERT OR UPDATE OR DELETE ON "` + t +
				`" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_changed()`}
		} else {
			for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
				stmts = append(stmts, `CREATE TRIGGER IF NOT EXISTS "content_changed_`+t+`_`+strings.ToLower(op[:3])+
					`" AFTER `+op+` ON "`+t+`" BEGIN UPDATE content_versions SET n = n + 1; END`)
			}
		}
		for _, s := range stmts {
			if _, err := q.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("content trigger on %s: %w", t, err)
			}
		}
	}
	return nil
}

func queryNames(ctx context.Context, q execQueryer, query string) ([]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ContentVersion returns the content version: it is larger after every
// committed write to a table the page cache depends on, on any instance
// sharing this database. One read of at most contentShards rows.
func (db *DB) ContentVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.ro.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM content_versions`).Scan(&v); err != nil {
		return 0, fmt.Errorf("content version: %w", err)
	}
	return v, nil
}
