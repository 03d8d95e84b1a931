package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// StaffRole is a staff account's role. Delegates are not accounts: they log in with one-time links.
type StaffRole string

// Staff roles.
const (
	StaffAdmin     StaffRole = "admin"
	StaffOrganiser StaffRole = "organiser"
	StaffReviewer  StaffRole = "reviewer"
)

// StaffRoles lists the valid account roles.
var StaffRoles = []StaffRole{StaffAdmin, StaffOrganiser, StaffReviewer}

// Valid reports whether r is one of StaffRoles.
func (r StaffRole) Valid() bool { return slices.Contains(StaffRoles, r) }

// Account is a staff member: admin, organiser or reviewer.
type Account struct {
	ID           string
	EmailSealed  []byte
	EmailIndex   []byte
	DisplayName  string
	PasswordHash string
	Role         StaffRole
	CanExport    bool
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Second factor (RFC 6238): the sealed secret, when it was confirmed (nil: off or not yet
	// confirmed), the last time step used (no code works twice) and the SHA-256 hashes (hex) of
	// the unused recovery codes.
	TOTPSecretSealed []byte     `gorm:"column:totp_secret_sealed"`
	TOTPEnabledAt    *time.Time `gorm:"column:totp_enabled_at"`
	TOTPLastStep     int64      `gorm:"column:totp_last_step"`
	TOTPRecovery     StringList `gorm:"column:totp_recovery"`

	Email      string `gorm:"-"`
	TOTPSecret string `gorm:"-"` // base32, opened from TOTPSecretSealed
}

const accountEmailPurpose = "account.email"

// CreateAccount seals and inserts an account; a taken email gives ErrConflict.
func (s *Store) CreateAccount(ctx context.Context, a *Account) error {
	if a.ID == "" {
		a.ID = NewID()
	}
	a.EmailIndex = s.box.Index(accountEmailPurpose, seal.NormalizeEmail(a.Email))
	a.EmailSealed = s.box.Seal("accounts", "email", a.ID, a.Email)
	return notFound(s.write(ctx).Create(a).Error)
}

// AccountByEmail finds an account through the blind index of its email.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	var a Account
	idx := s.box.Index(accountEmailPurpose, seal.NormalizeEmail(email))
	if err := s.read(ctx).Where("email_index = ?", idx).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, s.openAccount(&a)
}

