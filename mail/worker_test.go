package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/fakeclock"

	"github.com/zimmerwald/zimmerwald/mail/smtptest"
)

func confirmJob(t testing.TB, i int) Job {
	return Job{
		ID: fmt.Sprintf("job-%03d", i), To: fmt.Sprintf("delegate%03d@example.net", i),
		Template: TemplateConfirm, Lang: []string{"en", "ru", "uk", "de-CH", "fr"}[i%5],
		MessageID: fmt.Sprintf("<job-%03d@example.org>", i),
		Data: mustJSON(t, ConfirmData{Conference: "IC 2026", Name: fmt.Sprintf("Delegate %d", i),
			Link: "https://conference.example.org/confirm?t=x", ExpiresMinutes: 30}),
	}
}

type workerEnv struct {
	q     *memQueue
	srv   *smtptest.Server
	w     *Worker
	logs  *syncBuffer
	clock *fakeclock.Clock // the clock of both the worker and the queue
}

func newWorkerEnv(t *testing.T, cfg WorkerConfig) *workerEnv {
	t.Helper()
	srv := smtptest.NewServer(t)
	s, err := NewSMTPSender(srv.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if cfg.From == "" {
		cfg.From = "Conference secretariat <noreply@example.org>"
	}
	if cfg.BackoffFunc == nil {
		cfg.BackoffFunc = func(int) time.Duration { return 0 }
	}
	clk := fakeclock.New(time.Date(2026, 9, 5, 9, 0, 0, 0, time.UTC))
	cfg.Now = clk.Now
	logs := &syncBuffer{}
	q := &memQueue{now: clk.Now}
	w := NewWorker(q, s, loadTestTemplates(t), cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	return &workerEnv{q: q, srv: srv, w: w, logs: logs, clock: clk}
}

// drain calls RunOnce until nothing is left to claim or rounds run out.
func (e *workerEnv) drain(t *testing.T, rounds int) {
	t.Helper()
	for range rounds {
		n, err := e.w.RunOnce(context.Background())
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatalf("queue not drained after %d rounds", rounds)
}

func (e *workerEnv) checkLogsClean(t *testing.T, secrets ...string) {
	t.Helper()
	logs := e.logs.String()
	for _, s := range append(secrets, "@example.net", "Confirm your registration", "Hello") {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain %q:\n%s", s, logs)
		}
	}
}

func TestWorkerDeliversEverythingDespiteTemporaryFailures(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{MaxAttempts: 1000, Batch: 20, Concurrency: 4})
	e.srv.FailRatio(451, 0.3, 42)
	const n = 100
	for i := range n {
		e.q.add(confirmJob(t, i))
	}
	e.drain(t, 1000)

	if got := e.q.count("sent"); got != n {
		t.Fatalf("sent: got %d, want %d (dead %d, pending %d)", got, n, e.q.count("dead"), e.q.count("pending"))
	}
	msgs := e.srv.Messages()
	if len(msgs) != n {
		t.Fatalf("delivered: got %d, want %d", len(msgs), n)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		parsed, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		id := parsed.Header.Get("Message-ID")
		if seen[id] {
			t.Errorf("message %s delivered twice", id)
		}
		seen[id] = true
		if len(m.To) != 1 {
			t.Errorf("message %s: got %d recipients, want 1", id, len(m.To))
		}
	}
	retried := 0
	for i := range n {
		j := e.q.snapshot(fmt.Sprintf("job-%03d", i))
		if j.job.Attempts > 1 {
			retried++
		}
		for _, r := range j.reasons {
			if !strings.Contains(r, "451") || strings.Contains(r, "@example.net") {
				t.Errorf("retry reason %q: want the 451 answer and no address", r)
			}
		}
	}
	if retried == 0 {
		t.Error("no job was retried; the 30% failure injection did not happen")
	}
	e.checkLogsClean(t)
	if !strings.Contains(e.logs.String(), "outcome=retry") || !strings.Contains(e.logs.String(), "smtp_code=451") {
		t.Errorf("logs lack the retry outcome and code:\n%s", e.logs.String())
	}
}

func TestWorkerDeadLettersPermanentFailures(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{})
	e.srv.FailNext(554, 1)
	e.srv.FailNextRcpt(550, 1)
	e.q.add(confirmJob(t, 1))
	e.q.add(confirmJob(t, 2))
	e.q.add(confirmJob(t, 3))
	e.w.cfg.Concurrency = 1 // deterministic order: job 1 meets the RCPT failure, job 2 the DATA one
	e.drain(t, 5)

	for id, code := range map[string]string{"job-001": "550", "job-002": "554"} {
		j := e.q.snapshot(id)
		if j.state != "dead" || j.job.Attempts != 1 || len(j.reasons) != 1 || !strings.HasPrefix(j.reasons[0], code) {
			t.Errorf("%s: got state %s attempts %d reasons %q, want dead after 1 attempt with reason starting %s",
				id, j.state, j.job.Attempts, j.reasons, code)
		}
	}
	if j := e.q.snapshot("job-003"); j.state != "sent" {
		t.Errorf("job-003: got %s, want sent", j.state)
	}
	if got := len(e.srv.Messages()); got != 1 {
		t.Errorf("delivered: got %d, want 1", got)
	}
	e.checkLogsClean(t)
}

