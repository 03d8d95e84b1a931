package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/outbox"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// deliver runs the real mail worker over the outbox until nothing is due, sending through srv.
func (e *env) deliver(srv *smtptest.Server) {
	e.t.Helper()
	tmpl, err := mail.LoadTemplates()
	if err != nil {
		e.t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(srv.URL(), slog.New(slog.DiscardHandler))
	if err != nil {
		e.t.Fatal(err)
	}
	defer sender.Close()
	w := mail.NewWorker(outbox.New(e.st, outbox.Options{From: e.cfg.MailFrom}), sender, tmpl,
		mail.WorkerConfig{From: e.cfg.MailFrom, BackoffFunc: func(int) time.Duration { return 0 }}, slog.New(slog.DiscardHandler))
	for range 1000 {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			e.t.Fatalf("mail worker: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// TestReviewRegistrations: the review list filters by status, organisation and name, shows no
// personal data, and a decision posted from it is stored, mailed and kept out of reach of
// reviewers (who may read but not decide).
func TestReviewRegistrations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.conference()
		a := e.organisation(c, "Union A", true)
		b := e.organisation(c, "Union B", false)
		da := e.delegate(c, a, "Alpha", models.DelegateSubmitted, models.VisibilityOrganisers)
		db := e.delegate(c, b, "Bravo", models.DelegateSubmitted, models.VisibilityOrganisers)
		e.delegate(c, a, "Charlie", models.DelegateApproved, models.VisibilityPublic)
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug + "/registrations"
		p := staff.get(base+"?lang=en").want(t, 200)
		p.has(t, "Alpha", "Bravo", "Union B").lacks(t, "Charlie", da.Email, db.Email)
		staff.get(base+"?status=approved").want(t, 200).has(t, "Charlie").lacks(t, "Alpha")
		staff.get(base+"?status=submitted&organisation_id="+b.ID).want(t, 200).has(t, "Bravo").lacks(t, "Alpha")
		staff.get(base+"?status=&q=alp").want(t, 200).has(t, "Alpha").lacks(t, "Bravo", "Charlie")
		staff.get(base+"?status=nonsense").want(t, 200).has(t, "is not one of the offered choices")
		back := url.Values{"status": {"submitted"}, "organisation_id": {b.ID}}.Encode()
		done := staff.post(base+"/"+db.ID+"/decision", url.Values{"decision": {"waitlist"}, "reason": {"quota"}, "back": {back}}).want(t, 200)
		if done.URL.Query().Get("organisation_id") != b.ID || done.URL.Query().Get("done") != "1" {
			t.Fatalf("after deciding: back at %s, want the filtered list", done.URL)
		}
		done.has(t, "The decision is saved")
		got, _ := e.st.Delegate(context.Background(), db.ID)
		if got.Status != models.DelegateWaitlist || got.DecisionReason != "quota" {
			t.Fatalf("after waitlisting: %s %q", got.Status, got.DecisionReason)
		}
		if !e.mailed(c, "decision", db.Email) {
			t.Fatal("no decision mail queued")
		}
		// Deciding the same again is a conflict the page explains; an unknown decision is refused.
		staff.post(base+"/"+db.ID+"/decision", url.Values{"decision": {"waitlist"}}).want(t, http.StatusConflict)
		staff.post(base+"/"+da.ID+"/decision", url.Values{"decision": {"promote"}}).want(t, http.StatusUnprocessableEntity)
		reviewer := e.staff(models.StaffReviewer)
		reviewer.get(base).want(t, 200).has(t, "Alpha")
		reviewer.post(base+"/"+da.ID+"/decision", url.Values{"decision": {"approve"}}).want(t, http.StatusForbidden)
		if got, _ := e.st.Delegate(context.Background(), da.ID); got.Status != models.DelegateSubmitted {
			t.Fatal("a reviewer decided a registration")
		}
	})
}

// TestReviewStatements: reviewers see submitted statements with their text and decide them.
func TestReviewStatements(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		ctx := context.Background()
		sts, err := e.st.ListStatements(ctx, models.StatementFilter{ConferenceID: c.ID, Status: models.StatementSubmitted, Page: models.Page{Limit: 10}})
		if err != nil || len(sts) != 1 {
			t.Fatalf("demo submitted statements: %v %d", err, len(sts))
		}
		st := sts[0]
		reviewer := e.staff(models.StaffReviewer)
		base := "/staff/c/" + c.Slug + "/statements"
		reviewer.get(base+"?lang=en").want(t, 200).has(t, st.Title, "Accept", "Ask for changes").lacks(t, "For an immediate ceasefire")
		reviewer.get(base+"?status=accepted").want(t, 200).has(t, "For an immediate ceasefire")
		reviewer.post(base+"/"+st.ID+"/decision", url.Values{"decision": {"accept"}, "comment": {"Clear and strong."}}).
			want(t, 200).has(t, "The decision is saved")
		got, err := e.st.Statement(ctx, st.ID)
		if err != nil || got.Status != models.StatementAccepted {
			t.Fatalf("after accepting: %v %+v", err, got)
		}
		// Now public: the statements page and the statement's own page show it.
		e.browser().get("/c/"+c.Slug+"/statements").want(t, 200).has(t, st.Title)
		e.browser().get("/statements/"+st.ID).want(t, 200).has(t, st.Title, "<p>")
		reviewer.post(base+"/"+st.ID+"/decision", url.Values{"decision": {"accept"}}).want(t, http.StatusConflict)
	})
}

