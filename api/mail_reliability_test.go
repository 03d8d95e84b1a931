package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/outbox"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// errKilled is what a killed worker's process can no longer do.
var errKilled = errors.New("process killed")

// killableQueue is a worker's queue in a process that can be killed: once dead, nothing it
// does reaches the database any more.
type killableQueue struct {
	mail.Queue
	dead *atomic.Bool
}

func (q killableQueue) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]mail.Job, error) {
	if q.dead.Load() {
		return nil, errKilled
	}
	return q.Queue.Claim(ctx, owner, limit, lease)
}

func (q killableQueue) MarkSent(ctx context.Context, id, owner string) error {
	if q.dead.Load() {
		return errKilled
	}
	return q.Queue.MarkSent(ctx, id, owner)
}

func (q killableQueue) MarkRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	if q.dead.Load() {
		return errKilled
	}
	return q.Queue.MarkRetry(ctx, id, owner, next, reason)
}

func (q killableQueue) MarkDead(ctx context.Context, id, owner string, reason string) error {
	if q.dead.Load() {
		return errKilled
	}
	return q.Queue.MarkDead(ctx, id, owner, reason)
}

// killableSender stops sending once its process is dead.
type killableSender struct {
	mail.Sender
	dead *atomic.Bool
}

func (s killableSender) Send(ctx context.Context, m *mail.Message) error {
	if s.dead.Load() {
		return errKilled
	}
	return s.Sender.Send(ctx, m)
}

// TestWorkerKilledAfterServerAcceptedDeliversAtMostTwice kills a worker between the SMTP
// server's acceptance of a message and the worker's commit of it; a second worker takes over
// once the lease has run out. Every message arrives at least once and never more than twice.
func TestWorkerKilledAfterServerAcceptedDeliversAtMostTwice(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		const n, killAt = 20, 7
		conf := e.conference()
		e.annDelegates(conf, many(n, annDelegate{})...)
		e.announce(e.staffToken("organiser"), conf, map[string]any{})
		srv := smtptest.NewServer(t)

		dead := &atomic.Bool{}
		var accepted atomic.Int32
		var killedID atomic.Value
		srv.AfterAccept(func(r smtptest.Received) {
			if accepted.Add(1) == killAt { // the server has the message; its 250 is on the way
				killedID.Store(r.To[0])
				dead.Store(true)
			}
		})
		const lease = time.Minute
		first := mailWorker(t, killableQueue{outbox.New(e.st, outbox.Options{From: e.cfg.MailFrom}), dead}, srv,
			mail.WorkerConfig{Owner: "first", Lease: lease, Batch: 50, Concurrency: 4},
			func(s mail.Sender) mail.Sender { return killableSender{s, dead} })
		if _, err := first.RunOnce(context.Background()); !errors.Is(err, errKilled) {
			t.Fatalf("first worker: got %v, want it killed", err)
		}
		srv.AfterAccept(nil)
		c := e.counts(conf)
		if c[models.OutboxSending] == 0 || c[models.OutboxSent] >= n {
			t.Fatalf("after the kill: counts %v, want messages left leased to the dead worker", c)
		}
		// Nobody may take the dead worker's messages while its lease runs.
		second := mailWorker(t, outbox.New(e.st, outbox.Options{From: e.cfg.MailFrom}), srv, mail.WorkerConfig{Owner: "second", Lease: lease}, nil)
		if got, err := second.RunOnce(context.Background()); err != nil || got != 0 {
			t.Fatalf("second worker during the lease: processed %d (%v), want 0", got, err)
		}
		// Once the lease has run out, the second worker delivers the rest.
		e.st.SetClock(func() time.Time { return time.Now().Add(2 * lease) })
		drainWorker(t, second)

		if c := e.counts(conf); c[models.OutboxSent] != n {
			t.Fatalf("final counts %v, want %d sent", c, n)
		}
		perRow := map[string]int{}
		perRcpt := map[string]int{}
		for _, m := range receivedMail(t, srv) {
			perRow[rowIDOf(m.messageID)]++
			perRcpt[m.rcpts[0]]++
		}
		twice := 0
		for _, row := range e.outbox(conf) {
			switch got := perRow[row.ID]; {
			case got < 1:
				t.Errorf("message %s never arrived", row.ID)
			case got > 2:
				t.Errorf("message %s arrived %d times, want at most 2", row.ID, got)
			case got == 2:
				twice++
			}
			if perRcpt[row.To] != perRow[row.ID] {
				t.Errorf("message %s: %d deliveries to its recipient, %d with its Message-ID", row.ID, perRcpt[row.To], perRow[row.ID])
			}
		}
		if killed, _ := killedID.Load().(string); perRcpt[killed] != 2 {
			t.Errorf("the message accepted at the kill arrived %d times, want 2 (accepted, not recorded, sent again)", perRcpt[killed])
		}
		t.Logf("%s: %d of %d messages arrived twice", e.st.Dialect(), twice, n)
	})
}

