package models

import (
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Sign-in metadata at rest. The one-time links and sessions of delegates, and the mails that carry
// the links, would otherwise record to the second when a delegate asked to sign in, signed in and
// was last active. Their plain time columns are kept coarse (SignInGrain): created_at and used_at
// truncated, expires_at and idle_expires_at rounded up, which is all the expiry sweep and the
// indexes need; the exact expiries, which the checks need, are sealed to the row
// (expires_sealed, idle_expires_sealed) and opened after the row is found by its hash.

// SignInGrain is the precision of the plain sign-in times of delegates.
const SignInGrain = time.Hour

// signInTemplates are the mails sent because someone asked to register or sign in.
var signInTemplates = []string{"login", "confirm", "already_registered"}

// personal reports whether tokens of kind belong to delegates (links and sessions).
func (k TokenKind) personal() bool {
	return k == TokenMagicLink || k == TokenConfirm || k == TokenDelegateSession
}

// coarse truncates t to SignInGrain.
func coarse(t time.Time) time.Time { return t.UTC().Truncate(SignInGrain) }

// roundUp rounds t up to SignInGrain.
func roundUp(t time.Time) time.Time {
	c := coarse(t)
	if c.Before(t) {
		c = c.Add(SignInGrain)
	}
	return c
}

// sealTime seals an exact time for a token row.
func (s *Store) sealTime(id, column string, t time.Time) []byte {
	return s.box.Seal("auth_tokens", column, id, strconv.FormatInt(t.UnixNano(), 10))
}

// openTime opens a time sealed by sealTime.
func (s *Store) openTime(id, column string, sealed []byte) (time.Time, error) {
	v, err := s.box.Open("auth_tokens", column, id, sealed)
	if err != nil {
		return time.Time{}, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, n).UTC(), nil
}

// sealTokenTimes prepares a delegate's token for writing: its exact expiries sealed, its plain
// times coarse. The function it returns puts the exact times back into t.
func (s *Store) sealTokenTimes(t *AuthToken) (restore func()) {
	if !t.Kind.personal() {
		return func() {}
	}
	exact := *t
	t.ExpiresSealed = s.sealTime(t.ID, "expires_at", t.ExpiresAt)
	t.ExpiresAt, t.CreatedAt = roundUp(t.ExpiresAt), coarse(t.CreatedAt)
	if t.IdleExpiresAt != nil {
		t.IdleExpiresSealed = s.sealTime(t.ID, "idle_expires_at", *t.IdleExpiresAt)
		idle := roundUp(*t.IdleExpiresAt)
		t.IdleExpiresAt = &idle
	}
	return func() {
		t.ExpiresAt, t.CreatedAt, t.IdleExpiresAt = exact.ExpiresAt, exact.CreatedAt, exact.IdleExpiresAt
	}
}

// openTokenTimes replaces the coarse expiries of a token just read by the exact sealed ones.
func (s *Store) openTokenTimes(t *AuthToken) error {
	if len(t.ExpiresSealed) > 0 {
		at, err := s.openTime(t.ID, "expires_at", t.ExpiresSealed)
		if err != nil {
			return err
		}
		t.ExpiresAt = at
	}
	if len(t.IdleExpiresSealed) > 0 {
		at, err := s.openTime(t.ID, "idle_expires_at", t.IdleExpiresSealed)
		if err != nil {
			return err
		}
		t.IdleExpiresAt = &at
	}
	return nil
}

// idleUpdate is the update that slides a token's idle expiry to next.
func (s *Store) idleUpdate(t *AuthToken, next time.Time) map[string]any {
	if !t.Kind.personal() {
		return map[string]any{"idle_expires_at": next}
	}
	return map[string]any{"idle_expires_at": roundUp(next), "idle_expires_sealed": s.sealTime(t.ID, "idle_expires_at", next)}
}

// usedAt is the plain used_at written when a one-time token of kind is consumed.
func usedAt(kind TokenKind, now time.Time) time.Time {
	if kind.personal() {
		return coarse(now)
	}
	return now
}

// isSignInMail reports whether an outbox message was sent because someone asked to register or
// sign in.
func isSignInMail(template string) bool { return slices.Contains(signInTemplates, template) }

// mailTime is the time to write into the times of an outbox row: coarse for sign-in mails.
func (s *Store) mailTime(now time.Time) any {
	return gorm.Expr(s.mailTimeSQL(), signInTemplates, coarse(now), now)
}

// mailTimeSQL is the SQL of mailTime, whose arguments are the sign-in templates, the coarse time
// and the exact one (PostgreSQL needs the type of the parameters spelled out).
func (s *Store) mailTimeSQL() string {
	if s.dialect == Postgres {
		return "CASE WHEN template IN ? THEN CAST(? AS TIMESTAMPTZ) ELSE CAST(? AS TIMESTAMPTZ) END"
	}
	return "CASE WHEN template IN ? THEN ? ELSE ? END"
}
