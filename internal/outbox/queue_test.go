package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/fakeclock"

	"github.com/zimmerwald/zimmerwald/internal/outbox"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func conference(t *testing.T, st *models.Store) *models.Conference {
	t.Helper()
	c := &models.Conference{
		Slug: "zw-" + models.NewID()[:8], Title: "Zimmerwald 2026", Acronym: "ZW26", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2026, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC),
		Languages: models.StringList{"en", "uk"},
	}
	if err := st.CreateConference(context.Background(), c); err != nil {
		t.Fatalf("create conference: %v", err)
	}
	return c
}

// enqueue writes one pending message per recipient and returns them.
func enqueue(t *testing.T, st *models.Store, c *models.Conference, template mail.Template, data string, to ...string) []*models.OutboxMessage {
	t.Helper()
	msgs := make([]*models.OutboxMessage, len(to))
	for i, addr := range to {
		msgs[i] = &models.OutboxMessage{ConferenceID: &c.ID, Template: string(template), Lang: "uk", To: addr, Data: []byte(data)}
	}
	if err := st.Enqueue(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// decisionsDue enqueues decision mails to n addresses in a new conference — not sign-in mails,
// which keep hour-coarse times (models.SignInGrain) — and returns the conference and a clock a
// second later, for Queues to follow.
func decisionsDue(t *testing.T, st *models.Store, prefix string, n int) (*models.Conference, *fakeclock.Clock) {
	c := conference(t, st)
	enqueue(t, st, c, mail.TemplateDecision, `{}`, addresses(prefix, n)...)
	return c, fakeclock.New(st.Now().Add(time.Second))
}

func addresses(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d@example.org", prefix, i)
	}
	return out
}

func counts(t *testing.T, st *models.Store, c *models.Conference) map[models.OutboxState]int64 {
	t.Helper()
	got, err := st.OutboxCounts(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestClaimTurnsRowsIntoJobs(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := conference(t, st)
		enqueue(t, st, c, mail.TemplateConfirm, `{"Name":"Olga"}`, "olga@example.org")
		q := outbox.New(st, outbox.Options{From: "Secretariat <noreply@zimmerwald.example>"})
		jobs, err := q.Claim(ctx, "w", 10, time.Minute)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claimed %d jobs (%v), want 1", len(jobs), err)
		}
		j := jobs[0]
		if j.To != "olga@example.org" || j.Template != mail.TemplateConfirm || j.Lang != "uk" || string(j.Data) != `{"Name":"Olga"}` ||
			j.Attempts != 0 || j.EnqueuedAt.IsZero() || j.MessageID != "<"+j.ID+"@zimmerwald.example>" {
			t.Errorf("job %+v: want the row's recipient, template, language and data, and a Message-ID at zimmerwald.example", j)
		}
		// Without a usable sender address the Message-IDs are at localhost.
		enqueue(t, st, c, mail.TemplateConfirm, `{}`, "ivan@example.org")
		jobs, err = outbox.New(st, outbox.Options{From: "not an address"}).Claim(ctx, "w", 10, time.Minute)
		if err != nil || len(jobs) != 1 || jobs[0].MessageID != "<"+jobs[0].ID+"@localhost>" {
			t.Fatalf("claimed %+v (%v), want the one new job with a Message-ID at localhost", jobs, err)
		}
	})
}

