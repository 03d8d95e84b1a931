package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// sqliteDriverName is the database/sql driver the Store opens SQLite with: mattn/go-sqlite3
// whose connections keep their prepared statements (stmtCacheConn).
const sqliteDriverName = "sqlite3-zimmerwald"

func init() { sql.Register(sqliteDriverName, stmtCacheDriver{}) }

// maxCachedStmts bounds the statements one connection keeps. The store's queries are a few
// hundred shapes at most (IN lists of each length count apart); past the bound, a statement
// is dropped to make room.
const maxCachedStmts = 256

// stmtCacheDriver opens go-sqlite3 connections that prepare each statement once and keep it.
//
// Why not GORM's PrepareStmt: it keeps one *sql.Stmt per query, but a statement it first
// prepares inside a transaction belongs to that transaction, and database/sql prepares such a
// statement again in every later transaction (Tx.StmtContext). Most writes here only ever run
// in transactions, so every transaction parsed its statements anew (a third of a mail claim's
// statement time on SQLite), and the cached statement kept its first transaction, with that
// request's context and server, reachable for a day. A cache below database/sql, per
// connection, serves transactions and plain statements alike.
type stmtCacheDriver struct{}

// Open opens a go-sqlite3 connection with its statement cache.
func (stmtCacheDriver) Open(dsn string) (driver.Conn, error) {
	c, err := (&sqlite3.SQLiteDriver{}).Open(dsn)
	if err != nil {
		return nil, err
	}
	return &stmtCacheConn{SQLiteConn: c.(*sqlite3.SQLiteConn), stmts: map[string]*cachedStmt{}}, nil
}

// stmtCacheConn is a go-sqlite3 connection whose ExecContext and QueryContext run kept
// statements. database/sql uses a connection from one goroutine at a time, so the cache needs
// no lock. Everything else is go-sqlite3's own.
type stmtCacheConn struct {
	*sqlite3.SQLiteConn
	stmts map[string]*cachedStmt
}

// cachedStmt is a kept statement.
type cachedStmt struct {
	*sqlite3.SQLiteStmt
	inputs int  // its number of parameters
	busy   bool // rows read from it are open
	// execable: the statement cannot return rows, so Exec may keep it. One stopped at its
	// first row would hold its transaction open until its next use.
	execable bool
}

// usable reports whether s (nil: none kept) may run now with args arguments: it is not busy
// with open rows, and it has as many parameters (the plain path reports a mismatch).
func (s *cachedStmt) usable(args int) bool { return s != nil && !s.busy && s.inputs == args }

// prepare prepares query and keeps it, or returns nil when the plain path must run it: several
// statements in one string (go-sqlite3 runs the rest itself), or a statement that does not
// prepare (the plain path reports the error).
func (c *stmtCacheConn) prepare(ctx context.Context, query string) *cachedStmt {
	if strings.IndexByte(query, ';') >= 0 {
		return nil
	}
	ds, err := c.SQLiteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if len(c.stmts) >= maxCachedStmts {
		c.evictOne()
	}
	st := ds.(*sqlite3.SQLiteStmt)
	s := &cachedStmt{SQLiteStmt: st, inputs: st.NumInput(), execable: returnsNoRows(query)}
	c.stmts[query] = s
	return s
}

// evictOne finalizes and forgets one statement that is not busy.
func (c *stmtCacheConn) evictOne() {
	for q, s := range c.stmts {
		if !s.busy {
			s.Close()
			delete(c.stmts, q)
			return
		}
	}
}

// ExecContext runs a write through its kept statement when it cannot return rows; anything
// else takes go-sqlite3's own path, without being prepared twice.
func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s := c.stmts[query]
	if s == nil && returnsNoRows(query) {
		s = c.prepare(ctx, query)
	}
	if s.usable(len(args)) && s.execable {
		return s.ExecContext(ctx, args)
	}
	return c.SQLiteConn.ExecContext(ctx, query, args)
}

// QueryContext runs a query through its kept statement; the statement is busy until its rows
// close.
func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.stmts[query]
	if s == nil {
		s = c.prepare(ctx, query)
	}
	if !s.usable(len(args)) {
		return c.SQLiteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{SQLiteRows: rows.(*sqlite3.SQLiteRows), stmt: s}, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *stmtCacheConn) Close() error {
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
	return c.SQLiteConn.Close()
}

// cachedRows are rows of a kept statement; closing them resets the statement for its next use.
type cachedRows struct {
	*sqlite3.SQLiteRows
	stmt *cachedStmt
}

// Close resets the statement (go-sqlite3 does, for rows of a prepared statement) and frees it.
func (r *cachedRows) Close() error {
	err := r.SQLiteRows.Close()
	r.stmt.busy = false
	return err
}

// returnsNoRows reports whether query is an INSERT, UPDATE, DELETE or REPLACE without
// RETURNING, or sets PRAGMA synchronous (relaxedTx does, twice a transaction): statements that
// run to completion in one step.
func returnsNoRows(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	if hasPrefixFold(q, "pragma synchronous") {
		return strings.Contains(q, "=")
	}
	for _, verb := range []string{"insert", "update", "delete", "replace"} {
		if hasPrefixFold(q, verb) {
			return !containsFold(q, "returning")
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with prefix (lower case ASCII), ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// containsFold reports whether sub (lower case ASCII) is in s, ignoring ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
