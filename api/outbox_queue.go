package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	zmail "github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// OutboxQueue adapts the Store's outbox to the mail worker's Queue, so that neither package imports
// the other. The outcomes reported by the worker's concurrent senders are recorded together, in
// one transaction per batch (see markBatcher).
type OutboxQueue struct {
	st     *models.Store
	domain string
	marks  *markBatcher
}

// NewOutboxQueue returns the mail worker's view of the store's outbox; from gives the Message-ID domain.
func NewOutboxQueue(st *models.Store, from string) OutboxQueue {
	domain := "localhost"
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndex(a.Address, "@"); i >= 0 && i < len(a.Address)-1 {
			domain = a.Address[i+1:]
		}
	}
	return OutboxQueue{st: st, domain: domain, marks: &markBatcher{st: st}}
}

// Claim leases due messages and converts them to jobs with a Message-ID derived from the row.
// Announcement rows get their subject and body from the announcement they refer to.
func (q OutboxQueue) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]zmail.Job, error) {
	rows, err := q.st.ClaimOutbox(ctx, owner, limit, lease)
	if err != nil {
		return nil, err
	}
	jobs := make([]zmail.Job, len(rows))
	for i, r := range rows {
		jobs[i] = zmail.Job{ID: r.ID, To: r.To, Template: zmail.Template(r.Template), Lang: r.Lang, Data: r.Data, Attempts: r.Attempts, EnqueuedAt: r.CreatedAt,
			MessageID: "<" + r.ID + "@" + q.domain + ">"}
	}
	if err := q.hydrate(ctx, jobs); err != nil {
		return nil, err
	}
	return jobs, nil
}

// hydrate fills the Subject and Body of announcement jobs from their announcement. A job whose
// announcement is gone keeps its data as is; the worker then dead-letters it as unrenderable.
func (q OutboxQueue) hydrate(ctx context.Context, jobs []zmail.Job) error {
	refs := map[int]map[string]any{}
	var ids []string
	for i, j := range jobs {
		if j.Template != zmail.TemplateAnnouncement {
			continue
		}
		var data map[string]any
		if json.Unmarshal(j.Data, &data) != nil {
			continue
		}
		id, _ := data["announcement_id"].(string)
		if id == "" {
			continue
		}
		refs[i] = data
		ids = append(ids, id)
	}
	if len(refs) == 0 {
		return nil
	}
	texts, err := q.st.AnnouncementTexts(ctx, dedupe(ids))
	if err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	for i, data := range refs {
		t, ok := texts[data["announcement_id"].(string)]
		if !ok {
			continue
		}
		delete(data, "announcement_id")
		data["Subject"], data["Body"] = t.Subject, t.Body
		raw, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("claim: %w", err)
		}
		jobs[i].Data = raw
	}
	return nil
}

// MarkSent records a delivery.
func (q OutboxQueue) MarkSent(ctx context.Context, id, owner string) error {
	return q.marks.mark(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxSent})
}

// MarkRetry schedules another attempt.
func (q OutboxQueue) MarkRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return q.marks.mark(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxPending, NextAttemptAt: next, Reason: reason})
}

// MarkDead gives up on a message.
func (q OutboxQueue) MarkDead(ctx context.Context, id, owner string, reason string) error {
	return q.marks.mark(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxDead, Reason: reason})
}

// maxMarks bounds how many outcomes one transaction records.
const maxMarks = 500

// markTimeout bounds one transaction of outcomes.
const markTimeout = 30 * time.Second

// markBatcher records the outcomes reported by the worker's concurrent senders together: while
// one transaction is being written, the outcomes that arrive queue up and go into the next one.
// Each caller still returns only once its outcome is committed, so nothing is acknowledged
// before it is durable.
type markBatcher struct {
	st      *models.Store
	mu      sync.Mutex
	queue   []markRequest
	running bool
}

type markRequest struct {
	out  models.OutboxOutcome
	done chan error
}

// mark queues an outcome and waits until it is committed (or ctx ends).
func (b *markBatcher) mark(ctx context.Context, out models.OutboxOutcome) error {
	req := markRequest{out: out, done: make(chan error, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	if !b.running {
		b.running = true
		go b.run()
	}
	b.mu.Unlock()
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run writes batches until the queue is empty.
func (b *markBatcher) run() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxMarks)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		b.flush(batch)
	}
}

func (b *markBatcher) flush(batch []markRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), markTimeout)
	defer cancel()
	outs := make([]models.OutboxOutcome, len(batch))
	for i, r := range batch {
		outs[i] = r.out
	}
	results, err := b.st.MarkOutbox(ctx, outs)
	for i, r := range batch {
		if err != nil {
			r.done <- err
			continue
		}
		r.done <- results[i]
	}
}
