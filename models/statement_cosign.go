package models

import (
	"context"
	"errors"
)

// Cosign records an organisation's signature under a statement, or renews one it withdrew. A
// signature the organisation already holds gives ErrConflict (the unique index on
// (statement_id, organisation_id) settles races).
func (s *Store) Cosign(ctx context.Context, cs *Cosignature) error {
	return s.Tx(ctx, func(tx *Store) error {
		var old Cosignature
		err := tx.write(ctx).Where("statement_id = ? AND organisation_id = ?", cs.StatementID, cs.OrganisationID).Take(&old).Error
		if errors.Is(notFound(err), ErrNotFound) {
			if cs.ID == "" {
				cs.ID = NewID()
			}
			cs.WithdrawnAt = nil
			return notFound(tx.write(ctx).Create(cs).Error)
		}
		if err != nil {
			return err
		}
		if old.WithdrawnAt == nil {
			return ErrConflict
		}
		now := tx.now()
		res := tx.write(ctx).Model(&Cosignature{}).Where("id = ? AND withdrawn_at IS NOT NULL", old.ID).
			Updates(map[string]any{"withdrawn_at": nil, "named": cs.Named, "delegate_id": cs.DelegateID, "created_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		cs.ID, cs.WithdrawnAt, cs.CreatedAt = old.ID, nil, now
		return nil
	})
}

// WithdrawCosignature withdraws an organisation's signature under a statement; ErrNotFound when it
// holds none.
func (s *Store) WithdrawCosignature(ctx context.Context, statementID, organisationID string) error {
	res := s.write(ctx).Model(&Cosignature{}).Where("statement_id = ? AND organisation_id = ? AND withdrawn_at IS NULL", statementID, organisationID).
		Update("withdrawn_at", s.now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Cosignatures returns the standing (not withdrawn) signatures under the given statements, oldest
// first, by statement ID.
func (s *Store) Cosignatures(ctx context.Context, statementIDs []string) (map[string][]Cosignature, error) {
	out := map[string][]Cosignature{}
	if len(statementIDs) == 0 {
		return out, nil
	}
	var cs []Cosignature
	err := s.read(ctx).Where("statement_id IN ? AND withdrawn_at IS NULL", statementIDs).Order("created_at, id").Find(&cs).Error
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		out[c.StatementID] = append(out[c.StatementID], c)
	}
	return out, nil
}
