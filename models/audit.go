package models

import (
	"context"
	"time"
)

// AuditEvent records who did what to which record, never the data itself.
type AuditEvent struct {
	ID           string
	ConferenceID *string
	ActorKind    string // "account", "delegate", "system"
	ActorID      string
	Action       string // e.g. "delegate.read", "delegate.decide", "delegates.export"
	TargetKind   string
	TargetID     string
	RequestID    string
	CreatedAt    time.Time
}

// Audit records an event.
func (s *Store) Audit(ctx context.Context, e *AuditEvent) error {
	e.ID = NewID()
	e.CreatedAt = s.now()
	return s.write(ctx).Create(e).Error
}

// AuditFilter selects audit events.
type AuditFilter struct {
	ConferenceID string
	Action       string
	TargetID     string
	Page         Page
}

// ListAudit returns audit events, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	q := s.read(ctx)
	if f.ConferenceID != "" {
		q = q.Where("conference_id = ?", f.ConferenceID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.TargetID != "" {
		q = q.Where("target_id = ?", f.TargetID)
	}
	if f.Page.AfterID != "" {
		q = q.Where("(created_at < ?) OR (created_at = ? AND id < ?)", f.Page.AfterTime, f.Page.AfterTime, f.Page.AfterID)
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var es []AuditEvent
	err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&es).Error
	return es, err
}
