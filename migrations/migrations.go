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
// literals ('…', with ” inside) and -- comments are left as they are; an apostrophe in a
// comment does not start a literal.
func ToSQLite(postgres string) string {
	var out, code strings.Builder
	flush := func() {
		out.WriteString(typeWord.ReplaceAllStringFunc(code.String(), func(w string) string { return sqliteTypes[strings.ToUpper(w)] }))
		code.Reset()
	}
	for i := 0; i < len(postgres); {
		switch {
		case postgres[i] == '\'':
			end := i + 1
			for end < len(postgres) {
				if postgres[end] == '\'' {
					if end+1 < len(postgres) && postgres[end+1] == '\'' {
						end += 2
						continue
					}
					break
				}
				end++
			}
			end = min(end+1, len(postgres))
			flush()
			out.WriteString(postgres[i:end])
			i = end
		case strings.HasPrefix(postgres[i:], "--"):
			end := strings.IndexByte(postgres[i:], '\n')
			if end < 0 {
				end = len(postgres) - i
			}
			flush()
			out.WriteString(postgres[i : i+end])
			i += end
		default:
			code.WriteByte(postgres[i])
			i++
		}
	}
	flush()
	return out.String()
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
