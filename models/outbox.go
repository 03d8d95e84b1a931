package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// OutboxState is where an outbox message stands in its delivery.
type OutboxState string

// Outbox states.
const (
	OutboxPending OutboxState = "pending"
	OutboxSending OutboxState = "sending"
	OutboxSent    OutboxState = "sent"
	OutboxDead    OutboxState = "dead"
)

// OutboxMessage is one mail to one recipient, written in the same transaction as the change that
// causes it and delivered later by the mail worker. Recipient and template data are sealed.
type OutboxMessage struct {
	ID              string
	ConferenceID    *string
	IdempotencyKey  string
	Template        string
	Lang            string
	RecipientSealed []byte
	DataSealed      []byte
	State           OutboxState
	Attempts        int
	NextAttemptAt   time.Time
	LeaseOwner      *string
	LeaseUntil      *time.Time
	LastError       string
	SentAt          *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time

	To   string `gorm:"-"` // the recipient's address, sealed into RecipientSealed
	Data []byte `gorm:"-"` // the template data as JSON, sealed into DataSealed
}

// SealOutbox gives each message its ID and idempotency key (if unset) and seals its recipient
// and data. Enqueue does it for messages not sealed yet; call it before the transaction when
// building many rows, so that the encryption does not hold the writer.
func (s *Store) SealOutbox(msgs ...*OutboxMessage) {
	for _, m := range msgs {
		if m.ID == "" {
			m.ID = NewRowID()
		}
		if m.IdempotencyKey == "" {
			m.IdempotencyKey = m.ID
		}
		m.RecipientSealed = s.box.Seal("outbox_messages", "recipient", m.ID, m.To)
		data := string(m.Data)
		if data == "" {
			data = "{}"
		}
		m.DataSealed = s.box.Seal("outbox_messages", "data", m.ID, data)
	}
}

// outboxBatch is how many rows one INSERT of Enqueue carries (16 columns each: well under the
// bind-parameter limits of SQLite and PostgreSQL).
const outboxBatch = 500