func TestClaimFillsAnnouncementsFromTheirText(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := conference(t, st)
		a := models.NewAnnouncement(c.ID, "account-1", "Venue", "Meet at the old station.", models.Audience{})
		if err := st.CreateAnnouncement(ctx, a); err != nil {
			t.Fatal(err)
		}
		ref := `{"Conference":"ZW26","announcement_id":"` + a.ID + `"}`
		gone := `{"Conference":"ZW26","announcement_id":"` + models.NewID() + `"}`
		filled := enqueue(t, st, c, mail.TemplateAnnouncement, ref, addresses("a", 2)...)
		missing := enqueue(t, st, c, mail.TemplateAnnouncement, gone, "b@example.org")[0]
		other := enqueue(t, st, c, mail.TemplateConfirm, ref, "c@example.org")[0]

		jobs, err := outbox.New(st, outbox.Options{}).Claim(ctx, "w", 10, time.Minute)
		if err != nil || len(jobs) != 4 {
			t.Fatalf("claimed %d jobs (%v), want 4", len(jobs), err)
		}
		byID := map[string]mail.Job{}
		for _, j := range jobs {
			byID[j.ID] = j
		}
		for _, m := range filled {
			data, ok := byID[m.ID].Values.(*mail.AnnouncementData)
			if !ok || data.Subject != "Venue" || data.Body != "Meet at the old station." || data.Conference != "ZW26" {
				t.Errorf("announcement job values %#v: want the announcement's subject and body with the row's data", byID[m.ID].Values)
			}
		}
		if got := string(byID[missing.ID].Data); got != gone || byID[missing.ID].Values != nil {
			t.Errorf("job of a deleted announcement: got data %s and values %v, want the data untouched %s and no values", got, byID[missing.ID].Values, gone)
		}
		if got := string(byID[other.ID].Data); got != ref || byID[other.ID].Values != nil {
			t.Errorf("confirmation job: got data %s and values %v, want it untouched %s and no values", got, byID[other.ID].Values, ref)
		}
	})
}

// Leases, retries and the recorded times all follow the Queue's clock, not the machine's.
func TestLeasesAndRetriesFollowTheClock(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c, clk := decisionsDue(t, st, "d", 3)
		first := outbox.New(st, outbox.Options{Now: clk.Now})
		second := outbox.New(st, outbox.Options{Now: clk.Now})

		jobs, err := first.Claim(ctx, "first", 10, time.Minute)
		if err != nil || len(jobs) != 3 {
			t.Fatalf("first claim: %d jobs (%v), want 3", len(jobs), err)
		}
		if got, err := second.Claim(ctx, "second", 10, time.Minute); err != nil || len(got) != 0 {
			t.Fatalf("claim during the lease: %d jobs (%v), want 0", len(got), err)
		}
		sent, retried, abandoned := jobs[0], jobs[1], jobs[2]
		if err := first.MarkSent(ctx, sent.ID, "first"); err != nil {
			t.Fatal(err)
		}
		if err := first.MarkRetry(ctx, retried.ID, "first", clk.Now().Add(time.Hour), "451 busy"); err != nil {
			t.Fatal(err)
		}

		clk.Advance(2 * time.Minute) // the lease of the abandoned job runs out; the retry is not due
		got, err := second.Claim(ctx, "second", 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].ID != abandoned.ID {
			t.Fatalf("claim after the lease: %+v (%v), want only the abandoned job", got, err)
		}
		if err := first.MarkDead(ctx, abandoned.ID, "first", "550"); !errors.Is(err, models.ErrConflict) {
			t.Errorf("outcome from the worker that lost the lease: got %v, want ErrConflict", err)
		}
		if err := second.MarkSent(ctx, abandoned.ID, "second"); err != nil {
			t.Fatal(err)
		}

		clk.Advance(time.Hour)
		got, err = second.Claim(ctx, "second", 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].ID != retried.ID || got[0].Attempts != 1 {
			t.Fatalf("claim after the retry time: %+v (%v), want the retried job after 1 attempt", got, err)
		}
		if err := second.MarkDead(ctx, retried.ID, "second", "550 no such user"); err != nil {
			t.Fatal(err)
		}
		if n := counts(t, st, c); n[models.OutboxSent] != 2 || n[models.OutboxDead] != 1 {
			t.Errorf("counts %v, want 2 sent and 1 dead", n)
		}
		rows, err := st.ListOutbox(ctx, models.OutboxFilter{ConferenceID: c.ID, State: models.OutboxSent, Page: models.Page{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ID == abandoned.ID && (r.SentAt == nil || r.SentAt.Before(clk.Now().Add(-time.Hour-time.Second))) {
				t.Errorf("sent at %v, want the Queue's clock (%v)", r.SentAt, clk.Now().Add(-time.Hour))
			}
		}
	})
}

