package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// openCached opens a SQLite file through the statement cache, with one
// connection, so every query meets the statements the earlier ones left.
func openCached(t *testing.T) *sql.DB {
	t.Helper()
	db := sql.OpenDB(stmtCacheConnector{drv: sqliteDriver(), dsn: sqliteDSN(filepath.Join(t.TempDir(), "c.db"), true), begin: "BEGIN IMMEDIATE"})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec(`INSERT INTO t (x, v) VALUES ($1, $2)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// kept is how many statements the pool's one connection keeps.
func kept(t *testing.T, db *sql.DB) int {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n := -1
	_ = c.Raw(func(dc any) error {
		n = len(dc.(*cachingConn).stmts)
		return nil
	})
	return n
}

func sum(t *testing.T, q interface {
	QueryRow(string, ...any) *sql.Row
}, above int) int {
	t.Helper()
	var n int
	if err := q.QueryRow(`SELECT coalesce(sum(x), 0) FROM t WHERE x > $1`, above).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStmtCache(t *testing.T) {
	t.Run("a kept statement answers for its arguments", func(t *testing.T) {
		db := openCached(t)
		for _, c := range []struct{ above, want int }{{0, 15}, {3, 9}, {5, 0}, {1, 14}} {
			if got := sum(t, db, c.above); got != c.want {
				t.Errorf("sum above %d = %d, want %d", c.above, got, c.want)
			}
		}
		before := kept(t, db)
		sum(t, db, 2)
		if after := kept(t, db); after != before {
			t.Errorf("a query seen before was compiled again: %d statements kept, then %d", before, after)
		}
	})

	t.Run("the same query inside its own rows", func(t *testing.T) {
		db := openCached(t)
		tx, err := db.Begin() // one connection for both, as in a transaction's loop
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		const q = `SELECT x FROM t WHERE x > $1 ORDER BY x`
		rows, err := tx.Query(q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var outer, inner []int
		for rows.Next() {
			var x int
			if err := rows.Scan(&x); err != nil {
				t.Fatal(err)
			}
			outer = append(outer, x)
			in, err := tx.Query(q, x)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for in.Next() {
				n++
			}
			in.Close()
			inner = append(inner, n)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if fmt.Sprint(outer) != "[1 2 3 4 5]" || fmt.Sprint(inner) != "[4 3 2 1 0]" {
			t.Errorf("outer %v, inner counts %v; want [1 2 3 4 5] and [4 3 2 1 0]", outer, inner)
		}
	})

	t.Run("a failed run leaves the statement usable", func(t *testing.T) {
		db := openCached(t)
		const ins = `INSERT INTO t (x, v) VALUES ($1, $2)`
		if _, err := db.Exec(ins, 10, "v1"); err == nil || !isUnique(err) {
			t.Fatalf("duplicate insert: %v, want a unique violation", err)
		}
		if _, err := db.Exec(ins, 10, "v10"); err != nil {
			t.Fatalf("insert after the failure: %v", err)
		}
		if got := sum(t, db, 9); got != 10 {
			t.Errorf("sum above 9 = %d, want 10", got)
		}
	})

	t.Run("a cancelled query leaves the statement usable", func(t *testing.T) {
		db := openCached(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE x > $1`, 0).Scan(&n); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled query: %v", err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM t WHERE x > $1`, 0).Scan(&n); err != nil || n != 5 {
			t.Errorf("count after cancel = %d, %v; want 5", n, err)
		}
	})

	t.Run("a rolled-back write is not seen", func(t *testing.T) {
		db := openCached(t)
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`UPDATE t SET x = x + 100 WHERE x = $1`, 5); err != nil {
			t.Fatal(err)
		}
		if got := sum(t, tx, 100); got != 105 {
			t.Errorf("inside the transaction: %d, want 105", got)
		}
		tx.Rollback()
		if got := sum(t, db, 100); got != 0 {
			t.Errorf("after rollback: %d, want 0", got)
		}
	})

	t.Run("transactions run on kept statements", func(t *testing.T) {
		db := openCached(t)
		run := func(commit bool, x int) {
			t.Helper()
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO t (x, v) VALUES ($1, $2)`, x, fmt.Sprint("v", x)); err != nil {
				t.Fatal(err)
			}
			if commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		run(true, 10)
		run(false, 20)
		before := kept(t, db)
		run(true, 11)
		run(false, 21)
		if after := kept(t, db); after != before {
			t.Errorf("BEGIN, COMMIT or ROLLBACK compiled again: %d statements kept, then %d", before, after)
		}
		if got := sum(t, db, 9); got != 21 {
			t.Errorf("sum above 9 = %d, want 21 (the committed 10 and 11)", got)
		}
		// A failed COMMIT (a deferred foreign key would do; here a write
		// transaction another one cannot start inside) leaves the
		// connection with no transaction open.
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`COMMIT`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err == nil {
			t.Fatal("a commit with no transaction open succeeded")
		}
		run(true, 12)
		if got := sum(t, db, 11); got != 12 {
			t.Errorf("after the failed commit: sum above 11 = %d, want 12", got)
		}
		// A cancelled BEGIN opens nothing.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := db.BeginTx(ctx, nil); err == nil {
			t.Fatal("begin with a cancelled context succeeded")
		}
		run(true, 13)
	})

	t.Run("generated SQL does not grow the cache without bound", func(t *testing.T) {
		db := openCached(t)
		for i := range stmtCacheSize + 50 {
			var n int
			if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM t WHERE x > $1 AND %d = %d`, i, i), 2).Scan(&n); err != nil || n != 3 {
				t.Fatalf("query %d: %d, %v", i, n, err)
			}
		}
		if n := kept(t, db); n != stmtCacheSize {
			t.Errorf("%d statements kept, want %d", n, stmtCacheSize)
		}
		if got := sum(t, db, 0); got != 15 {
			t.Errorf("sum after eviction = %d, want 15", got)
		}
	})
}
