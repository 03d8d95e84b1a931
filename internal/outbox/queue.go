package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/batch"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// Options configures a Queue.
type Options struct {
	// From is the sender address; its domain is the domain of the Message-IDs ("localhost" when
	// it has none).
	From string
	// Now is the clock of leases and outcomes: which rows are due, until when a claim holds them,
	// and when an outcome was recorded. Nil is the store's clock.
	Now func() time.Time
}

// maxMarks bounds how many outcomes one transaction records.
const maxMarks = 500

// markTimeout bounds one transaction of outcomes.
const markTimeout = 30 * time.Second

// Queue adapts a Store's outbox to the mail worker's Queue, so that neither package imports the
// other. The outcomes reported by the worker's concurrent senders are recorded together: while
// one transaction is being written, the outcomes that arrive queue up and go into the next one.
// Each Mark call returns only once its outcome is committed — in a relaxed commit
// (models.Store.relaxedTx) that survives a crash of the process but not of the machine, which
// costs at most one repeated delivery.
type Queue struct {
	st     *models.Store
	domain string
	marks  *batch.Group[models.OutboxOutcome]
}

var _ mail.BatchQueue = (*Queue)(nil)

// New returns the mail worker's view of st's outbox.
func New(st *models.Store, opts Options) *Queue {
	if opts.Now != nil {
		st = st.WithClock(opts.Now)
	}
	q := &Queue{st: st, domain: domainOf(opts.From)}
	q.marks = batch.New(maxMarks, q.record)
	return q
}

// domainOf returns the domain of the address from, or "localhost".
func domainOf(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		if i := strings.LastIndex(a.Address, "@"); i >= 0 && i < len(a.Address)-1 {
			return a.Address[i+1:]
		}
	}
	return "localhost"
}

// Claim leases due messages and converts them to jobs with a Message-ID derived from the row, and
// with their conference's mail_names_conference and their recipient's OpenPGP key as they are now.
// Announcement rows get their subject and body from the announcement they refer to.
func (q *Queue) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]mail.Job, error) {
	rows, err := q.st.ClaimOutbox(ctx, owner, limit, lease)
	if err != nil {
		return nil, err
	}
	privacy, err := q.st.MailPrivacyOf(ctx, rows)
	if err != nil {
		return nil, err
	}
	jobs := make([]mail.Job, len(rows))
	for i, r := range rows {
		jobs[i] = mail.Job{ID: r.ID, To: r.To, Template: mail.Template(r.Template), Lang: r.Lang, Data: r.Data, Attempts: r.Attempts, EnqueuedAt: r.CreatedAt,
			MessageID: "<" + r.ID + "@" + q.domain + ">", NamesConference: privacy[i].NamesConference, OpenPGPKey: privacy[i].OpenPGPKey}
	}
	if err := q.hydrate(ctx, jobs); err != nil {
		return nil, err
	}
	return jobs, nil
}

// announcementRow is the data an announcement's outbox row stores: the announcement data
// without subject and body, and the announcement they come from.
type announcementRow struct {
	mail.AnnouncementData
	Announcement string `json:"announcement_id"`
}

// hydrate fills the Subject and Body of announcement jobs from their announcement: it decodes
// their data once, into the Values the worker renders. A job whose announcement is gone keeps
// its data as is; the worker then dead-letters it as unrenderable.
func (q *Queue) hydrate(ctx context.Context, jobs []mail.Job) error {
	refs := map[int]*announcementRow{}
	var ids []string
	for i, j := range jobs {
		if j.Template != mail.TemplateAnnouncement {
			continue
		}
		row := new(announcementRow)
		if json.Unmarshal(j.Data, row) != nil || row.Announcement == "" {
			continue
		}
		refs[i] = row
		if !slices.Contains(ids, row.Announcement) { // a batch holds one or a few announcements
			ids = append(ids, row.Announcement)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	texts, err := q.st.AnnouncementTexts(ctx, ids)
	if err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	for i, row := range refs {
		t, ok := texts[row.Announcement]
		if !ok {
			continue
		}
		t = t.In(jobs[i].Lang) // each recipient reads their mail language's version
		row.Subject, row.Body = t.Subject, t.Body
		jobs[i].Values = &row.AnnouncementData
	}
	return nil
}

// MarkSent records a delivery.
func (q *Queue) MarkSent(ctx context.Context, id, owner string) error {
	return q.marks.Submit(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxSent})
}

// MarkRetry schedules another attempt at next.
func (q *Queue) MarkRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return q.marks.Submit(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxPending, NextAttemptAt: next, Reason: reason})
}

// MarkDead gives up on a message.
func (q *Queue) MarkDead(ctx context.Context, id, owner string, reason string) error {
	return q.marks.Submit(ctx, models.OutboxOutcome{ID: id, Owner: owner, State: models.OutboxDead, Reason: reason})
}

// MarkAll records outcomes of owner together: they go into one transaction unless they
// exceed its bound.
func (q *Queue) MarkAll(ctx context.Context, owner string, outs []mail.Outcome) []error {
	items := make([]models.OutboxOutcome, len(outs))
	for i, o := range outs {
		items[i] = models.OutboxOutcome{ID: o.ID, Owner: owner, Reason: o.Reason}
		switch o.State {
		case "sent":
			items[i].State = models.OutboxSent
		case "retry":
			items[i].State, items[i].NextAttemptAt = models.OutboxPending, o.Next
		case "dead":
			items[i].State = models.OutboxDead
		default:
			items[i].State = models.OutboxState(o.State) // MarkOutbox refuses it
		}
	}
	return q.marks.SubmitAll(ctx, items)
}

// record writes one batch of outcomes in one transaction. A failed transaction fails every
// outcome of the batch; otherwise each gets its own result (a lost lease is ErrConflict).
func (q *Queue) record(outs []models.OutboxOutcome) []error {
	ctx, cancel := context.WithTimeout(context.Background(), markTimeout)
	defer cancel()
	results, err := q.st.MarkOutbox(ctx, outs)
	if err != nil {
		errs := make([]error, len(outs))
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	return results
}