// Outcomes reported at once by many senders are each recorded, and each caller learns its own.
func TestConcurrentOutcomesAreEachRecorded(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := conference(t, st)
		const n = 60
		enqueue(t, st, c, mail.TemplateConfirm, `{}`, addresses("e", n)...)
		q := outbox.New(st, outbox.Options{})
		jobs, err := q.Claim(ctx, "w", n, time.Minute)
		if err != nil || len(jobs) != n {
			t.Fatalf("claimed %d jobs (%v), want %d", len(jobs), err, n)
		}
		errs := make([]error, n)
		intruders := make([]error, n)
		var wg sync.WaitGroup
		for i, j := range jobs {
			wg.Go(func() {
				switch i % 3 {
				case 0:
					errs[i] = q.MarkSent(ctx, j.ID, "w")
				case 1:
					errs[i] = q.MarkRetry(ctx, j.ID, "w", time.Now().Add(time.Hour), "451")
				default:
					errs[i] = q.MarkDead(ctx, j.ID, "w", "550")
				}
			})
			wg.Go(func() { intruders[i] = q.MarkSent(ctx, j.ID, "intruder") })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Errorf("outcome %d: %v", i, errs[i])
			}
			if !errors.Is(intruders[i], models.ErrConflict) {
				t.Errorf("outcome %d from a worker without the lease: got %v, want ErrConflict", i, intruders[i])
			}
		}
		if got := counts(t, st, c); got[models.OutboxSent] != n/3 || got[models.OutboxPending] != n/3 || got[models.OutboxDead] != n/3 {
			t.Errorf("counts %v, want %d of each of sent, pending and dead", got, n/3)
		}
	})
}

// MarkAll records sent, retried and dead outcomes together, and answers ErrConflict for the
// one whose lease its owner lost.
func TestMarkAllRecordsEachOutcome(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c, clk := decisionsDue(t, st, "m", 4)
		first := outbox.New(st, outbox.Options{Now: clk.Now})
		jobs, err := first.Claim(ctx, "first", 3, time.Minute)
		if err != nil || len(jobs) != 3 {
			t.Fatalf("first claim: %d jobs (%v), want 3", len(jobs), err)
		}
		other, err := outbox.New(st, outbox.Options{Now: clk.Now}).Claim(ctx, "second", 1, 3*time.Hour)
		if err != nil || len(other) != 1 {
			t.Fatalf("second claim: %d jobs (%v), want 1", len(other), err)
		}
		errs := first.MarkAll(ctx, "first", []mail.Outcome{
			{ID: jobs[0].ID, State: "sent"},
			{ID: jobs[1].ID, State: "retry", Next: clk.Now().Add(time.Hour), Reason: "451 busy"},
			{ID: jobs[2].ID, State: "dead", Reason: "550 no such user"},
			{ID: other[0].ID, State: "sent"}, // leased to "second"
		})
		if len(errs) != 4 || errs[0] != nil || errs[1] != nil || errs[2] != nil || !errors.Is(errs[3], models.ErrConflict) {
			t.Fatalf("results %v, want nil, nil, nil, ErrConflict", errs)
		}
		if n := counts(t, st, c); n[models.OutboxSent] != 1 || n[models.OutboxPending] != 1 || n[models.OutboxDead] != 1 || n[models.OutboxSending] != 1 {
			t.Errorf("counts %v, want 1 sent, 1 pending, 1 dead and 1 still leased", n)
		}
		clk.Advance(time.Hour + time.Second)
		got, err := first.Claim(ctx, "first", 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].ID != jobs[1].ID || got[0].Attempts != 1 {
			t.Fatalf("claim after the retry time: %+v (%v), want the retried job after 1 attempt", got, err)
		}
		if errs := first.MarkAll(ctx, "first", []mail.Outcome{{ID: got[0].ID, State: "sent"}}); errs != nil {
			t.Errorf("got %v, want nil when every outcome is recorded", errs)
		}
	})
}