func TestWorkerGivesUpAfterMaxAttempts(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{MaxAttempts: 3})
	e.srv.FailNext(421, 10)
	e.q.add(confirmJob(t, 1))
	e.drain(t, 10)
	j := e.q.snapshot("job-001")
	if j.state != "dead" || j.job.Attempts != 3 || !strings.Contains(j.reasons[2], "gave up after 3 attempts") {
		t.Errorf("got state %s attempts %d reasons %q, want dead after 3 attempts", j.state, j.job.Attempts, j.reasons)
	}
}

func TestWorkerGivesUpAfterMaxAge(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{MaxAge: time.Hour})
	e.srv.FailNext(421, 1)
	job := confirmJob(t, 1)
	job.EnqueuedAt = e.clock.Now().Add(-2 * time.Hour)
	e.q.add(job)
	e.drain(t, 5)
	if j := e.q.snapshot("job-001"); j.state != "dead" || !strings.Contains(j.reasons[0], "gave up after 1h0m0s") {
		t.Errorf("got state %s reasons %q, want dead after max age", j.state, j.reasons)
	}
}

func TestWorkerDeadLettersUnusableJobs(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{})
	bad := []Job{
		{ID: "unknown", To: "a@example.net", Template: "newsletter", MessageID: "<u@example.org>", Data: json.RawMessage(`{}`)},
		{ID: "garbage", To: "a@example.net", Template: TemplateConfirm, MessageID: "<g@example.org>", Data: json.RawMessage(`{"Link": 5}`)},
		{ID: "invalid", To: "a@example.net", Template: TemplateDecision, MessageID: "<i@example.org>", Data: json.RawMessage(`{"Decision":"perhaps"}`)},
		{ID: "two-rcpt", To: "a@example.net, b@example.net", Template: TemplateWaitlistPromoted, MessageID: "<t@example.org>", Data: json.RawMessage(`{"Conference":"IC"}`)},
	}
	for _, j := range bad {
		e.q.add(j)
	}
	e.drain(t, 5)
	for _, want := range []struct{ id, reason string }{
		{"unknown", "unknown template"}, {"garbage", "undecodable data"}, {"invalid", "perhaps"}, {"two-rcpt", "exactly one address"},
	} {
		j := e.q.snapshot(want.id)
		if j.state != "dead" || len(j.reasons) != 1 || !strings.Contains(j.reasons[0], want.reason) {
			t.Errorf("%s: got state %s reasons %q, want dead with %q", want.id, j.state, j.reasons, want.reason)
		}
		if strings.Contains(strings.Join(j.reasons, " "), "@example.net") {
			t.Errorf("%s: reason %q contains an address", want.id, j.reasons)
		}
	}
	if got := e.srv.Connections(); got != 0 {
		t.Errorf("connections: got %d, want 0", got)
	}
}

