package models_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestRetentionOver(t *testing.T) {
	c := &models.Conference{EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC), RetentionDays: 30}
	if c.RetentionOver(time.Date(2027, 10, 8, 12, 0, 0, 0, time.UTC)) {
		t.Error("over on the last retained day")
	}
	if !c.RetentionOver(time.Date(2027, 10, 9, 0, 0, 1, 0, time.UTC)) {
		t.Error("not over the day after")
	}
}

// TestPurgeErasesEverythingPersonal registers delegates with mail, purges, compacts, and checks
// that no sealed byte of theirs is left in the database files.
func TestPurgeErasesEverythingPersonal(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		other := newConference(t, st)
		for i, conf := range []*models.Conference{c, c, other} {
			d := &models.Delegate{ConferenceID: conf.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Name " + string(rune('A'+i)),
				Email: "purge" + string(rune('a'+i)) + "@example.org", LegalName: "Legal Purge Name", Attendance: models.AttendInPerson, Visibility: models.VisibilityPublic}
			if err := st.CreateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
			cid := conf.ID
			if err := st.Enqueue(ctx, &models.OutboxMessage{ConferenceID: &cid, Template: "confirm", Lang: "en", To: d.Email}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := st.PurgeConference(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if res.Delegates != 2 || res.Mails != 2 {
			t.Errorf("got %+v, want 2 delegates and their 2 mails", res)
		}
		if _, err := st.DelegateByEmail(ctx, c.ID, "purgea@example.org"); err != models.ErrNotFound {
			t.Errorf("erased delegate still found by email: %v", err)
		}
		if _, err := st.DelegateByEmail(ctx, other.ID, "purgec@example.org"); err != nil {
			t.Errorf("other conference's delegate lost: %v", err)
		}
		if counts, _ := st.OutboxCounts(ctx, c.ID); counts[models.OutboxPending] != 0 {
			t.Errorf("outbox not purged: %v", counts)
		}
		if err := st.Compact(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPurgeLeavesNoCiphertextInSQLiteFiles(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(dir, "z.db")}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := newConference(t, st)
	d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Erase Me Displayname",
		Email: "erase@example.org", LegalName: "Legal Erase", Attendance: models.AttendInPerson, Visibility: models.VisibilityPublic}
	if err := st.CreateDelegate(ctx, d); err != nil {
		t.Fatal(err)
	}
	probes := [][]byte{d.EmailSealed, d.LegalNameSealed, []byte("Erase Me Displayname")}
	if _, err := st.PurgeConference(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "z.db*"))
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		for _, p := range probes {
			if len(p) > 0 && bytes.Contains(raw, p) {
				t.Errorf("%s still holds erased bytes (%d bytes)", filepath.Base(f), len(p))
			}
		}
	}
}

// TestHousekeepingDeletesOldSentMailAndExpiredTokens: delivered mail past the cutoff and expired
// tokens go; pending mail and live tokens stay.
func TestHousekeepingDeletesOldSentMailAndExpiredTokens(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		cid := c.ID
		for i := 0; i < 3; i++ {
			if err := st.Enqueue(ctx, &models.OutboxMessage{ConferenceID: &cid, Template: "confirm", Lang: "en", To: "a@example.org"}); err != nil {
				t.Fatal(err)
			}
		}
		claimed, err := st.ClaimOutbox(ctx, "w", 2, time.Minute)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		for _, m := range claimed {
			if err := st.MarkOutboxSent(ctx, m.ID, "w"); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.DeleteSentOutbox(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("recent sent mail deleted: %d, %v", n, err)
		}
		if n, err := st.DeleteSentOutbox(ctx, time.Now().Add(time.Hour)); err != nil || n != 2 {
			t.Fatalf("got %d deleted, %v; want the 2 sent", n, err)
		}
		if counts, _ := st.OutboxCounts(ctx, c.ID); counts[models.OutboxPending] != 1 {
			t.Errorf("pending mail lost: %v", counts)
		}
		live, _ := st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenMagicLink, ExpiresAt: time.Now().Add(time.Hour)})
		st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenMagicLink, ExpiresAt: time.Now().Add(-time.Hour)})
		if n, err := st.DeleteExpiredTokens(ctx); err != nil || n != 1 {
			t.Fatalf("got %d expired tokens deleted, %v; want 1", n, err)
		}
		if _, err := st.ValidToken(ctx, live, 0, models.TokenMagicLink); err != nil {
			t.Errorf("live token lost: %v", err)
		}
	})
}

// TestForgetHistoryTruncatesTheWAL: after ForgetHistory the SQLite WAL holds no frames, so the
// order of recent changes (a secret ballot's votes and counters) is gone from the files.
func TestForgetHistoryTruncatesTheWAL(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{SQLitePath: filepath.Join(dir, "z.db")}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	newConference(t, st)
	wal := filepath.Join(dir, "z.db-wal")
	if fi, err := os.Stat(wal); err != nil || fi.Size() == 0 {
		t.Fatalf("expected a non-empty WAL before: %v, %v", fi, err)
	}
	if err := st.ForgetHistory(ctx, "ballots", "ballot_votes"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(wal); err == nil && fi.Size() != 0 {
		t.Errorf("WAL still holds %d bytes", fi.Size())
	}
}
