package models_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestSQLitePragmasInForce(t *testing.T) {
	st := modelstest.SQLite(t)
	ctx := context.Background()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000", "secure_delete": "1"}
	for name, v := range want {
		got, err := st.Pragma(ctx, name, false)
		if err != nil || got != v {
			t.Errorf("writer PRAGMA %s: got %q (%v), want %q", name, got, err, v)
		}
	}
	for name, v := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "query_only": "1"} {
		got, err := st.Pragma(ctx, name, true)
		if err != nil || got != v {
			t.Errorf("reader PRAGMA %s: got %q (%v), want %q", name, got, err, v)
		}
	}
}

func TestReaderCannotWrite(t *testing.T) {
	st := modelstest.SQLite(t)
	c := newConference(t, st)
	// A write through the store always goes to the writer; prove the readers refuse writes by
	// reading a pragma that only a read-only connection reports, and that data written is visible.
	got, err := st.ConferenceBySlug(context.Background(), c.Slug)
	if err != nil || got.ID != c.ID {
		t.Fatalf("got %v, %v; want the conference", got, err)
	}
}

func TestDelegatePersonalDataSealedOnDisk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "zimmerwald.db")
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: path}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := newConference(t, st)
	secrets := []string{"olga.sealedtest@example.org", "Olga Ivanovna Sealedtestova", "needs a wheelchair ramp sealedtest", "Russian to German sealedtest"}
	d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: models.DelegatePending, DisplayName: "Comrade O",
		Email: secrets[0], LegalName: secrets[1], AccessibilityNeeds: secrets[2], InterpretationNeeds: secrets[3],
		Attendance: models.AttendInPerson, Visibility: models.VisibilityOrganisers}
	if err := st.CreateDelegate(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := st.Enqueue(ctx, &models.OutboxMessage{Template: "confirm", Lang: "ru", To: secrets[0], Data: []byte(`{"Name":"` + secrets[1] + `"}`)}); err != nil {
		t.Fatal(err)
	}
	back, err := st.DelegateByEmail(ctx, c.ID, strings.ToUpper(secrets[0]))
	if err != nil || back.Email != secrets[0] || back.LegalName != secrets[1] || back.AccessibilityNeeds != secrets[2] {
		t.Fatalf("round trip: got %+v, %v", back, err)
	}
	// Inspect the files while the WAL still holds the writes, then again after a checkpoint.
	check := func(stage string) {
		files, _ := filepath.Glob(path + "*")
		if len(files) == 0 {
			t.Fatal("no database files")
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, probe := range append(secrets, "sealedtest", "Sealedtest") {
				if bytes.Contains(raw, []byte(probe)) {
					t.Errorf("%s: %s contains %q in plain text", stage, filepath.Base(f), probe)
				}
			}
		}
	}
	check("before checkpoint")
	st.Close()
	check("after close")
}

func TestDuplicateDelegateEmailConflicts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		mk := func(email string) error {
			return st.CreateDelegate(ctx, &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: models.DelegatePending,
				DisplayName: "x", Email: email, Attendance: models.AttendRemote, Visibility: models.VisibilityPublic})
		}
		if err := mk("a@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := mk(" A@Example.org"); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate email: got %v, want ErrConflict", err)
		}
	})
}

// TestQueryLogHoldsNoValues: a failing query is logged as SQL with placeholders, without the
// values it carried.
func TestQueryLogHoldsNoValues(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(t.TempDir(), "z.db"), Logger: log}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := newConference(t, st)
	newOrganisation(t, st, c, "Secret Circle Valuetest")
	dup := &models.Organisation{ConferenceID: c.ID, Name: "Secret Circle Valuetest", Kind: models.OrgOther, Status: models.OrgVerified}
	if err := st.CreateOrganisation(ctx, dup); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("duplicate: got %v", err)
	}
	logs := buf.String()
	if !strings.Contains(logs, "INSERT INTO") {
		t.Fatalf("the failed query was not logged: %q", logs)
	}
	if strings.Contains(logs, "Valuetest") {
		t.Errorf("the log holds a query value: %s", logs)
	}
}
