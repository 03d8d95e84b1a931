package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestSessionAndStatementAgreeOnTheDebate: linking statements from a session sets each
// statement's session, moving a statement to another session unlinks it from the first, and
// emptying the list unlinks it.
func TestSessionAndStatementAgreeOnTheDebate(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		o := newOrganisation(t, st, c, "Debating Union")
		stmt := &models.Statement{ConferenceID: c.ID, OrganisationID: o.ID, Title: "On the war", Language: "en", Status: models.StatementAccepted}
		if err := st.CreateStatement(ctx, stmt); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2027, 9, 5, 9, 0, 0, 0, time.UTC)
		mk := func(title string, ids ...string) *models.Session {
			s := &models.Session{ConferenceID: c.ID, Title: title, Kind: models.KindCommission, StartsAt: at, EndsAt: at.Add(time.Hour), Status: models.SessionDraft, StatementIDs: ids}
			if err := st.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		sessionOf := func() string {
			got, err := st.Statement(ctx, stmt.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.SessionID == nil {
				return ""
			}
			return *got.SessionID
		}
		a := mk("Commission A", stmt.ID)
		if got := sessionOf(); got != a.ID {
			t.Fatalf("after linking from A: got session %q, want A", got)
		}
		b := mk("Commission B", stmt.ID)
		if got := sessionOf(); got != b.ID {
			t.Fatalf("after linking from B: got session %q, want B", got)
		}
		a.StatementIDs = nil
		if err := st.UpdateSession(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got := sessionOf(); got != b.ID {
			t.Fatalf("emptying A's list must not unlink it from B: got %q", got)
		}
		b.StatementIDs = nil
		if err := st.UpdateSession(ctx, b); err != nil {
			t.Fatal(err)
		}
		if got := sessionOf(); got != "" {
			t.Fatalf("after emptying B's list: got session %q, want none", got)
		}
	})
}
