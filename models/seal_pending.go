package models

import (
	"context"
	"fmt"
)

// settingSealedV13 marks that the outbox rows written before migration 00013 were coarsened.
const settingSealedV13 = "sealed_00013"

// sealPending seals what was written in plain text before migration 00013 (Migrate runs it after
// the SQL migrations, since SQL has no key): organisations' names (plain only while public), the
// exact times of delegates' tokens, and the times of sign-in mails. Each part finds only rows not
// done yet, so processes that start together may both run it.
func (s *Store) sealPending(ctx context.Context) error {
	for {
		var os []Organisation
		if err := s.write(ctx).Where("name_index IS NULL").Order("id").Limit(100).Find(&os).Error; err != nil {
			return fmt.Errorf("seal organisations: %w", err)
		}
		if len(os) == 0 {
			break
		}
		for i := range os {
			o := &os[i]
			s.sealOrganisation(o)
			err := s.write(ctx).Model(&Organisation{}).Where("id = ?", o.ID).
				Updates(map[string]any{"name": o.Name, "name_sealed": o.NameSealed, "name_index": o.NameIndex}).Error
			if err != nil {
				return fmt.Errorf("seal organisations: %w", err)
			}
		}
	}
	for {
		var ts []AuthToken
		err := s.write(ctx).Where("kind IN ? AND expires_sealed IS NULL", []TokenKind{TokenMagicLink, TokenConfirm, TokenDelegateSession}).
			Order("id").Limit(100).Find(&ts).Error
		if err != nil {
			return fmt.Errorf("seal tokens: %w", err)
		}
		if len(ts) == 0 {
			break
		}
		for i := range ts {
			t := &ts[i]
			s.sealTokenTimes(t)
			set := map[string]any{"expires_at": t.ExpiresAt, "created_at": t.CreatedAt, "idle_expires_at": t.IdleExpiresAt,
				"expires_sealed": t.ExpiresSealed, "idle_expires_sealed": t.IdleExpiresSealed}
			if t.UsedAt != nil {
				set["used_at"] = coarse(*t.UsedAt)
			}
			if err := s.write(ctx).Model(&AuthToken{}).Where("id = ?", t.ID).Updates(set).Error; err != nil {
				return fmt.Errorf("seal tokens: %w", err)
			}
		}
	}
	if done, err := s.Setting(ctx, settingSealedV13); err != nil || done != "" {
		return err
	}
	var ms []OutboxMessage
	if err := s.write(ctx).Select("id", "created_at", "updated_at", "sent_at", "next_attempt_at").Where("template IN ?", signInTemplates).Find(&ms).Error; err != nil {
		return fmt.Errorf("coarsen sign-in mails: %w", err)
	}
	for _, m := range ms {
		set := map[string]any{"created_at": coarse(m.CreatedAt), "updated_at": coarse(m.UpdatedAt), "next_attempt_at": coarse(m.NextAttemptAt)}
		if m.SentAt != nil {
			set["sent_at"] = coarse(*m.SentAt)
		}
		if err := s.write(ctx).Model(&OutboxMessage{}).Where("id = ?", m.ID).Updates(set).Error; err != nil {
			return fmt.Errorf("coarsen sign-in mails: %w", err)
		}
	}
	return s.PutSetting(ctx, settingSealedV13, "done")
}