// Account finds an account by ID.
func (s *Store) Account(ctx context.Context, id string) (*Account, error) {
	var a Account
	if err := s.read(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, s.openAccount(&a)
}

// CountAccounts returns how many staff accounts exist (zero before the first admin).
func (s *Store) CountAccounts(ctx context.Context) (int64, error) {
	var n int64
	err := s.read(ctx).Model(&Account{}).Count(&n).Error
	return n, err
}

func (s *Store) openAccount(a *Account) error {
	var err error
	if a.Email, err = s.box.Open("accounts", "email", a.ID, a.EmailSealed); err != nil {
		return err
	}
	a.TOTPSecret, err = s.box.Open("accounts", "totp_secret", a.ID, a.TOTPSecretSealed)
	return err
}

// TokenKind says what an AuthToken is for.
type TokenKind string

// Token kinds.
const (
	TokenStaffSession    TokenKind = "staff_session"    // bearer token after password login
	TokenDelegateSession TokenKind = "delegate_session" // bearer token after a one-time link
	TokenMagicLink       TokenKind = "magic_link"       // one-time login link for a delegate
	TokenConfirm         TokenKind = "confirm"          // one-time registration confirmation link
	TokenSetup           TokenKind = "setup"            // one-time link to create the first admin
	TokenAPI             TokenKind = "api"              // long-lived staff token for an integration
)

// AuthToken is a random secret stored only as its SHA-256 hash.
type AuthToken struct {
	ID            string
	TokenHash     []byte
	Kind          TokenKind
	AccountID     *string
	DelegateID    *string
	ExpiresAt     time.Time
	IdleExpiresAt *time.Time
	// ExpiresSealed and IdleExpiresSealed hold the exact expiries of a delegate's token, whose
	// plain times are coarse (see SignInGrain).
	ExpiresSealed     []byte
	IdleExpiresSealed []byte
	UsedAt            *time.Time
	Name              string // what an API token is for, as its owner named it
	CreatedAt         time.Time
}

// NewSecret returns a random 32-byte secret, URL-safe base64 encoded, and its hash.
func NewSecret() (secret string, hash []byte) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic(fmt.Sprintf("no randomness: %v", err))
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the SHA-256 of a secret, the only form in which secrets are stored.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// IssueToken stores a new token of kind for an account or a delegate and returns its secret.
func (s *Store) IssueToken(ctx context.Context, t *AuthToken) (string, error) {
	secret, hash := NewSecret()
	t.ID, t.TokenHash = NewRowID(), hash
	t.CreatedAt = s.now()
	defer s.sealTokenTimes(t)()
	if err := s.write(ctx).Create(t).Error; err != nil {
		return "", fmt.Errorf("issue token: %w", err)
	}
	return secret, nil
}

// ValidToken finds an unexpired, unused token of one of kinds by its secret. For sessions with an
// idle expiry it slides the idle window forward by idle.
func (s *Store) ValidToken(ctx context.Context, secret string, idle time.Duration, kinds ...TokenKind) (*AuthToken, error) {
	hash := HashSecret(secret)
	var t AuthToken
	now := s.now()
	err := s.read(ctx).Where("token_hash = ? AND kind IN ? AND used_at IS NULL AND expires_at > ?", hash, kinds, now).Take(&t).Error
	if err != nil {
		return nil, notFound(err)
	}
	if subtle.ConstantTimeCompare(t.TokenHash, hash) != 1 {
		return nil, ErrNotFound
	}
	if err := s.openTokenTimes(&t); err != nil {
		return nil, err
	}
	if !t.ExpiresAt.After(now) {
		return nil, ErrNotFound
	}
	if t.IdleExpiresAt != nil {
		if !t.IdleExpiresAt.After(now) {
			return nil, ErrNotFound
		}
		// Slide the idle window at most once a minute to keep reads cheap.
		if next := now.Add(idle); idle > 0 && next.Sub(*t.IdleExpiresAt) > time.Minute {
			s.write(ctx).Model(&AuthToken{}).Where("id = ?", t.ID).Updates(s.idleUpdate(&t, next))
			t.IdleExpiresAt = &next
		}
	}
	return &t, nil
}

// UseToken consumes a single-use token: it succeeds for exactly one caller, even under races.
func (s *Store) UseToken(ctx context.Context, secret string, kind TokenKind) (*AuthToken, error) {
	hash := HashSecret(secret)
	now := s.now()
	var t AuthToken
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.write(ctx).Model(&AuthToken{}).
			Where("token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?", hash, kind, now).
			Update("used_at", usedAt(kind, now))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNotFound
		}
		if err := tx.write(ctx).Where("token_hash = ?", hash).Take(&t).Error; err != nil {
			return err
		}
		if err := tx.openTokenTimes(&t); err != nil {
			return err
		}
		if !t.ExpiresAt.After(now) { // expired within its coarse hour: the use is rolled back
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// RevokeToken deletes a token by its secret (logout).
func (s *Store) RevokeToken(ctx context.Context, secret string) error {
	return s.write(ctx).Where("token_hash = ?", HashSecret(secret)).Delete(&AuthToken{}).Error
}

// DeleteExpiredTokens removes tokens past their expiry and returns how many.
func (s *Store) DeleteExpiredTokens(ctx context.Context) (int64, error) {
	res := s.write(ctx).Where("expires_at <= ?", s.now()).Delete(&AuthToken{})
	return res.RowsAffected, res.Error
}

// ListAccounts returns every staff account with its email opened.
func (s *Store) ListAccounts(ctx context.Context) ([]Account, error) {
	var as []Account
	if err := s.read(ctx).Order("created_at, id").Find(&as).Error; err != nil {
		return nil, err
	}
	for i := range as {
		if err := s.openAccount(&as[i]); err != nil {
			return nil, err
		}
	}
	return as, nil
}

// UpdateAccount saves every field of a (re-sealing the email).
func (s *Store) UpdateAccount(ctx context.Context, a *Account) error {
	a.EmailIndex = s.box.Index(accountEmailPurpose, seal.NormalizeEmail(a.Email))
	a.EmailSealed = s.box.Seal("accounts", "email", a.ID, a.Email)
	a.TOTPSecretSealed = s.box.Seal("accounts", "totp_secret", a.ID, a.TOTPSecret)
	return notFound(s.write(ctx).Save(a).Error)
}

// APITokens returns an account's API tokens that have not expired, newest first (hashes only).
func (s *Store) APITokens(ctx context.Context, accountID string) ([]AuthToken, error) {
	var ts []AuthToken
	err := s.read(ctx).Where("account_id = ? AND kind = ? AND expires_at > ?", accountID, TokenAPI, s.now()).
		Order("created_at DESC, id DESC").Find(&ts).Error
	return ts, err
}

// RevokeAPIToken deletes one of an account's API tokens; another account's gives ErrNotFound.
func (s *Store) RevokeAPIToken(ctx context.Context, accountID, id string) error {
	res := s.write(ctx).Where("id = ? AND account_id = ? AND kind = ?", id, accountID, TokenAPI).Delete(&AuthToken{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
