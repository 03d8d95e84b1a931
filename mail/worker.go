package mail

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/zimmerwald/zimmerwald/internal/metrics"
)

// Job is one queued mail for one recipient, as leased from the outbox.
type Job struct {
	ID, To, Lang, MessageID string // To is the decrypted recipient address
	Template                Template
	// Data is the template data as JSON, decoded into the template's data
	// struct (see NewData) before rendering.
	Data json.RawMessage
	// Attempts counts the attempts already made before this one.
	Attempts int
	// EnqueuedAt is when the job was written; optional. When set, a job
	// failing temporarily for longer than WorkerConfig.MaxAge is dead-lettered.
	EnqueuedAt time.Time
	// NamesConference lets the subject and first lines name the conference
	// (off by default: see Discretion).
	NamesConference bool
	// OpenPGPKey is the recipient's ASCII-armoured public key, or empty. With
	// a key the message is sent only as PGP/MIME (RFC 3156) under a neutral
	// subject; a key that cannot encrypt dead-letters the job.
	OpenPGPKey string
}

// Queue is the outbox as the Worker sees it; internal/outbox implements it
// on the database. Every Mark method acts only if owner still holds the
// job's lease.
type Queue interface {
	// Claim leases up to limit due jobs for owner until now+lease (others may not claim them meanwhile).
	Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]Job, error)
	// MarkSent records a successful delivery.
	MarkSent(ctx context.Context, id, owner string) error
	// MarkRetry releases the job to be attempted again at next.
	MarkRetry(ctx context.Context, id, owner string, next time.Time, reason string) error
	// MarkDead records that the job will never be sent, and why.
	MarkDead(ctx context.Context, id, owner string, reason string) error
}

// WorkerConfig configures a Worker. Zero values take the documented defaults.
type WorkerConfig struct {
	From          string        // envelope/header From, e.g. "Conference secretariat <noreply@example.org>"
	Batch         int           // jobs per claim (default 50)
	Lease         time.Duration // default 2m
	PollInterval  time.Duration // default 1s
	RatePerSecond float64       // 0 = unlimited
	MaxAge        time.Duration // give up on transient failures this long after EnqueuedAt (default 24h)
	MaxAttempts   int           // give up after this many attempts (default 20)
	Concurrency   int           // parallel senders, default 4
	// Owner identifies this worker's leases; default "<host>-<pid>-<random>".
	Owner string
	// BackoffFunc returns the delay before retry number attempt; default
	// Backoff(attempt, nil). Tests set it to return 0.
	BackoffFunc func(attempt int) time.Duration
	// Now is the clock that lease cutoffs, MaxAge and retry times are
	// reckoned by; default time.Now. Give the Queue the same clock.
	Now func() time.Time
}

// Worker sends queued mail: it claims batches from a Queue, renders each
// job, sends it and records the outcome. Delivery is at least once: a job
// whose outcome could not be recorded is sent again after its lease expires.
type Worker struct {
	q       Queue
	s       Sender
	t       *Templates
	cfg     WorkerConfig
	log     *slog.Logger
	limiter *rate.Limiter
	wake    chan struct{}
	marking chan struct{} // one token per outcome being recorded
	// skeletons renders announcements once per language and text (see renderCache).
	skeletons *renderCache
}

// markGroup is how many outcomes the worker records together, and maxMarking bounds the
// outcomes being recorded at once. A crash repeats at most these deliveries (at least once).
const (
	markGroup  = 64
	maxMarking = 256
)

// markTimeout bounds the Mark calls, which run even after ctx is cancelled
// so that a shutdown right after a send does not cause a duplicate.
const markTimeout = 10 * time.Second

// NewWorker returns a worker; call Run to start it.
func NewWorker(q Queue, s Sender, t *Templates, cfg WorkerConfig, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 50
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 24 * time.Hour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 20
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		cfg.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), rand.Text()[:8])
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BackoffFunc == nil {
		cfg.BackoffFunc = func(attempt int) time.Duration { return Backoff(attempt, nil) }
	}
	w := &Worker{q: q, s: s, t: t, cfg: cfg, log: log, wake: make(chan struct{}, 1), marking: make(chan struct{}, maxMarking), skeletons: newRenderCache(t)}
	if cfg.RatePerSecond > 0 {
		w.limiter = rate.NewLimiter(rate.Limit(cfg.RatePerSecond), 1)
	}
	return w
}

