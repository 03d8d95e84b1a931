package models_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// signInAt is when the delegate of TestAtRestNoUnlistedNameNorSignInTime asks to sign in.
var signInAt = time.Date(2027, 3, 14, 12, 34, 56, 0, time.UTC)

// TestAtRestNoUnlistedNameNorSignInTime: the raw database (every SQLite file; every row of every
// PostgreSQL table as text) holds the name of a listed organisation, but neither the name of an
// unlisted one nor, after a delegate asked for a sign-in link, signed in with it and the mail went
// out, the minute of any of it. Reads still give the name and the exact expiries.
func TestAtRestNoUnlistedNameNorSignInTime(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		st, err := models.Open(context.Background(), models.Options{SQLitePath: filepath.Join(dir, "zimmerwald.db")}, modelstest.Box(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		atRest(t, st, func() []byte {
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			var all []byte
			files, _ := filepath.Glob(filepath.Join(dir, "zimmerwald.db*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			return all
		})
	})
	t.Run("postgres", func(t *testing.T) {
		st := modelstest.Postgres(t)
		atRest(t, st, func() []byte {
			db := st.WriterForTest()
			var tables []string
			if err := db.Raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").Scan(&tables).Error; err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, tb := range tables {
				var rows []string
				if err := db.Raw("SELECT t::text FROM " + tb + " t").Scan(&rows).Error; err != nil {
					t.Fatal(err)
				}
				all.WriteString(strings.Join(rows, "\n"))
			}
			if len(tables) < 20 {
				t.Fatalf("found %d tables, want the whole schema", len(tables))
			}
			return []byte(all.String())
		})
	})
}

// atRest runs the scenario on st and checks what raw returns.
func atRest(t *testing.T, st *models.Store, raw func() []byte) {
	ctx := context.Background()
	c := newConference(t, st)
	hidden := &models.Organisation{ConferenceID: c.ID, Name: "Kharkiv Quiet Circle", Country: "UA", Kind: models.OrgCollective, Status: models.OrgVerified, DelegateQuota: 3}
	public := &models.Organisation{ConferenceID: c.ID, Name: "Openly Listed Union", Country: "CH", Kind: models.OrgUnion, Status: models.OrgVerified, DelegateQuota: 3, Listed: true}
	for _, o := range []*models.Organisation{hidden, public} {
		if err := st.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateOrganisation(ctx, &models.Organisation{ConferenceID: c.ID, Name: hidden.Name, Kind: models.OrgOther, Status: models.OrgProposed}); !strings.Contains(errString(err), models.ErrConflict.Error()) {
		t.Errorf("a second organisation of the same name: got %v, want a conflict", err)
	}
	d := &models.Delegate{ConferenceID: c.ID, OrganisationID: &hidden.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Ola",
		Email: "ola@example.org", Attendance: models.AttendInPerson, Visibility: models.VisibilityOrganisers}
	if err := st.CreateDelegate(ctx, d); err != nil {
		t.Fatal(err)
	}
	// Every read that names organisations opens the sealed name.
	if o, err := st.Organisation(ctx, c.ID, hidden.ID); err != nil || o.Name != hidden.Name {
		t.Errorf("Organisation: got %v, %v, want %q", o, err, hidden.Name)
	}
	if os, err := st.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: c.ID}); err != nil || len(os) != 2 || os[0].Name != hidden.Name || os[1].Name != public.Name {
		t.Errorf("ListOrganisations: got %v, %v, want both by name", os, err)
	}
	if m, err := st.OrganisationsByID(ctx, []string{hidden.ID}); err != nil || m[hidden.ID].Name != hidden.Name {
		t.Errorf("OrganisationsByID: got %v, %v", m, err)
	}
	v, err := st.PeopleViews(ctx, []string{d.ID})
	if p := v[d.ID]; err != nil || p.OrganisationName != hidden.Name || p.PublicOrganisation() != "" {
		t.Errorf("PeopleViews: got %+v, %v, want the name for staff and none in public", p, err)
	}

	st.SetClock(func() time.Time { return signInAt })
	var secret string
	known, err := st.RequestLogin(ctx, c.ID, d.Email, func(d *models.Delegate, s string) (*models.OutboxMessage, error) {
		secret = s
		return &models.OutboxMessage{ConferenceID: &c.ID, Template: "login", Lang: "en", To: d.Email, IdempotencyKey: models.DelegateMailKey(d.ID, "login:"+models.NewID())}, nil
	})
	if err != nil || !known {
		t.Fatalf("request login: %v, %v", known, err)
	}
	st.SetClock(func() time.Time { return signInAt.Add(3 * time.Minute) })
	ms, err := st.ClaimOutbox(ctx, "worker", 10, time.Minute)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %d, %v", len(ms), err)
	}
	if _, err := st.MarkOutbox(ctx, []models.OutboxOutcome{{ID: ms[0].ID, Owner: "worker", State: models.OutboxSent}}); err != nil {
		t.Fatal(err)
	}
	sess, err := st.RedeemLink(ctx, secret, models.TokenMagicLink, 24*time.Hour, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := signInAt.Add(3*time.Minute + 24*time.Hour); !sess.ExpiresAt.Equal(want) {
		t.Errorf("session expires %v, want exactly %v", sess.ExpiresAt, want)
	}
	st.SetClock(func() time.Time { return signInAt.Add(3*time.Minute + 2*time.Hour + time.Second) })
	if _, err := st.ValidToken(ctx, sess.Secret, 2*time.Hour, models.TokenDelegateSession); err != models.ErrNotFound {
		t.Errorf("session idle for 2 h 1 s: got %v, want it refused at the exact idle expiry", err)
	}
	// A link is refused after its exact 30 minutes, though its coarse expiry is later.
	st.SetClock(func() time.Time { return signInAt })
	if _, err := st.RequestLogin(ctx, c.ID, d.Email, func(d *models.Delegate, s string) (*models.OutboxMessage, error) {
		secret = s
		return &models.OutboxMessage{Template: "login", Lang: "en", To: d.Email, IdempotencyKey: models.DelegateMailKey(d.ID, "login:"+models.NewID())}, nil
	}); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return signInAt.Add(models.LoginTTL + time.Second) })
	if _, err := st.RedeemLink(ctx, secret, models.TokenMagicLink, time.Hour, time.Hour); err != models.ErrNotFound {
		t.Errorf("link used 1 s after its expiry: got %v, want ErrNotFound", err)
	}

	b := raw()
	if !bytes.Contains(b, []byte(public.Name)) {
		t.Fatalf("the listed organisation's name is not in the raw data: the scan sees nothing")
	}
	if bytes.Contains(b, []byte(hidden.Name)) {
		t.Errorf("the unlisted organisation's name is in the raw data")
	}
	for _, at := range []time.Time{signInAt, signInAt.Add(3 * time.Minute), signInAt.Add(models.LoginTTL), signInAt.Add(3*time.Minute + 24*time.Hour)} {
		for _, s := range []string{at.Format("2006-01-02 15:04"), at.Format("2006-01-02T15:04")} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%q (a sign-in time to the minute) is in the raw data", s)
			}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestMigrateSealsWhatWasPlain: an unlisted organisation and a delegate's session written in plain
