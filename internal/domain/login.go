package domain

import (
	"context"
	"errors"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/internal/seal"
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

// loginSlowdown is how long a login attempt waits once its account has had more attempts than
// the per-account limit allows, from whatever clients.
const loginSlowdown = 3 * time.Second

// Login exchanges a staff email and password for a session token. Unknown accounts take as long
// as known ones. Attempts are limited per client (beyond the limit: refused) and per account,
// keyed like the account lookup (trimmed, lower-case); beyond the account's limit an attempt is
// slowed down, never refused, so that strangers elsewhere cannot lock the owner out.
//
// An account with a second factor also needs totp: a current RFC 6238 code (each works once) or a
// recovery code; without it the answer is totp_required, after the password was checked.
func (s *Service) Login(ctx context.Context, a *Actor, email, pass, code string) (*Session, error) {
	if !s.loginLimiter.Allow(a.Client) {
		return nil, errTooMany
	}
	if !s.accountLimiter.Allow("account:" + seal.NormalizeEmail(email)) {
		if err := s.pause(ctx, s.slowdown); err != nil {
			return nil, err
		}
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
	if acc.TOTPEnabledAt != nil {
		if err := s.checkSecondFactor(ctx, acc, code); err != nil {
			return nil, err
		}
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

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