// Enqueue writes outbox rows; call it inside the transaction of the change that causes them. A row
// whose idempotency key already exists is skipped, so the same event never mails twice. Rows not
// sealed by SealOutbox yet are sealed here.
func (s *Store) Enqueue(ctx context.Context, msgs ...*OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	now := s.now()
	for _, m := range msgs {
		if m.ID == "" || m.RecipientSealed == nil || m.DataSealed == nil {
			s.SealOutbox(m)
		}
		m.State, m.NextAttemptAt, m.CreatedAt, m.UpdatedAt = OutboxPending, now, now, now
		if isSignInMail(m.Template) { // due at once all the same
			m.NextAttemptAt, m.CreatedAt, m.UpdatedAt = coarse(now), coarse(now), coarse(now)
		}
		m.Attempts, m.LeaseOwner, m.LeaseUntil, m.LastError, m.SentAt = 0, nil, nil, "", nil
	}
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "idempotency_key"}}, DoNothing: true}).
		CreateInBatches(msgs, outboxBatch).Error
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// ClaimOutbox leases up to limit due messages to owner until now+lease and opens them. Messages
// whose lease ran out (a worker died mid-send) are due again. On PostgreSQL concurrent workers skip
// each other's rows (FOR UPDATE SKIP LOCKED); on SQLite the single writer serialises claims.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	now := s.now()
	until := now.Add(lease)
	var rows []OutboxMessage
	err := s.relaxedTx(ctx, func(tx *Store) error {
		// One statement of fixed text: it selects the due rows, leases them and returns them.
		query, args := tx.claimSQL(owner, now, until, limit)
		return tx.write(tx.heldCtx(ctx)).Raw(query, args...).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	slices.SortStableFunc(rows, func(a, b OutboxMessage) int { return a.NextAttemptAt.Compare(b.NextAttemptAt) }) // RETURNING has no order
	for i := range rows {
		m := &rows[i]
		m.State, m.LeaseOwner, m.LeaseUntil, m.UpdatedAt = OutboxSending, &owner, &until, now // as the claim set them
		if err := s.openOutbox(m); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// claimedColumns are the columns a claim reads back: those the worker needs. The lease columns
// it has just set are filled in by ClaimOutbox, and the outcome columns (last_error, sent_at) are
// not read: on SQLite every timestamp read back is parsed from text, and reading all columns
// cost a third of the claim.
const claimedColumns = `id, conference_id, idempotency_key, template, lang, recipient_sealed, data_sealed, attempts, next_attempt_at, created_at`

// claimSQL is the statement of ClaimOutbox and its arguments. The due rows are picked in two
// ordered index scans that stop at the limit — the pending rows that are due, and the leased
// rows whose lease ran out — rather than by one OR, which would read and sort every due row at
// each claim. On PostgreSQL the rows are locked and picked in CTEs, which run once, so concurrent
// workers skip each other's rows.
func (s *Store) claimSQL(owner string, now, until time.Time, limit int) (string, []any) {
	set := []any{OutboxSending, owner, until, now}
	due := []any{OutboxPending, now, limit, OutboxSending, now, limit, limit}
	const (
		pending = `SELECT id, next_attempt_at FROM outbox_messages WHERE state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`
		expired = `SELECT id, next_attempt_at FROM outbox_messages WHERE state = ? AND lease_until < ? ORDER BY next_attempt_at LIMIT ?`
	)
	if s.dialect == Postgres {
		return `WITH pending AS (` + pending + ` FOR UPDATE SKIP LOCKED),
		expired AS (` + expired + ` FOR UPDATE SKIP LOCKED),
		due AS (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) AS u ORDER BY next_attempt_at LIMIT ?)
		UPDATE outbox_messages AS m SET state = ?, lease_owner = ?, lease_until = ?, updated_at = ?
		FROM due WHERE m.id = due.id RETURNING m.` + strings.ReplaceAll(claimedColumns, ", ", ", m."), append(due, set...)
	}
	return `UPDATE outbox_messages SET state = ?, lease_owner = ?, lease_until = ?, updated_at = ?
		WHERE id IN (SELECT id FROM (SELECT * FROM (` + pending + `) UNION ALL SELECT * FROM (` + expired + `))
		ORDER BY next_attempt_at LIMIT ?) RETURNING ` + claimedColumns, append(set, due...)
}

func (s *Store) openOutbox(m *OutboxMessage) error {
	to, err := s.box.Open("outbox_messages", "recipient", m.ID, m.RecipientSealed)
	if err != nil {
		return fmt.Errorf("outbox %s: %w", m.ID, err)
	}
	data, err := s.box.Open("outbox_messages", "data", m.ID, m.DataSealed)
	if err != nil {
		return fmt.Errorf("outbox %s: %w", m.ID, err)
	}
	m.To, m.Data = to, []byte(data)
	return nil
}

// finishOutbox updates a message leased by owner; a lost lease means another worker has it now.
func (s *Store) finishOutbox(ctx context.Context, id, owner string, set map[string]any) error {
	set["lease_owner"], set["lease_until"], set["updated_at"] = nil, nil, s.mailTime(s.now())
	res := s.write(ctx).Model(&OutboxMessage{}).Where("id = ? AND state = ? AND lease_owner = ?", id, OutboxSending, owner).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("outbox %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("outbox %s: lease lost: %w", id, ErrConflict)
	}
	return nil
}

// MarkOutboxSent records a delivered message.
func (s *Store) MarkOutboxSent(ctx context.Context, id, owner string) error {
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxSent, "sent_at": s.mailTime(s.now()), "attempts": gormExpr("attempts + 1"), "last_error": ""})
}

// MarkOutboxRetry puts a message back to pending until next, recording the reason (an SMTP answer, no address).
func (s *Store) MarkOutboxRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxPending, "next_attempt_at": next.UTC(), "attempts": gormExpr("attempts + 1"), "last_error": truncate(reason, 500)})
}

// MarkOutboxDead gives up on a message, recording the reason for organisers.
func (s *Store) MarkOutboxDead(ctx context.Context, id, owner string, reason string) error {
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxDead, "attempts": gormExpr("attempts + 1"), "last_error": truncate(reason, 500)})
}