// TestPublicStatements: the public sees accepted and adopted statements only, with the body as
// the API sanitised it and no author who is not public.
func TestPublicStatements(t *testing.T) {
	e := sqliteEnv(t)
	c := e.demo()
	p := e.browser().get("/c/"+c.Slug+"/statements?lang=en").want(t, 200)
	p.has(t, "For an immediate ceasefire", "Свободу политзаключённым войны").lacks(t, "Solidarité ouvrière", "Проти примусової мобілізації")
	sts, _ := e.st.ListStatements(context.Background(), models.StatementFilter{ConferenceID: c.ID, Status: models.StatementAccepted, Page: models.Page{Limit: 10}})
	for _, st := range sts {
		sp := e.browser().get("/statements/"+st.ID+"?lang=en").want(t, 200)
		sp.has(t, st.Title).lacks(t, "Comrade Vera", "**")
		if strings.Contains(st.Body, "**immediate ceasefire**") {
			sp.has(t, "<strong>immediate ceasefire</strong>")
		}
	}
	for _, hidden := range []models.StatementFilter{{ConferenceID: c.ID, Status: models.StatementDraft, Page: models.Page{Limit: 10}}} {
		drafts, _ := e.st.ListStatements(context.Background(), hidden)
		for _, st := range drafts {
			e.browser().get("/statements/"+st.ID).want(t, http.StatusNotFound)
		}
	}
}

// TestAnnouncementAndDelivery: an organiser previews an announcement (recipient count and the
// rendered mail, nothing queued), sends it only from the previewed form, and the real mail worker
// delivers one message per recipient through a real SMTP server; a message the server refuses
// for good shows as failed in the delivery view and can be queued again.
func TestAnnouncementAndDelivery(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		c := e.demo()
		ctx := context.Background()
		staff := e.staff(models.StaffOrganiser)
		base := "/staff/c/" + c.Slug
		form := url.Values{"subject": {"Practical information"}, "body": {"The hall opens at 8:30.\nBring your badge."}, "statuses": {"approved"}}
		staff.get(base+"/announcements?lang=en").want(t, 200).lacks(t, `id="send"`)
		before, _ := e.st.OutboxCounts(ctx, c.ID)
		pv := staff.post(base+"/announcements", form).want(t, 200)
		pv.has(t, `id="recipients"`, "Practical information", "The hall opens at 8:30.", `id="send"`)
		wantN := 0
		ds, _ := e.st.ListDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID, Status: models.DelegateApproved, Page: models.Page{Limit: 50}})
		for _, d := range ds {
			if d.NotifyAnnouncements {
				wantN++
			}
		}
		pv.has(t, "would reach "+strconv.Itoa(wantN)+" people")
		// "Send" from a form that was not previewed only previews.
		form.Set("action", "send")
		staff.post(base+"/announcements", form).want(t, 200).has(t, `id="recipients"`)
		if after, _ := e.st.OutboxCounts(ctx, c.ID); after[models.OutboxPending] != before[models.OutboxPending] {
			t.Fatal("a preview queued mail")
		}
		form.Set("previewed", "yes")
		sent := staff.post(base+"/announcements", form).want(t, 200)
		sent.has(t, "queued for "+strconv.Itoa(wantN)+" people")
		srv := smtptest.NewServer(t)
		srv.FailNext(550, 1)
		e.deliver(srv)
		msgs := srv.Messages()
		if len(msgs) != wantN-1 {
			t.Fatalf("delivered %d messages, want %d (one refused)", len(msgs), wantN-1)
		}
		for _, m := range msgs {
			if len(m.To) != 1 {
				t.Fatalf("a message went to %d recipients", len(m.To))
			}
		}
		out := staff.get(base+"/outbox?lang=en").want(t, 200)
		out.has(t, "Failed", "announcement", "Try again", "550").lacks(t, msgs[0].To[0])
		rows, _ := e.st.ListOutbox(ctx, models.OutboxFilter{ConferenceID: c.ID, State: models.OutboxDead, Page: models.Page{Limit: 10}})
		if len(rows) != 1 {
			t.Fatalf("%d dead letters, want 1", len(rows))
		}
		staff.post(base+"/outbox/"+rows[0].ID+"/retry", nil).want(t, 200).has(t, "The mail is queued again.")
		e.deliver(srv)
		if n := len(srv.Messages()); n != wantN {
			t.Fatalf("after the retry %d messages, want %d", n, wantN)
		}
		staff.get(base+"/outbox?state=sent").want(t, 200).has(t, "Sent")
		// Bad input comes back with the API's field errors.
		staff.post(base+"/announcements", url.Values{"subject": {"Line\r\nBreak"}, "body": {""}}).
			want(t, http.StatusUnprocessableEntity).has(t, `id="e-subject"`, `id="e-body"`)
	})
}
