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
	// Values, when not nil, is the template data already decoded by the queue (a pointer of
	// the template's data type, as NewData returns); the worker then uses it instead of Data.
	// The worker sets its Discretion.
	Values Data
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

// Outcome is the result of one attempt at a job, as a BatchQueue records it.
type Outcome struct {
	ID    string
	State string // "sent", "retry" (again at Next) or "dead"
	// Next is when a retried job is due again.
	Next time.Time
	// Reason is the SMTP answer or other cause of a failure, without any address.
	Reason string
}

// BatchQueue is a Queue that can record many outcomes in one call. The worker records its
// outcomes in groups through MarkAll when its Queue has it, and one by one through the Mark
// methods otherwise.
type BatchQueue interface {
	Queue
	// MarkAll records outs for owner and returns one error per outcome (nil when it was
	// recorded; like the Mark methods' errors otherwise), or nil when all were recorded.
	MarkAll(ctx context.Context, owner string, outs []Outcome) []error
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
	// skeletons renders mail with a name and a link once per language and text (see renderCache).
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
		err := w.drain(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			failures++
			w.log.Error("mail worker batch failed", "err", err)
		} else {
			failures = 0
		}
		wait := w.cfg.PollInterval
		for i := 0; i < failures && wait < maxIdleWait; i++ {
			wait *= 2
		}
		timer.Reset(min(wait, max(maxIdleWait, w.cfg.PollInterval)))
	}
}

// claimed is one claimed batch: its jobs and the time after which none of them may be started.
type claimed struct {
	jobs   []Job
	cutoff time.Time
	err    error
}

// claim leases one batch.
func (w *Worker) claim(ctx context.Context) claimed {
	start := w.cfg.Now()
	jobs, err := w.q.Claim(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return claimed{err: fmt.Errorf("mail: claim: %w", err)}
	}
	// Stop starting jobs well before the lease ends, so that no other
	// worker can claim a job this one is still sending.
	return claimed{jobs: jobs, cutoff: start.Add(w.cfg.Lease * 3 / 4)}
}

// drain claims and processes batches until a claim comes back short of a full batch, ctx ends or
// something fails. The senders go from one batch to the next without waiting for the slowest
// job of a batch; once they have taken half of a full batch, the next batch
// is claimed, so that claiming does not leave them idle; and outcomes are recorded while the
// next batches are sent. It returns once every outcome is recorded.
func (w *Worker) drain(ctx context.Context) error {
	rec := w.newRecorder(ctx)
	p := w.startSenders(ctx, rec, w.cfg.Concurrency)
	c := w.claim(ctx)
	for c.err == nil && len(c.jobs) > 0 && ctx.Err() == nil {
		var next chan claimed
		prefetch := func() {
			next = make(chan claimed, 1)
			go func() { next <- w.claim(ctx) }()
		}
		if len(c.jobs) < w.cfg.Batch {
			prefetch = nil // nothing more is due now
		}
		p.feed(ctx, c, prefetch)
		if next == nil {
			break
		}
		c = <-next
	}
	p.stop()
	return errors.Join(c.err, rec.wait())
}

// RunOnce claims one batch, processes it and returns how many jobs were
// processed (sent, retried or dead-lettered). Jobs not started before ctx
// ends, or too close to the end of their lease, are left for a later claim.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	c := w.claim(ctx)
	if c.err != nil || len(c.jobs) == 0 {
		return 0, c.err
	}
	rec := w.newRecorder(ctx)
	p := w.startSenders(ctx, rec, min(w.cfg.Concurrency, len(c.jobs)))
	p.feed(ctx, c, nil)
	return p.stop(), rec.wait()
}

// task is a job handed to a sender, with the time after which it must not be started and the
// count of its batch's jobs not processed yet.
type task struct {
	job    Job
	cutoff time.Time
	left   *atomic.Int64
}

// senders are the goroutines that process jobs and hand their outcomes to a recorder. They take
// their jobs from a queue that receives whole batches, so that a sender waits only when the
// queue is empty, not for each job.
type senders struct {
	mu     sync.Mutex
	more   sync.Cond // signalled when tasks arrive or the queue closes
	tasks  []task
	closed bool
	lowAt  int           // when the queue falls to this length (if > 0), low receives
	low    chan struct{} // capacity 1
	wg     sync.WaitGroup
	count  atomic.Int64 // jobs processed
}