// Owner returns the lease owner name this worker claims jobs with.
func (w *Worker) Owner() string { return w.cfg.Owner }

// Notify wakes the loop early, for example after a commit that enqueued
// mail. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// maxIdleWait bounds the wait between polls after repeated claim failures.
const maxIdleWait = 30 * time.Second

// Run processes batches until ctx is cancelled and then returns nil. It
// claims again at once after a full batch, otherwise waits for Notify or
// the poll interval; after failing to claim it waits longer each time.
func (w *Worker) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-timer.C:
		}
		for {
			claimed, _, err := w.runOnce(ctx)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				failures++
				w.log.Error("mail worker batch failed", "err", err)
				break
			}
			failures = 0
			if claimed < w.cfg.Batch {
				break
			}
		}
		wait := w.cfg.PollInterval
		for i := 0; i < failures && wait < maxIdleWait; i++ {
			wait *= 2
		}
		timer.Reset(min(wait, max(maxIdleWait, w.cfg.PollInterval)))
	}
}

// RunOnce claims one batch, processes it and returns how many jobs were
// processed (sent, retried or dead-lettered). Jobs not started before ctx
// ends, or too close to the end of their lease, are left for a later claim.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	_, n, err := w.runOnce(ctx)
	return n, err
}

// runOnce is RunOnce that also reports how many jobs were claimed.
func (w *Worker) runOnce(ctx context.Context) (claimed, processed int, err error) {
	start := w.cfg.Now()
	jobs, err := w.q.Claim(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, 0, fmt.Errorf("mail: claim: %w", err)
	}
	if len(jobs) == 0 {
		return 0, 0, nil
	}
	// Stop starting jobs well before the lease ends, so that no other
	// worker can claim a job this one is still sending.
	cutoff := start.Add(w.cfg.Lease * 3 / 4)
	var (
		count atomic.Int64
		mu    sync.Mutex
		errs  []error
		wg    sync.WaitGroup
	)
	// Outcomes are recorded in groups of markGroup, all at once, while the senders go on: the
	// queue can then record a group in one transaction. The batch is over when every outcome
	// is recorded.
	var (
		marks   sync.WaitGroup
		pending []func() error
	)
	flush := func(group []func() error) {
		for _, mark := range group {
			w.marking <- struct{}{}
			marks.Go(func() {
				defer func() { <-w.marking }()
				if err := mark(); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
	}
	record := func(mark func() error) {
		mu.Lock()
		pending = append(pending, mark)
		var group []func() error
		if len(pending) >= markGroup {
			group, pending = pending, nil
		}
		mu.Unlock()
		flush(group)
	}
	ch := make(chan Job)
	for range min(w.cfg.Concurrency, len(jobs)) {
		wg.Go(func() {
			for j := range ch {
				if w.process(ctx, j, cutoff, record) {
					count.Add(1)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	flush(pending)
	marks.Wait()
	return len(jobs), int(count.Load()), errors.Join(errs...)
}

// process handles one job and hands the recording of its outcome to record.
// It returns false when the job was left untouched for its lease to expire.
func (w *Worker) process(ctx context.Context, j Job, cutoff time.Time, record func(mark func() error)) bool {
	if ctx.Err() != nil || w.cfg.Now().After(cutoff) {
		return false
	}
	finish := func(attempt int, outcome string, code int, reason string) bool {
		record(func() error { return w.finish(ctx, j, attempt, outcome, code, reason) })
		return true
	}
	attempt := j.Attempts + 1
	msg, reason := w.prepare(j)
	if msg == nil {
		return finish(attempt, "dead", 0, reason)
	}
	if w.limiter != nil {
		if err := w.limiter.Wait(ctx); err != nil {
			return false
		}
	}
	sendErr := w.s.Send(ctx, msg)
	if sendErr == nil {
		return finish(attempt, "sent", 0, "")
	}
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(sendErr, ctxErr) {
		return false // not attempted; the lease will expire
	}
	code := 0
	var se *SendError
	if errors.As(sendErr, &se) {
		code = se.Code
		reason = se.Reason
	} else {
		reason = sendErr.Error()
	}
	reason = scrub(reason, j.To)
	switch {
	case IsPermanent(sendErr):
		return finish(attempt, "dead", code, reason)
	case attempt >= w.cfg.MaxAttempts:
		return finish(attempt, "dead", code, fmt.Sprintf("gave up after %d attempts: %s", attempt, reason))
	case !j.EnqueuedAt.IsZero() && w.cfg.Now().Sub(j.EnqueuedAt) >= w.cfg.MaxAge:
		return finish(attempt, "dead", code, fmt.Sprintf("gave up after %s: %s", w.cfg.MaxAge, reason))
	default:
		return finish(attempt, "retry", code, reason)
	}
}

// prepare decodes, renders and composes a job. It returns the message, or
// nil and the reason the job can never be sent.
func (w *Worker) prepare(j Job) (*Message, string) {
	data, ok := NewData(j.Template)
	if !ok {
		return nil, "unknown template"
	}
	if len(j.Data) > 0 { // no data at all leaves the zero struct, which Validate judges
		if err := json.Unmarshal(j.Data, data); err != nil {
			return nil, scrub("undecodable data: "+err.Error(), j.To)
		}
	}
	if d, ok := data.(interface{ discretion() *Discretion }); ok {
		d.discretion().NamesConference = j.NamesConference
	}
	var r Rendered
	cached := false
	if a, ok := data.(*AnnouncementData); ok {
		r, cached = w.skeletons.announcement(j.Lang, a)
	}
	if !cached {
		var err error
		if r, err = w.t.Render(j.Template, j.Lang, data); err != nil {
			return nil, scrub(err.Error(), j.To)
		}
	}
	msg, err := Compose(w.cfg.From, j.To, j.MessageID, r)
	if err != nil {
		return nil, scrub(err.Error(), j.To)
	}
	if u, ok := data.(oneClick); ok {
		msg.ListUnsubscribe = u.OneClickUnsubscribe()
	}
	if j.OpenPGPKey != "" {
		if err := msg.Encrypt(j.OpenPGPKey); err != nil {
			return nil, scrub(err.Error(), j.To)
		}
	}
	return msg, ""
}

// scrub removes the recipient address and anything address-like from a
// reason before it is stored.
func scrub(reason, to string) string {
	if to != "" {
		reason = strings.ReplaceAll(reason, to, "<redacted>")
	}
	return redact(reason)
}

// finish records the outcome of a job and logs it without any address,
// subject or body.
func (w *Worker) finish(ctx context.Context, j Job, attempt int, outcome string, code int, reason string) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	var err error
	level := slog.LevelInfo
	switch outcome {
	case "sent":
		err = w.q.MarkSent(mctx, j.ID, w.cfg.Owner)
	case "retry":
		err = w.q.MarkRetry(mctx, j.ID, w.cfg.Owner, w.cfg.Now().Add(w.cfg.BackoffFunc(attempt)), reason)
	default:
		level = slog.LevelWarn
		err = w.q.MarkDead(mctx, j.ID, w.cfg.Owner, reason)
	}
	attrs := []slog.Attr{
		slog.String("job", j.ID), slog.String("template", string(j.Template)),
		slog.Int("attempt", attempt), slog.String("outcome", outcome),
	}
	if code != 0 {
		attrs = append(attrs, slog.Int("smtp_code", code))
	}
	w.log.LogAttrs(ctx, level, "mail job", attrs...)
	metrics.MailAttempt(outcome, j.EnqueuedAt, w.cfg.Now())
	if err != nil {
		return fmt.Errorf("mail: mark job %s %s: %w", j.ID, outcome, err)
	}
	return nil
}
