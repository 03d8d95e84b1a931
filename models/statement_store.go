package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateStatement inserts a statement (a draft unless Status is set) and its first version.
func (s *Store) CreateStatement(ctx context.Context, st *Statement) error {
	if st.ID == "" {
		st.ID = NewID()
	}
	if st.Status == "" {
		st.Status = StatementDraft
	}
	st.Version = 1
	st.render()
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.write(ctx).Create(st).Error; err != nil {
			return notFound(err)
		}
		v := &StatementVersion{ID: NewID(), StatementID: st.ID, Version: 1, Title: st.Title, Summary: st.Summary, Body: st.Body, CreatedAt: tx.now()}
		return notFound(tx.write(ctx).Create(v).Error)
	})
}

// UpdateStatement saves every field of st. A draft's edits rewrite its current version, since
// drafts are not versioned; later text changes come only from amendments (ApplyAmendment).
func (s *Store) UpdateStatement(ctx context.Context, st *Statement) error {
	return s.Tx(ctx, func(tx *Store) error {
		st.UpdatedAt = tx.now()
		st.render()
		if err := tx.write(ctx).Save(st).Error; err != nil {
			return notFound(err)
		}
		if st.Status != StatementDraft {
			return nil
		}
		return tx.write(ctx).Model(&StatementVersion{}).Where("statement_id = ? AND version = ?", st.ID, st.Version).
			Updates(map[string]any{"title": st.Title, "summary": st.Summary, "body": st.Body}).Error
	})
}

// Statement finds a statement by ID.
func (s *Store) Statement(ctx context.Context, id string) (*Statement, error) {
	var st Statement
	if err := s.read(ctx).Where("id = ?", id).Take(&st).Error; err != nil {
		return nil, notFound(err)
	}
	return &st, nil
}

// StatementForUpdate finds a statement and, inside a transaction on PostgreSQL, locks its row
// until the transaction ends, so concurrent changes to one statement happen one after another.
// (SQLite's single IMMEDIATE writer already serialises them.)
func (s *Store) StatementForUpdate(ctx context.Context, id string) (*Statement, error) {
	var st Statement
	if err := s.locked(s.write(ctx)).Where("id = ?", id).Take(&st).Error; err != nil {
		return nil, notFound(err)
	}
	return &st, nil
}

// locked adds FOR UPDATE on PostgreSQL.
func (s *Store) locked(db *gorm.DB) *gorm.DB {
	if s.dialect == Postgres {
		return db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return db
}

// StatementFilter selects statements of a conference.
type StatementFilter struct {
	ConferenceID string
	// Statuses keeps only these statuses (all when empty).
	Statuses []StatementStatus
	// Status keeps only this status, on top of the rest.
	Status StatementStatus
	// OrganisationID keeps only this organisation's statements.
	OrganisationID string
	// AlsoOrganisationID adds every statement of this organisation, whatever its status.
	AlsoOrganisationID string
	Page               Page
}

// ListStatements returns statements, newest first, one page at a time.
func (s *Store) ListStatements(ctx context.Context, f StatementFilter) ([]Statement, error) {
	q := s.read(ctx).Where("conference_id = ?", f.ConferenceID)
	switch {
	case len(f.Statuses) > 0 && f.AlsoOrganisationID != "":
		q = q.Where("(status IN ? OR organisation_id = ?)", f.Statuses, f.AlsoOrganisationID)
	case len(f.Statuses) > 0:
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.OrganisationID != "" {
		q = q.Where("organisation_id = ?", f.OrganisationID)
	}
	if f.Page.AfterID != "" {
		q = q.Where("(created_at < ?) OR (created_at = ? AND id < ?)", f.Page.AfterTime, f.Page.AfterTime, f.Page.AfterID)
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var out []Statement
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list statements: %w", err)
	}
	return out, nil
}

// LinkStatementSession records that st is debated in session sessionID (which must belong to
// the statement's conference, else ErrNotFound), replacing the link to prev if any.
func (s *Store) LinkStatementSession(ctx context.Context, st *Statement, sessionID string) error {
	var n int64
	if err := s.write(ctx).Model(&Session{}).Where("id = ? AND conference_id = ?", sessionID, st.ConferenceID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	if st.SessionID != nil && *st.SessionID != sessionID {
		if err := s.write(ctx).Where("session_id = ? AND statement_id = ?", *st.SessionID, st.ID).Delete(&SessionStatement{}).Error; err != nil {
			return err
		}
	}
	st.SessionID = &sessionID
	return s.write(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&SessionStatement{SessionID: sessionID, StatementID: st.ID}).Error
}

// UnlinkStatementSession removes the statement's session link.
func (s *Store) UnlinkStatementSession(ctx context.Context, st *Statement) error {
	if st.SessionID == nil {
		return nil
	}
	if err := s.write(ctx).Where("session_id = ? AND statement_id = ?", *st.SessionID, st.ID).Delete(&SessionStatement{}).Error; err != nil {
		return err
	}
	st.SessionID = nil
	return nil
}

// StatementDelegates returns the delegates with the given IDs by ID, without opening their
// sealed fields: enough to decide whether and how they may be shown.
func (s *Store) StatementDelegates(ctx context.Context, ids []string) (map[string]Delegate, error) {
	out := map[string]Delegate{}
	if len(ids) == 0 {
		return out, nil
	}
	var ds []Delegate
	err := s.read(ctx).Select("id", "conference_id", "organisation_id", "role", "status", "display_name", "visibility", "erased_at").
		Where("id IN ?", ids).Find(&ds).Error
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		out[d.ID] = d
	}
	return out, nil
}

// OrganisationsByID returns the organisations with the given IDs by ID.
func (s *Store) OrganisationsByID(ctx context.Context, ids []string) (map[string]Organisation, error) {
	out := map[string]Organisation{}
	if len(ids) == 0 {
		return out, nil
	}
	var os []Organisation
	if err := s.read(ctx).Where("id IN ?", ids).Find(&os).Error; err != nil {
		return nil, err
	}
	if err := s.openOrganisations(os); err != nil {
		return nil, err
	}
	for _, o := range os {
		out[o.ID] = o
	}
	return out, nil
}

// ActiveDelegatesOf returns the approved, not erased delegates of an organisation with their
// personal fields opened (to mail them), in a stable order.
func (s *Store) ActiveDelegatesOf(ctx context.Context, organisationID string) ([]Delegate, error) {
	var ds []Delegate
	err := s.read(ctx).Where("organisation_id = ? AND status = ? AND erased_at IS NULL", organisationID, DelegateApproved).
		Order("created_at, id").Find(&ds).Error
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if err := s.openDelegate(&ds[i]); err != nil {
			return nil, err
		}
	}
	return ds, nil
}
