package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/fakeclock"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestOnlineRemindersLoop: the loop serve runs reminds at once, again at each tick, and stops
// with its context; a reminder goes out once however many ticks pass.
func TestOnlineRemindersLoop(t *testing.T) {
	ctx := context.Background()
	st := modelstest.SQLite(t)
	clock := fakeclock.New(time.Date(2027, 9, 6, 7, 0, 0, 0, time.UTC))
	st.SetClock(clock.Now)
	conf := &models.Conference{Slug: "zw", Title: "ZW", Timezone: "Europe/Zurich", StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC)}
	if err := st.CreateConference(ctx, conf); err != nil {
		t.Fatal(err)
	}
	d := &models.Delegate{ConferenceID: conf.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Anna K.",
		Email: "anna@example.org", Attendance: models.AttendRemote, Visibility: models.VisibilityParticipants}
	if err := st.CreateDelegate(ctx, d); err != nil {
		t.Fatal(err)
	}
	starts := clock.Now().Add(45 * time.Minute)
	sess := &models.Session{ConferenceID: conf.ID, Title: "Plenary", Kind: models.KindPlenary, StartsAt: starts, EndsAt: starts.Add(time.Hour),
		Status: models.SessionPublished, OnlineURL: "https://meet.example.org/plenary", Languages: models.StringList{"en"}}
	if err := st.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.BaseURL = "http://zw.test"
	dom := domain.New(domain.Options{Store: st, Config: cfg})
	rows := func() int {
		t.Helper()
		msgs, err := st.ListOutbox(ctx, models.OutboxFilter{ConferenceID: conf.ID, Page: models.Page{Limit: models.MaxLimit}})
		if err != nil {
			t.Fatal(err)
		}
		return len(msgs)
	}

	runCtx, stop := context.WithCancel(ctx)
	tick, done := make(chan time.Time), make(chan struct{})
	go func() {
		onlineReminders(runCtx, dom, cfg.OnlineReminderLead, tick, slog.New(slog.DiscardHandler))
		close(done)
	}()
	tick <- time.Time{} // taken once the first run is over: 45 minutes ahead, nothing is due
	if n := rows(); n != 0 {
		t.Fatalf("%d mails 45 minutes ahead, want none", n)
	}
	clock.Advance(20 * time.Minute)
	tick <- time.Time{} // the run this tick started is over once the next tick is taken
	tick <- time.Time{}
	tick <- time.Time{}
	if n := rows(); n != 1 {
		t.Fatalf("%d mails after three runs within the lead, want 1", n)
	}
	stop()
	<-done
}
