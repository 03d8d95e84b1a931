package models

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"strings"

	"github.com/google/uuid"
)

// unsubscribePurpose keys the unsubscribe tokens' MAC apart from every other blind index.
const unsubscribePurpose = "delegate.unsubscribe:"

// UnsubscribeToken is the token of a delegate's one-click unsubscribe link (/u/{token}): their
// ID and a keyed MAC of it, so that nobody can forge one for another delegate and nothing needs
// storing per mail.
func (s *Store) UnsubscribeToken(delegateID string) string {
	mac := s.box.Index(unsubscribePurpose, delegateID)[:18]
	return delegateID + "." + base64.RawURLEncoding.EncodeToString(mac)
}

// UnsubscribeDelegate checks an unsubscribe token and turns announcements off for its delegate.
// A forged, mangled or stale token (the delegate erased) is ErrNotFound.
func (s *Store) UnsubscribeDelegate(ctx context.Context, token string) (*Delegate, error) {
	id, _, ok := strings.Cut(token, ".")
	if !ok || uuid.Validate(id) != nil || !hmac.Equal([]byte(s.UnsubscribeToken(id)), []byte(token)) {
		return nil, ErrNotFound
	}
	d, err := s.Delegate(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.ErasedAt != nil {
		return nil, ErrNotFound
	}
	if err := s.write(ctx).Model(&Delegate{}).Where("id = ?", id).Updates(map[string]any{"notify_announcements": false, "updated_at": s.now()}).Error; err != nil {
		return nil, err
	}
	d.NotifyAnnouncements = false
	return d, nil
}