// heldCtx is the context of a statement of relaxedTx's fn. On SQLite fn holds the one writer
// connection and its write lock from the start, so a statement cannot wait for anyone: it runs
// without ctx's cancellation, which spares the driver a goroutine per row read (go-sqlite3
// watches a cancellable context while it steps). Elsewhere it is ctx.
func (s *Store) heldCtx(ctx context.Context) context.Context {
	if s.dialect == SQLite && s.inTx() {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// relaxedTx runs fn in a write transaction whose commit does not wait for the disk: on SQLite it
// commits with synchronous=NORMAL (it survives a crash of the process, not a power cut), on
// PostgreSQL with synchronous_commit off (it survives a crash of the process, not one of the
// database server). It is only for the outbox's bookkeeping — leases and outcomes — whose loss
// costs at most one repeated delivery, never for the mail rows themselves, which Enqueue writes
// in the caller's durable transaction. On SQLite the writer connection is put back to
// synchronous=FULL before anyone else can use it, or discarded if that fails.
func (s *Store) relaxedTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.inTx() {
		return fn(s)
	}
	if s.dialect != SQLite {
		return s.Tx(ctx, func(tx *Store) error {
			if err := tx.write(ctx).Exec("SET LOCAL synchronous_commit = off").Error; err != nil {
				return err
			}
			return fn(tx)
		})
	}
	sqlDB, err := s.w.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL"); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // never hand out a relaxed writer
		}
	}()
	g := s.w.Session(&gorm.Session{NewDB: true, Context: ctx}) // a Context clones the Statement
	g.Statement.ConnPool = conn
	return g.Transaction(func(g *gorm.DB) error {
		tx := *s
		tx.w, tx.r = g, g
		return fn(&tx)
	})
}

// OutboxOutcome is the result of one delivery attempt by the worker holding the message's lease.
type OutboxOutcome struct {
	ID, Owner     string
	State         OutboxState // OutboxSent, OutboxPending (to retry at NextAttemptAt) or OutboxDead
	NextAttemptAt time.Time   // retries only
	Reason        string      // the SMTP answer of a failure, without any address
}

