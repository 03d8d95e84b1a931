package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"time"

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
	q.Set("application_name", schema) // names the schema's backends for backendCPU
	u.RawQuery = q.Encode()
	drop := func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}
	return u.String(), drop, nil
}

// backendCPU returns the CPU time (user and system) used so far by the PostgreSQL backends
// serving dbURL (a URL from freshSchema), by process ID, and false when they cannot be read:
// PostgreSQL runs on another machine or in another PID namespace. A backend that ends between
// two readings is missed; the bench's pools keep theirs open for the whole run.
func backendCPU(dbURL string) (map[int]time.Duration, bool) {
	db, err := sql.Open("pgx", postgresURL)
	if err != nil {
		return nil, false
	}
	defer db.Close()
	u, err := url.Parse(dbURL)
	if err != nil {
		return nil, false
	}
	rows, err := db.Query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", u.Query().Get("application_name"))
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			return nil, false
		}
		cpu, ok := processCPU(pid)
		if !ok {
			return nil, false
		}
		out[pid] = cpu
	}
	return out, rows.Err() == nil && len(out) > 0
}

// cpuSince sums what the backends of now used since before (a backend new since then counts whole).
func cpuSince(before, now map[int]time.Duration) time.Duration {
	var total time.Duration
	for pid, cpu := range now {
		total += cpu - before[pid]
	}
	return total
}
