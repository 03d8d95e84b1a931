// Package modelstest opens migrated stores for tests: a SQLite file in the test's temp dir, and a
// PostgreSQL schema of its own when ZW_TEST_POSTGRES_URL is set, so runs never see each other's rows.
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
// drops the schema when the test ends. It skips the test when the variable is unset.
func Postgres(t testing.TB) *models.Store {
	t.Helper()
	dsn := PostgresURL(t)
	return open(t, models.Options{DatabaseURL: dsn})
}

// PostgresURL creates a fresh schema and returns a URL whose search_path points at it. It skips
// the test when ZW_TEST_POSTGRES_URL is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set")
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

// Each runs fn as a subtest on SQLite and, when ZW_TEST_POSTGRES_URL is set, on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, st *models.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
