package migrations_test

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/migrations"
)

// sqliteToPostgres is the whole type map between the two folders: the only tokens that may differ
// between a SQLite statement and its PostgreSQL twin. Every other type (TEXT, INTEGER, BOOLEAN,
// DATE) is spelled the same in both. The map is strict both ways: a SQLite file must not use the
// PostgreSQL spelling either (mattn/go-sqlite3 reads DATETIME columns as time.Time, not TIMESTAMPTZ).
var sqliteToPostgres = map[string]string{
	"datetime": "timestamptz",
	"blob":     "bytea",
}

// dialectOnly is a statement that only one dialect's file may hold.
type dialectOnly struct {
	dialect string // "sqlite" or "postgres"
	file    string
	stmt    string // normalised, as the failure message prints it
	why     string
}

// dialectOnlyStatements is the allow-list of statements without a twin in the other dialect. It is
// empty: the two folders say the same thing today. An entry must say why the other dialect needs
// nothing (a SQLite PRAGMA, a PostgreSQL-only index option) and is an error once nothing matches it.
var dialectOnlyStatements = []dialectOnly{}

// TestMigrationFoldersHoldTheSameFiles checks that every migration exists in both dialects.
func TestMigrationFoldersHoldTheSameFiles(t *testing.T) {
	sq, pg := fileNames(t, "sqlite"), fileNames(t, "postgres")
	if len(sq) == 0 {
		t.Fatal("no SQLite migrations found")
	}
	if !slices.Equal(sq, pg) {
		t.Errorf("migration files differ:\n  sqlite:   %v\n  postgres: %v", sq, pg)
	}
}

// TestMigrationDialectsSayTheSame compares each SQLite migration with its PostgreSQL twin statement
// by statement, after normalising comments, whitespace and keyword case and mapping the types.
func TestMigrationDialectsSayTheSame(t *testing.T) {
	for _, name := range fileNames(t, "sqlite") {
		sq, pg := readMigration(t, "sqlite", name), readMigration(t, "postgres", name)
		if problems := compareMigration(name, sq, pg, dialectOnlyStatements); len(problems) > 0 {
			t.Errorf("%s: the dialects differ beyond the type map:\n%s", name, strings.Join(problems, "\n"))
		}
	}
	for _, a := range dialectOnlyStatements {
		if a.why == "" {
			t.Errorf("allow-list entry %s/%s %q gives no reason", a.dialect, a.file, a.stmt)
		}
	}
}

// TestMigrationComparisonCatchesDifferences alters a copy of the real SQLite files in memory and
// checks that the comparison fails on each real difference and passes on mere formatting.
func TestMigrationComparisonCatchesDifferences(t *testing.T) {
	const init = "00001_init.sql"
	pragma := dialectOnly{dialect: "sqlite", file: init, stmt: "pragma foo = 1", why: "test"}
	for _, c := range []struct {
		name     string
		file     string
		edit     func(string) string
		allow    []dialectOnly
		wantDiff bool
	}{
		{"not null dropped", init, replace("slug TEXT NOT NULL UNIQUE", "slug TEXT UNIQUE"), nil, true},
		{"column renamed", init, replace("acronym TEXT", "short_name TEXT"), nil, true},
		{"default changed", init, replace("DEFAULT 180", "DEFAULT 90"), nil, true},
		{"literal case changed", init, replace("DEFAULT 'organisation'", "DEFAULT 'Organisation'"), nil, true},
		{"type outside the map", init, replace("retention_days INTEGER", "retention_days TEXT"), nil, true},
		{"postgres spelling on sqlite", init, replace("DATETIME", "TIMESTAMPTZ"), nil, true},
		{"extra index", "00002_delegates.sql", replace("-- +goose Down", "CREATE INDEX x ON delegates(status);\n-- +goose Down"), nil, true},
		{"down statement missing", "00007_api_tokens.sql", replace("DROP INDEX auth_tokens_account;", ""), nil, true},
		{"up and down swapped", "00002_delegates.sql", func(s string) string {
			return strings.NewReplacer("-- +goose Up", "-- +goose Down", "-- +goose Down", "-- +goose Up").Replace(s)
		}, nil, true},
		{"dialect-only statement not allowed", init, replace("-- +goose Down", "PRAGMA foo = 1;\n-- +goose Down"), nil, true},
		{"stale allow-list entry", init, func(s string) string { return s + "\n-- nothing added\n" }, []dialectOnly{pragma}, true},
		{"allowed dialect-only statement", init, replace("-- +goose Down", "PRAGMA foo = 1;\n-- +goose Down"), []dialectOnly{pragma}, false},
		{"formatting only", init, func(s string) string {
			s = strings.ReplaceAll(s, "CREATE TABLE", "-- a new comment\ncreate   table")
			s = strings.ReplaceAll(s, "NOT NULL", "not\n\tnull")
			return strings.ReplaceAll(s, "(", " ( ")
		}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			orig := readMigration(t, "sqlite", c.file)
			altered := c.edit(orig)
			if altered == orig {
				t.Fatal("the edit changed nothing: the case proves nothing")
			}
			problems := compareMigration(c.file, altered, readMigration(t, "postgres", c.file), c.allow)
			if got := len(problems) > 0; got != c.wantDiff {
				t.Errorf("difference reported: got %v, want %v\n%s", got, c.wantDiff, strings.Join(problems, "\n"))
			}
		})
	}
}

