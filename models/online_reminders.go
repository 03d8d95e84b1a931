package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// SessionsStartingBetween returns the published sessions of every conference that start in
// [from, to], in start order, with their links and rooms: the sessions due for an online reminder.
func (s *Store) SessionsStartingBetween(ctx context.Context, from, to time.Time) ([]Session, error) {
	var out []Session
	err := s.read(ctx).Where("status = ? AND starts_at >= ? AND starts_at <= ?", SessionPublished, from, to).
		Order("starts_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("sessions starting: %w", err)
	}
	ptrs := make([]*Session, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.loadSessionLinks(ctx, ptrs)
}

// ConfirmedAttendees returns the delegates with a confirmed place in a session (not those waiting).
func (s *Store) ConfirmedAttendees(ctx context.Context, sessionID string) ([]string, error) {
	var ids []string
	err := s.read(ctx).Model(&Attendance{}).Where("session_id = ? AND status = ?", sessionID, AttendanceConfirmed).
		Order("delegate_id").Pluck("delegate_id", &ids).Error
	return ids, err
}

// RemoteDelegateIDs returns the approved, not erased delegates of a conference who attend remotely.
func (s *Store) RemoteDelegateIDs(ctx context.Context, conferenceID string) ([]string, error) {
	var ids []string
	err := s.read(ctx).Model(&Delegate{}).
		Where("conference_id = ? AND status = ? AND attendance = ? AND erased_at IS NULL", conferenceID, DelegateApproved, AttendRemote).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// LockApprovedDelegates reports which of ids are approved and not erased, and on PostgreSQL locks
// those rows (FOR SHARE) until the transaction ends, so that an erasure or a decision on them
// waits for it. Call it inside a transaction.
func (s *Store) LockApprovedDelegates(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for _, chunk := range agendaChunks(ids, 500) {
		q := s.write(ctx).Model(&Delegate{}).Where("id IN ? AND status = ? AND erased_at IS NULL", chunk, DelegateApproved).Order("id")
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "SHARE"})
		}
		var found []string
		if err := q.Pluck("id", &found).Error; err != nil {
			return nil, fmt.Errorf("lock delegates: %w", err)
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

// OutboxKeysTaken reports which of the idempotency keys an outbox row already holds (in any
// state), so that a job that enqueues the same events again and again builds and seals only the
// new ones. Enqueue still skips a key taken in between.
func (s *Store) OutboxKeysTaken(ctx context.Context, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	for _, chunk := range agendaChunks(keys, 500) {
		var taken []string
		if err := s.read(ctx).Model(&OutboxMessage{}).Where("idempotency_key IN ?", chunk).Pluck("idempotency_key", &taken).Error; err != nil {
			return nil, fmt.Errorf("outbox keys: %w", err)
		}
		for _, k := range taken {
			out[k] = true
		}
	}
	return out, nil
}
