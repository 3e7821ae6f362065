package storage

import (
	"container/list"
	"context"
	"database/sql/driver"
	"reflect"
)

// SQLite's driver parses every query it is given afresh: a statement
// that is not prepared by the caller is compiled, run and finalized. On a
// workshop command that parse was 40 % of the transaction's CPU (12 % of
// the server's under a room's load; doc/design.md). database/sql's own
// prepared statements would need a *sql.Stmt kept for every query of
// every store, and re-bound to each transaction; instead each connection
// keeps the statements it has compiled, by their text, and runs a query
// it has seen on the compiled one (the driver resets it when its rows
// close). PostgreSQL needs none of this: pgx caches statements itself.
//
// A compiled statement runs one query at a time. While its rows are open
// (a query nested in the loop over another's rows, with the same text),
// the nested one is compiled afresh as before.

// stmtCacheSize bounds the statements a connection keeps: more than the
// distinct queries of the pages and commands that run all the time, fewer
// than the variants of generated SQL (a filter's IN list of any length),
// which the least recently used order lets go.
const stmtCacheSize = 256

// stmtCacheConnector opens the driver's connections with a statement cache.
type stmtCacheConnector struct {
	drv driver.Driver
	dsn string
	// begin is the statement that opens a read-write transaction (the
	// dsn's _txlock): "BEGIN IMMEDIATE" or "BEGIN". The driver compiles its
	// BEGIN and COMMIT afresh for every transaction too, half of a
	// workshop command's BEGIN in the profile (doc/design.md); the cache
	// keeps them. "": the driver's own transactions.
	begin string
}

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(sqliteConn)
	if !ok { // a driver without the context methods: use it as it is
		return dc, nil
	}
	return &cachingConn{sqliteConn: inner, stmts: map[string]*list.Element{}, lru: list.New(), begin: c.begin}, nil
}

func (c stmtCacheConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is what database/sql asks of modernc.org/sqlite's connections.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is a connection that keeps its compiled statements. Like
// every driver connection it is used by one goroutine at a time.
type cachingConn struct {
	sqliteConn
	stmts map[string]*list.Element // of *cachedStmt
	lru   *list.List               // front: the most recently used
	begin string                   // see stmtCacheConnector
}

// BeginTx opens a transaction on the kept BEGIN; a read-only one is a
// deferred BEGIN, as the driver's is. Any other isolation level than the
// default goes to the driver, which judges it.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.begin == "" || opts.Isolation != 0 {
		return c.sqliteConn.BeginTx(ctx, opts)
	}
	begin := c.begin
	if opts.ReadOnly {
		begin = "BEGIN"
	}
	if _, err := c.ExecContext(ctx, begin, nil); err != nil {
		// A BEGIN interrupted as it ran may have taken effect: the
		// connection goes back to the pool with no transaction open.
		c.end("ROLLBACK")
		return nil, err
	}
	return &cachedTx{c: c, ctx: ctx}, nil
}

// end runs COMMIT or ROLLBACK on the kept statement.
func (c *cachingConn) end(query string) error {
	_, err := c.ExecContext(context.Background(), query, nil)
	return err
}

// cachedTx is a transaction BeginTx opened.
type cachedTx struct {
	c   *cachingConn
	ctx context.Context // BeginTx's, which database/sql keeps until the end
}

func (t *cachedTx) Commit() error {
	_, err := t.c.ExecContext(t.ctx, "COMMIT", nil)
	if err != nil {
		// A COMMIT that failed may leave the transaction open; database/sql
		// expects the connection without one (as the driver's Commit does).
		t.c.end("ROLLBACK")
	}
	return err
}

func (t *cachedTx) Rollback() error { return t.c.end("ROLLBACK") }

type cachedStmt struct {
	query string
	st    driver.Stmt
	busy  bool // its rows are open
}

// stmt returns query's compiled statement, compiling it on first use;
// nil when it is running (then the caller runs the query uncached).
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, st: st}
	c.stmts[query] = c.lru.PushFront(cs)
	if c.lru.Len() > stmtCacheSize {
		c.evict()
	}
	return cs, nil
}

// evict closes the least recently used statement that is not running.
func (c *cachingConn) evict() {
	for e := c.lru.Back(); e != nil; e = e.Prev() {
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.lru.Remove(e)
			delete(c.stmts, cs.query)
			_ = cs.st.Close()
			return
		}
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return cs.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := cs.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

// Close finalizes the kept statements before the connection: SQLite
// closes a connection with statements left only once they are finalized.
// database/sql closes a connection that answered driver.ErrBadConn, so a
// statement of a broken connection is never run again.
func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*cachedStmt).st.Close()
	}
	return c.sqliteConn.Close()
}

// cachedRows frees its statement for the next run when it closes. It
// passes on the column types the driver's rows describe.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
