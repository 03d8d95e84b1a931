package domain

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// MeChange is what a delegate changes of their own registration: every field is optional (nil
// leaves it). Status, role, organisation and email are not among them.
type MeChange struct {
	DisplayName         *string
	Country             *string
	Languages           []string // nil leaves them; empty is refused
	Attendance          *models.AttendanceMode
	Visibility          *models.Visibility
	InterpretationNeeds *string
	AccessibilityNeeds  *string
	LegalName           *string
	NeedsVisaLetter     *bool
	NotifyAnnouncements *bool
	NotifyAgenda        *bool
	MailLanguage        *string // one of MailLanguages, or "" for the first of Languages
	OpenPGPKey          *string // ASCII-armoured public key; "" removes it
}

// GetMe is the signed-in delegate's own registration, personal fields included.
func (s *Service) GetMe(ctx context.Context, a *Actor) (*models.Delegate, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	return a.Delegate, nil
}

// UpdateMe changes the signed-in delegate's own editable fields and returns the registration.
func (s *Service) UpdateMe(ctx context.Context, a *Actor, in MeChange) (*models.Delegate, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	var d *models.Delegate
	err := s.change(ctx, func(tx *models.Store) error {
		var err error
		if d, err = tx.Delegate(ctx, a.Delegate.ID); err != nil {
			return err
		}
		if err := in.apply(d); err != nil {
			return err
		}
		return tx.UpdateDelegate(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// apply copies the set fields onto d and checks them.
func (in *MeChange) apply(d *models.Delegate) error {
	fe := delegateChecks{}
	if in.DisplayName != nil {
		d.DisplayName = strings.TrimSpace(*in.DisplayName)
		fe.name("display_name", d.DisplayName, 100, true)
	}
	if in.LegalName != nil {
		d.LegalName = strings.TrimSpace(*in.LegalName)
		fe.name("legal_name", d.LegalName, 200, false)
	}
	if in.Country != nil {
		d.Country = strings.ToUpper(strings.TrimSpace(*in.Country))
		fe.country("country", d.Country)
	}
	if in.Languages != nil {
		fe.languages(in.Languages)
		if len(in.Languages) == 0 {
			fe.Set("languages", models.FieldNeedsLanguage, "must name at least one language")
		}
		d.Languages = models.StringList(in.Languages)
	}
	if in.Attendance != nil {
		d.Attendance = *in.Attendance
		oneOf(fe, "attendance", d.Attendance, models.Attendances)
	}
	if in.Visibility != nil {
		d.Visibility = *in.Visibility
		oneOf(fe, "visibility", d.Visibility, models.Visibilities)
	}
	if in.InterpretationNeeds != nil {
		d.InterpretationNeeds = *in.InterpretationNeeds
		fe.maxLen("interpretation_needs", d.InterpretationNeeds, 2000)
	}
	if in.AccessibilityNeeds != nil {
		d.AccessibilityNeeds = *in.AccessibilityNeeds
		fe.maxLen("accessibility_needs", d.AccessibilityNeeds, 2000)
	}
	for dst, src := range map[*bool]*bool{&d.NeedsVisaLetter: in.NeedsVisaLetter, &d.NotifyAnnouncements: in.NotifyAnnouncements, &d.NotifyAgenda: in.NotifyAgenda} {
		if src != nil {
			*dst = *src
		}
	}
	if in.MailLanguage != nil {
		d.MailLanguage = strings.TrimSpace(*in.MailLanguage)
		fe.mailLanguage(d.MailLanguage)
	}
	if in.OpenPGPKey != nil {
		d.OpenPGPKey = strings.TrimSpace(*in.OpenPGPKey)
		if d.OpenPGPKey != "" {
			if err := mail.CheckOpenPGPKey(d.OpenPGPKey, time.Now()); err != nil {
				fe.Set("openpgp_key", models.FieldInvalidOpenPGPKey, err.Error())
			}
		}
	}
	if d.NeedsVisaLetter && d.LegalName == "" {
		fe.Set("legal_name", models.FieldRequiredForVisa, "is required for a visa letter")
	}
	return models.FieldErrors(fe).Err()
}

// DeleteMe withdraws the signed-in delegate's registration and erases their personal data at
// once: sealed fields emptied, email index removed (the address can register again), display
// name replaced, sessions and links revoked, queued mail to them deleted. A place it frees goes
// to the next on the waiting list, who is mailed. The erasure is audited without data. Before it
// answers, the database forgets the erased values' history (see ForgetErased).
func (s *Service) DeleteMe(ctx context.Context, a *Actor) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	err := s.change(ctx, func(tx *models.Store) error {
		out, err := tx.EraseDelegate(ctx, a.Delegate.ID)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, out.Delegate.ConferenceID, "delegate.erase", "delegate", out.Delegate.ID); err != nil {
			return err
		}
		return s.EnqueuePromotions(ctx, tx, a, out)
	})
	if err != nil {
		return err
	}
	return s.ForgetErased(ctx)
}

// ForgetErased makes values just erased unrecoverable from the database files: on SQLite (with
// secure_delete on) the WAL, which still holds the rows' earlier versions, is checkpointed and
// truncated; on PostgreSQL the tables that held them are vacuumed (see SECURITY.md for what that
// does not give). It runs even if the caller has gone: the erasure has committed.
func (s *Service) ForgetErased(ctx context.Context) error {
	if err := s.store.ForgetHistory(context.WithoutCancel(ctx), "delegates", "outbox_messages", "auth_tokens"); err != nil {
		return fmt.Errorf("erasure committed, but its history was not forgotten: %w", err)
	}
	return nil
}