// startSenders starts n senders.
func (w *Worker) startSenders(ctx context.Context, rec *recorder, n int) *senders {
	p := &senders{low: make(chan struct{}, 1)}
	p.more.L = &p.mu
	for range n {
		p.wg.Go(func() {
			for {
				t, ok := p.next()
				if !ok {
					return
				}
				if o, ok := w.process(ctx, t.job, t.cutoff); ok {
					rec.add(o)
					p.count.Add(1)
				}
				if t.left.Add(-1) == 0 {
					rec.flushPending() // the batch's outcomes are recorded within its lease
				}
			}
		})
	}
	return p
}

// next takes the next task, waiting while the queue is empty; false once it is closed and empty.
func (p *senders) next() (task, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.tasks) == 0 && !p.closed {
		p.more.Wait()
	}
	if len(p.tasks) == 0 {
		return task{}, false
	}
	t := p.tasks[0]
	p.tasks[0] = task{}
	p.tasks = p.tasks[1:]
	if p.lowAt > 0 && len(p.tasks) <= p.lowAt {
		p.lowAt = 0
		select {
		case p.low <- struct{}{}:
		default: // a signal nobody took is still there
		}
	}
	return t, true
}

// feed queues the jobs of c for the senders. When prefetch is not nil, feed calls it once the
// senders have taken half of the jobs (or ctx ends), and returns then; else
// it returns at once.
func (p *senders) feed(ctx context.Context, c claimed, prefetch func()) {
	left := new(atomic.Int64)
	left.Store(int64(len(c.jobs)))
	rest := len(c.jobs) / 2
	p.mu.Lock()
	for _, j := range c.jobs {
		p.tasks = append(p.tasks, task{job: j, cutoff: c.cutoff, left: left})
	}
	if prefetch != nil && rest > 0 {
		p.lowAt = rest
	}
	p.mu.Unlock()
	p.more.Broadcast()
	if prefetch == nil {
		return
	}
	if rest > 0 {
		select {
		case <-p.low:
		case <-ctx.Done():
			return // the senders leave the jobs not started for their lease to expire
		}
	}
	prefetch()
}

// stop waits for the senders to finish the queued jobs and returns how many they processed.
func (p *senders) stop() int {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.more.Broadcast()
	p.wg.Wait()
	return int(p.count.Load())
}

// outcome is a processed job whose result waits to be recorded.
type outcome struct {
	job     Job
	attempt int
	state   string // sent, retry or dead
	code    int    // the SMTP code of a failure, or 0
	reason  string
}

// recorder collects outcomes and records them in groups of markGroup, each group by one
// goroutine while the senders go on, at most maxMarking outcomes at a time; and what is pending
// whenever the last job of a batch is processed, so that no outcome waits for the next batch
// (under a rate limit, past its lease). The Mark calls run
// even after ctx is cancelled, so that a shutdown right after a send does not cause a duplicate.
type recorder struct {
	w       *Worker
	ctx     context.Context
	mu      sync.Mutex
	pending []outcome
	errs    []error // the first maxMarkErrors errors
	failed  int     // how many groups failed
	groups  sync.WaitGroup
}

// maxMarkErrors bounds the errors a recorder keeps to report.
const maxMarkErrors = 4

func (w *Worker) newRecorder(ctx context.Context) *recorder {
	return &recorder{w: w, ctx: ctx}
}

// add queues o and starts recording a group when one is full.
func (r *recorder) add(o outcome) {
	r.mu.Lock()
	r.pending = append(r.pending, o)
	var group []outcome
	if len(r.pending) >= markGroup {
		group, r.pending = r.pending, nil
	}
	r.mu.Unlock()
	r.flush(group)
}

// flush starts recording group, after waiting for room among the outcomes being recorded.
func (r *recorder) flush(group []outcome) {
	if len(group) == 0 {
		return
	}
	for range group {
		r.w.marking <- struct{}{}
	}
	r.groups.Go(func() {
		defer func() {
			for range group {
				<-r.w.marking
			}
		}()
		if err := r.w.record(r.ctx, group); err != nil {
			r.mu.Lock()
			if r.failed++; len(r.errs) < maxMarkErrors {
				r.errs = append(r.errs, err)
			}
			r.mu.Unlock()
		}
	})
}

// flushPending starts recording the outcomes pending, however few.
func (r *recorder) flushPending() {
	r.mu.Lock()
	group := r.pending
	r.pending = nil
	r.mu.Unlock()
	r.flush(group)
}

// wait records what is pending and returns once every outcome is recorded, with their errors.
func (r *recorder) wait() error {
	r.flushPending()
	r.groups.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed > len(r.errs) {
		return errors.Join(append(r.errs, fmt.Errorf("mail: and %d more groups of outcomes failed", r.failed-len(r.errs)))...)
	}
	return errors.Join(r.errs...)
}

