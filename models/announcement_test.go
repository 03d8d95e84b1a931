package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func TestAudienceMatches(t *testing.T) {
	org, other := "org-a", "org-b"
	erased := time.Now()
	base := func() *models.Delegate {
		return &models.Delegate{Status: models.DelegateApproved, Role: models.RoleDelegate, Attendance: models.AttendInPerson,
			OrganisationID: &org, Languages: models.StringList{"de-CH", "en"}, NotifyAnnouncements: true}
	}
	cases := []struct {
		name   string
		change func(d *models.Delegate)
		a      models.Audience
		want   bool
	}{
		{"empty audience", nil, models.Audience{}, true},
		{"opted out", func(d *models.Delegate) { d.NotifyAnnouncements = false }, models.Audience{}, false},
		{"erased", func(d *models.Delegate) { d.ErasedAt = &erased }, models.Audience{}, false},
		{"unconfirmed", func(d *models.Delegate) { d.Status = models.DelegatePending }, models.Audience{}, false},
		{"unconfirmed even when asked for", func(d *models.Delegate) { d.Status = models.DelegatePending }, models.Audience{Statuses: []models.DelegateStatus{models.DelegatePending}}, false},
		{"cancelled", func(d *models.Delegate) { d.Status = models.DelegateCancelled }, models.Audience{Statuses: []models.DelegateStatus{models.DelegateCancelled}}, false},
		{"rejected reachable", func(d *models.Delegate) { d.Status = models.DelegateRejected }, models.Audience{}, true},
		{"status filter", nil, models.Audience{Statuses: []models.DelegateStatus{models.DelegateWaitlist}}, false},
		{"status filter hit", nil, models.Audience{Statuses: []models.DelegateStatus{models.DelegateWaitlist, models.DelegateApproved}}, true},
		{"organisation", nil, models.Audience{OrganisationIDs: []string{other}}, false},
		{"organisation hit", nil, models.Audience{OrganisationIDs: []string{other, org}}, true},
		{"no organisation", func(d *models.Delegate) { d.OrganisationID = nil }, models.Audience{OrganisationIDs: []string{org}}, false},
		{"role", nil, models.Audience{Roles: []models.DelegateRole{models.RolePress}}, false},
		{"attendance", nil, models.Audience{Attendance: []models.AttendanceMode{models.AttendRemote}}, false},
		{"language by primary subtag", nil, models.Audience{Languages: []string{"de"}}, true},
		{"second language", nil, models.Audience{Languages: []string{"EN"}}, true},
		{"language miss", nil, models.Audience{Languages: []string{"ru", "uk"}}, false},
		{"all filters", nil, models.Audience{Statuses: []models.DelegateStatus{models.DelegateApproved}, OrganisationIDs: []string{org}, Languages: []string{"en"},
			Roles: []models.DelegateRole{models.RoleDelegate}, Attendance: []models.AttendanceMode{models.AttendInPerson}}, true},
	}
	for _, tc := range cases {
		d := base()
		if tc.change != nil {
			tc.change(d)
		}
		if got := tc.a.Matches(d); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAudienceRecipientsAndLeavers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		o := newOrganisation(t, st, c, "Union")
		var ds []*models.Delegate
		for i, status := range []models.DelegateStatus{models.DelegateApproved, models.DelegateApproved, models.DelegatePending, models.DelegateSubmitted} {
			d := &models.Delegate{ConferenceID: c.ID, OrganisationID: &o.ID, Role: models.RoleDelegate, Status: status, DisplayName: "D",
				Email: "a" + string(rune('0'+i)) + "@example.org", Languages: models.StringList{"uk"}, Attendance: models.AttendRemote,
				Visibility: models.VisibilityOrganisers, NotifyAnnouncements: true}
			if err := st.CreateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
		}
		a := models.Audience{OrganisationIDs: []string{o.ID}}
		got, err := st.AudienceRecipients(ctx, c.ID, a, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Email != ds[0].Email || got[0].Lang != "uk" || got[2].DelegateID != ds[3].ID {
			t.Fatalf("recipients %+v, want the three confirmed delegates with their addresses", got)
		}
		counted, err := st.AudienceRecipients(ctx, c.ID, a, false)
		if err != nil || len(counted) != 3 || counted[0].Email != "" {
			t.Fatalf("without addresses: %+v (%v)", counted, err)
		}
		since := st.Now().Add(-time.Second)
		// Between the selection and the transaction, one delegate opts out and one withdraws.
		ds[0].NotifyAnnouncements = false
		if err := st.UpdateDelegate(ctx, ds[0]); err != nil {
			t.Fatal(err)
		}
		if err := ds[1].Cancel(st.Now()); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateDelegateState(ctx, ds[1]); err != nil {
			t.Fatal(err)
		}
		leavers, err := st.AudienceLeavers(ctx, c.ID, a, since)
		if err != nil {
			t.Fatal(err)
		}
		if !leavers[ds[0].ID] || !leavers[ds[1].ID] || leavers[ds[3].ID] || len(leavers) > 3 {
			t.Errorf("leavers %v, want %s and %s", leavers, ds[0].ID, ds[1].ID)
		}
	})
}

func TestAnnouncementStoredSealedOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		a := models.NewAnnouncement(c.ID, "account-1", "Secret venue", "Meet at the old station.", models.Audience{Roles: []models.DelegateRole{"press"}})
		if err := st.CreateAnnouncement(ctx, a); err != nil {
			t.Fatal(err)
		}
		if string(a.BodySealed) == a.Body || len(a.BodySealed) == 0 {
			t.Fatal("body not sealed")
		}
		texts, err := st.AnnouncementTexts(ctx, []string{a.ID, models.NewID()})
		if err != nil {
			t.Fatal(err)
		}
		if len(texts) != 1 || texts[a.ID].Subject != "Secret venue" || texts[a.ID].Body != "Meet at the old station." {
			t.Errorf("texts %v", texts)
		}
		list, err := st.ListAnnouncements(ctx, c.ID, models.Page{Limit: 10})
		if err != nil || len(list) != 1 || list[0].Audience.Roles[0] != "press" || list[0].Subject != "Secret venue" {
			t.Fatalf("list %+v (%v)", list, err)
		}
	})
}

func TestOutboxEnqueueSealedRowsAndRetry(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		mk := func(key string) *models.OutboxMessage {
			return &models.OutboxMessage{ConferenceID: &c.ID, Template: "announcement", Lang: "en", To: "x@example.org", IdempotencyKey: key, Data: []byte(`{"Name":"X"}`)}
		}
		pre := []*models.OutboxMessage{mk("k1"), mk("k2")}
		st.SealOutbox(pre...) // outside the transaction
		sealed := pre[0].RecipientSealed
		if err := st.Tx(ctx, func(tx *models.Store) error { return tx.Enqueue(ctx, append(pre, mk("k3"))...) }); err != nil {
			t.Fatal(err)
		}
		if string(pre[0].RecipientSealed) != string(sealed) {
			t.Error("Enqueue sealed a pre-sealed row again")
		}
		// The same keys again change nothing.
		if err := st.Enqueue(ctx, mk("k1"), mk("k3")); err != nil {
			t.Fatal(err)
		}
		counts, err := st.OutboxCounts(ctx, c.ID)
		if err != nil || counts[models.OutboxPending] != 3 {
			t.Fatalf("counts %v (%v), want 3 pending", counts, err)
		}
		rows, err := st.ClaimOutbox(ctx, "w", 10, time.Minute)
		if err != nil || len(rows) != 3 || rows[0].To != "x@example.org" || string(rows[0].Data) != `{"Name":"X"}` {
			t.Fatalf("claimed %+v (%v)", rows, err)
		}
		if err := st.RetryOutbox(ctx, c.ID, rows[0].ID); !errors.As(err, new(*models.TransitionError)) {
			t.Errorf("retry of a message being sent: got %v, want a transition error", err)
		}
		if err := st.MarkOutboxDead(ctx, rows[0].ID, "w", "550 no such user"); err != nil {
			t.Fatal(err)
		}
		other := newConference(t, st)
		if err := st.RetryOutbox(ctx, other.ID, rows[0].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("retry through another conference: got %v, want not found", err)
		}
		if err := st.RetryOutbox(ctx, c.ID, rows[0].ID); err != nil {
			t.Fatal(err)
		}
		again, err := st.ClaimOutbox(ctx, "w2", 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].ID != rows[0].ID || again[0].Attempts != 1 {
			t.Fatalf("after retry claimed %+v (%v), want the retried message with its 1 attempt", again, err)
		}
	})
}

// TestOutboxBookkeepingKeepsTheWriterDurable checks that claims and outcomes, which commit without
// waiting for the disk, leave the SQLite writer at synchronous=FULL for everything else, and that
// MarkOutbox reports a lost lease per message.
func TestOutboxBookkeepingKeepsTheWriterDurable(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		for i := range 3 {
			m := &models.OutboxMessage{ConferenceID: &c.ID, Template: "announcement", Lang: "en", To: "x@example.org", IdempotencyKey: "k" + string(rune('0'+i))}
			if err := st.Enqueue(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := st.ClaimOutbox(ctx, "w1", 2, time.Minute)
		if err != nil || len(rows) != 2 {
			t.Fatalf("claimed %d (%v)", len(rows), err)
		}
		results, err := st.MarkOutbox(ctx, []models.OutboxOutcome{
			{ID: rows[0].ID, Owner: "w1", State: models.OutboxSent},
			{ID: rows[1].ID, Owner: "someone-else", State: models.OutboxSent},
			{ID: rows[1].ID, Owner: "w1", State: models.OutboxDead, Reason: "550 rejected"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if results[0] != nil || !errors.Is(results[1], models.ErrConflict) || results[2] != nil {
			t.Errorf("results %v, want nil, a lost lease, nil", results)
		}
		counts, err := st.OutboxCounts(ctx, c.ID)
		if err != nil || counts[models.OutboxSent] != 1 || counts[models.OutboxDead] != 1 || counts[models.OutboxPending] != 1 {
			t.Errorf("counts %v (%v)", counts, err)
		}
		if st.Dialect() != models.SQLite {
			return
		}
		if got, err := st.Pragma(ctx, "synchronous", false); err != nil || got != "2" {
			t.Errorf("writer synchronous after outbox bookkeeping: got %q (%v), want 2 (FULL)", got, err)
		}
	})
}
