package domain

import (
	"context"

	"github.com/zimmerwald/zimmerwald/models"
)

// APITokenInput is a new API token: a name and how many days it lasts (90 when zero).
type APITokenInput struct {
	Name          string
	ExpiresInDays int
}

// IssuedToken is an API token just created, with its secret (shown once, stored as a hash).
type IssuedToken struct {
	Token  *models.AuthToken
	Secret string
}

// CreateAPIToken gives the staff member a long-lived token for an integration, with their own
// role. The creation is audited.
func (s *Service) CreateAPIToken(ctx context.Context, a *Actor, in APITokenInput) (*IssuedToken, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	if in.ExpiresInDays == 0 {
		in.ExpiresInDays = 90
	}
	t := &models.AuthToken{Kind: models.TokenAPI, AccountID: &a.Account.ID, Name: in.Name,
		ExpiresAt: s.store.Now().AddDate(0, 0, in.ExpiresInDays)}
	var secret string
	err := s.change(ctx, func(tx *models.Store) error {
		var err error
		if secret, err = tx.IssueToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "token.create", "token", t.ID)
	})
	if err != nil {
		return nil, err
	}
	return &IssuedToken{Token: t, Secret: secret}, nil
}

// ListAPITokens lists the staff member's own API tokens that have not expired, newest first.
func (s *Service) ListAPITokens(ctx context.Context, a *Actor) ([]models.AuthToken, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx, a.Account.ID)
}

// RevokeAPIToken deletes one of the staff member's own API tokens (another's is not found). The
// revocation is audited.
func (s *Service) RevokeAPIToken(ctx context.Context, a *Actor, id string) error {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return err
	}
	return s.change(ctx, func(tx *models.Store) error {
		if err := tx.RevokeAPIToken(ctx, a.Account.ID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "token.revoke", "token", id)
	})
}
