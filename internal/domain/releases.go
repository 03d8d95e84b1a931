package domain

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// Release is a newly published agenda release: its changelog, how many sessions it holds and
// how many people were mailed.
type Release struct {
	*models.PublishedRelease
	Notified int
}

// PublishRelease freezes the published sessions of the conference with slug into the next
// numbered release with a changelog against the previous one (organisers), and in the same
// transaction enqueues one "agenda_changes" mail per person concerned (speakers and chairs of
// changed sessions, delegates signed up for them), listing only their changes in their language.
// An unchanged agenda is a conflict.
func (s *Service) PublishRelease(ctx context.Context, a *Actor, slug string) (*Release, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	by := a.ID()
	out := &Release{}
	err = s.change(ctx, func(tx *models.Store) error {
		var err error
		if out.PublishedRelease, err = tx.PublishRelease(ctx, conf.ID, &by); err != nil {
			return err
		}
		msgs, err := s.releaseMails(ctx, tx, conf, out.PublishedRelease)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		out.Notified = len(msgs)
		return s.audit(ctx, tx, a, conf.ID, "agenda.release", "agenda_release", out.Release.ID)
	})
	if errors.Is(err, models.ErrNoChanges) {
		return nil, models.Conflictf(models.CodeConflict, "%s", err.Error())
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// releaseMails builds one "agenda_changes" mail per delegate concerned by the release. Speakers
// and chairs are always told; delegates only signed up are told unless they opted out of agenda
// mail. Withdrawn, rejected and erased registrations get nothing.
func (s *Service) releaseMails(ctx context.Context, tx *models.Store, conf *models.Conference, pub *models.PublishedRelease) ([]*models.OutboxMessage, error) {
	if len(pub.Changes) == 0 {
		return nil, nil
	}
	changed := make([]string, 0, len(pub.Changes))
	for _, ch := range pub.Changes {
		changed = append(changed, ch.SessionID)
	}
	attendees, err := tx.Attendees(ctx, dedupe(changed))
	if err != nil {
		return nil, err
	}
	recipients := models.ReleaseRecipients(pub.Previous, pub.Current, pub.Changes, attendees)
	ids := make([]string, len(recipients))
	for i, r := range recipients {
		ids[i] = r.DelegateID
	}
	delegates, err := tx.DelegatesByIDs(ctx, conf.ID, ids)
	if err != nil {
		return nil, err
	}
	loc := conf.Location()
	var msgs []*models.OutboxMessage
	for _, r := range recipients {
		d := delegates[r.DelegateID]
		if d == nil || d.Email == "" || d.ErasedAt != nil || d.Status == models.DelegateCancelled || d.Status == models.DelegateRejected ||
			(!r.Presenter && !d.NotifyAgenda) {
			continue
		}
		data := &mail.AgendaChangesData{Conference: conf.Title, Name: d.DisplayName, Release: pub.Release.Number,
			Changes: mailChanges(r.Changes, d.Lang(), loc), AgendaURL: s.link("/c/" + conf.Slug + "/agenda?lang=" + url.QueryEscape(d.Lang()))}
		m, err := NewMail(EnvelopeOf(d), "release:"+pub.Release.ID, data)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// mailChanges writes changes for a mail in lang (titles translated where they are), times in the
// conference's time zone.
func mailChanges(changes []models.AgendaChange, lang string, loc *time.Location) []mail.AgendaChange {
	out := make([]mail.AgendaChange, 0, len(changes))
	for _, ch := range changes {
		mc := mail.AgendaChange{Kind: string(ch.Kind), Session: ch.TitleIn(lang), When: formatWhen(lang, loc, ch.StartsAt, ch.EndsAt), Room: ch.Room,
			PreviousSession: ch.PreviousTitleIn(lang)}
		if ch.PreviousStartsAt != nil && ch.PreviousEndsAt != nil {
			mc.PreviousWhen, mc.PreviousRoom = formatWhen(lang, loc, *ch.PreviousStartsAt, *ch.PreviousEndsAt), ch.PreviousRoom
		}
		out = append(out, mc)
	}
	return out
}
