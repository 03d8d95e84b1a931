package domain

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

// errWrongCredentials answers a failed staff login, whatever the reason.
var errWrongCredentials = models.Fail(models.KindUnauthorized, models.CodeWrongCredentials, "wrong email or password")

// errTooMany answers a rate-limited request.
var errTooMany = models.Fail(models.KindTooMany, models.CodeRateLimited, "too many requests, try again later")

// Session is a bearer token just issued, with its absolute expiry.
type Session struct {
	Token     string
	ExpiresAt time.Time
}

// Login exchanges a staff email and password for a session token. Unknown accounts take as long
// as known ones, and attempts are limited per client and per account.
func (s *Service) Login(ctx context.Context, a *Actor, email, pass string) (*Session, error) {
	if !s.loginLimiter.Allow(a.Client) || !s.loginLimiter.Allow("account:"+strings.ToLower(email)) {
		return nil, errTooMany
	}
	acc, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		password.VerifyDummy(pass)
		return nil, errWrongCredentials
	}
	if err != nil {
		return nil, err
	}
	if err := password.Verify(pass, acc.PasswordHash); err != nil || acc.DisabledAt != nil {
		return nil, errWrongCredentials
	}
	now := s.store.Now()
	idle := now.Add(s.cfg.SessionIdleTimeout)
	t := &models.AuthToken{Kind: models.TokenStaffSession, AccountID: &acc.ID, ExpiresAt: now.Add(s.cfg.SessionMaxAge), IdleExpiresAt: &idle}
	secret, err := s.store.IssueToken(ctx, t)
	if err != nil {
		return nil, err
	}
	who := &Actor{Role: string(acc.Role), Account: acc, RequestID: a.RequestID}
	if err := s.audit(ctx, s.store, who, "", "account.login", "account", acc.ID); err != nil {
		return nil, err
	}
	return &Session{Token: secret, ExpiresAt: t.ExpiresAt}, nil
}

// Logout revokes the session token secret.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.store.RevokeToken(ctx, secret)
}
