package domain

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

// AccountInput is a new staff account.
type AccountInput struct {
	Email, Password, Role, DisplayName string
	CanExport                          bool
}

// CreateAccount adds a staff account (admins). A taken email is a conflict on "email". The
// creation is audited.
func (s *Service) CreateAccount(ctx context.Context, a *Actor, in AccountInput) (*models.Account, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	fe := checkCredentials(in.Email, in.Password)
	if !slices.Contains(models.StaffRoles, models.StaffRole(in.Role)) {
		fe.Set("role", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(models.StaffRoles), ", "))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	acc := &models.Account{Email: in.Email, PasswordHash: hash, Role: models.StaffRole(in.Role), DisplayName: in.DisplayName, CanExport: in.CanExport}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.CreateAccount(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "account.create", "account", acc.ID)
	})
	if err != nil {
		return nil, conflictOn(err, "email", "an account with this email exists already")
	}
	return acc, nil
}

// ListAccounts lists every staff account, oldest first (admins).
func (s *Service) ListAccounts(ctx context.Context, a *Actor) ([]models.Account, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	return s.store.ListAccounts(ctx)
}

// ListAudit lists audit events, newest first, as f selects (admins).
func (s *Service) ListAudit(ctx context.Context, a *Actor, f models.AuditFilter) ([]models.AuditEvent, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	return s.store.ListAudit(ctx, f)
}

// FirstAdmin is the first staff account, created with the one-time setup token.
type FirstAdmin struct {
	Token, Email, Password string
}

// errSetupClosed answers a setup attempt with a bad, used or expired token, or once an account
// exists.
var errSetupClosed = models.Fail(models.KindForbidden, models.CodeTokenInvalid, "the setup token is invalid, used or expired")

// CreateFirstAdmin creates the first admin (who may export) with the one-time setup token printed
// at first start; it works only while no account exists. Attempts are rate-limited per client,
// and the token is checked before anything else (the password is hashed only for a valid one).
// The token is consumed; the creation is audited as done by the new admin.
func (s *Service) CreateFirstAdmin(ctx context.Context, a *Actor, in FirstAdmin) (*models.Account, error) {
	if !s.AllowPublic(a.Client) {
		return nil, errTooMany
	}
	if _, err := s.store.ValidToken(ctx, in.Token, 0, models.TokenSetup); errors.Is(err, models.ErrNotFound) {
		return nil, errSetupClosed
	} else if err != nil {
		return nil, err
	}
	in.Email = strings.TrimSpace(in.Email)
	if err := checkCredentials(in.Email, in.Password).Err(); err != nil {
		return nil, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	acc := &models.Account{Email: in.Email, PasswordHash: hash, Role: models.StaffAdmin, CanExport: true}
	err = s.change(ctx, func(tx *models.Store) error {
		if n, err := tx.CountAccounts(ctx); err != nil || n > 0 {
			return errors.Join(err, models.ErrNotFound)
		}
		if _, err := tx.UseToken(ctx, in.Token, models.TokenSetup); err != nil {
			return err
		}
		if err := tx.CreateAccount(ctx, acc); err != nil {
			return err
		}
		who := &Actor{Role: string(acc.Role), Account: acc, RequestID: a.RequestID}
		return s.audit(ctx, tx, who, "", "account.create", "account", acc.ID)
	})
	if errors.Is(err, models.ErrNotFound) {
		return nil, errSetupClosed
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// checkCredentials checks the email and password of a new account.
func checkCredentials(email, pass string) models.FieldErrors {
	fe := models.FieldErrors{}
	if !strings.Contains(email, "@") || strings.ContainsAny(email, "\r\n <>,;") || len(email) > 254 {
		fe.Set("email", models.FieldInvalidEmail, "must be one email address")
	}
	switch {
	case len(pass) < password.MinLength:
		fe.Set("password", models.FieldTooShort, "is too short")
	case len(pass) > password.MaxLength:
		fe.Set("password", models.FieldTooLong, "is too long")
	}
	return fe
}
