package models

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// openCachedSQLite opens a real SQLite file through the statement-caching driver, on one
// connection (as the store's writer), with a table t(id, v).
// It returns the file's path too.
func openCachedSQLite(t *testing.T) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stmts.db")
	db, err := sql.Open(sqliteDriverName, sqliteDSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// keptStmt returns the statement the single connection of db keeps for query, or nil.
func keptStmt(t *testing.T, db *sql.DB, query string) (kept *sqlite3.SQLiteStmt, count int) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Raw(func(dc any) error {
		c := dc.(*stmtCacheConn)
		if s := c.stmts[query]; s != nil {
			kept = s.SQLiteStmt
		}
		count = len(c.stmts)
		return nil
	})
	return kept, count
}

func TestSQLiteStatementPreparedOnceAcrossTransactions(t *testing.T) {
	db, _ := openCachedSQLite(t)
	const insert = `INSERT INTO t (id, v) VALUES (?, ?)`
	var first *sqlite3.SQLiteStmt
	for i := range 3 {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(insert, i, "x"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		kept, _ := keptStmt(t, db, insert)
		if kept == nil {
			t.Fatalf("transaction %d: the insert is not kept", i)
		}
		if first == nil {
			first = kept
		} else if kept != first {
			t.Fatalf("transaction %d prepared the insert again", i)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("rows: %d, %v; want 3", n, err)
	}
}

func TestSQLiteKeptQueryNestedInItself(t *testing.T) {
	db, _ := openCachedSQLite(t)
	for i := range 3 {
		db.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, i, fmt.Sprint("v", i))
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT id, v FROM t WHERE id >= ? ORDER BY id`
	outer, err := tx.Query(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var id int
		var v string
		outer.Scan(&id, &v)
		// The same query while the outer rows are open: it must not reuse (and reset) their statement.
		inner, err := tx.Query(q, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		inner.Close()
		got = append(got, fmt.Sprintf("%s:%d", v, n))
		if len(got) > 3 {
			t.Fatalf("the outer rows started again: %v", got)
		}
	}
	outer.Close()
	if want := "[v0:3 v1:2 v2:1]"; fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func TestSQLiteUncachedShapesStillWork(t *testing.T) {
	db, path := openCachedSQLite(t)
	// Several statements in one string: all of them run.
	if _, err := db.Exec(`INSERT INTO t (id, v) VALUES (1, 'a'); INSERT INTO t (id, v) VALUES (2, 'b')`); err != nil {
		t.Fatal(err)
	}
	// RETURNING through Exec: the write is done and its transaction over, so a second
	// connection sees it at once.
	if _, err := db.Exec(`UPDATE t SET v = 'c' WHERE id = ? RETURNING id`, 2); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open(sqliteDriverName, sqliteDSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var v string
	if err := other.QueryRow(`SELECT v FROM t WHERE id = 2`).Scan(&v); err != nil || v != "c" {
		t.Fatalf("other connection reads %q, %v; want c", v, err)
	}
	// Too few arguments is an error, not a NULL.
	if _, err := db.Exec(`UPDATE t SET v = ? WHERE id = ?`, "d"); err == nil {
		t.Fatal("an update with a missing argument ran")
	}
	if err := db.QueryRow(`SELECT v FROM t WHERE id = ?`).Scan(&v); err == nil {
		t.Fatal("a query with a missing argument ran")
	}
}

func TestSQLiteStatementCacheBounded(t *testing.T) {
	db, _ := openCachedSQLite(t)
	for i := range maxCachedStmts + 50 {
		if _, err := db.Exec(fmt.Sprintf(`UPDATE t SET v = ? WHERE id = %d`, i), "x"); err != nil {
			t.Fatal(err)
		}
	}
	if _, n := keptStmt(t, db, ""); n > maxCachedStmts {
		t.Fatalf("%d statements kept, bound %d", n, maxCachedStmts)
	}
}

func TestReturnsNoRows(t *testing.T) {
	for q, want := range map[string]bool{
		`INSERT INTO t (id) VALUES (?)`:                true,
		"\n\t update t SET v = ? WHERE id = ?":         true,
		`DELETE FROM t WHERE id = ?`:                   true,
		`REPLACE INTO t (id, v) VALUES (?, ?)`:         true,
		`PRAGMA synchronous = NORMAL`:                  true,
		`PRAGMA synchronous`:                           false,
		`PRAGMA journal_mode = WAL`:                    false, // answers with the new mode
		`UPDATE t SET v = ? WHERE id = ? returning id`: false,
		`SELECT 1`:                           false,
		`WITH x AS (SELECT 1) DELETE FROM t`: false,
	} {
		if got := returnsNoRows(q); got != want {
			t.Errorf("returnsNoRows(%q) = %v, want %v", q, got, want)
		}
	}
}