// TestTemporaryFailuresAreRetriedAndPermanentOnesDeadLettered runs the real worker against an SMTP
// server answering 4xx to 30% of messages until the outbox is empty: everything arrives, once.
// Then 5xx answers dead-letter messages, which organisers see with the SMTP answer and retry.
func TestTemporaryFailuresAreRetriedAndPermanentOnesDeadLettered(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		const n = 100
		conf := e.conference()
		ds := e.annDelegates(conf, many(n, annDelegate{})...)
		org := e.staffToken("organiser")
		e.announce(org, conf, map[string]any{"subject": "Schedule", "body": "See the agenda."})
		srv := smtptest.NewServer(t)
		srv.FailRatio(451, 0.3, 2026)
		w := mailWorker(t, outbox.New(e.st, outbox.Options{From: e.cfg.MailFrom}), srv, mail.WorkerConfig{MaxAttempts: 1000, Batch: 25}, nil)
		drainWorker(t, w)

		if c := e.counts(conf); c[models.OutboxSent] != n || c[models.OutboxPending]+c[models.OutboxSending]+c[models.OutboxDead] != 0 {
			t.Fatalf("counts %v, want all %d sent", c, n)
		}
		seen := map[string]int{}
		for _, m := range receivedMail(t, srv) {
			seen[m.messageID]++
			if len(m.rcpts) != 1 {
				t.Errorf("message %s has %d recipients", m.messageID, len(m.rcpts))
			}
		}
		if len(seen) != n {
			t.Errorf("got %d distinct messages, want %d", len(seen), n)
		}
		retried := 0
		for _, row := range e.outbox(conf) {
			if seen["<"+row.ID+"@localhost>"] != 1 {
				t.Errorf("message %s arrived %d times, want once", row.ID, seen["<"+row.ID+"@localhost>"])
			}
			if row.Attempts > 1 {
				retried++
			}
		}
		if retried == 0 {
			t.Fatal("no message was retried: the 4xx answers were not exercised")
		}

		// 5xx: dead letters, shown with the SMTP answer and a masked recipient.
		srv.FailRatio(0, 0, 0)
		srv.FailNext(554, 3)
		second := e.announce(org, conf, map[string]any{"subject": "Second", "body": "More news.", "audience": map[string]any{"statuses": []string{"approved"}}})
		drainWorker(t, w)
		if c := e.counts(conf); c[models.OutboxDead] != 3 || c[models.OutboxSent] != 2*n-3 {
			t.Fatalf("counts %v, want 3 dead and %d sent", c, 2*n-3)
		}
		view := e.do("GET", "/api/v1/conferences/"+conf.Slug+"/outbox?state=dead", org, nil).want(t, 200)
		var out outboxResponse
		view.decode(t, &out)
		if len(out.Items) != 3 || out.Counts[models.OutboxDead] != 3 || out.Counts[models.OutboxSent] != 2*n-3 {
			t.Fatalf("dead letters: got %d items, counts %v", len(out.Items), out.Counts)
		}
		for _, it := range out.Items {
			if it.State != models.OutboxDead || !strings.Contains(it.LastError, "554") || it.Attempts != 1 || it.Template != "announcement" {
				t.Errorf("dead letter %+v: want state dead, the 554 answer, 1 attempt", it)
			}
			if strings.Contains(it.LastError, "@") || !strings.HasPrefix(it.Recipient, "d***@d***.test") {
				t.Errorf("dead letter shows %q / %q, want no address and a masked recipient", it.LastError, it.Recipient)
			}
		}
		for _, d := range ds {
			if strings.Contains(string(view.Body), d.Email) {
				t.Fatalf("the delivery view shows an address")
			}
		}
		// Retry: each dead letter goes back and is delivered; a sent one cannot be retried.
		for _, it := range out.Items {
			e.do("POST", "/api/v1/conferences/"+conf.Slug+"/outbox/"+it.ID+"/retry", org, nil).want(t, 200)
			e.do("POST", "/api/v1/conferences/"+conf.Slug+"/outbox/"+it.ID+"/retry", org, nil).want(t, 409)
		}
		if n := e.auditCount("outbox.retry", out.Items[0].ID); n != 1 {
			t.Errorf("audit: got %d outbox.retry events, want 1", n)
		}
		drainWorker(t, w)
		if c := e.counts(conf); c[models.OutboxSent] != 2*n || c[models.OutboxDead] != 0 {
			t.Fatalf("after retry: counts %v, want all sent", c)
		}
		if got := len(e.annRecipients(conf, second["id"].(string))); got != n {
			t.Errorf("second announcement: %d rows, want %d", got, n)
		}
		other := e.conference()
		e.do("POST", "/api/v1/conferences/"+other.Slug+"/outbox/"+out.Items[0].ID+"/retry", org, nil).want(t, 404)
	})
}

