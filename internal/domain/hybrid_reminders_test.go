package domain

import (
	"context"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/fakeclock"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestRemindersRecheckedWhenWritten: what changes between building the reminders and writing them
// counts. A delegate erased or no longer approved meanwhile is left out (an erasure leaves no mail
// behind); a session cancelled or moved meanwhile gets none.
func TestRemindersRecheckedWhenWritten(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		clock := fakeclock.New(time.Date(2027, 9, 6, 7, 45, 0, 0, time.UTC))
		st.SetClock(clock.Now)
		conf := &models.Conference{Slug: "zw-" + models.NewID()[:8], Title: "ZW", Timezone: "Europe/Zurich",
			StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC)}
		if err := st.CreateConference(ctx, conf); err != nil {
			t.Fatal(err)
		}
		remote := make([]*models.Delegate, 3)
		for i := range remote {
			remote[i] = &models.Delegate{ConferenceID: conf.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Remote",
				Email: "remote-" + models.NewID()[:8] + "@example.org", Attendance: models.AttendRemote, Visibility: models.VisibilityParticipants}
			if err := st.CreateDelegate(ctx, remote[i]); err != nil {
				t.Fatal(err)
			}
		}
		starts := time.Date(2027, 9, 6, 8, 0, 0, 0, time.UTC)
		sess := &models.Session{ConferenceID: conf.ID, Title: "Plenary", Kind: models.KindPlenary, StartsAt: starts, EndsAt: starts.Add(time.Hour),
			Status: models.SessionPublished, OnlineURL: "https://meet.example.org/plenary", Languages: models.StringList{"en"}}
		if err := st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		cfg := config.Defaults()
		cfg.BaseURL = "http://zw.test"
		s := New(Options{Store: st, Config: cfg})
		build := func() []*models.OutboxMessage {
			t.Helper()
			event := onlineReminderEvent(sess)
			ids, signedUp, err := s.reminderCandidates(ctx, sess, event)
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := s.reminderMails(ctx, sess, sess.OnlineURL, event, ids, signedUp)
			if err != nil {
				t.Fatal(err)
			}
			return msgs
		}

		msgs := build()
		if len(msgs) != 3 {
			t.Fatalf("%d reminders built, want 3", len(msgs))
		}
		if _, err := st.EraseDelegate(ctx, remote[0].ID); err != nil {
			t.Fatal(err)
		}
		remote[1].Status = models.DelegateRejected
		if err := st.UpdateDelegate(ctx, remote[1]); err != nil {
			t.Fatal(err)
		}
		if n, err := s.enqueueReminders(ctx, sess, msgs); err != nil || n != 1 {
			t.Fatalf("enqueueReminders: %d, %v; want only the delegate still approved", n, err)
		}
		rows, err := st.ListOutbox(ctx, models.OutboxFilter{ConferenceID: conf.ID, Page: models.Page{Limit: models.MaxLimit}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].To != remote[2].Email {
			t.Errorf("outbox holds %d rows, want the one reminder to the delegate still approved", len(rows))
		}

		other := &models.Delegate{ConferenceID: conf.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Late",
			Email: "late@example.org", Attendance: models.AttendRemote, Visibility: models.VisibilityParticipants}
		if err := st.CreateDelegate(ctx, other); err != nil {
			t.Fatal(err)
		}
		for _, change := range []func(*models.Session){
			func(x *models.Session) { x.Status = models.SessionCancelled },
			func(x *models.Session) { x.StartsAt, x.EndsAt = x.StartsAt.Add(time.Hour), x.EndsAt.Add(time.Hour) },
		} {
			msgs := build()
			if len(msgs) != 1 {
				t.Fatalf("%d reminders built, want 1 (the new delegate)", len(msgs))
			}
			cur, err := st.Session(ctx, sess.ID)
			if err != nil {
				t.Fatal(err)
			}
			saved := *cur
			change(cur)
			if err := st.UpdateSession(ctx, cur); err != nil {
				t.Fatal(err)
			}
			if n, err := s.enqueueReminders(ctx, sess, msgs); err != nil || n != 0 {
				t.Errorf("enqueueReminders after the session changed: %d, %v; want nothing", n, err)
			}
			if err := st.UpdateSession(ctx, &saved); err != nil {
				t.Fatal(err)
			}
		}
	})
}
