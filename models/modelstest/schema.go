package modelstest

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/zimmerwald/zimmerwald/models"
)

// GooseTable is the table goose keeps its applied versions in. goose creates it differently on each
// dialect and no model maps it, so schema comparisons leave it out.
const GooseTable = "goose_db_version"

// Column is one column of a table as the database itself reports it.
type Column struct {
	Table, Name string
	NotNull     bool // declared NOT NULL (SQLite does not imply it for a primary key; PostgreSQL does)
	PrimaryKey  bool
}

// MigratedDB migrates a fresh database of dialect with the real migrations and returns a plain
// connection to it, separate from the store's, for reading the schema. PostgreSQL needs
// ZW_TEST_POSTGRES_URL (see PostgresURL).
func MigratedDB(t testing.TB, dialect models.Dialect) *gorm.DB {
	t.Helper()
	var opts models.Options
	var dial gorm.Dialector
	switch dialect {
	case models.SQLite:
		opts.SQLitePath = filepath.Join(t.TempDir(), "schema.db")
		dial = sqlite.Open("file:" + filepath.ToSlash(opts.SQLitePath) + "?mode=ro")
	case models.Postgres:
		opts.DatabaseURL = PostgresURL(t)
		dial = postgres.Open(opts.DatabaseURL)
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	open(t, opts)
	db, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db
}

// Columns reads every column of every table of db (SQLite: sqlite_master and pragma table_info;
// PostgreSQL: information_schema of the current schema), sorted by table and column name.
// SQLite's own tables (sqlite_*) are left out; goose's version table is not.
func Columns(t testing.TB, db *gorm.DB) []Column {
	t.Helper()
	var cols []Column
	ctx := context.Background()
	switch name := db.Dialector.Name(); name {
	case "sqlite":
		var tables []string
		if err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&tables).Error; err != nil {
			t.Fatalf("sqlite tables: %v", err)
		}
		for _, table := range tables {
			var info []struct {
				Name    string
				NotNull int
				PK      int
			}
			if err := db.WithContext(ctx).Raw(`SELECT name, "notnull" AS not_null, pk FROM pragma_table_info(?)`, table).Scan(&info).Error; err != nil {
				t.Fatalf("sqlite columns of %s: %v", table, err)
			}
			for _, c := range info {
				cols = append(cols, Column{Table: table, Name: c.Name, NotNull: c.NotNull == 1, PrimaryKey: c.PK > 0})
			}
		}
	case "postgres":
		var info []struct {
			TableName, ColumnName, IsNullable string
			PK                                bool
		}
		err := db.WithContext(ctx).Raw(`
SELECT c.table_name, c.column_name, c.is_nullable,
       EXISTS (SELECT 1 FROM information_schema.table_constraints tc
               JOIN information_schema.key_column_usage k
                 ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
               WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                 AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS pk
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`).Scan(&info).Error
		if err != nil {
			t.Fatalf("postgres columns: %v", err)
		}
		for _, c := range info {
			cols = append(cols, Column{Table: c.TableName, Name: c.ColumnName, NotNull: c.IsNullable == "NO", PrimaryKey: c.PK})
		}
	default:
		t.Fatalf("columns: unknown dialect %q", name)
	}
	sort.Slice(cols, func(i, j int) bool {
		if cols[i].Table != cols[j].Table {
			return cols[i].Table < cols[j].Table
		}
		return cols[i].Name < cols[j].Name
	})
	return cols
}

// Tables returns the names of the tables in cols, each once, in order.
func Tables(cols []Column) []string {
	var out []string
	for _, c := range cols {
		if len(out) == 0 || out[len(out)-1] != c.Table {
			out = append(out, c.Table)
		}
	}
	return out
}