// countingQueue counts the deliveries a worker recorded.
type countingQueue struct {
	mail.Queue
	sent *atomic.Int64
}

func (q countingQueue) MarkSent(ctx context.Context, id, owner string) error {
	err := q.Queue.MarkSent(ctx, id, owner)
	if err == nil {
		q.sent.Add(1)
	}
	return err
}

// TestTwoWorkersDeliverEachMessageOnce runs two workers, each with its own store connection pool
// (two *models.Store on one PostgreSQL schema, as two `serve` processes would have) and its own
// SMTP connection, over 1,000 pending messages: each arrives exactly once.
func TestTwoWorkersDeliverEachMessageOnce(t *testing.T) {
	run := func(t *testing.T, e *testEnv, stores [2]*models.Store) {
		const n = 1000
		conf := e.conference()
		e.annDelegates(conf, many(n, annDelegate{})...)
		e.announce(e.staffToken("organiser"), conf, map[string]any{})
		srv := smtptest.NewServer(t)
		var wg sync.WaitGroup
		var counts [2]atomic.Int64
		errs := make(chan error, 2)
		for i, st := range stores {
			q := countingQueue{outbox.New(st, outbox.Options{From: e.cfg.MailFrom}), &counts[i]}
			w := mailWorker(t, q, srv, mail.WorkerConfig{Owner: fmt.Sprintf("worker-%d", i), Batch: 20, Concurrency: 2}, nil)
			wg.Go(func() {
				for {
					got, err := w.RunOnce(context.Background())
					if err != nil {
						errs <- err
						return
					}
					if got > 0 {
						continue
					}
					c, err := st.OutboxCounts(context.Background(), conf.ID)
					if err != nil {
						errs <- err
						return
					}
					if c[models.OutboxPending]+c[models.OutboxSending] == 0 {
						return
					}
					time.Sleep(5 * time.Millisecond) // the other worker holds the rest
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("worker: %v", err)
		}
		got := receivedMail(t, srv)
		seen := map[string]int{}
		for _, m := range got {
			seen[m.messageID]++
		}
		if len(got) != n || len(seen) != n {
			t.Fatalf("got %d messages with %d distinct Message-IDs, want %d of each", len(got), len(seen), n)
		}
		if c := e.counts(conf); c[models.OutboxSent] != n {
			t.Fatalf("counts %v, want %d sent", c, n)
		}
		for _, row := range e.outbox(conf)[:10] {
			if seen["<"+row.ID+"@localhost>"] != 1 || row.Attempts != 1 {
				t.Errorf("message %s: arrived %d times after %d attempts, want once", row.ID, seen["<"+row.ID+"@localhost>"], row.Attempts)
			}
		}
		if total := counts[0].Load() + counts[1].Load(); total != n {
			t.Errorf("workers recorded %d deliveries, want %d", total, n)
		}
		t.Logf("%s: worker 0 sent %d, worker 1 sent %d; %d SMTP connections", e.st.Dialect(), counts[0].Load(), counts[1].Load(), srv.Connections())
	}
	t.Run("sqlite", func(t *testing.T) {
		e := sqliteEnv(t)
		run(t, e, [2]*models.Store{e.st, e.st})
	})
	t.Run("postgres", func(t *testing.T) {
		url := modelstest.PostgresURL(t)
		box := modelstest.Box(t)
		var stores [2]*models.Store
		for i := range stores {
			st, err := models.Open(context.Background(), models.Options{DatabaseURL: url}, box)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			stores[i] = st
		}
		if _, err := stores[0].Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		run(t, newEnv(t, stores[0]), stores)
	})
}

// TestHeaderInjectionNeverAddsAHeader sends CR/LF through every field of the API that reaches a
// mail header (subjects, names, the conference title) and checks at the SMTP server that no
// message ever carries an extra header or recipient.
func TestHeaderInjectionNeverAddsAHeader(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		conf := e.conference()
		admin, org := e.staffToken("admin"), e.staffToken("organiser")
		inject := []string{"\r\nBcc: spy@evil.example", "\nBcc: spy@evil.example", "\rBcc: spy@evil.example",
			"\r\n\r\nBcc: spy@evil.example", "\u0085Bcc: spy@evil.example", "\u2028Bcc: spy@evil.example", "%0d%0aBcc: spy@evil.example"}
		base := "/api/v1/conferences/" + conf.Slug
		d := e.annDelegates(conf, annDelegate{name: "Eve"})[0]
		dt := e.delegateToken(d)
		for _, x := range inject {
			refused := strings.ContainsAny(x, "\r\n")
			check := func(what string, r *response) {
				t.Helper()
				if refused && r.Code != 422 {
					t.Errorf("%s with %q: got %d, want 422", what, x, r.Code)
				}
				if r.Code >= 500 {
					t.Errorf("%s with %q: got %d", what, x, r.Code)
				}
			}
			check("subject", e.do("POST", base+"/announcements", org, map[string]any{"subject": "News" + x, "body": "b"}))
			if r := e.do("PATCH", base, admin, map[string]any{"title": "Conference" + x}); r.Code == 200 {
				// A title that cannot go into a Subject header (U+0085, U+2028 pass the CR/LF check of
				// PATCH) must not let announcements enqueue mail that can only be dead-lettered.
				want := 202
				if headerUnsafe(x) {
					want = 422
				}
				e.do("POST", base+"/announcements", org, map[string]any{"subject": "News", "body": "b"}).want(t, want)
				e.do("PATCH", base, admin, map[string]any{"title": "Test Conference"}).want(t, 200)
			} else {
				check("conference title", r)
			}
			check("display name", e.do("PATCH", "/api/v1/me", dt, map[string]any{"display_name": "Eve" + x}))
			check("registration name", e.do("POST", base+"/delegates", "", map[string]any{"email": "reg-" + models.NewID()[:6] + "@delegates.test",
				"display_name": "Reg" + x, "role": "observer", "languages": []string{"en"}, "attendance": "in_person", "visibility": "participants", "consent": true}))
		}
		e.do("PATCH", base, admin, map[string]any{"title": "Conference To: spy@evil.example"}).want(t, 200)
		// Header-looking text without line breaks is accepted and stays inside its one header or the body.
		e.do("PATCH", "/api/v1/me", dt, map[string]any{"display_name": "Eve Bcc: spy@evil.example"}).want(t, 200)
		e.do("POST", base+"/delegates", "", map[string]any{"email": "reg@delegates.test", "display_name": "Reg To: spy@evil.example",
			"role": "observer", "languages": []string{"en"}, "attendance": "in_person", "visibility": "participants", "consent": true}).want(t, 202)
		e.announce(org, conf, map[string]any{"subject": "News Bcc: spy@evil.example =?utf-8?q?=0D=0ABcc:_spy@evil.example?=",
			"body": "Line one\r\nBcc: spy@evil.example\r\n\r\nCc: spy@evil.example"})
		got := e.deliver()
		if len(got) < 2 {
			t.Fatalf("delivered %d messages, want the announcement and the confirmation", len(got))
		}
		allowed := map[string]bool{"From": true, "To": true, "Subject": true, "Message-Id": true, "Date": true, "Auto-Submitted": true,
			"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true,
			"List-Unsubscribe": true, "List-Unsubscribe-Post": true} // RFC 8058 on announcements (issue 13)
		for _, m := range receivedMail(t, e.smtp) {
			if len(m.rcpts) != 1 || strings.Contains(m.rcpts[0], "evil.example") {
				t.Errorf("envelope recipients %v, want exactly the delegate", m.rcpts)
			}
			for k := range m.header {
				if !allowed[k] {
					t.Errorf("message has header %q:\n%s", k, m.raw)
				}
			}
			if to := m.header["To"]; len(to) != 1 || strings.Contains(to[0], "evil") {
				t.Errorf("To: %v", to)
			}
			if subj := m.header["Subject"]; len(subj) != 1 {
				t.Errorf("Subject headers: %v", subj)
			}
		}
		if c := e.counts(conf); c[models.OutboxDead]+c[models.OutboxPending] != 0 {
			t.Errorf("counts %v: every message should have gone out", c)
		}
	})
}
