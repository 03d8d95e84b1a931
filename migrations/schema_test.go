package migrations_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestMigratedSchemasMatch migrates a fresh SQLite file and a fresh PostgreSQL schema and compares
// what the databases themselves report: the same tables, the same columns, the same nullability
// and the same primary keys. goose's own version table is left out.
func TestMigratedSchemasMatch(t *testing.T) {
	sq := schemaOf(modelstest.Columns(t, modelstest.MigratedDB(t, models.SQLite)), true)
	if len(sq) == 0 {
		t.Fatal("the migrated SQLite database has no columns")
	}
	pg := schemaOf(modelstest.Columns(t, modelstest.MigratedDB(t, models.Postgres)), false)
	if diff := diffSchemas(sq, pg); diff != "" {
		t.Errorf("the migrated schemas differ:\n%s", diff)
	}
}

// TestSchemaComparisonCatchesDifferences checks that diffSchemas reports a missing table, a
// missing column and a change of nullability.
func TestSchemaComparisonCatchesDifferences(t *testing.T) {
	base := func() map[string]string {
		return map[string]string{"a.id": "not null, primary key", "a.name": "null", "b.id": "not null, primary key"}
	}
	if diff := diffSchemas(base(), base()); diff != "" {
		t.Fatalf("equal schemas: got %s, want no difference", diff)
	}
	for name, edit := range map[string]func(m map[string]string){
		"table missing":       func(m map[string]string) { delete(m, "b.id") },
		"column missing":      func(m map[string]string) { delete(m, "a.name") },
		"column added":        func(m map[string]string) { m["a.extra"] = "null" },
		"nullability changed": func(m map[string]string) { m["a.name"] = "not null" },
		"primary key changed": func(m map[string]string) { m["a.id"] = "not null" },
	} {
		other := base()
		edit(other)
		if diff := diffSchemas(base(), other); diff == "" {
			t.Errorf("%s: got no difference, want one", name)
		}
	}
}

// schemaOf describes each column as "table.column" → "not null[, primary key]" or "null".
//
// SQLite lets NULL into a primary key that is not an INTEGER PRIMARY KEY unless the column also
// says NOT NULL (a documented legacy quirk), while PostgreSQL implies NOT NULL. Our id columns are
// "TEXT PRIMARY KEY" in both folders, so for SQLite a primary key counts as not null here. Every
// row the application writes has an ID (models.NewID); making SQLite reject NULL would mean
// rebuilding every table in a new migration.
func schemaOf(cols []modelstest.Column, sqlite bool) map[string]string {
	out := map[string]string{}
	for _, c := range cols {
		if c.Table == modelstest.GooseTable {
			continue
		}
		desc := "null"
		if c.NotNull || sqlite && c.PrimaryKey {
			desc = "not null"
		}
		if c.PrimaryKey {
			desc += ", primary key"
		}
		out[c.Table+"."+c.Name] = desc
	}
	return out
}

// diffSchemas lists, one line each and sorted, the columns that are missing on one side or
// described differently.
func diffSchemas(sq, pg map[string]string) string {
	var lines []string
	for col, s := range sq {
		switch p, ok := pg[col]; {
		case !ok:
			lines = append(lines, fmt.Sprintf("  %s: only in sqlite (%s)", col, s))
		case p != s:
			lines = append(lines, fmt.Sprintf("  %s: sqlite %s, postgres %s", col, s, p))
		}
	}
	for col, p := range pg {
		if _, ok := sq[col]; !ok {
			lines = append(lines, fmt.Sprintf("  %s: only in postgres (%s)", col, p))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
