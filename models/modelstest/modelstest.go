// Package modelstest opens migrated stores for tests: a SQLite file in the test's temp dir, and a
// PostgreSQL schema of its own when ZW_TEST_POSTGRES_URL is set, so runs never see each other's rows.
// Require decides whether a test whose tool or database is missing skips (on a developer's machine)
// or fails (in CI, where ZW_REQUIRE_ALL=1).
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
)

// PostgresEnv names the variable that enables the PostgreSQL runs.
const PostgresEnv = "ZW_TEST_POSTGRES_URL"

// RequireAllEnv names the variable that turns every skip for a missing tool, schema file or
// database into a failure; .ci/run sets it to 1 so that nothing silently goes untested in CI.
const RequireAllEnv = "ZW_REQUIRE_ALL"

// Require stops a test that cannot run because what (a tool, a file, a database) is missing: it
// fails the test when ZW_REQUIRE_ALL=1 and skips it otherwise. Call it only on the missing path.
func Require(t testing.TB, what string) {
	t.Helper()
	if os.Getenv(RequireAllEnv) == "1" {
		t.Fatalf("%s is required (%s=1) but missing", what, RequireAllEnv)
	}
	t.Skipf("%s missing: test skipped (%s=1 makes this a failure)", what, RequireAllEnv)
}

// Box returns a sealer with a fresh random key.
func Box(t testing.TB) *seal.Box {
	b, err := seal.New(seal.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SQLite opens and migrates a store on a new SQLite file in t.TempDir().
func SQLite(t testing.TB) *models.Store {
	t.Helper()
	return open(t, models.Options{SQLitePath: filepath.Join(t.TempDir(), "zimmerwald.db")})
}

// Postgres opens and migrates a store in a new schema of the database at ZW_TEST_POSTGRES_URL and
// drops the schema when the test ends. Without the variable it calls Require (skip, or fail in CI).
func Postgres(t testing.TB) *models.Store {
	t.Helper()
	dsn := PostgresURL(t)
	return open(t, models.Options{DatabaseURL: dsn})
}

// PostgresURL creates a fresh schema and returns a URL whose search_path points at it. Without
// ZW_TEST_POSTGRES_URL it calls Require (skip, or fail in CI).
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		Require(t, "PostgreSQL ("+PostgresEnv+")")
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "zwtest_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, opts models.Options) *models.Store {
	t.Helper()
	st, err := models.Open(context.Background(), opts, Box(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// Each runs fn as a subtest on SQLite and on PostgreSQL; the PostgreSQL subtest needs
// ZW_TEST_POSTGRES_URL (see PostgresURL).
func Each(t *testing.T, fn func(t *testing.T, st *models.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
