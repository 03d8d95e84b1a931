package migrations_test

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/zimmerwald/zimmerwald/migrations"
)

// TestToSQLiteMapsTypesOnly checks the type map on whole words in any case, and that nothing
// else of a statement changes.
func TestToSQLiteMapsTypesOnly(t *testing.T) {
	for in, want := range map[string]string{
		"created_at TIMESTAMPTZ NOT NULL":           "created_at DATETIME NOT NULL",
		"sealed bytea, at timestamptz":              "sealed BLOB, at DATETIME",
		"bytea_copy TEXT, timestamptz_note TEXT":    "bytea_copy TEXT, timestamptz_note TEXT",
		"kind TEXT DEFAULT 'bytea', at TIMESTAMPTZ": "kind TEXT DEFAULT 'bytea', at DATETIME",
		"note TEXT DEFAULT 'it''s bytea'":           "note TEXT DEFAULT 'it''s bytea'",
	} {
		if got := migrations.ToSQLite(in); got != want {
			t.Errorf("ToSQLite(%q) = %q, want %q", in, got, want)
		}
	}
}

// postgresOnly are spellings that must never reach the SQLite dialect.
var postgresOnly = regexp.MustCompile(`(?i)\b(timestamptz|bytea|jsonb|bigserial|serial|inet|citext)\b|::`)

// TestDerivedSQLiteHasEveryFileAndNoPostgresSpelling checks that both dialects list the same
// migrations and that the derived SQLite text holds no PostgreSQL-only type or cast: a new type
// in a PostgreSQL migration fails here until the type map learns it.
func TestDerivedSQLiteHasEveryFileAndNoPostgresSpelling(t *testing.T) {
	pg, err := migrations.FS("postgres")
	if err != nil {
		t.Fatal(err)
	}
	sq, err := migrations.FS("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pgNames, _ := fs.Glob(pg, "*.sql")
	sqNames, _ := fs.Glob(sq, "*.sql")
	if len(pgNames) == 0 || !slices.Equal(pgNames, sqNames) {
		t.Fatalf("files: postgres %v, sqlite %v", pgNames, sqNames)
	}
	for _, n := range sqNames {
		raw, err := fs.ReadFile(sq, n)
		if err != nil {
			t.Fatal(err)
		}
		if m := postgresOnly.Find(raw); m != nil {
			t.Errorf("%s: %q reaches SQLite; add it to the type map", n, m)
		}
	}
	if _, err := migrations.FS("mysql"); err == nil {
		t.Error("an unknown dialect gave no error")
	}
}
