package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/zimmerwald/zimmerwald/models"
)

// TOTP parameters (RFC 6238 as every authenticator app reads it): SHA-1, 6 digits, 30 s, one
// step of clock skew either way.
const (
	totpPeriod   = 30
	totpSkew     = 1
	recoveryN    = 10
	recoveryLen  = 12
	maxTOTPInput = 32
)

var (
	errTOTPRequired = models.Fail(models.KindUnauthorized, models.CodeTOTPRequired, "this account signs in with a second factor: give totp")
	errMustEnrol    = models.Fail(models.KindForbidden, models.CodeTOTPEnrolment, "a second factor is required: set it up with POST /auth/totp first")
	errTOTPOn       = models.Fail(models.KindConflict, models.CodeConflict, "the second factor is already on")
)

// TOTPEnrolment is a second factor being set up: the secret (base32) and its otpauth:// URL for
// the authenticator app, and the one-time recovery codes, shown once.
type TOTPEnrolment struct {
	Secret        string
	URL           string
	RecoveryCodes []string
}

// StartTOTP begins setting up a second factor for the signed-in staff account (also while an
// admin requires one): a new secret and recovery codes, in force once ConfirmTOTP accepts a code.
// An account whose factor is on must not replace it (conflict).
func (s *Service) StartTOTP(ctx context.Context, a *Actor) (*TOTPEnrolment, error) {
	if err := a.requireAccount(); err != nil {
		return nil, err
	}
	issuer := "conference"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		issuer = u.Hostname()
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: a.Account.Email, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	out := &TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}
	hashes := models.StringList{}
	for range recoveryN {
		c := strings.ToLower(rand.Text()[:recoveryLen])
		out.RecoveryCodes = append(out.RecoveryCodes, c)
		hashes = append(hashes, recoveryHash(c))
	}
	err = s.change(ctx, func(tx *models.Store) error {
		acc, err := tx.Account(ctx, a.Account.ID)
		if err != nil {
			return err
		}
		if acc.TOTPEnabledAt != nil {
			return errTOTPOn
		}
		acc.TOTPSecret, acc.TOTPRecovery, acc.TOTPLastStep = key.Secret(), hashes, 0
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "account.totp_start", "account", acc.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ConfirmTOTP turns the second factor on once the account proves it holds the secret with a
// current code (a wrong one is a field error on "code").
func (s *Service) ConfirmTOTP(ctx context.Context, a *Actor, code string) error {
	if err := a.requireAccount(); err != nil {
		return err
	}
	return s.change(ctx, func(tx *models.Store) error {
		acc, err := tx.Account(ctx, a.Account.ID)
		if err != nil {
			return err
		}
		if acc.TOTPEnabledAt != nil {
			return errTOTPOn
		}
		step, ok := totpStep(acc.TOTPSecret, code, s.Now(), 0)
		if acc.TOTPSecret == "" || !ok {
			return models.Invalid(models.FieldProblem("code", models.FieldInvalid, "is not the current code of the authenticator"))
		}
		now := s.Now()
		acc.TOTPEnabledAt, acc.TOTPLastStep = &now, step
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "account.totp_on", "account", acc.ID)
	})
}

// checkSecondFactor is the second step of a login for an account with the factor on: a current
// code not used before, or an unused recovery code (then spent). It reports the error to answer.
func (s *Service) checkSecondFactor(ctx context.Context, acc *models.Account, code string) error {
	code = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(code), " ", ""))
	if code == "" {
		return errTOTPRequired
	}
	if len(code) > maxTOTPInput {
		return errWrongCredentials
	}
	return s.change(ctx, func(tx *models.Store) error {
		fresh, err := tx.Account(ctx, acc.ID) // under the writer: two logins cannot both use one code
		if err != nil {
			return err
		}
		if step, ok := totpStep(fresh.TOTPSecret, code, s.Now(), fresh.TOTPLastStep); ok {
			fresh.TOTPLastStep = step
			return tx.UpdateAccount(ctx, fresh)
		}
		h := recoveryHash(code)
		for i, stored := range fresh.TOTPRecovery {
			if subtle.ConstantTimeCompare([]byte(stored), []byte(h)) == 1 {
				fresh.TOTPRecovery = append(fresh.TOTPRecovery[:i:i], fresh.TOTPRecovery[i+1:]...)
				if err := tx.UpdateAccount(ctx, fresh); err != nil {
					return err
				}
				return s.audit(ctx, tx, &Actor{Role: string(fresh.Role), Account: fresh}, "", "account.recovery_code_used", "account", fresh.ID)
			}
		}
		return errWrongCredentials
	})
}

// totpStep checks code against secret at now (± totpSkew steps) and returns the time step it
// matched, which must be later than after (a code works once).
func totpStep(secret, code string, now time.Time, after int64) (int64, bool) {
	if secret == "" || len(code) != 6 {
		return 0, false
	}
	base := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := base + d
		if step <= after {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// recoveryHash is how a recovery code is stored.
func recoveryHash(code string) string {
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}

// mustEnrol reports whether an admin requires a second factor that acc has not turned on.
func (s *Service) mustEnrol(ctx context.Context, acc *models.Account) (bool, error) {
	if acc.TOTPEnabledAt != nil {
		return false, nil
	}
	v, err := s.store.Setting(ctx, models.SettingRequireStaffTOTP)
	return v == "true", err
}

// Settings are the instance-wide settings an admin changes.
type Settings struct {
	RequireStaffTOTP bool
}

// GetSettings returns the instance settings (admins).
func (s *Service) GetSettings(ctx context.Context, a *Actor) (*Settings, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	v, err := s.store.Setting(ctx, models.SettingRequireStaffTOTP)
	if err != nil {
		return nil, err
	}
	return &Settings{RequireStaffTOTP: v == "true"}, nil
}

// UpdateSettings changes the instance settings (admins; audited). Requiring a second factor
// takes effect at once: staff sessions without one can then only enrol.
func (s *Service) UpdateSettings(ctx context.Context, a *Actor, requireStaffTOTP *bool) (*Settings, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	if requireStaffTOTP != nil {
		v := "false"
		if *requireStaffTOTP {
			v = "true"
		}
		err := s.change(ctx, func(tx *models.Store) error {
			if err := tx.PutSetting(ctx, models.SettingRequireStaffTOTP, v); err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "", "settings.require_staff_totp", "setting", v)
		})
		if err != nil {
			return nil, err
		}
	}
	return s.GetSettings(ctx, a)
}

// requireAccount refuses actors without a staff account (enrolment is allowed while MustEnrol).
func (a *Actor) requireAccount() error {
	switch {
	case !a.SignedIn():
		return errSignInNeeded
	case a.Account == nil:
		return errForbidden
	}
	return nil
}