// MarkOutbox records many outcomes in one transaction: the deliveries with one UPDATE per lease
// owner, the failures one by one. It returns one result per outcome: nil, or ErrConflict when its
// owner no longer holds the lease (another worker has the message now). The error is for the
// transaction as a whole.
func (s *Store) MarkOutbox(ctx context.Context, outs []OutboxOutcome) ([]error, error) {
	results := make([]error, len(outs))
	err := s.relaxedTx(ctx, func(tx *Store) error {
		sent := map[string][]int{} // owner → indexes of delivered outcomes
		for i, o := range outs {
			var err error
			switch o.State {
			case OutboxSent:
				sent[o.Owner] = append(sent[o.Owner], i)
				continue
			case OutboxPending:
				err = tx.MarkOutboxRetry(ctx, o.ID, o.Owner, o.NextAttemptAt, o.Reason)
			case OutboxDead:
				err = tx.MarkOutboxDead(ctx, o.ID, o.Owner, o.Reason)
			default:
				err = fmt.Errorf("outbox %s: unknown outcome %q", o.ID, o.State)
			}
			if err != nil && !errors.Is(err, ErrConflict) {
				return err
			}
			results[i] = err
		}
		for owner, idx := range sent {
			ids := make([]string, len(idx))
			for j, i := range idx {
				ids[j] = outs[i].ID
			}
			held, err := tx.markSent(ctx, owner, ids)
			if err != nil {
				return err
			}
			for _, i := range idx {
				if !held[outs[i].ID] {
					results[i] = fmt.Errorf("outbox %s: lease lost: %w", outs[i].ID, ErrConflict)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mark outbox: %w", err)
	}
	return results, nil
}

// markSent records the delivery of those of ids that owner still holds, in one statement, and
// returns them.
func (s *Store) markSent(ctx context.Context, owner string, ids []string) (map[string]bool, error) {
	now := s.now()
	var held []string
	in, list := s.idList(ids)
	state := "state" // the rows are found by their IDs
	if s.dialect == SQLite {
		state = "+state" // not through the index on state, which SQLite's planner prefers to a list it cannot size
	}
	// Sign-in mails keep coarse times (see SignInGrain).
	if err := s.write(s.heldCtx(ctx)).Raw(`UPDATE outbox_messages SET state = ?, sent_at = `+s.mailTimeSQL()+`,
		attempts = attempts + 1, last_error = '', lease_owner = NULL, lease_until = NULL,
		updated_at = `+s.mailTimeSQL()+` WHERE id IN `+in+` AND `+state+` = ? AND lease_owner = ? RETURNING id`,
		OutboxSent, signInTemplates, coarse(now), now, signInTemplates, coarse(now), now, list, OutboxSending, owner).Scan(&held).Error; err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(held))
	for _, id := range held {
		out[id] = true
	}
	return out, nil
}

// idList returns the SQL of "IN <list of ids>" and its one argument. On SQLite the IDs go as one
// JSON array, so that the statement's text is the same for any number of IDs: one kept statement
// serves every count, where a list of placeholders would be prepared again for each new length
// (and hundreds of placeholders cost more to prepare than to run).
func (s *Store) idList(ids []string) (string, any) {
	if s.dialect != SQLite {
		return "?", ids
	}
	list, _ := json.Marshal(ids) // strings always marshal
	return "(SELECT value FROM json_each(?))", string(list)
}

// OutboxCounts returns the number of messages per state for a conference ("" for all).
func (s *Store) OutboxCounts(ctx context.Context, conferenceID string) (map[OutboxState]int64, error) {
	type row struct {
		State OutboxState
		N     int64
	}
	var rows []row
	q := s.read(ctx).Model(&OutboxMessage{}).Select("state, COUNT(*) AS n").Group("state")
	if conferenceID != "" {
		q = q.Where("conference_id = ?", conferenceID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[OutboxState]int64{OutboxPending: 0, OutboxSending: 0, OutboxSent: 0, OutboxDead: 0}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// OutboxFilter selects outbox messages of a conference.
type OutboxFilter struct {
	ConferenceID string
	State        OutboxState
	Page         Page
}

// ListOutbox returns messages, newest first, with their recipients opened (callers mask them).
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	q := s.read(ctx).Where("conference_id = ?", f.ConferenceID)
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Page.AfterID != "" {
		q = q.Where("(created_at < ?) OR (created_at = ? AND id < ?)", f.Page.AfterTime, f.Page.AfterTime, f.Page.AfterID)
	}
	var rows []OutboxMessage
	if err := q.Order("created_at DESC, id DESC").Limit(f.Page.Limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		if err := s.openOutbox(&rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// RetryOutbox puts a dead message of a conference back to pending, due now, keeping its
// attempts and last error for the record. A message of another conference is ErrNotFound; one
// that is not dead is a *TransitionError.
func (s *Store) RetryOutbox(ctx context.Context, conferenceID, id string) error {
	return s.Tx(ctx, func(tx *Store) error {
		var m OutboxMessage
		if err := tx.write(ctx).Select("id, state").Where("id = ? AND conference_id = ?", id, conferenceID).Take(&m).Error; err != nil {
			return notFound(err)
		}
		if m.State != OutboxDead {
			return &TransitionError{Entity: "message", From: string(m.State), To: string(OutboxPending)}
		}
		now := tx.now()
		return tx.write(ctx).Model(&OutboxMessage{}).Where("id = ? AND state = ?", id, OutboxDead).
			Updates(map[string]any{"state": OutboxPending, "next_attempt_at": now, "updated_at": now}).Error
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// DeleteSentOutbox deletes delivered messages sent before cutoff and returns how many: once a mail
// has gone, keeping its sealed recipient and contents serves no one.
func (s *Store) DeleteSentOutbox(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.write(ctx).Where("state = ? AND sent_at < ?", OutboxSent, cutoff.UTC()).Delete(&OutboxMessage{})
	return res.RowsAffected, res.Error
}
