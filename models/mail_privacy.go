package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// MailPrivacy is what the mail worker needs to know about a message's recipient and conference
// before rendering it: whether the conference may be named, and the recipient's OpenPGP key.
type MailPrivacy struct {
	NamesConference bool
	OpenPGPKey      string
}

// DelegateOfMailKey returns the delegate ID of an idempotency key written by DelegateMailKey, or
// "" for mail that is not addressed to a delegate.
func DelegateOfMailKey(key string) string {
	rest, ok := strings.CutPrefix(key, "delegate:")
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	return id
}

// MailPrivacyOf returns the MailPrivacy of each message (in order), reading each conference and
// delegate once; the delegates in one query, with their IDs as one argument on SQLite (see idList).
func (s *Store) MailPrivacyOf(ctx context.Context, msgs []OutboxMessage) ([]MailPrivacy, error) {
	out := make([]MailPrivacy, len(msgs))
	var confIDs, delegateIDs []string
	for _, m := range msgs {
		if m.ConferenceID != nil && !slices.Contains(confIDs, *m.ConferenceID) { // a batch holds a few conferences
			confIDs = append(confIDs, *m.ConferenceID)
		}
		if id := DelegateOfMailKey(m.IdempotencyKey); id != "" {
			delegateIDs = append(delegateIDs, id)
		}
	}
	names := map[string]bool{}
	if len(confIDs) > 0 {
		var confs []Conference
		if err := s.read(ctx).Select("id", "mail_names_conference").Where("id IN ?", confIDs).Find(&confs).Error; err != nil {
			return nil, fmt.Errorf("mail privacy: %w", err)
		}
		for _, c := range confs {
			names[c.ID] = c.MailNamesConference
		}
	}
	keys := map[string]string{}
	if len(delegateIDs) > 0 {
		var ds []Delegate
		in, list := s.idList(delegateIDs)
		err := s.read(ctx).Select("id", "openpgp_key_sealed").Where("id IN "+in+" AND openpgp_key_sealed IS NOT NULL", list).Find(&ds).Error
		if err != nil {
			return nil, fmt.Errorf("mail privacy: %w", err)
		}
		for _, d := range ds {
			k, err := s.box.Open("delegates", "openpgp_key", d.ID, d.OpenPGPKeySealed)
			if err != nil {
				return nil, fmt.Errorf("mail privacy: delegate %s: %w", d.ID, err)
			}
			keys[d.ID] = k
		}
	}
	for i, m := range msgs {
		if m.ConferenceID != nil {
			out[i].NamesConference = names[*m.ConferenceID]
		}
		out[i].OpenPGPKey = keys[DelegateOfMailKey(m.IdempotencyKey)]
	}
	return out, nil
}
