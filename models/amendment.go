package models

import (
	"context"
	"fmt"
)

// CreateAmendment records a proposed amendment against the statement's current version.
func (s *Store) CreateAmendment(ctx context.Context, a *Amendment) error {
	if a.ID == "" {
		a.ID = NewID()
	}
	a.Status = AmendmentProposed
	a.render()
	return notFound(s.write(ctx).Create(a).Error)
}

// Amendment finds an amendment by ID.
func (s *Store) Amendment(ctx context.Context, id string) (*Amendment, error) {
	var a Amendment
	if err := s.read(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// AmendmentForUpdate finds an amendment and locks it on PostgreSQL (inside a transaction).
func (s *Store) AmendmentForUpdate(ctx context.Context, id string) (*Amendment, error) {
	var a Amendment
	if err := s.locked(s.write(ctx)).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// Amendments returns the amendments of a statement, oldest first.
func (s *Store) Amendments(ctx context.Context, statementID string) ([]Amendment, error) {
	var as []Amendment
	err := s.read(ctx).Where("statement_id = ?", statementID).Order("created_at, id").Find(&as).Error
	return as, err
}

// UpdateAmendment saves every field of a.
func (s *Store) UpdateAmendment(ctx context.Context, a *Amendment) error {
	a.render()
	return notFound(s.write(ctx).Save(a).Error)
}

// Amend returns the statement's body with the amendment applied: its paragraph replaced, or the
// whole body when it names none. ErrNoParagraph when the paragraph no longer exists.
func (st *Statement) Amend(a *Amendment) (string, error) {
	n := 0
	if a.Paragraph != nil {
		n = *a.Paragraph
	}
	return ReplaceParagraph(st.Body, n, a.Text)
}

// ApplyAmendment writes the accepted amendment a into st as a new version; every earlier version
// is kept. Call it inside the transaction that accepts a.
func (s *Store) ApplyAmendment(ctx context.Context, st *Statement, a *Amendment) error {
	body, err := st.Amend(a)
	if err != nil {
		return err
	}
	st.Body, st.Version, st.UpdatedAt = body, st.Version+1, s.now()
	st.render()
	v := &StatementVersion{ID: NewID(), StatementID: st.ID, Version: st.Version, Title: st.Title, Summary: st.Summary, Body: body, AmendmentID: &a.ID, CreatedAt: s.now()}
	if err := s.write(ctx).Create(v).Error; err != nil {
		return fmt.Errorf("apply amendment: %w", notFound(err))
	}
	res := s.write(ctx).Model(&Statement{}).Where("id = ? AND version = ?", st.ID, st.Version-1).
		Updates(map[string]any{"body": body, "body_html": st.BodyHTML, "version": st.Version, "updated_at": st.UpdatedAt})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("apply amendment: %w", ErrConflict)
	}
	return nil
}
