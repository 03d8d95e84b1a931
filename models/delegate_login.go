package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// RequestLogin issues a one-time sign-in link for the delegate holding email in a conference and
// enqueues the mail built by mail, in one transaction. For an unknown address (or conference) it
// does the same work with a decoy: a token that belongs to nobody, and a mail built, sealed and
// written for a delegate who does not exist, then deleted in the same transaction; the known path
// runs the same delete on no row. So both take the same statements and time (T3). It reports
// whether the address was known (never to be shown to a client).
func (s *Store) RequestLogin(ctx context.Context, conferenceID, email string, mail func(d *Delegate, secret string) (*OutboxMessage, error)) (bool, error) {
	idx := s.box.Index(EmailIndexPurpose(conferenceID), seal.NormalizeEmail(email))
	secret, hash := NewSecret()
	known := false
	err := s.Tx(ctx, func(tx *Store) error {
		var d Delegate
		err := tx.write(ctx).Select("id", "conference_id", "display_name", "languages", "mail_language", "status").
			Where("conference_id = ? AND email_index = ?", conferenceID, idx).Take(&d).Error
		if err = notFound(err); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		now := tx.now()
		t := &AuthToken{ID: NewID(), TokenHash: hash, Kind: TokenMagicLink, ExpiresAt: now.Add(LoginTTL), CreatedAt: now}
		known = err == nil
		if known {
			t.DelegateID = &d.ID
		} else {
			d = Delegate{ID: NewID(), ConferenceID: conferenceID, DisplayName: decoyName, Languages: StringList{"en"}}
		}
		tx.sealTokenTimes(t)
		if err := tx.write(ctx).Create(t).Error; err != nil {
			return fmt.Errorf("login link: %w", err)
		}
		d.Email = email
		m, err := mail(&d, secret)
		if err != nil {
			return err
		}
		drop := NewRowID() // no such row: the known path deletes nothing
		if !known {
			m.ConferenceID = nil // the conference may be a decoy too
			m.ID = NewRowID()
			drop = m.ID
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
		if err := tx.write(ctx).Where("id = ?", drop).Delete(&OutboxMessage{}).Error; err != nil {
			return fmt.Errorf("login link: %w", err)
		}
		return nil
	})
	return known, err
}

// decoyName is the display name of the delegate who does not exist, in decoy work.
const decoyName = "Delegate"

// DelegateSession is a delegate's bearer token, opened by a one-time link.
type DelegateSession struct {
	Delegate  *Delegate
	Secret    string
	ExpiresAt time.Time
}

// RedeemLink consumes a one-time link of kind (TokenConfirm or TokenMagicLink) and opens a
// delegate session of at most maxAge (idle expiry idle) in one transaction. Following either link
// proves the address, so a registration pending confirmation becomes submitted. An unknown, used
// or expired link, a decoy, or one whose delegate was erased gives ErrNotFound and consumes
// nothing else.
func (s *Store) RedeemLink(ctx context.Context, secret string, kind TokenKind, maxAge, idle time.Duration) (*DelegateSession, error) {
	var out *DelegateSession
	err := s.Tx(ctx, func(tx *Store) error {
		t, err := tx.UseToken(ctx, secret, kind)
		if err != nil {
			return err
		}
		if t.DelegateID == nil {
			return ErrNotFound
		}
		d, err := tx.Delegate(ctx, *t.DelegateID)
		if err != nil {
			return err
		}
		if d.ErasedAt != nil {
			return ErrNotFound
		}
		now := tx.now()
		if d.Status == DelegatePending {
			if err := d.Confirm(now); err != nil {
				return err
			}
			if err := tx.UpdateDelegateState(ctx, d); err != nil {
				return err
			}
		}
		idleAt := now.Add(idle)
		st := &AuthToken{Kind: TokenDelegateSession, DelegateID: &d.ID, ExpiresAt: now.Add(maxAge), IdleExpiresAt: &idleAt}
		sec, err := tx.IssueToken(ctx, st)
		if err != nil {
			return err
		}
		out = &DelegateSession{Delegate: d, Secret: sec, ExpiresAt: st.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
