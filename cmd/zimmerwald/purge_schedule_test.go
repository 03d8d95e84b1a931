package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestScheduledPurge: the purge serve runs daily erases the delegates of a conference past its
// retention period and leaves a current conference alone.
func TestScheduledPurge(t *testing.T) {
	ctx := context.Background()
	st := modelstest.SQLite(t)
	conf := func(slug string, ends time.Time) *models.Conference {
		c := &models.Conference{Slug: slug, Title: slug, Timezone: "Europe/Zurich", StartsOn: ends.AddDate(0, 0, -3), EndsOn: ends, RetentionDays: 30}
		if err := st.CreateConference(ctx, c); err != nil {
			t.Fatal(err)
		}
		d := &models.Delegate{ConferenceID: c.ID, Role: models.RoleDelegate, Status: models.DelegateApproved, DisplayName: "Anna K.",
			Email: "anna." + slug + "@example.org", Attendance: models.AttendInPerson, Visibility: models.VisibilityParticipants}
		if err := st.CreateDelegate(ctx, d); err != nil {
			t.Fatal(err)
		}
		return c
	}
	conf("old-meeting", time.Now().AddDate(0, -3, 0))
	current := conf("next-meeting", time.Now().AddDate(0, 1, 0))
	n, err := purgeExpired(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil || n != 1 {
		t.Fatalf("purgeExpired: %d, %v; want 1 delegate erased", n, err)
	}
	if n, err := purgeExpired(ctx, st, slog.New(slog.DiscardHandler)); err != nil || n != 0 {
		t.Errorf("second run: %d, %v; want nothing left to erase", n, err)
	}
	if _, err := st.DelegateByEmail(ctx, current.ID, "anna.next-meeting@example.org"); err != nil {
		t.Errorf("the current conference's delegate is gone: %v", err)
	}
}
