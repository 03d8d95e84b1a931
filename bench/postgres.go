package main

import (
	"database/sql"
	"fmt"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to create and drop the schema

	"github.com/zimmerwald/zimmerwald/models"
)

// postgresURL is the -postgres flag: when set, figures that use startServer run on a fresh
// schema of that PostgreSQL database instead of a SQLite file.
var postgresURL string

// freshSchema creates a schema with a random name in the database at base and returns a URL
// whose search_path points at it, and a function that drops it again.
func freshSchema(base string) (string, func(), error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := "zw_bench_" + models.NewID()[:8]
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		db.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}
	return u.String(), drop, nil
}
