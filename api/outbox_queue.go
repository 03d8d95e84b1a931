package api

import (
	"context"
	"net/mail"
	"strings"
	"time"

	zmail "github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// OutboxQueue adapts the Store's outbox to the mail worker's Queue, so that neither package imports
// the other.
type OutboxQueue struct {
	st   *models.Store
	from string
}

// NewOutboxQueue returns the mail worker's view of the store's outbox; from gives the Message-ID domain.
func NewOutboxQueue(st *models.Store, from string) OutboxQueue {
	return OutboxQueue{st: st, from: from}
}

// Claim leases due messages and converts them to jobs with a Message-ID derived from the row.
func (q OutboxQueue) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]zmail.Job, error) {
	rows, err := q.st.ClaimOutbox(ctx, owner, limit, lease)
	if err != nil {
		return nil, err
	}
	domain := "localhost"
	if a, err := mail.ParseAddress(q.from); err == nil {
		if i := strings.LastIndex(a.Address, "@"); i >= 0 {
			domain = a.Address[i+1:]
		}
	}
	jobs := make([]zmail.Job, len(rows))
	for i, r := range rows {
		jobs[i] = zmail.Job{ID: r.ID, To: r.To, Template: r.Template, Lang: r.Lang, Data: r.Data, Attempts: r.Attempts, EnqueuedAt: r.CreatedAt,
			MessageID: "<" + r.ID + "@" + domain + ">"}
	}
	return jobs, nil
}

// MarkSent records a delivery.
func (q OutboxQueue) MarkSent(ctx context.Context, id, owner string) error {
	return q.st.MarkOutboxSent(ctx, id, owner)
}

// MarkRetry schedules another attempt.
func (q OutboxQueue) MarkRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return q.st.MarkOutboxRetry(ctx, id, owner, next, reason)
}

// MarkDead gives up on a message.
func (q OutboxQueue) MarkDead(ctx context.Context, id, owner string, reason string) error {
	return q.st.MarkOutboxDead(ctx, id, owner, reason)
}