func TestWorkerNeverLetsDataInjectHeaders(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{})
	const evil = "evil@attacker.example"
	inject := "\r\nBcc: " + evil + "\r\nX-Injected: yes"
	jobs := []Job{
		{ID: "name", To: "a@example.net", Template: TemplateConfirm, Lang: "en", MessageID: "<n@example.org>",
			Data: mustJSON(t, ConfirmData{Conference: "IC", Name: "Eve" + inject, Link: "https://c.example.org/x", ExpiresMinutes: 5})},
		{ID: "conference", To: "b@example.net", Template: TemplateLogin, Lang: "de", MessageID: "<c@example.org>", NamesConference: true,
			Data: mustJSON(t, LoginData{Conference: "IC" + inject, Link: "https://c.example.org/x", ExpiresMinutes: 5})},
		{ID: "subject", To: "c@example.net", Template: TemplateAnnouncement, Lang: "fr", MessageID: "<s@example.org>",
			Data: mustJSON(t, AnnouncementData{Conference: "IC", Subject: "Hello" + inject, Body: "Body" + inject})},
		{ID: "body", To: "d@example.net", Template: TemplateAnnouncement, Lang: "ru", MessageID: "<b@example.org>",
			Data: mustJSON(t, AnnouncementData{Conference: "IC", Subject: "Hello", Body: "Body" + inject})},
		{ID: "to", To: "e@example.net" + inject, Template: TemplateWaitlistPromoted, MessageID: "<t@example.org>",
			Data: mustJSON(t, WaitlistPromotedData{Conference: "IC"})},
		{ID: "message-id", To: "f@example.net", Template: TemplateWaitlistPromoted, MessageID: "<m@example.org>" + inject,
			Data: mustJSON(t, WaitlistPromotedData{Conference: "IC"})},
	}
	for _, j := range jobs {
		e.q.add(j)
	}
	e.drain(t, 5)

	for id, want := range map[string]string{"name": "sent", "body": "sent", "conference": "dead", "subject": "dead", "to": "dead", "message-id": "dead"} {
		if j := e.q.snapshot(id); j.state != want {
			t.Errorf("%s: got %s, want %s", id, j.state, want)
		} else if strings.Contains(strings.Join(j.reasons, " "), evil) {
			t.Errorf("%s: reason %q contains the injected address", id, j.reasons)
		}
	}
	msgs := e.srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("delivered: got %d, want 2", len(msgs))
	}
	for _, m := range msgs {
		if len(m.To) != 1 || strings.Contains(m.To[0], "evil") {
			t.Errorf("RCPT: got %v, want the one intended recipient", m.To)
		}
		head, _, ok := bytes.Cut(m.Data, []byte("\r\n\r\n"))
		if !ok {
			t.Fatalf("no header/body separator in:\n%s", m.Data)
		}
		for _, line := range strings.Split(string(head), "\r\n") {
			lower := strings.ToLower(line)
			if strings.HasPrefix(lower, "bcc:") || strings.HasPrefix(lower, "x-injected:") || strings.Contains(lower, evil) {
				t.Errorf("injected header line %q in:\n%s", line, head)
			}
		}
		parsed, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		if len(parsed.Header["Bcc"]) != 0 || len(parsed.Header["X-Injected"]) != 0 || len(parsed.Header["To"]) != 1 {
			t.Errorf("parsed headers: got %v", parsed.Header)
		}
	}
	e.checkLogsClean(t, evil)
}

func TestWorkerCrashBeforeCommitDeliversAtMostTwice(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{Lease: time.Minute})
	// The server has stored the message; the worker "dies" before recording it.
	e.srv.AfterAccept(func(smtptest.Received) {
		e.q.mu.Lock()
		e.q.failSent = 1
		e.q.mu.Unlock()
		e.srv.AfterAccept(nil)
	})
	e.q.add(confirmJob(t, 1))
	if _, err := e.w.RunOnce(context.Background()); err == nil {
		t.Fatal("RunOnce: got no error, want the failed MarkSent")
	}
	if n, _ := e.w.RunOnce(context.Background()); n != 0 {
		t.Fatalf("RunOnce during the lease: processed %d, want 0", n)
	}
	e.clock.Advance(time.Minute + time.Second) // the lease expires
	e.drain(t, 5)
	if j := e.q.snapshot("job-001"); j.state != "sent" {
		t.Errorf("state: got %s, want sent", j.state)
	}
	if got := len(e.srv.Messages()); got != 2 {
		t.Errorf("delivered: got %d, want 2 (once before the crash, once after)", got)
	}
}

// start runs the worker in the background; stop cancels it and returns what Run returned.
func (e *workerEnv) start() (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.w.Run(ctx) }()
	return func() error {
		cancel()
		return <-done
	}
}

