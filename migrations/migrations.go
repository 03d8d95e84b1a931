// Package migrations holds the versioned SQL schema, embedded into the binary and applied with
// goose. There is one source: the PostgreSQL files in postgres/. The SQLite dialect is derived
// from them by ToSQLite, which maps the only types the two spell differently, so the two can
// never drift apart (schema_test.go also migrates both and compares the tables).
// It imports nothing of ours.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing/fstest"
)

//go:embed postgres/*.sql
var files embed.FS

// sqliteTypes maps the PostgreSQL spelling of a column type to SQLite's: the whole type map.
// Every other type (TEXT, INTEGER, BOOLEAN, DATE) is spelled the same in both. mattn/go-sqlite3
// reads DATETIME columns as time.Time, so TIMESTAMPTZ must not reach SQLite.
var sqliteTypes = map[string]string{
	"TIMESTAMPTZ": "DATETIME",
	"BYTEA":       "BLOB",
}

// typeWord matches a whole word that is a key of sqliteTypes, in any case.
var typeWord = regexp.MustCompile(`(?i)\b(timestamptz|bytea)\b`)

// ToSQLite derives the SQLite text of a PostgreSQL migration through the type map. Quoted
// literals ('…') are left as they are.
func ToSQLite(postgres string) string {
	parts := strings.Split(postgres, "'")
	for i := 0; i < len(parts); i += 2 { // even parts are outside quotes ('' inside one splits evenly)
		parts[i] = typeWord.ReplaceAllStringFunc(parts[i], func(w string) string { return sqliteTypes[strings.ToUpper(w)] })
	}
	return strings.Join(parts, "'")
}

// FS returns the migration files of one dialect: "postgres" (the source) or "sqlite" (derived).
func FS(dialect string) (fs.FS, error) {
	pg, err := fs.Sub(files, "postgres")
	if err != nil {
		return nil, err
	}
	switch dialect {
	case "postgres":
		return pg, nil
	case "sqlite":
		return sqliteFS(pg)
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
}

// sqliteFS derives every file of pg for SQLite, in memory.
func sqliteFS(pg fs.FS) (fs.FS, error) {
	names, err := fs.Glob(pg, "*.sql")
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for _, n := range names {
		raw, err := fs.ReadFile(pg, n)
		if err != nil {
			return nil, err
		}
		out[n] = &fstest.MapFile{Data: []byte(ToSQLite(string(raw))), Mode: 0o444}
	}
	return out, nil
}