// text before migration 00013 are sealed by the next Migrate, and still read as before.
func TestMigrateSealsWhatWasPlain(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Old",
			Email: "old@example.org", Attendance: models.AttendInPerson, Visibility: models.VisibilityOrganisers}
		if err := st.CreateDelegate(ctx, d); err != nil {
			t.Fatal(err)
		}
		db := st.WriterForTest()
		now := time.Now().UTC()
		if err := db.Exec(`INSERT INTO organisations (id, conference_id, name, kind, status, listed, created_at, updated_at)
			VALUES ('old-org', ?, 'Old Hidden Circle', 'other', 'verified', FALSE, ?, ?)`, c.ID, now, now).Error; err != nil {
			t.Fatal(err)
		}
		secret, hash := models.NewSecret()
		exact := now.Add(90 * time.Minute).Truncate(time.Second).Add(17 * time.Second)
		if err := db.Exec(`INSERT INTO auth_tokens (id, token_hash, kind, delegate_id, expires_at, created_at) VALUES ('old-token', ?, 'delegate_session', ?, ?, ?)`,
			hash, d.ID, exact, now).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var row struct {
			Name       string
			NameSealed []byte
		}
		db.Raw("SELECT name, name_sealed FROM organisations WHERE id = 'old-org'").Scan(&row)
		if row.Name != "" || len(row.NameSealed) == 0 {
			t.Errorf("after migrate: name %q, %d sealed bytes; want it sealed only", row.Name, len(row.NameSealed))
		}
		if o, err := st.Organisation(ctx, c.ID, "old-org"); err != nil || o.Name != "Old Hidden Circle" {
			t.Errorf("read after migrate: %v, %v", o, err)
		}
		var expires time.Time
		db.Raw("SELECT expires_at FROM auth_tokens WHERE id = 'old-token'").Scan(&expires)
		if !expires.Equal(expires.Truncate(models.SignInGrain)) {
			t.Errorf("plain expiry %v after migrate, want it coarse", expires)
		}
		tok, err := st.ValidToken(ctx, secret, 0, models.TokenDelegateSession)
		if err != nil || !tok.ExpiresAt.Equal(exact) {
			t.Errorf("session after migrate: %v, %v; want it valid until exactly %v", tok, err, exact)
		}
	})
}