func TestWorkerRunStopsOnCancelAndWakesOnNotify(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{PollInterval: time.Hour})
	sent, claims := make(chan string, 1), make(chan int, 1)
	e.q.sent, e.q.claims = sent, claims
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.w.Run(ctx) }()
	select {
	case <-claims: // Run's first, empty claim; the next one needs a Notify or an hour
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not claim at start")
	}

	e.q.add(confirmJob(t, 1))
	e.w.Notify()
	e.w.Notify() // never blocks
	select {
	case id := <-sent:
		if id != "job-001" {
			t.Fatalf("sent %s, want job-001", id)
		}
	case <-time.After(10 * time.Second): // a bound on failure, far beyond the hour of polling it would otherwise take
		t.Fatal("job not sent after Notify")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: got %v, want nil on cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestWorkerLeavesJobsWhenCancelled(t *testing.T) {
	e := newWorkerEnv(t, WorkerConfig{})
	e.q.add(confirmJob(t, 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := e.w.RunOnce(ctx); n != 0 || err != nil {
		t.Errorf("RunOnce: got %d, %v, want 0, nil", n, err)
	}
	if j := e.q.snapshot("job-001"); j.state != "pending" || j.job.Attempts != 0 {
		t.Errorf("got state %s attempts %d, want untouched pending job", j.state, j.job.Attempts)
	}
}

func TestBackoff(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for attempt := 0; attempt <= 40; attempt++ {
		ceiling := BackoffCap
		if attempt <= 7 {
			ceiling = BackoffBase << max(attempt-1, 0)
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			d := Backoff(attempt, rnd)
			if d < time.Second || d > ceiling {
				t.Fatalf("Backoff(%d) = %v, want within [1s, %v]", attempt, d, ceiling)
			}
			seen[d] = true
		}
		if len(seen) < 40 {
			t.Errorf("Backoff(%d): only %d distinct values in 50, want jitter", attempt, len(seen))
		}
	}
	if d := Backoff(3, nil); d < time.Second || d > 2*time.Minute {
		t.Errorf("Backoff(3, nil) = %v, want within [1s, 2m]", d)
	}
}

// TestWorkerRunClaimsTheNextBatchWhileSending holds the last message of the first batch at the
// server until the worker has claimed the second batch: that happens only if Run claims ahead
// while it sends. Every job is then delivered once.
func TestWorkerRunClaimsTheNextBatchWhileSending(t *testing.T) {
	const batch, jobs = 4, 9
	e := newWorkerEnv(t, WorkerConfig{Batch: batch, Concurrency: 1, PollInterval: time.Hour})
	sent, claims := make(chan string, jobs), make(chan int, 16)
	e.q.sent, e.q.claims = sent, claims
	for i := range jobs {
		e.q.add(confirmJob(t, i+1))
	}
	bound, stop := context.WithTimeout(context.Background(), 20*time.Second) // a bound on failure only
	defer stop()
	accepted, claimedAhead := 0, atomic.Bool{}
	e.srv.AfterAccept(func(smtptest.Received) {
		if accepted++; accepted != batch {
			return
		}
		for seen := 0; seen < 2; seen++ { // the first batch's claim, then the next one
			select {
			case <-claims:
			case <-bound.Done():
				return
			}
		}
		claimedAhead.Store(true)
	})
	halt := e.start()
	got := map[string]int{}
	for range jobs {
		select {
		case id := <-sent:
			got[id]++
		case <-bound.Done():
			t.Fatalf("delivered %d jobs, want %d (claimed ahead: %v)", len(got), jobs, claimedAhead.Load())
		}
	}
	if err := halt(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if !claimedAhead.Load() {
		t.Error("the second batch was not claimed while the first one was being sent")
	}
	if len(got) != jobs || len(e.srv.Messages()) != jobs {
		t.Errorf("recorded %d jobs and the server has %d messages, want %d each", len(got), len(e.srv.Messages()), jobs)
	}
}

// TestWorkerRecordsEachBatchWhenItEnds holds the one message of the second batch at the server
// until the first batch's outcomes are recorded: they must not wait for later outcomes to fill a
// group, which under a rate limit could outlast their lease.
func TestWorkerRecordsEachBatchWhenItEnds(t *testing.T) {
	const batch = 4
	e := newWorkerEnv(t, WorkerConfig{Batch: batch, Concurrency: 2, PollInterval: time.Hour})
	sent := make(chan string, batch+1)
	e.q.sent = sent
	for i := range batch + 1 {
		e.q.add(confirmJob(t, i+1))
	}
	bound, stop := context.WithTimeout(context.Background(), 20*time.Second) // a bound on failure only
	defer stop()
	var recordedFirst atomic.Bool
	held := make(chan struct{})
	e.srv.AfterAccept(func(r smtptest.Received) {
		if r.To[0] != "delegate005@example.net" {
			return
		}
		defer close(held)
		for range batch {
			select {
			case <-sent:
			case <-bound.Done():
				return
			}
		}
		recordedFirst.Store(true)
	})
	halt := e.start()
	select {
	case <-held:
	case <-bound.Done():
		t.Fatal("the second batch never reached the server")
	}
	select {
	case id := <-sent:
		if id != "job-005" {
			t.Errorf("recorded %s, want job-005 last", id)
		}
	case <-bound.Done():
		t.Fatal("the second batch was not recorded")
	}
	if err := halt(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if !recordedFirst.Load() {
		t.Error("the first batch was not recorded before the second one was delivered")
	}
}
