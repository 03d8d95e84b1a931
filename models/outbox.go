package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
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
	State           string
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

// Enqueue writes outbox rows; call it inside the transaction of the change that causes them. A row
// whose idempotency key already exists is skipped, so the same event never mails twice.
func (s *Store) Enqueue(ctx context.Context, msgs ...*OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	now := s.now()
	for _, m := range msgs {
		if m.ID == "" {
			m.ID = NewID()
		}
		if m.IdempotencyKey == "" {
			m.IdempotencyKey = m.ID
		}
		m.State, m.NextAttemptAt, m.CreatedAt, m.UpdatedAt = OutboxPending, now, now, now
		m.RecipientSealed = s.box.Seal("outbox_messages", "recipient", m.ID, m.To)
		m.DataSealed = s.box.Seal("outbox_messages", "data", m.ID, string(m.Data))
		if m.DataSealed == nil {
			m.DataSealed = s.box.Seal("outbox_messages", "data", m.ID, "{}")
		}
	}
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "idempotency_key"}}, DoNothing: true}).
		CreateInBatches(msgs, 200).Error
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
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var rows []OutboxMessage
	err := s.Tx(ctx, func(tx *Store) error {
		var ids []string
		err := tx.write(ctx).Raw(`SELECT id FROM outbox_messages
			WHERE (state = ? AND next_attempt_at <= ?) OR (state = ? AND lease_until < ?)
			ORDER BY next_attempt_at LIMIT ?`+lock, OutboxPending, now, OutboxSending, now, limit).Scan(&ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		until := now.Add(lease)
		if err := tx.write(ctx).Model(&OutboxMessage{}).Where("id IN ?", ids).
			Updates(map[string]any{"state": OutboxSending, "lease_owner": owner, "lease_until": until, "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.write(ctx).Where("id IN ?", ids).Order("next_attempt_at").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	for i := range rows {
		if err := s.openOutbox(&rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
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
	set["lease_owner"], set["lease_until"], set["updated_at"] = nil, nil, s.now()
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
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxSent, "sent_at": s.now(), "attempts": gormExpr("attempts + 1"), "last_error": ""})
}

// MarkOutboxRetry puts a message back to pending until next, recording the reason (an SMTP answer, no address).
func (s *Store) MarkOutboxRetry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxPending, "next_attempt_at": next.UTC(), "attempts": gormExpr("attempts + 1"), "last_error": truncate(reason, 500)})
}

// MarkOutboxDead gives up on a message, recording the reason for organisers.
func (s *Store) MarkOutboxDead(ctx context.Context, id, owner string, reason string) error {
	return s.finishOutbox(ctx, id, owner, map[string]any{"state": OutboxDead, "attempts": gormExpr("attempts + 1"), "last_error": truncate(reason, 500)})
}

// OutboxCounts returns the number of messages per state for a conference ("" for all).
func (s *Store) OutboxCounts(ctx context.Context, conferenceID string) (map[string]int64, error) {
	type row struct {
		State string
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
	out := map[string]int64{OutboxPending: 0, OutboxSending: 0, OutboxSent: 0, OutboxDead: 0}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// OutboxFilter selects outbox messages of a conference.
type OutboxFilter struct {
	ConferenceID string
	State        string
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

// RetryOutbox puts a dead message of a conference back to pending, due now.
func (s *Store) RetryOutbox(ctx context.Context, conferenceID, id string) error {
	res := s.write(ctx).Model(&OutboxMessage{}).Where("id = ? AND conference_id = ? AND state = ?", id, conferenceID, OutboxDead).
		Updates(map[string]any{"state": OutboxPending, "next_attempt_at": s.now(), "updated_at": s.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
