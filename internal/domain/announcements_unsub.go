package domain

import (
	"context"

	"github.com/zimmerwald/zimmerwald/models"
)

// UnsubscribeURL is a delegate's one-click unsubscribe link (RFC 8058): announcement mails carry
// it in List-Unsubscribe and in their footer.
func (s *Service) UnsubscribeURL(delegateID string) string {
	return s.link("/u/" + s.store.UnsubscribeToken(delegateID))
}

// Unsubscribe turns announcements off for the delegate of an unsubscribe token, without a
// login (the token is the proof). Doing it twice is fine; a bad token is not found. The change
// is audited as the delegate's.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	return s.change(ctx, func(tx *models.Store) error {
		d, err := tx.UnsubscribeDelegate(ctx, token)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, &Actor{Role: "delegate", Delegate: d}, d.ConferenceID, "delegate.unsubscribe", "delegate", d.ID)
	})
}