// replace returns an edit that replaces the first old with new.
func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

func fileNames(t *testing.T, dialect string) []string {
	t.Helper()
	fsys, err := migrations.FS(dialect)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func readMigration(t *testing.T, dialect, name string) string {
	t.Helper()
	fsys, err := migrations.FS(dialect)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compareMigration returns one line per difference between the SQLite and PostgreSQL versions of
// one migration file, after removing the statements allow lists for it; nil when they agree.
func compareMigration(file, sqliteSrc, postgresSrc string, allow []dialectOnly) []string {
	var problems []string
	sq, pg := statements(sqliteSrc), statements(postgresSrc)
	for _, a := range allow {
		if a.file != file {
			continue
		}
		list := &sq
		if a.dialect == "postgres" {
			list = &pg
		}
		n := len(*list)
		*list = slices.DeleteFunc(*list, func(s []string) bool { return strings.Join(s, " ") == a.stmt })
		if len(*list) == n {
			problems = append(problems, fmt.Sprintf("  allow-list entry matches nothing in %s/%s: %s", a.dialect, file, a.stmt))
		}
	}
	return append(problems, diffStatements(sq, pg)...)
}

// diffStatements aligns the two lists on their longest common subsequence and reports each
// statement left over on either side.
func diffStatements(sq, pg [][]string) []string {
	// lcs[i][j] is the length of the longest common subsequence of sq[i:] and pg[j:].
	lcs := make([][]int, len(sq)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(pg)+1)
	}
	for i := len(sq) - 1; i >= 0; i-- {
		for j := len(pg) - 1; j >= 0; j-- {
			if sameStatement(sq[i], pg[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	var lastSqlite []string // the SQLite statement just reported, to point into a changed pair
	i, j := 0, 0
	for i < len(sq) || j < len(pg) {
		switch {
		case i < len(sq) && j < len(pg) && sameStatement(sq[i], pg[j]):
			i, j, lastSqlite = i+1, j+1, nil
		case j == len(pg) || i < len(sq) && lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, "  only in sqlite:   "+strings.Join(sq[i], " "))
			lastSqlite = sq[i]
			i++
		default:
			out = append(out, "  only in postgres: "+strings.Join(pg[j], " "))
			if lastSqlite != nil {
				out = append(out, "    "+firstDifference(lastSqlite, pg[j]))
			}
			lastSqlite = nil
			j++
		}
	}
	return out
}

// firstDifference says where two token lists part.
func firstDifference(sq, pg []string) string {
	k := 0
	for k < len(sq) && k < len(pg) && sameToken(sq[k], pg[k]) {
		k++
	}
	tok := func(list []string) string {
		if k < len(list) {
			return fmt.Sprintf("%q", list[k])
		}
		return "(end)"
	}
	return fmt.Sprintf("first difference at token %d after %q: sqlite %s, postgres %s",
		k+1, strings.Join(sq[max(0, k-3):k], " "), tok(sq), tok(pg))
}

func sameStatement(sq, pg []string) bool {
	return slices.EqualFunc(sq, pg, sameToken)
}

// sameToken reports whether a SQLite token and a PostgreSQL token say the same: equal and not a
// mapped type, or a pair of the type map.
func sameToken(sq, pg string) bool {
	if sq == pg {
		_, sqliteType := sqliteToPostgres[sq]
		postgresType := slices.Contains(mapValues(), pg)
		return !sqliteType && !postgresType
	}
	return sqliteToPostgres[sq] == pg
}

func mapValues() []string {
	var out []string
	for _, v := range sqliteToPostgres {
		out = append(out, v)
	}
	return out
}

// statements splits a goose file into normalised statements, each a list of tokens: words
// lower-cased, string literals and quoted names kept as written, comments dropped. A goose
// annotation (-- +goose Up) is a statement of its own, so that Up and Down are compared in place.
func statements(src string) [][]string {
	var out [][]string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	for _, line := range strings.Split(src, "\n") {
		if a, ok := strings.CutPrefix(strings.TrimSpace(line), "-- +goose"); ok {
			flush()
			out = append(out, []string{"-- +goose " + strings.ToLower(strings.TrimSpace(a))})
			continue
		}
		for _, tok := range tokens(line) {
			if tok == ";" {
				flush()
				continue
			}
			cur = append(cur, tok)
		}
	}
	flush()
	return out
}

// tokens splits one line of SQL; a -- comment ends it. Literals never span lines in our files.
func tokens(line string) []string {
	var out []string
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '-' && strings.HasPrefix(line[i:], "--"):
			return out
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(line) && (line[j] != c || j+1 < len(line) && line[j+1] == c) {
				if line[j] == c {
					j++ // a doubled quote inside the literal
				}
				j++
			}
			out = append(out, line[i:min(j+1, len(line))])
			i = j + 1
		case isWord(c):
			j := i
			for j < len(line) && isWord(line[j]) {
				j++
			}
			out = append(out, strings.ToLower(line[i:j]))
			i = j
		default:
			out = append(out, string(c))
			i++
		}
	}
	return out
}

func isWord(c byte) bool {
	return c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
