package models

import (
	"context"
	"fmt"
)

// Record is one row of a personal-data export: column name to value (no secrets, no hashes).
type Record map[string]any

// DelegateExport is everything stored about one delegate, for their own export (GDPR art. 15/20).
// Secrets (token hashes, sealed bytes) are left out; their existence is shown by the metadata.
type DelegateExport struct {
	Delegate     *Delegate
	Organisation *Organisation
	Tokens       []Record // sign-in links and sessions: kind and times
	Mail         []Record // mail queued or sent to them: template, language, state and times
	Audit        []Record // who (kind of actor) did what to their record and when
	Attendance   []Record // session sign-ups
	Speaking     []Record // sessions they chair or speak in
	Statements   []Record // statements they wrote
	Amendments   []Record // amendments they proposed
	Cosignatures []Record // co-signatures they gave for their organisation
}

// ExportDelegate collects a delegate's data with their personal fields opened.
func (s *Store) ExportDelegate(ctx context.Context, id string) (*DelegateExport, error) {
	d, err := s.Delegate(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &DelegateExport{Delegate: d}
	if d.OrganisationID != nil {
		if o, err := s.Organisation(ctx, d.ConferenceID, *d.OrganisationID); err == nil {
			out.Organisation = o
		}
	}
	prefix := DelegateMailKey(d.ID, "")
	queries := []struct {
		dst  *[]Record
		sql  string
		args []any
	}{
		{&out.Tokens, `SELECT kind, created_at, expires_at, used_at FROM auth_tokens WHERE delegate_id = ? ORDER BY created_at`, []any{d.ID}},
		{&out.Mail, `SELECT template, lang, state, attempts, created_at, sent_at FROM outbox_messages
			WHERE idempotency_key >= ? AND idempotency_key < ? ORDER BY created_at`, []any{prefix, prefix[:len(prefix)-1] + ";"}},
		{&out.Audit, `SELECT actor_kind, action, created_at FROM audit_events WHERE target_id = ? ORDER BY created_at`, []any{d.ID}},
		{&out.Attendance, `SELECT a.session_id, s.title AS session, a.status, a.created_at FROM attendances a
			JOIN sessions s ON s.id = a.session_id WHERE a.delegate_id = ? ORDER BY a.created_at`, []any{d.ID}},
		{&out.Speaking, `SELECT p.session_id, s.title AS session, p.role FROM session_people p
			JOIN sessions s ON s.id = p.session_id WHERE p.delegate_id = ? ORDER BY s.starts_at`, []any{d.ID}},
		{&out.Statements, `SELECT id, title, language, status, created_at FROM statements WHERE author_id = ? ORDER BY created_at`, []any{d.ID}},
		{&out.Amendments, `SELECT id, statement_id, text, rationale, status, created_at FROM amendments WHERE delegate_id = ? ORDER BY created_at`, []any{d.ID}},
		{&out.Cosignatures, `SELECT statement_id, organisation_id, named, withdrawn_at, created_at FROM cosignatures WHERE delegate_id = ? ORDER BY created_at`, []any{d.ID}},
	}
	for _, q := range queries {
		rows := []map[string]any{}
		if err := s.read(ctx).Raw(q.sql, q.args...).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("export delegate: %w", err)
		}
		*q.dst = make([]Record, 0, len(rows))
		for _, r := range rows {
			*q.dst = append(*q.dst, Record(r))
		}
	}
	return out, nil
}
