package migrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/zimmerwald/zimmerwald/migrations"
)

// TestConferenceRolesKeepWhatAccountsHad migrates a database that has accounts and conferences
// up to the version before roles per conference, then through 00014: every organiser and
// reviewer holds its role on every existing conference (nothing breaks for it), admins hold none
// (their role is instance-wide).
func TestConferenceRolesKeepWhatAccountsHad(t *testing.T) {
	ctx := context.Background()
	fsys, err := migrations.FS("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "roles.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO conferences (id, slug, title, timezone, starts_on, ends_on, created_at, updated_at) VALUES
			('c1', 'one', 'One', 'Europe/Zurich', '2027-09-05', '2027-09-08', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
			('c2', 'two', 'Two', 'Europe/Zurich', '2028-09-05', '2028-09-08', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
		`INSERT INTO accounts (id, email_sealed, email_index, password_hash, role, created_at, updated_at) VALUES
			('a-admin', x'00', x'01', 'h', 'admin', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
			('a-org', x'00', x'02', 'h', 'organiser', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
			('a-rev', x'00', x'03', 'h', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.UpTo(ctx, 14); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT account_id, conference_id, role FROM staff_conference_roles ORDER BY account_id, conference_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var a, c, r string
		if err := rows.Scan(&a, &c, &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, a+"/"+c+"/"+r)
	}
	want := []string{"a-org/c1/organiser", "a-org/c2/organiser", "a-rev/c1/reviewer", "a-rev/c2/reviewer"}
	if len(got) != len(want) {
		t.Fatalf("roles after 00014: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("roles after 00014: %v, want %v", got, want)
		}
	}
}