// process handles one job and returns its outcome, or false when the job
// was left untouched for its lease to expire.
func (w *Worker) process(ctx context.Context, j Job, cutoff time.Time) (outcome, bool) {
	if ctx.Err() != nil || w.cfg.Now().After(cutoff) {
		return outcome{}, false
	}
	attempt := j.Attempts + 1
	finish := func(state string, code int, reason string) (outcome, bool) {
		return outcome{job: j, attempt: attempt, state: state, code: code, reason: reason}, true
	}
	msg, reason := w.prepare(j)
	if msg == nil {
		return finish("dead", 0, reason)
	}
	if w.limiter != nil {
		if err := w.limiter.Wait(ctx); err != nil {
			return outcome{}, false
		}
	}
	sendErr := w.s.Send(ctx, msg)
	if sendErr == nil {
		return finish("sent", 0, "")
	}
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(sendErr, ctxErr) {
		return outcome{}, false // not attempted; the lease will expire
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
		return finish("dead", code, reason)
	case attempt >= w.cfg.MaxAttempts:
		return finish("dead", code, fmt.Sprintf("gave up after %d attempts: %s", attempt, reason))
	case !j.EnqueuedAt.IsZero() && w.cfg.Now().Sub(j.EnqueuedAt) >= w.cfg.MaxAge:
		return finish("dead", code, fmt.Sprintf("gave up after %s: %s", w.cfg.MaxAge, reason))
	default:
		return finish("retry", code, reason)
	}
}

// prepare decodes, renders and composes a job. It returns the message, or
// nil and the reason the job can never be sent.
func (w *Worker) prepare(j Job) (*Message, string) {
	data, ok := NewData(j.Template)
	if !ok {
		return nil, "unknown template"
	}
	if j.Values != nil && j.Values.Template() == j.Template {
		data = j.Values
	} else if len(j.Data) > 0 { // no data at all leaves the zero struct, which Validate judges
		if err := json.Unmarshal(j.Data, data); err != nil {
			return nil, scrub("undecodable data: "+err.Error(), j.To)
		}
	}
	if d, ok := data.(interface{ discretion() *Discretion }); ok {
		d.discretion().NamesConference = j.NamesConference
	}
	var r Rendered
	cached := false
	if p, ok := data.(personalised); ok {
		r, cached = w.skeletons.render(j.Lang, p)
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

// record records a group of outcomes — in one call when the queue is a BatchQueue — and logs
// each without any address, subject or body.
func (w *Worker) record(ctx context.Context, group []outcome) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	errs := make([]error, len(group))
	if bq, ok := w.q.(BatchQueue); ok {
		outs := make([]Outcome, len(group))
		for i, o := range group {
			outs[i] = Outcome{ID: o.job.ID, State: o.state, Reason: o.reason}
			if o.state == "retry" {
				outs[i].Next = w.cfg.Now().Add(w.cfg.BackoffFunc(o.attempt))
			}
		}
		if res := bq.MarkAll(mctx, w.cfg.Owner, outs); res != nil {
			if len(res) != len(group) {
				return fmt.Errorf("mail: mark: %d results for %d outcomes", len(res), len(group))
			}
			errs = res
		}
	} else {
		for i, o := range group {
			switch o.state {
			case "sent":
				errs[i] = w.q.MarkSent(mctx, o.job.ID, w.cfg.Owner)
			case "retry":
				errs[i] = w.q.MarkRetry(mctx, o.job.ID, w.cfg.Owner, w.cfg.Now().Add(w.cfg.BackoffFunc(o.attempt)), o.reason)
			default:
				errs[i] = w.q.MarkDead(mctx, o.job.ID, w.cfg.Owner, o.reason)
			}
		}
	}
	var failed []error
	for i, o := range group {
		w.logOutcome(ctx, o)
		if errs[i] != nil {
			failed = append(failed, fmt.Errorf("mail: mark job %s %s: %w", o.job.ID, o.state, errs[i]))
		}
	}
	return errors.Join(failed...)
}

// logOutcome logs one outcome without any address, subject or body, and counts it.
func (w *Worker) logOutcome(ctx context.Context, o outcome) {
	level := slog.LevelInfo
	if o.state == "dead" {
		level = slog.LevelWarn
	}
	if w.log.Enabled(ctx, level) {
		attrs := []slog.Attr{
			slog.String("job", o.job.ID), slog.String("template", string(o.job.Template)),
			slog.Int("attempt", o.attempt), slog.String("outcome", o.state),
		}
		if o.code != 0 {
			attrs = append(attrs, slog.Int("smtp_code", o.code))
		}
		w.log.LogAttrs(ctx, level, "mail job", attrs...)
	}
	metrics.MailAttempt(o.state, o.job.EnqueuedAt, w.cfg.Now())
}
